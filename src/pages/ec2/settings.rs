//! EC2 → EBS encryption (the console's "Data protection and security" settings): encryption by
//! default and the default KMS key, per account and per Region.

use serde_json::json;
use yew::prelude::*;

use super::use_ec2;
use crate::components::form::{key_picker, use_form};
use crate::components::resources::bool_cell;
use crate::hooks::use_lab;

#[component]
pub(super) fn Settings() -> Html {
    let lab = use_lab();
    let data = use_ec2();
    let region = lab.identity().region;
    let form = use_form(&[]);
    let on = data.by_default.clone().ok();
    let call = |operation: &'static str, summary: String| {
        let (lab, region) = (lab.clone(), region.clone());
        Callback::from(move |_: MouseEvent| {
            lab.call(region.clone(), "ec2", operation, json!({}), summary.clone())
        })
    };
    let modify = {
        let (lab, region, form) = (lab.clone(), region.clone(), form.clone());
        Callback::from(move |_: MouseEvent| {
            let key = form.get("key").to_owned();
            lab.call(
                region.clone(),
                "ec2",
                "ModifyEbsDefaultKmsKeyId",
                json!({ "KmsKeyId": key }),
                format!("The default EBS key in {region} is now {key}"),
            )
        })
    };
    let error = data.by_default.as_ref().err().map(crate::pages::error_box);
    html! { <>
        { error.unwrap_or_default() }
        <div class="panel" data-testid="ebs-encryption">
            <div class="panel-header"><h2>{ format!("EBS encryption in {region}") }</h2></div>
            <p class="help">{ "The setting is per account and per Region: switch Region in the top bar to see another. When on, every new volume and snapshot copy is encrypted, and Encrypted false cannot turn it off. Existing volumes are not changed." }</p>
            <div class="fields">
                <div class="field"><div class="field-label">{ "Always encrypt new EBS volumes" }</div><div class="field-value" data-testid="ebs-by-default">{ bool_cell(on) }</div></div>
                <div class="field"><div class="field-label">{ "Default encryption key" }</div><div class="field-value" data-testid="ebs-default-key">{ data.default_key_link.clone() }</div></div>
            </div>
            <div class="actions">
                if on == Some(true) {
                    <button class="btn btn-small btn-danger" onclick={call("DisableEbsEncryptionByDefault", format!("EBS encryption by default is off in {region}"))} data-testid="ebs-disable">{ "Disable encryption by default" }</button>
                } else {
                    <button class="btn btn-primary" onclick={call("EnableEbsEncryptionByDefault", format!("EBS encryption by default is on in {region}"))} data-testid="ebs-enable">{ "Enable encryption by default" }</button>
                }
            </div>
        </div>
        <div class="panel">
            <div class="panel-header"><h2>{ "Change the default key" }</h2></div>
            <p class="help">{ "New encrypted volumes use this key when none is named. A customer managed key lets you control who may use it in its key policy; aws/ebs cannot be shared with other accounts." }</p>
            <div class="form-grid">{ key_picker(&form, "key", "Default KMS key", &data.keys) }</div>
            <div class="actions">
                <button class="btn btn-small" onclick={modify} data-testid="ebs-modify-key">{ "Update default key" }</button>
                <button class="btn btn-small" onclick={call("ResetEbsDefaultKmsKeyId", format!("The default EBS key in {region} is aws/ebs again"))} data-testid="ebs-reset-key">{ "Reset to aws/ebs" }</button>
            </div>
        </div>
    </> }
}

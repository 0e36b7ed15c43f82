//! The Grants lab view's "Create grant" form: the AWS console has no grants UI (grants are made
//! with CreateGrant by services such as EBS and RDS, or by you through the SDK or CLI), so this
//! form is part of the lab view, one CreateGrant call as the current profile.

use serde_json::{Value, json};
use yew::prelude::*;

use crate::components::form::{Fields, select, text, use_form};
use crate::hooks::use_lab;
use crate::pages::lab_kms_file::context_pairs;

/// The CreateGrant input the form describes for `key_id`.
pub(crate) fn create_grant_input(key_id: &str, f: &Fields) -> Value {
    let operations: Vec<&str> = f
        .get("operations")
        .split([',', ' '])
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .collect();
    let mut input = json!({
        "KeyId": key_id,
        "GranteePrincipal": f.get("grantee").trim(),
        "Operations": operations,
    });
    if let Some(r) = f.opt("retiring") {
        input["RetiringPrincipal"] = r.trim().into();
    }
    if let Some(n) = f.opt("name") {
        input["Name"] = n.trim().into();
    }
    let context = context_pairs(f.get("context"));
    let constraint = f.get("constraint");
    if !context.is_empty() && !constraint.is_empty() {
        let map: serde_json::Map<String, Value> =
            context.into_iter().map(|(k, v)| (k, v.into())).collect();
        input["Constraints"] = json!({ constraint: map });
    }
    input
}

#[derive(Properties, PartialEq, Debug)]
pub struct CreateGrantProps {
    pub region: AttrValue,
    pub key_id: AttrValue,
}

#[component]
pub fn CreateGrantForm(props: &CreateGrantProps) -> Html {
    let lab = use_lab();
    let form = use_form(&[("operations", "Decrypt")]);
    let create = {
        let (lab, form) = (lab.clone(), form.clone());
        let (region, key_id) = (props.region.to_string(), props.key_id.to_string());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let input = create_grant_input(&key_id, &form);
            let summary = format!(
                "Created a grant for {}",
                input["GranteePrincipal"].as_str().unwrap_or_default()
            );
            lab.call(region.clone(), "kms", "CreateGrant", input, summary);
        })
    };
    let constraints = [
        (String::new(), "None".to_owned()),
        (
            "EncryptionContextEquals".to_owned(),
            "Encryption context equals".to_owned(),
        ),
        (
            "EncryptionContextSubset".to_owned(),
            "Encryption context includes".to_owned(),
        ),
    ];
    html! {
        <form class="panel" onsubmit={create} data-testid="create-grant">
            <h3>{ "Create grant (lab view)" }</h3>
            <p class="help">{ "CreateGrant as you would call it with the SDK or CLI: the grantee gets the operations (optionally only for a matching encryption context), and the retiring principal may retire the grant." }</p>
            <div class="form-grid">
                { text(&form, "grantee", "Grantee principal (ARN)", "arn:aws:iam::111122223333:role/AppRole") }
                { text(&form, "operations", "Operations (comma-separated)", "Decrypt, DescribeKey") }
                { text(&form, "retiring", "Retiring principal (optional)", "arn:aws:iam::111122223333:role/AppRole") }
                { select(&form, "constraint", "Constraint", &constraints) }
                { text(&form, "context", "Encryption context (k=v, k2=v2)", "job=nightly") }
                { text(&form, "name", "Grant name (optional)", "") }
            </div>
            <div class="actions"><button type="submit" class="btn btn-small" data-testid="create-grant-submit">{ "Create grant" }</button></div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_becomes_a_create_grant_call() {
        let f = Fields::with(&[
            ("grantee", "arn:aws:iam::111122223333:role/AppRole"),
            ("operations", "Decrypt, DescribeKey"),
            ("retiring", "arn:aws:iam::111122223333:role/AppRole"),
            ("constraint", "EncryptionContextEquals"),
            ("context", "job=nightly"),
        ]);
        let input = create_grant_input("k1", &f);
        assert_eq!(input["Operations"], json!(["Decrypt", "DescribeKey"]));
        assert_eq!(
            input["Constraints"],
            json!({ "EncryptionContextEquals": { "job": "nightly" } })
        );
        assert_eq!(
            input["RetiringPrincipal"],
            "arn:aws:iam::111122223333:role/AppRole"
        );
        let plain = create_grant_input(
            "k1",
            &Fields::with(&[
                ("grantee", "a"),
                ("operations", "Decrypt"),
                ("context", "x=y"),
            ]),
        );
        assert!(plain.get("Constraints").is_none(), "no constraint chosen");
    }
}

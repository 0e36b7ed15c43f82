//! The Secrets Manager console's "Resource permissions" for a secret: its resource policy in the
//! shared policy editor, saved with PutResourcePolicy (as the current profile, audited). This is
//! how another account is let read a secret; the key must let that account decrypt too.

use yew::prelude::*;

use crate::components::policy_editor::PolicyEditor;
use crate::hooks::use_lab;

#[derive(Properties, PartialEq, Debug)]
pub struct SecretPermissionsProps {
    pub region: AttrValue,
    /// (ARN, name) of the secrets in the Region.
    pub secrets: Vec<(String, String)>,
}

/// An example policy letting another account read the secret's value.
fn example() -> String {
    r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": { "AWS": "arn:aws:iam::444455556666:root" },
      "Action": "secretsmanager:GetSecretValue",
      "Resource": "*"
    }
  ]
}"#
    .to_owned()
}

#[component]
pub fn SecretPermissions(props: &SecretPermissionsProps) -> Html {
    let lab = use_lab();
    let chosen = use_state(|| None::<String>);
    let Some((arn, name)) = props
        .secrets
        .iter()
        .find(|(a, _)| Some(a) == (*chosen).as_ref())
        .or_else(|| props.secrets.first())
        .cloned()
    else {
        return html! {};
    };
    let onchange = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<web_sys::HtmlSelectElement>() {
                chosen.set(Some(s.value()));
            }
        })
    };
    let save = {
        let (lab, region, arn, name) = (
            lab.clone(),
            props.region.to_string(),
            arn.clone(),
            name.clone(),
        );
        Callback::from(move |policy: String| {
            lab.call(
                region.clone(),
                "secretsmanager",
                "PutResourcePolicy",
                serde_json::json!({ "SecretId": arn, "ResourcePolicy": policy }),
                format!("Saved the resource permissions of {name}"),
            );
        })
    };
    html! {
        <div class="panel" data-testid="secret-permissions">
            <div class="panel-header"><h2>{ "Resource permissions" }</h2></div>
            <p class="help">{ "A secret's resource policy: who else (for example another account) may read it. The reader must also be allowed to use the secret's KMS key through Secrets Manager; a secret under aws/secretsmanager cannot be read from another account." }</p>
            <label>{ "Secret " }
                <select class="input" aria-label="Secret" {onchange}>
                    { for props.secrets.iter().map(|(a, n)| html! { <option value={a.clone()} selected={*a == arn}>{ n.clone() }</option> }) }
                </select>
            </label>
            <PolicyEditor key={arn.clone()} value={AttrValue::from(example())} label="Resource policy" on_save={save}
                syntax_code="MalformedPolicyDocumentException" save_label="Save resource policy"
                testid="secret-policy-editor" save_testid="secret-policy-save" />
        </div>
    }
}

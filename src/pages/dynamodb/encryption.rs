//! A table's encryption: the console's three choices as radio buttons with the key picker (shared
//! by Create table, Manage encryption and Restore), the `SSESpecification` they send, and the
//! "Manage encryption" dialog (`UpdateTable`).

use serde_json::{Value, json};
use yew::prelude::*;

use super::use_dynamodb;
use crate::components::dialog::Dialog;
use crate::components::form::{Fields, Form, key_picker, radio};
use crate::hooks::use_lab;

/// The console's choices (value, text).
pub(super) const CHOICES: &[(&str, &str)] = &[
    ("owned", "Owned by Amazon DynamoDB"),
    ("managed", "AWS managed key (aws/dynamodb)"),
    (
        "cmk",
        "Stored in your account, and owned and managed by you (customer managed key)",
    ),
];

/// The `SSESpecification` of the form's `enc` and `key` fields. `None` when nothing needs to be
/// sent: the AWS owned key at creation (DynamoDB's default). For `UpdateTable`, the owned key
/// is `Enabled: false`.
pub(super) fn sse_specification(f: &Fields, update: bool) -> Option<Value> {
    match f.get("enc") {
        "managed" => Some(json!({ "Enabled": true, "SSEType": "KMS" })),
        "cmk" => {
            let mut v = json!({ "Enabled": true, "SSEType": "KMS" });
            if let Some(k) = f.opt("key") {
                v["KMSMasterKeyId"] = json!(k);
            }
            Some(v)
        }
        _ => update.then(|| json!({ "Enabled": false })),
    }
}

/// Whether the form can be sent: a customer managed key needs a key.
pub(super) fn complete(f: &Fields) -> bool {
    f.get("enc") != "cmk" || f.opt("key").is_some()
}

/// The radio buttons and, for a customer managed key, the key picker.
pub(super) fn choice(form: &Form, group: &str, keys: &[(String, String)]) -> Html {
    html! { <>
        { radio(form, "enc", group, "Encryption at rest: key management", CHOICES) }
        if form.get("enc") == "cmk" {
            { key_picker(form, "key", "AWS KMS key (customer managed, symmetric)", keys) }
            if form.opt("key").is_none() {
                <p class="help field-error">{ "Choose a KMS key: an alias, a key id or a key ARN." }</p>
            }
        }
    </> }
}

#[derive(Properties, PartialEq, Debug)]
pub(super) struct ManageProps {
    pub table: AttrValue,
    /// The current choice ("owned", "managed", "cmk").
    pub current: AttrValue,
    pub on_close: Callback<()>,
}

/// "Manage encryption": `UpdateTable` with the chosen `SSESpecification`.
#[component]
pub(super) fn ManageEncryption(props: &ManageProps) -> Html {
    let lab = use_lab();
    let data = use_dynamodb();
    let form: Form = {
        let current = props.current.to_string();
        use_state(move || Fields::with(&[("enc", current.as_str())]))
    };
    let save = {
        let (lab, form, table, close) = (
            lab.clone(),
            form.clone(),
            props.table.to_string(),
            props.on_close.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let region = lab.identity().region;
            lab.call(
                region,
                "dynamodb",
                "UpdateTable",
                update_input(&table, &form),
                format!("Updated the encryption of table {table}"),
            );
            close.emit(());
        })
    };
    let footer = html! { <>
        <button type="button" class="btn btn-small" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
        <button type="button" class="btn btn-primary btn-small" disabled={!complete(&form)} onclick={save} data-testid="manage-encryption-save">{ "Save changes" }</button>
    </> };
    html! {
        <Dialog title="Manage encryption" on_close={props.on_close.clone()} testid="manage-encryption-dialog" {footer}>
            <p class="mono small break">{ props.table.clone() }</p>
            { choice(&form, "manage-enc", &data.keys) }
            <p class="help">{ "DynamoDB switches the key while the table stays available: it asks KMS for a new table key under the new KMS key (as you, through DynamoDB) and re-encrypts the table key, not every item. With a customer managed key, you control the key policy, and disabling the key makes the table inaccessible." }</p>
        </Dialog>
    }
}

/// `UpdateTable` from the form.
pub(super) fn update_input(table: &str, f: &Fields) -> Value {
    json!({
        "TableName": table,
        "SSESpecification": sse_specification(f, true),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_choices_send_what_the_console_sends() {
        let owned = Fields::with(&[("enc", "owned"), ("key", "alias/x")]);
        assert_eq!(sse_specification(&owned, false), None);
        assert_eq!(
            sse_specification(&owned, true),
            Some(json!({ "Enabled": false }))
        );
        let managed = Fields::with(&[("enc", "managed")]);
        assert_eq!(
            sse_specification(&managed, false),
            Some(json!({ "Enabled": true, "SSEType": "KMS" }))
        );
        let cmk = Fields::with(&[("enc", "cmk"), ("key", "alias/orders")]);
        assert_eq!(
            update_input("t", &cmk),
            json!({ "TableName": "t", "SSESpecification": { "Enabled": true, "SSEType": "KMS", "KMSMasterKeyId": "alias/orders" } })
        );
        assert!(complete(&cmk));
        assert!(!complete(&Fields::with(&[("enc", "cmk")])));
    }
}

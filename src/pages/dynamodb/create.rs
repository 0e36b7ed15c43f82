//! DynamoDB → Create table: name, partition key, optional sort key, capacity mode, and the
//! encryption at rest with the console's three choices.

use serde_json::{Value, json};
use yew::prelude::*;

use super::encryption::{choice, complete, sse_specification};
use super::use_dynamodb;
use crate::components::form::{Fields, select, text, use_form};
use crate::hooks::use_lab;

/// The key attribute types (value, text).
fn attribute_types() -> Vec<(String, String)> {
    [("S", "String"), ("N", "Number"), ("B", "Binary")]
        .iter()
        .map(|(v, t)| ((*v).to_owned(), (*t).to_owned()))
        .collect()
}

/// `CreateTable` from the form.
pub(super) fn create_input(f: &Fields) -> Value {
    let mut attributes =
        vec![json!({ "AttributeName": f.get("pk"), "AttributeType": f.get("pk_type") })];
    let mut schema = vec![json!({ "AttributeName": f.get("pk"), "KeyType": "HASH" })];
    if let Some(sk) = f.opt("sk") {
        attributes.push(json!({ "AttributeName": sk, "AttributeType": f.get("sk_type") }));
        schema.push(json!({ "AttributeName": sk, "KeyType": "RANGE" }));
    }
    let mut v = json!({
        "TableName": f.get("name"),
        "AttributeDefinitions": attributes,
        "KeySchema": schema,
        "BillingMode": f.get("billing"),
    });
    if f.get("billing") == "PROVISIONED" {
        v["ProvisionedThroughput"] = json!({ "ReadCapacityUnits": 5, "WriteCapacityUnits": 5 });
    }
    if let Some(sse) = sse_specification(f, false) {
        v["SSESpecification"] = sse;
    }
    v
}

#[component]
pub(super) fn CreateTable() -> Html {
    let lab = use_lab();
    let data = use_dynamodb();
    let form = use_form(&[
        ("pk", "id"),
        ("pk_type", "S"),
        ("sk_type", "S"),
        ("billing", "PAY_PER_REQUEST"),
        ("enc", "owned"),
    ]);
    let create = {
        let (lab, form) = (lab.clone(), form.clone());
        Callback::from(move |_: MouseEvent| {
            let region = lab.identity().region;
            let name = form.get("name").to_owned();
            lab.call(
                region,
                "dynamodb",
                "CreateTable",
                create_input(&form),
                format!("Created table {name}"),
            );
        })
    };
    let billing = vec![
        ("PAY_PER_REQUEST".to_owned(), "On-demand".to_owned()),
        (
            "PROVISIONED".to_owned(),
            "Provisioned (5 RCU, 5 WCU)".to_owned(),
        ),
    ];
    html! {
        <div class="panel" data-testid="create-table">
            <div class="panel-header"><h2>{ "Create table" }</h2></div>
            <h3 class="sub-heading">{ "Encryption at rest" }</h3>
            <p class="help">{ "Every DynamoDB table is encrypted at rest. You choose who owns and manages the key: AWS (no charge, no KMS calls, nothing in your CloudTrail), AWS in your account (aws/dynamodb: KMS calls logged, a policy you cannot change), or you (a customer managed key: your key policy and grants, and your table stops working if you disable the key)." }</p>
            <div class="form-grid">{ choice(&form, "create-enc", &data.keys) }</div>
            <h3 class="sub-heading">{ "Table details" }</h3>
            <div class="form-grid">
                { text(&form, "name", "Table name", "orders") }
                { text(&form, "pk", "Partition key", "id") }
                { select(&form, "pk_type", "Partition key type", &attribute_types()) }
                { text(&form, "sk", "Sort key (optional)", "") }
                { select(&form, "sk_type", "Sort key type", &attribute_types()) }
                { select(&form, "billing", "Capacity mode", &billing) }
            </div>
            <div class="actions">
                <button class="btn btn-primary" onclick={create} disabled={!complete(&form)} data-testid="create-table-submit">{ "Create table" }</button>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_sends_the_key_schema_and_a_customer_managed_key() {
        let f = Fields::with(&[
            ("name", "orders"),
            ("pk", "id"),
            ("pk_type", "S"),
            ("sk", "at"),
            ("sk_type", "N"),
            ("billing", "PAY_PER_REQUEST"),
            ("enc", "cmk"),
            ("key", "alias/orders"),
        ]);
        let v = create_input(&f);
        assert_eq!(
            v["KeySchema"][1],
            json!({ "AttributeName": "at", "KeyType": "RANGE" })
        );
        assert_eq!(v["SSESpecification"]["KMSMasterKeyId"], "alias/orders");
        assert!(v.get("ProvisionedThroughput").is_none());
        let owned = create_input(&f.with_value("enc", "owned").with_value("sk", ""));
        assert!(
            owned.get("SSESpecification").is_none(),
            "the AWS owned key is the default"
        );
        assert_eq!(owned["KeySchema"].as_array().map(Vec::len), Some(1));
    }

    #[test]
    fn dynamodb_creates_the_table_under_the_chosen_key() {
        let mut world = cloud::World::new(1, 0);
        let ctx = world.context_for_profile(None, None).unwrap();
        let key = world.call(&ctx, "kms", "CreateKey", json!({})).unwrap()["KeyMetadata"]["Arn"]
            .as_str()
            .unwrap()
            .to_owned();
        let f = Fields::with(&[
            ("name", "orders"),
            ("pk", "id"),
            ("pk_type", "S"),
            ("billing", "PAY_PER_REQUEST"),
            ("enc", "cmk"),
            ("key", key.as_str()),
        ]);
        let t = world
            .call(&ctx, "dynamodb", "CreateTable", create_input(&f))
            .unwrap();
        assert_eq!(
            t["TableDescription"]["SSEDescription"]["KMSMasterKeyArn"],
            json!(key)
        );
    }
}

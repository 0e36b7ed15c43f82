//! A table's items, as the console's "Explore items" does it simply: put an item (DynamoDB JSON),
//! get one by its key, scan the table. Each is a real call as the current profile, so with a KMS
//! key DynamoDB decrypts the table key through KMS as you (cached for five minutes), and an
//! inaccessible table refuses with DynamoDB's error.

use std::rc::Rc;

use cloud::dynamodb::model as ddb;
use serde_json::{Value, json};
use yew::prelude::*;

use super::use_dynamodb;
use crate::components::form::{Fields, Form, textarea};
use crate::hooks::use_lab;
use crate::state::CallOutcome;

#[derive(Properties, PartialEq, Debug)]
pub(super) struct ItemsProps {
    pub table: String,
}

/// The summary of a Scan or GetItem of `table` (how the page finds its own answer).
fn read_summary(op: &str, table: &str) -> String {
    match op {
        "Scan" => format!("Scanned table {table}"),
        _ => format!("Read an item of table {table}"),
    }
}

/// An attribute value as text: the scalar of `S`, `N` and `BOOL`, else compact JSON.
pub(super) fn attribute_text(v: &Value) -> String {
    let Some(obj) = v.as_object() else {
        return v.to_string();
    };
    match obj.iter().next() {
        Some((t, Value::String(s))) if t == "S" || t == "N" => s.clone(),
        Some((t, Value::Bool(b))) if t == "BOOL" => b.to_string(),
        _ => v.to_string(),
    }
}

/// Whether `outcome` is a successful Scan or GetItem of `table`.
fn is_read_of(outcome: &CallOutcome, table: &str) -> bool {
    outcome.result.is_ok() && outcome.summary == read_summary(&outcome.operation, table)
}

/// The items of the last Scan or GetItem of this table, as a table (kept until the next read,
/// as the console keeps the last results on screen).
fn results(outcome: Option<&CallOutcome>) -> Html {
    let Some(outcome) = outcome else {
        return html! {};
    };
    let Ok(answer) = &outcome.result else {
        return html! {};
    };
    let items: Vec<ddb::Item> = match outcome.operation.as_str() {
        "Scan" => serde_json::from_value::<ddb::ItemsResponse>(answer.clone())
            .ok()
            .and_then(|r| r.items)
            .unwrap_or_default(),
        "GetItem" => serde_json::from_value::<ddb::GetItemResponse>(answer.clone())
            .ok()
            .and_then(|r| r.item)
            .into_iter()
            .collect(),
        _ => return html! {},
    };
    let mut columns: Vec<String> = Vec::new();
    for item in &items {
        for k in item.keys() {
            if !columns.contains(k) {
                columns.push(k.clone());
            }
        }
    }
    html! {
        <div data-testid="items-result">
            <h3 class="sub-heading">{ format!("Items returned ({})", items.len()) }</h3>
            if items.is_empty() {
                <p class="muted">{ "No items." }</p>
            } else {
                <div class="table-wrap"><table class="table" data-testid="items-table">
                    <thead><tr>{ for columns.iter().map(|c| html! { <th scope="col">{ c.clone() }</th> }) }</tr></thead>
                    <tbody>{ for items.iter().map(|item| html! {
                        <tr>{ for columns.iter().map(|c| html! {
                            <td class="small mono">{ item.get(c).map(attribute_text).unwrap_or_default() }</td>
                        }) }</tr>
                    }) }</tbody>
                </table></div>
            }
        </div>
    }
}

/// Parses a DynamoDB JSON document typed in the form (an object of attribute values).
fn parse_item(text: &str) -> Result<Value, String> {
    match serde_json::from_str::<Value>(text) {
        Ok(v @ Value::Object(_)) => Ok(v),
        Ok(_) => Err("An item is a JSON object: {\"id\": {\"S\": \"order-1\"}}".to_owned()),
        Err(e) => Err(format!("Not valid JSON: {e}")),
    }
}

/// The item and key templates for a table's key schema.
fn templates(desc: Option<&ddb::TableDescription>) -> (String, String) {
    let mut key = serde_json::Map::new();
    for k in desc.map(|d| d.key_schema.as_slice()).unwrap_or_default() {
        let ty = desc
            .and_then(|d| {
                d.attribute_definitions
                    .iter()
                    .find(|a| a.attribute_name == k.attribute_name)
            })
            .map_or("S", |a| a.attribute_type.as_str());
        let sample = if ty == "N" { "1" } else { "example-1" };
        key.insert(k.attribute_name.clone(), json!({ ty: sample }));
    }
    let mut item = key.clone();
    item.insert("note".into(), json!({ "S": "hello from the console" }));
    (
        Value::Object(item).to_string(),
        Value::Object(key).to_string(),
    )
}

#[component]
pub(super) fn Items(props: &ItemsProps) -> Html {
    let lab = use_lab();
    let data = use_dynamodb();
    let desc = data
        .tables
        .as_ref()
        .ok()
        .and_then(|t| t.iter().find(|r| r.desc.table_name == props.table))
        .map(|r| r.desc.clone());
    let form: Form = {
        let (item, key) = templates(desc.as_ref());
        use_state(move || Fields::with(&[("item", item.as_str()), ("key", key.as_str())]))
    };
    let problem = use_state(|| None::<String>);
    let shown = use_state(|| None::<Rc<CallOutcome>>);
    {
        let (shown, table) = (shown.clone(), props.table.clone());
        use_effect_with(lab.last_call.clone(), move |last| {
            if let Some(o) = last.as_ref().filter(|o| is_read_of(o, &table)) {
                shown.set(Some(o.clone()));
            }
        });
    }
    let send = |field: &'static str, op: &'static str| {
        let (lab, form, problem, table) = (
            lab.clone(),
            form.clone(),
            problem.clone(),
            props.table.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let region = lab.identity().region;
            let parsed = if field.is_empty() {
                Ok(Value::Null)
            } else {
                parse_item(form.get(field))
            };
            match parsed {
                Err(e) => problem.set(Some(e)),
                Ok(doc) => {
                    problem.set(None);
                    let (input, summary) = match op {
                        "PutItem" => (
                            json!({ "TableName": table, "Item": doc }),
                            format!("Put an item into table {table}"),
                        ),
                        "GetItem" => (
                            json!({ "TableName": table, "Key": doc }),
                            read_summary(op, &table),
                        ),
                        _ => (json!({ "TableName": table }), read_summary(op, &table)),
                    };
                    lab.call(region, "dynamodb", op, input, summary);
                }
            }
        })
    };
    html! {
        <div class="panel" data-testid="table-items">
            <div class="panel-header"><h2>{ "Explore items" }</h2></div>
            <p class="help">{ "Attribute values in DynamoDB JSON: {\"S\": \"text\"}, {\"N\": \"42\"}. Each button is a real call as you: with a KMS key, DynamoDB asks KMS to decrypt the table key (as you, through DynamoDB) and keeps it for five minutes." }</p>
            <div class="form-grid">
                { textarea(&form, "item", "Item", 3) }
                { textarea(&form, "key", "Key (for Get item)", 2) }
            </div>
            if let Some(p) = &*problem {
                <p class="help field-error" role="alert">{ p.clone() }</p>
            }
            <div class="actions">
                <button class="btn btn-small btn-primary" onclick={send("item", "PutItem")} data-testid="put-item">{ "Create item" }</button>
                <button class="btn btn-small" onclick={send("key", "GetItem")} data-testid="get-item">{ "Get item" }</button>
                <button class="btn btn-small" onclick={send("", "Scan")} data-testid="scan-table">{ "Scan" }</button>
            </div>
            { results(shown.as_deref()) }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_values_read_as_text() {
        assert_eq!(attribute_text(&json!({ "S": "x" })), "x");
        assert_eq!(attribute_text(&json!({ "N": "42" })), "42");
        assert_eq!(attribute_text(&json!({ "BOOL": true })), "true");
        assert_eq!(attribute_text(&json!({ "L": [] })), r#"{"L":[]}"#);
        assert!(parse_item("[1]").is_err());
        assert!(parse_item("{").is_err());
        assert!(parse_item(r#"{"id":{"S":"a"}}"#).is_ok());
    }
}

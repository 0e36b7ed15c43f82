//! Changes the console's default view makes to a key policy, as PutKeyPolicy documents: add or
//! remove a key administrator or key user in the console's statements (by Sid), and "Allow key
//! administrators to delete this key". Only the console's statements are changed; everything
//! else in the document is kept, in its order.

use serde_json::{Value, json};

pub const ADMINS_SID: &str = "Allow access for Key Administrators";
pub const USERS_SIDS: [&str; 2] = [
    "Allow use of the key",
    "Allow attachment of persistent resources",
];
const DELETE_ACTIONS: [&str; 2] = ["kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion"];

fn statements(doc: &mut Value) -> Option<&mut Vec<Value>> {
    doc.get_mut("Statement")?.as_array_mut()
}

/// Whether the document has a statement with one of these Sids.
pub fn has_statement(policy: &str, sids: &[&str]) -> bool {
    serde_json::from_str::<Value>(policy)
        .ok()
        .is_some_and(|doc| {
            doc.get("Statement")
                .and_then(Value::as_array)
                .is_some_and(|list| {
                    list.iter()
                        .any(|s| s["Sid"].as_str().is_some_and(|sid| sids.contains(&sid)))
                })
        })
}

/// The policy with `arn` added to (or removed from) the `Principal.AWS` of the statements with
/// these Sids; a statement left with no principal is removed. None when nothing would change.
pub fn edit_principal(policy: &str, sids: &[&str], arn: &str, add: bool) -> Option<String> {
    let mut doc: Value = serde_json::from_str(policy).ok()?;
    let list = statements(&mut doc)?;
    let mut changed = false;
    for st in list.iter_mut() {
        if !st["Sid"].as_str().is_some_and(|sid| sids.contains(&sid)) {
            continue;
        }
        let current: Vec<Value> = match &st["Principal"]["AWS"] {
            Value::String(s) => vec![json!(s)],
            Value::Array(a) => a.clone(),
            _ => continue,
        };
        let has = current.iter().any(|p| p.as_str() == Some(arn));
        let next: Vec<Value> = match (add, has) {
            (true, false) => current.into_iter().chain([json!(arn)]).collect(),
            (false, true) => current
                .into_iter()
                .filter(|p| p.as_str() != Some(arn))
                .collect(),
            _ => continue,
        };
        st["Principal"]["AWS"] = Value::Array(next);
        changed = true;
    }
    if !changed {
        return None;
    }
    list.retain(|st| {
        st["Principal"]["AWS"]
            .as_array()
            .is_none_or(|a| !a.is_empty())
    });
    serde_json::to_string_pretty(&doc).ok()
}

/// The policy with the administrators statement allowing (or not) ScheduleKeyDeletion and
/// CancelKeyDeletion. None when there is no such statement or nothing would change.
pub fn set_admins_can_delete(policy: &str, allow: bool) -> Option<String> {
    let mut doc: Value = serde_json::from_str(policy).ok()?;
    let st = statements(&mut doc)?
        .iter_mut()
        .find(|s| s["Sid"].as_str() == Some(ADMINS_SID))?;
    let mut actions: Vec<Value> = match &st["Action"] {
        Value::String(s) => vec![json!(s)],
        Value::Array(a) => a.clone(),
        _ => return None,
    };
    let before = actions.len();
    if allow {
        for a in DELETE_ACTIONS {
            if !actions.iter().any(|x| x.as_str() == Some(a)) {
                actions.push(json!(a));
            }
        }
    } else {
        actions.retain(|x| !x.as_str().is_some_and(|a| DELETE_ACTIONS.contains(&a)));
    }
    if actions.len() == before {
        return None;
    }
    st["Action"] = Value::Array(actions);
    serde_json::to_string_pretty(&doc).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONSOLE: &str = r#"{"Id":"key-consolepolicy-3","Version":"2012-10-17","Statement":[
        {"Sid":"Enable IAM User Permissions","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},
        {"Sid":"Allow access for Key Administrators","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:role/SecurityAdmin"},"Action":["kms:Create*","kms:ScheduleKeyDeletion","kms:CancelKeyDeletion"],"Resource":"*"},
        {"Sid":"Allow use of the key","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:role/AppRole"]},"Action":["kms:Decrypt"],"Resource":"*"},
        {"Sid":"Allow attachment of persistent resources","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:role/AppRole"]},"Action":["kms:CreateGrant"],"Resource":"*","Condition":{"Bool":{"kms:GrantIsForAWSResource":"true"}}}]}"#;

    fn doc(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn users_are_added_to_both_user_statements_and_removed_from_both() {
        let admin = "arn:aws:iam::111122223333:user/Admin";
        let added = edit_principal(CONSOLE, &USERS_SIDS, admin, true).unwrap();
        let d = doc(&added);
        assert_eq!(d["Statement"][2]["Principal"]["AWS"][1], admin);
        assert_eq!(d["Statement"][3]["Principal"]["AWS"][1], admin);
        assert_eq!(
            d["Statement"][1]["Principal"]["AWS"], "arn:aws:iam::111122223333:role/SecurityAdmin",
            "admins unchanged"
        );
        assert!(
            added.find("\"Id\"").unwrap() < added.find("\"Statement\"").unwrap(),
            "member order kept"
        );
        assert_eq!(
            edit_principal(&added, &USERS_SIDS, admin, true),
            None,
            "already there"
        );
        // Removing the last user removes both user statements.
        let removed = edit_principal(
            CONSOLE,
            &USERS_SIDS,
            "arn:aws:iam::111122223333:role/AppRole",
            false,
        )
        .unwrap();
        assert_eq!(doc(&removed)["Statement"].as_array().unwrap().len(), 2);
        // A string principal becomes a list with the new administrator.
        let two = edit_principal(CONSOLE, &[ADMINS_SID], admin, true).unwrap();
        assert_eq!(
            doc(&two)["Statement"][1]["Principal"]["AWS"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
        assert_eq!(edit_principal("{", &[ADMINS_SID], admin, true), None);
        assert!(has_statement(CONSOLE, &[ADMINS_SID]));
        assert!(!has_statement(r#"{"Statement":[]}"#, &[ADMINS_SID]));
    }

    #[test]
    fn deletion_is_the_two_deletion_actions_of_the_administrators() {
        let off = set_admins_can_delete(CONSOLE, false).unwrap();
        assert_eq!(doc(&off)["Statement"][1]["Action"], json!(["kms:Create*"]));
        assert_eq!(set_admins_can_delete(&off, false), None);
        let on = set_admins_can_delete(&off, true).unwrap();
        assert_eq!(
            doc(&on)["Statement"][1]["Action"],
            json!([
                "kms:Create*",
                "kms:ScheduleKeyDeletion",
                "kms:CancelKeyDeletion"
            ])
        );
        assert_eq!(set_admins_can_delete(r#"{"Statement":[]}"#, true), None);
        // The result is still a key policy KMS accepts.
        policy::PolicyDocument::parse(&off, policy::PolicyKind::Resource, policy::Limits::none())
            .unwrap();
    }
}

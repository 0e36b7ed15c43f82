//! Customer managed policies: creation, versions (at most five, one default), attachment to a
//! role whose sessions are then authorized with the default version, and IAM's refusals.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use cloud::{AwsError, CallContext, World};
use common::Lab;
use serde_json::{Value, json};

fn iam(w: &mut World, c: &CallContext, op: &str, input: Value) -> Result<Value, AwsError> {
    w.call(c, "iam", op, input)
}

fn ok(w: &mut World, c: &CallContext, op: &str, input: Value) -> Value {
    iam(w, c, op, input.clone()).unwrap_or_else(|e| panic!("{op} {input}: {e}"))
}

fn doc(actions: &[&str]) -> String {
    json!({ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": actions, "Resource": "*" }] })
        .to_string()
}

/// Whether the `app` profile (an AppRole session) may call `kms:ListKeys`.
fn app_lists_keys(w: &mut World) -> bool {
    let app = w.context_for_profile(Some("app"), None).unwrap();
    match w.call(&app, "kms", "ListKeys", json!({})) {
        Ok(_) => true,
        Err(e) => {
            assert_eq!(e.code, "AccessDeniedException", "{e}");
            false
        }
    }
}

#[test]
fn an_attached_policy_authorizes_with_its_default_version() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    assert!(
        !app_lists_keys(w),
        "AppRole's own policy has no kms:ListKeys"
    );
    let created = ok(
        w,
        &admin,
        "CreatePolicy",
        json!({ "PolicyName": "KeyLister", "PolicyDocument": doc(&["kms:ListKeys"]), "Description": "lists keys" }),
    );
    let p = &created["Policy"];
    let arn = p["Arn"].as_str().unwrap().to_owned();
    assert_eq!(arn, "arn:aws:iam::111122223333:policy/KeyLister");
    assert_eq!(p["DefaultVersionId"], "v1");
    assert_eq!(p["AttachmentCount"], 0);
    assert!(p["PolicyId"].as_str().unwrap().starts_with("ANPA"));
    assert!(
        p.get("Description").is_none(),
        "CreatePolicy does not answer the description"
    );
    let got = ok(w, &admin, "GetPolicy", json!({ "PolicyArn": arn }));
    assert_eq!(got["Policy"]["Description"], "lists keys");

    ok(
        w,
        &admin,
        "AttachRolePolicy",
        json!({ "RoleName": "AppRole", "PolicyArn": arn }),
    );
    assert!(app_lists_keys(w), "the attached policy allows it");
    let listed = ok(w, &admin, "ListPolicies", json!({ "Scope": "Local" }));
    assert_eq!(listed["Policies"][0]["AttachmentCount"], 1);
    let attached = ok(
        w,
        &admin,
        "ListAttachedRolePolicies",
        json!({ "RoleName": "AppRole" }),
    );
    assert!(attached.to_string().contains("KeyLister"));

    // A new default version without the action: refused again; the old default back: allowed.
    let v2 = ok(
        w,
        &admin,
        "CreatePolicyVersion",
        json!({ "PolicyArn": arn, "PolicyDocument": doc(&["kms:DescribeKey"]), "SetAsDefault": true }),
    );
    assert_eq!(v2["PolicyVersion"]["VersionId"], "v2");
    assert_eq!(v2["PolicyVersion"]["IsDefaultVersion"], true);
    assert!(!app_lists_keys(w));
    ok(
        w,
        &admin,
        "SetDefaultPolicyVersion",
        json!({ "PolicyArn": arn, "VersionId": "v1" }),
    );
    assert!(app_lists_keys(w));
    let v = ok(
        w,
        &admin,
        "GetPolicyVersion",
        json!({ "PolicyArn": arn, "VersionId": "v2" }),
    );
    assert_eq!(
        v["PolicyVersion"]["Document"]["Statement"][0]["Action"][0],
        "kms:DescribeKey"
    );
    assert_eq!(v["PolicyVersion"]["IsDefaultVersion"], false);
    let versions = ok(w, &admin, "ListPolicyVersions", json!({ "PolicyArn": arn }));
    let ids: Vec<&str> = versions["Versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["VersionId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["v2", "v1"], "newest first");

    // Detached: refused.
    ok(
        w,
        &admin,
        "DetachRolePolicy",
        json!({ "RoleName": "AppRole", "PolicyArn": arn }),
    );
    assert!(!app_lists_keys(w));
}

#[test]
fn versions_deletion_and_names_follow_iam_s_rules() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    let arn = ok(
        w,
        &admin,
        "CreatePolicy",
        json!({ "PolicyName": "P", "PolicyDocument": doc(&["kms:ListKeys"]) }),
    )["Policy"]["Arn"]
        .as_str()
        .unwrap()
        .to_owned();
    let e = iam(
        w,
        &admin,
        "CreatePolicy",
        json!({ "PolicyName": "P", "PolicyDocument": doc(&["kms:ListKeys"]) }),
    )
    .unwrap_err();
    assert_eq!(e.code, "EntityAlreadyExists");
    assert_eq!(
        e.message,
        "A policy called P already exists. Duplicate names are not allowed."
    );
    for _ in 0..4 {
        ok(
            w,
            &admin,
            "CreatePolicyVersion",
            json!({ "PolicyArn": arn, "PolicyDocument": doc(&["kms:ListAliases"]) }),
        );
    }
    let e = iam(
        w,
        &admin,
        "CreatePolicyVersion",
        json!({ "PolicyArn": arn, "PolicyDocument": doc(&["kms:ListAliases"]) }),
    )
    .unwrap_err();
    assert_eq!(e.code, "LimitExceeded");
    assert_eq!(
        e.message,
        "A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version."
    );
    let e = iam(
        w,
        &admin,
        "DeletePolicyVersion",
        json!({ "PolicyArn": arn, "VersionId": "v1" }),
    )
    .unwrap_err();
    assert_eq!(e.code, "DeleteConflict");
    assert_eq!(e.message, "Cannot delete the default version of a policy.");
    let e = iam(w, &admin, "DeletePolicy", json!({ "PolicyArn": arn })).unwrap_err();
    assert_eq!(e.code, "DeleteConflict");
    assert!(
        e.message
            .starts_with("This policy has more than one version.")
    );
    for v in ["v2", "v3", "v4", "v5"] {
        ok(
            w,
            &admin,
            "DeletePolicyVersion",
            json!({ "PolicyArn": arn, "VersionId": v }),
        );
    }
    // Version ids are never reused.
    let v = ok(
        w,
        &admin,
        "CreatePolicyVersion",
        json!({ "PolicyArn": arn, "PolicyDocument": doc(&["kms:ListAliases"]) }),
    );
    assert_eq!(v["PolicyVersion"]["VersionId"], "v6");
    ok(
        w,
        &admin,
        "DeletePolicyVersion",
        json!({ "PolicyArn": arn, "VersionId": "v6" }),
    );
    let e = iam(
        w,
        &admin,
        "GetPolicyVersion",
        json!({ "PolicyArn": arn, "VersionId": "v6" }),
    )
    .unwrap_err();
    assert_eq!(e.code, "NoSuchEntity");
    assert_eq!(
        e.message,
        format!("Policy {arn} version v6 does not exist or is not attachable.")
    );
    ok(
        w,
        &admin,
        "AttachUserPolicy",
        json!({ "UserName": "Admin", "PolicyArn": arn }),
    );
    let e = iam(w, &admin, "DeletePolicy", json!({ "PolicyArn": arn })).unwrap_err();
    assert_eq!(e.message, "Cannot delete a policy attached to entities.");
    ok(
        w,
        &admin,
        "DetachUserPolicy",
        json!({ "UserName": "Admin", "PolicyArn": arn }),
    );
    ok(w, &admin, "DeletePolicy", json!({ "PolicyArn": arn }));
    let e = iam(w, &admin, "GetPolicy", json!({ "PolicyArn": arn })).unwrap_err();
    assert_eq!(e.code, "NoSuchEntity");
    assert_eq!(e.message, format!("Policy {arn} was not found."));
    let e = iam(
        w,
        &admin,
        "AttachRolePolicy",
        json!({ "RoleName": "AppRole", "PolicyArn": arn }),
    )
    .unwrap_err();
    assert_eq!(
        e.message,
        format!("Policy {arn} does not exist or is not attachable.")
    );
}

#[test]
fn list_policies_scopes_and_aws_managed_versions() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    ok(
        w,
        &admin,
        "CreatePolicy",
        json!({ "PolicyName": "Mine", "Path": "/team/", "PolicyDocument": doc(&["kms:ListKeys"]) }),
    );
    let names = |v: &Value| -> Vec<String> {
        v["Policies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["PolicyName"].as_str().unwrap().to_owned())
            .collect()
    };
    let local = ok(w, &admin, "ListPolicies", json!({ "Scope": "Local" }));
    assert_eq!(names(&local), ["Mine"]);
    assert_eq!(
        local["Policies"][0]["Arn"],
        "arn:aws:iam::111122223333:policy/team/Mine"
    );
    let aws = ok(w, &admin, "ListPolicies", json!({ "Scope": "AWS" }));
    assert!(names(&aws).contains(&"AdministratorAccess".to_owned()));
    assert!(!names(&aws).contains(&"Mine".to_owned()));
    let attached = ok(w, &admin, "ListPolicies", json!({ "OnlyAttached": true }));
    assert_eq!(
        names(&attached),
        ["AdministratorAccess"],
        "Admin and PartnerAdmin's"
    );
    let v = ok(
        w,
        &admin,
        "GetPolicyVersion",
        json!({ "PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess", "VersionId": "v1" }),
    );
    assert_eq!(
        v["PolicyVersion"]["Document"]["Statement"][0]["Action"],
        "*"
    );
    // The policy survives a save and a load, and still authorizes.
    let saved = serde_json::to_string(&lab.w).unwrap();
    let mut back: World = serde_json::from_str(&saved).unwrap();
    let again = ok(
        &mut back,
        &admin,
        "ListPolicies",
        json!({ "Scope": "Local" }),
    );
    assert_eq!(names(&again), ["Mine"]);
}

/// Another account's policy is out of reach (IAM resources have no resource-based policy);
/// names are unique without regard to case; paths and scopes are validated; AWS managed
/// policies list their version.
#[test]
fn other_accounts_names_paths_and_aws_managed_versions() {
    let mut lab = Lab::new();
    let admin = lab.admin.clone();
    let w = &mut lab.w;
    let partner = w.context_for_profile(Some("partner-admin"), None).unwrap();
    let theirs = ok(
        w,
        &partner,
        "CreatePolicy",
        json!({ "PolicyName": "Theirs", "PolicyDocument": doc(&["kms:ListKeys"]) }),
    )["Policy"]["Arn"]
        .as_str()
        .unwrap()
        .to_owned();
    let e = iam(w, &admin, "GetPolicy", json!({ "PolicyArn": theirs })).unwrap_err();
    assert_eq!(e.code, "AccessDenied");
    assert!(
        e.message
            .ends_with("because no resource-based policy allows the iam:GetPolicy action"),
        "{}",
        e.message
    );
    assert!(iam(w, &admin, "DeletePolicy", json!({ "PolicyArn": theirs })).is_err());
    assert!(iam(w, &partner, "GetPolicy", json!({ "PolicyArn": theirs })).is_ok());

    ok(
        w,
        &admin,
        "CreatePolicy",
        json!({ "PolicyName": "MyPolicy", "PolicyDocument": doc(&["kms:ListKeys"]) }),
    );
    let e = iam(
        w,
        &admin,
        "CreatePolicy",
        json!({ "PolicyName": "mypolicy", "PolicyDocument": doc(&["kms:ListKeys"]) }),
    )
    .unwrap_err();
    assert_eq!(e.code, "EntityAlreadyExists");
    for path in ["//", "/a b/", "/a*b/", "/team"] {
        let e = iam(
            w,
            &admin,
            "CreatePolicy",
            json!({ "PolicyName": "Pathy", "Path": path, "PolicyDocument": doc(&["kms:ListKeys"]) }),
        )
        .unwrap_err();
        assert_eq!(e.code, "ValidationError", "{path}: {e}");
    }
    let e = iam(w, &admin, "ListPolicies", json!({ "Scope": "local" })).unwrap_err();
    assert_eq!(e.code, "ValidationError");
    let v = ok(
        w,
        &admin,
        "ListPolicyVersions",
        json!({ "PolicyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess" }),
    );
    assert_eq!(v["Versions"][0]["VersionId"], "v1");
    assert_eq!(v["Versions"][0]["IsDefaultVersion"], true);
}

//! `secrets-least-privilege`: an app allowed to read its secret and SecureString parameter but
//! refused by KMS, fixed with `kms:ViaService` and encryption-context conditions.

use cloud::secretsmanager::model::{
    CreateSecretRequest, DescribeSecretRequest, GetSecretValueRequest,
};
use cloud::ssm::model::{GetParameterRequest, PutParameterRequest};
use serde_json::json;

use super::Checks;
use crate::scenario::{Probe, Seen, Verdict};

const API_KEY: &str = "ak_live_7Qm2vX9pL4sT8wR1";
const DB_URL: &str = "postgres://app@orders.cluster-c1.us-east-1.rds.amazonaws.com:5432/orders";
const PARAMETER: &str = "/prod/app/db-url";
/// What AppRole may ask the two services for (and nothing of KMS).
const READ_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"ReadItsSecret","Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/app/api-key-*"},{"Sid":"ReadItsParameter","Effect":"Allow","Action":"ssm:GetParameter","Resource":"arn:aws:ssm:us-east-1:111122223333:parameter/prod/app/db-url"}]}"#;

pub(super) const CHECKS: Checks = Checks {
    id: "secrets-least-privilege",
    objectives: &[
        ("secret", secret),
        ("parameter", parameter),
        ("no-direct-use", no_direct_use),
        ("only-these-two", only_these_two),
    ],
    wrong_turns: &[("direct-use", direct_use), ("key-moved", key_moved)],
    values: |_| {
        vec![
            ("API_KEY", API_KEY.to_owned()),
            ("DB_URL", DB_URL.to_owned()),
            ("READ_POLICY", READ_POLICY.to_owned()),
        ]
    },
    ..Checks::BASE
};

fn read_secret(p: &mut Probe, profile: &str, id: &str) -> Result<String, String> {
    p.typed(profile, |c| {
        c.secretsmanager().get_secret_value(GetSecretValueRequest {
            secret_id: Some(id.to_owned()),
            ..Default::default()
        })
    })
    .map(|v| v.secret_string.unwrap_or_default())
    .map_err(|e| format!("{}: {}", e.code, e.message))
}

fn read_parameter(p: &mut Probe, profile: &str, name: &str) -> Result<String, String> {
    p.typed(profile, |c| {
        c.ssm().get_parameter(GetParameterRequest {
            name: Some(name.to_owned()),
            with_decryption: Some(true),
        })
    })
    .map(|v| v.parameter.value)
    .map_err(|e| format!("{}: {}", e.code, e.message))
}

fn secret(p: &mut Probe) -> Verdict {
    match read_secret(p, "app", "prod/app/api-key") {
        Ok(v) if v == API_KEY => Verdict::pass("app reads the API key through Secrets Manager."),
        Ok(_) => Verdict::fail("app reads prod/app/api-key, but it no longer holds the API key."),
        Err(e) => Verdict::fail(format!("app cannot read prod/app/api-key: {e}")),
    }
}

fn parameter(p: &mut Probe) -> Verdict {
    match read_parameter(p, "app", PARAMETER) {
        Ok(v) if v == DB_URL => Verdict::pass("app reads the database URL, decrypted."),
        Ok(_) => Verdict::fail("app reads /prod/app/db-url, but not the original URL."),
        Err(e) => Verdict::fail(format!("app cannot read /prod/app/db-url decrypted: {e}")),
    }
}

/// Whether app decrypts, directly, data the admin encrypts under the key.
fn decrypts_directly(p: &mut Probe) -> bool {
    let key = p.var("KEY_ARN");
    let Ok(blob) = p.kms("admin").encrypt(&key, b"payroll export") else {
        return false;
    };
    p.kms("app").decrypt(&blob, None).is_ok()
}

fn no_direct_use(p: &mut Probe) -> Verdict {
    secret(p).and(|| parameter(p)).and(|| {
        if decrypts_directly(p) {
            Verdict::fail("app can call kms:Decrypt on alias/app-config directly.")
        } else {
            Verdict::pass("A direct kms:Decrypt by app is denied.")
        }
    })
}

/// In the clone: another secret and another SecureString under the same key, which AppRole may
/// ask the services for.
fn only_these_two(p: &mut Probe) -> Verdict {
    no_direct_use(p).and(|| {
        let made = p
            .typed("admin", |c| {
                c.secretsmanager().create_secret(CreateSecretRequest {
                    name: Some("prod/other/token".into()),
                    kms_key_id: Some("alias/app-config".into()),
                    secret_string: Some("other-team-token".into()),
                    ..Default::default()
                })
            })
            .and_then(|_| {
                p.typed("admin", |c| {
                    c.ssm().put_parameter(PutParameterRequest {
                        name: Some("/prod/other/flag".into()),
                        r#type: Some("SecureString".into()),
                        key_id: Some("alias/app-config".into()),
                        value: Some("other-team-flag".into()),
                        ..Default::default()
                    })
                })
            })
            .and_then(|_| {
                let doc = json!({ "Version": "2012-10-17", "Statement": [
                    { "Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*" },
                    { "Effect": "Allow", "Action": "ssm:GetParameter", "Resource": "*" } ] });
                p.call("admin", "iam", "PutRolePolicy", json!({
                    "RoleName": "AppRole", "PolicyName": "ProbeReadEverything",
                    "PolicyDocument": doc.to_string() }))
            });
        if let Err(e) = made {
            return Verdict::fail(format!("The check could not set up its probe: {}", e.message));
        }
        match (
            read_secret(p, "app", "prod/other/token"),
            read_parameter(p, "app", "/prod/other/flag"),
        ) {
            (Err(_), Err(_)) => Verdict::pass(
                "Another secret and another parameter under alias/app-config stay unreadable to app.",
            ),
            (Ok(_), _) => Verdict::fail(
                "app could read another secret under the key: bind the permission with kms:EncryptionContext:SecretARN.",
            ),
            (_, Ok(_)) => Verdict::fail(
                "app could read another SecureString under the key: bind the permission with kms:EncryptionContext:PARAMETER_ARN.",
            ),
        }
    })
}

fn direct_use(p: &mut Probe) -> Option<Seen> {
    decrypts_directly(p).then(Seen::it)
}

fn key_moved(p: &mut Probe) -> Option<Seen> {
    let key = p.var("KEY_ARN");
    let secret_key = p
        .typed("admin", |c| {
            c.secretsmanager().describe_secret(DescribeSecretRequest {
                secret_id: Some("prod/app/api-key".into()),
            })
        })
        .ok()?
        .kms_key_id;
    let on_key = |k: &Option<String>| {
        k.as_deref()
            .is_some_and(|k| k == key || k == "alias/app-config" || key.ends_with(k))
    };
    (!on_key(&secret_key)).then(Seen::it)
}

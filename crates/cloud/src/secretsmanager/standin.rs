//! The lab's rotation functions: stand-ins for the Lambda rotation functions AWS's templates
//! deploy (<https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_available-rotation-templates.html>).
//! The lab has no Lambda; these are built in, named by ARN like any function
//! (`arn:aws:lambda:REGION:ACCOUNT:function:NAME`, in the secret's account and Region), and
//! clearly labelled as the lab's (`lab rotation-functions` lists them).
//!
//! Each runs the four steps of a rotation function
//! (<https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda-functions.html>)
//! as its execution role, `KmsLabRotationFunctionRole` (created in the account on first use,
//! with the Secrets Manager permissions AWS's templates give their role). Its calls go through
//! the world's audited seam like anyone's, so key policies, grants and key state apply: the role
//! gets no KMS permission of its own, so a secret under a customer managed key rotates only once
//! the key's policy (or an IAM policy the key policy allows) lets the role use the key, as in AWS.

use super::model::{
    DescribeSecretRequest, GetRandomPasswordRequest, GetSecretValueRequest, PutSecretValueRequest,
    UpdateSecretVersionStageRequest,
};
use super::{AWSCURRENT, AWSPENDING};
use crate::World;
use crate::context::CallContext;
use crate::lenient::StringList;

/// One of the lab's rotation functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standin {
    /// The function's name.
    pub name: &'static str,
    /// The AWS template it stands in for.
    pub stands_in_for: &'static str,
    /// What it does, in a sentence.
    pub summary: &'static str,
    /// Whether it changes an RDS database's password (else only the secret changes).
    rds: bool,
}

/// The lab's rotation functions.
pub const STANDINS: &[Standin] = &[
    Standin {
        name: "KmsLabRotation-RDSSingleUser",
        stands_in_for: "SecretsManagerRDSMySQLRotationSingleUser / SecretsManagerRDSPostgreSQLRotationSingleUser",
        summary: "RDS database credentials, single user: a new password for the secret's user, set in the database (the secret's JSON names it: username, password, and dbInstanceIdentifier or host), tested by logging in, then made AWSCURRENT.",
        rds: true,
    },
    Standin {
        name: "KmsLabRotation-GenericPassword",
        stands_in_for: "a custom rotation function (SecretsManagerRotationTemplate)",
        summary: "Any secret: a new random password in the JSON's password field (or as the whole string), made AWSCURRENT. Changes nothing outside Secrets Manager.",
        rds: false,
    },
];

/// The execution role the lab's rotation functions run as.
pub const ROLE_NAME: &str = "KmsLabRotationFunctionRole";

/// The role's policy: what AWS's rotation templates give their function (no KMS permission: a
/// customer managed key must allow the role).
const ROLE_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"SecretsManagerRotation","Effect":"Allow","Action":["secretsmanager:DescribeSecret","secretsmanager:GetSecretValue","secretsmanager:PutSecretValue","secretsmanager:UpdateSecretVersionStage"],"Resource":"*"},{"Sid":"RandomPassword","Effect":"Allow","Action":"secretsmanager:GetRandomPassword","Resource":"*"}]}"#;

/// The ARN of stand-in `name` in `region` and `account`.
pub fn function_arn(region: &str, account: &str, name: &str) -> String {
    format!("arn:aws:lambda:{region}:{account}:function:{name}")
}

/// The stand-in a rotation function ARN names, when it is one of the lab's in the secret's
/// account and Region.
pub(crate) fn find(arn: &str, region: &str, account: &str) -> Option<&'static Standin> {
    STANDINS
        .iter()
        .find(|s| function_arn(region, account, s.name) == arn)
}

/// Deploys the execution role in `account` if it is missing (as deploying AWS's template
/// creates the function's role): when rotation is configured, and before each run.
pub(crate) fn ensure_role(world: &mut World, account: &str) {
    let now = world.now_ms();
    let role = crate::iam::ServiceRole {
        name: ROLE_NAME,
        service: "lambda.amazonaws.com",
        description: "KMS Lab: the execution role of the lab's stand-in rotation functions",
        inline: &[("SecretsManagerRotation", ROLE_POLICY)],
    };
    world
        .iam
        .ensure_service_role(&mut world.rng, account, &role, now);
}

/// The call context of `standin`'s execution role in `account`.
pub(crate) fn execution_context(
    world: &mut World,
    standin: &Standin,
    account: &str,
    region: &str,
) -> CallContext {
    ensure_role(world, account);
    let now = world.now_ms();
    world
        .iam
        .role_session_context(&mut world.rng, account, ROLE_NAME, standin.name, region, now)
        .unwrap_or_else(|| CallContext::root(account, region))
}

/// What the function needs from a database secret's JSON.
struct DbCredentials {
    instance: String,
    username: String,
    password: String,
}

fn db_credentials(value: &str) -> Option<DbCredentials> {
    let v: serde_json::Value = serde_json::from_str(value).ok()?;
    let field = |k: &str| v.get(k).and_then(serde_json::Value::as_str).map(str::to_owned);
    let instance = field("dbInstanceIdentifier")
        .or_else(|| field("host").and_then(|h| h.split('.').next().map(str::to_owned)))?;
    Some(DbCredentials {
        instance,
        username: field("username")?,
        password: field("password")?,
    })
}

/// `value` with `password` as its new password (the JSON's field, or the whole string).
fn with_password(value: &str, password: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(value) {
        Ok(serde_json::Value::Object(mut m)) => {
            m.insert("password".into(), password.into());
            serde_json::Value::Object(m).to_string()
        }
        _ => password.to_owned(),
    }
}

/// Runs the four steps for `secret` with `token` as the new version's id, as `ctx`. An error is
/// the function's failure (the rotation stops; `AWSPENDING` stays where it is).
pub(crate) fn run(
    world: &mut World,
    ctx: &CallContext,
    standin: &Standin,
    secret: &str,
    token: &str,
) -> Result<(), String> {
    let mut sm = world.client(ctx).secretsmanager();
    let fail = |step: &str, e: &dyn std::fmt::Display| format!("{step}: {e}");
    let id = || Some(secret.to_owned());
    // The handler first checks the secret and the token.
    let described = sm
        .describe_secret(DescribeSecretRequest { secret_id: id() })
        .map_err(|e| fail("describe", &e))?;
    let stages = described.version_ids_to_stages.unwrap_or_default();
    if stages
        .get(token)
        .is_some_and(|s| s.iter().any(|x| x == AWSCURRENT))
    {
        return Ok(());
    }
    // createSecret: the current value, and a pending version with a new password (unless a
    // reattempt finds it already there).
    let current = sm
        .get_secret_value(GetSecretValueRequest {
            secret_id: id(),
            version_stage: Some(AWSCURRENT.into()),
            ..Default::default()
        })
        .map_err(|e| fail("createSecret", &e))?;
    let current_value = current.secret_string.clone().unwrap_or_default();
    let pending_value = match sm.get_secret_value(GetSecretValueRequest {
        secret_id: id(),
        version_id: Some(token.to_owned()),
        version_stage: Some(AWSPENDING.into()),
    }) {
        Ok(v) => v.secret_string.unwrap_or_default(),
        Err(_) => {
            let password = sm
                .get_random_password(GetRandomPasswordRequest {
                    exclude_characters: Some("/@\"'\\".into()),
                    ..Default::default()
                })
                .map_err(|e| fail("createSecret", &e))?
                .random_password;
            let value = with_password(&current_value, &password);
            sm.put_secret_value(PutSecretValueRequest {
                secret_id: id(),
                client_request_token: Some(token.to_owned()),
                secret_string: Some(value.clone()),
                version_stages: Some(StringList(vec![AWSPENDING.into()])),
                ..Default::default()
            })
            .map_err(|e| fail("createSecret", &e))?;
            value
        }
    };
    if standin.rds {
        // setSecret: log in with the pending or the current password, then set the new one.
        let pending = db_credentials(&pending_value)
            .ok_or("setSecret: the secret's JSON has no username, password and dbInstanceIdentifier or host")?;
        let current = db_credentials(&current_value);
        let account = ctx.account.clone();
        let region = ctx.region.clone();
        let logs_in = |w: &World, c: &DbCredentials| {
            crate::rds::login(w, &account, &region, &c.instance, &c.username, &c.password).is_ok()
        };
        if !logs_in(world, &pending) {
            if !current.as_ref().is_some_and(|c| logs_in(world, c)) {
                return Err(
                    "setSecret: Unable to log into database with previous, current, or pending secret".into(),
                );
            }
            crate::rds::set_password(world, &account, &region, &pending.instance, &pending.password);
        }
        // testSecret: the new password logs in.
        if !logs_in(world, &pending) {
            return Err("testSecret: Unable to log into database with pending secret".into());
        }
    }
    // finishSecret: AWSCURRENT moves to the new version (the old one becomes AWSPREVIOUS).
    let mut sm = world.client(ctx).secretsmanager();
    let holder = stages
        .iter()
        .find(|(_, s)| s.iter().any(|x| x == AWSCURRENT))
        .map(|(v, _)| v.clone());
    sm.update_secret_version_stage(UpdateSecretVersionStageRequest {
        secret_id: id(),
        version_stage: Some(AWSCURRENT.into()),
        move_to_version_id: Some(token.to_owned()),
        remove_from_version_id: holder,
    })
    .map_err(|e| fail("finishSecret", &e))?;
    Ok(())
}

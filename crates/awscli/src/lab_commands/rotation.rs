//! `lab rotation-functions` (the lab's stand-in Lambda rotation functions, by ARN) and
//! `lab db-connect` (log in to an RDS instance as a database client would: what shows that a
//! rotation really changed the password).

use cloud::rds::LoginError;
use cloud::secretsmanager::model::GetSecretValueRequest;
use cloud::secretsmanager::standin::{ROLE_NAME, STANDINS, function_arn};

use super::{Opts, usage};
use crate::error::CliError;
use crate::session::{Out, Session};

fn context(s: &mut Session, o: &Opts) -> Result<cloud::CallContext, CliError> {
    s.world
        .context_for_profile(o.get("profile"), o.get("region"))
        .map_err(|e| CliError::Config(format!("\n{}\n", e.message)))
}

/// `lab rotation-functions [--profile P] [--region R]`.
pub(super) fn rotation_functions(s: &mut Session, rest: &[&str]) -> Result<Out, CliError> {
    let o = Opts::parse(rest, &["profile", "region"])?;
    let ctx = context(s, &o)?;
    let mut t = String::from(
        "The lab's rotation functions (stand-ins for AWS Lambda rotation functions: the lab has no\nLambda). Give one to `aws secretsmanager rotate-secret --rotation-lambda-arn ARN`.\n",
    );
    for f in STANDINS {
        t.push_str(&format!(
            "\n  {}\n    stands in for: {}\n    {}\n",
            function_arn(&ctx.region, &ctx.account, f.name),
            f.stands_in_for,
            f.summary
        ));
    }
    t.push_str(&format!(
        "\nThey run as the IAM role {ROLE_NAME} (created on first use), which may call Secrets\nManager but has no KMS permission of its own: a secret under a customer managed key rotates\nonly once the key policy, or an IAM policy the key policy allows, lets that role use the key.\n"
    ));
    Ok(Out::text(t))
}

/// `lab db-connect --db-instance-identifier ID (--secret-id S | --username U --password P)`.
pub(super) fn db_connect(s: &mut Session, rest: &[&str]) -> Result<Out, CliError> {
    let o = Opts::parse(
        rest,
        &[
            "db-instance-identifier",
            "secret-id",
            "username",
            "password",
            "profile",
            "region",
        ],
    )?;
    let ctx = context(s, &o)?;
    let (instance, username, password) = match (
        o.get("secret-id"),
        o.get("username"),
        o.get("password"),
    ) {
        (Some(secret), None, None) => {
            // The client reads the secret as the caller, like an application would.
            let got =
                s.world
                    .client(&ctx)
                    .secretsmanager()
                    .get_secret_value(GetSecretValueRequest {
                        secret_id: Some(secret.to_owned()),
                        ..Default::default()
                    });
            let value = match got {
                Ok(v) => v.secret_string.unwrap_or_default(),
                Err(e) => {
                    let e = cloud::ServiceError::to_aws(&e);
                    return Err(CliError::Service {
                        code: e.code,
                        operation: "GetSecretValue".into(),
                        message: e.message,
                    });
                }
            };
            let json: serde_json::Value = serde_json::from_str(&value)
                .map_err(|_| usage("the secret's value is not JSON with username and password"))?;
            let field = |k: &str| json.get(k).and_then(|v| v.as_str()).map(str::to_owned);
            let instance = o
                .get("db-instance-identifier")
                .map(str::to_owned)
                .or_else(|| field("dbInstanceIdentifier"))
                .or_else(|| field("host").and_then(|h| h.split('.').next().map(str::to_owned)))
                .ok_or_else(|| usage("name the instance: --db-instance-identifier ID"))?;
            let (Some(u), Some(p)) = (field("username"), field("password")) else {
                return Err(usage("the secret's JSON has no username and password"));
            };
            (instance, u, p)
        }
        (None, Some(u), Some(p)) => (
            o.get("db-instance-identifier")
                .ok_or_else(|| usage("--db-instance-identifier is required"))?
                .to_owned(),
            u.to_owned(),
            p.to_owned(),
        ),
        _ => {
            return Err(usage(
                "usage: lab db-connect --db-instance-identifier ID (--secret-id SECRET | --username U --password P)",
            ));
        }
    };
    // A client reaches the database by its endpoint, whatever its own account: a secret named by
    // ARN says where the database lives.
    let (account, region) = o
        .get("secret-id")
        .and_then(|a| a.strip_prefix("arn:aws:secretsmanager:"))
        .and_then(|rest| {
            let mut parts = rest.splitn(3, ':');
            Some((parts.next()?.to_owned(), parts.next()?.to_owned()))
        })
        .map_or_else(
            || (ctx.account.clone(), ctx.region.clone()),
            |(r, a)| (a, r),
        );
    match cloud::rds::login(&s.world, &account, &region, &instance, &username, &password) {
        Ok(()) => Ok(Out::text(format!(
            "Connected to {instance} as {username}. (The lab's databases hold no data: this checks the login only.)\n"
        ))),
        Err(LoginError::UnknownInstance) => Err(usage(&format!(
            "no DB instance {instance} in {region} of account {account}"
        ))),
        Err(LoginError::NoPassword) => Err(usage(&format!(
            "{instance} was created without a master password the lab knows (give --master-user-password or --manage-master-user-password)"
        ))),
        Err(LoginError::Denied { engine }) => {
            let line = if engine.starts_with("postgres") {
                format!(
                    "psql: error: FATAL:  password authentication failed for user \"{username}\"\n"
                )
            } else {
                format!(
                    "ERROR 1045 (28000): Access denied for user '{username}'@'10.0.1.25' (using password: YES)\n"
                )
            };
            Ok(Out {
                stderr: line,
                code: 1,
                ..Out::default()
            })
        }
    }
}

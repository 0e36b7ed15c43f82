//! `aws SERVICE wait WAITER --options`: aws-cli's waiter commands
//! (`awscli/customizations/waiters.py`). A waiter takes the options of the operation it polls
//! and answers nothing on success.

use serde_json::Value;

use super::operation::parse_operation;
use super::{AwsCommand, Globals, columns};
use crate::error::CliError;
use crate::fs::FileSystem;
use crate::model::{self, waiters, xform_name};

/// Parses the words after `aws SERVICE wait`.
pub(super) fn parse_wait(
    g: Globals,
    service: &str,
    args: &[String],
    fs: &dyn FileSystem,
) -> Result<(Globals, AwsCommand), CliError> {
    let Some(name) = args.first() else {
        // `WaitCommand._run_main` raises this ValueError; aws-cli prints it and exits 255.
        return Err(CliError::Other(
            "\nusage: aws [options] <command> <subcommand> [parameters]\naws: error: too few arguments"
                .into(),
        ));
    };
    if name == "help" {
        return Ok((g, AwsCommand::Print(wait_help(service))));
    }
    let Some((waiter_name, waiter)) = waiters::waiter_by_cli_name(service, name) else {
        return Err(CliError::Usage(format!(
            "argument subcommand: Invalid choice, valid choices are:\n\n{}",
            columns(&waiters::cli_waiter_names(service))
        )));
    };
    let Some((op_name, op)) = model::service(service).and_then(|t| {
        t.operations
            .get_key_value(&waiter.operation)
            .map(|(n, o)| (n.as_str(), o))
    }) else {
        return Err(CliError::Other(format!(
            "Waiter {waiter_name} is not available"
        )));
    };
    let params = args.get(1..).unwrap_or_default();
    if params.first().is_some_and(|p| p == "help") {
        return Ok((g, AwsCommand::Print(waiter_help(service, waiter_name))));
    }
    let (g, parsed) = parse_operation(g, service, op_name, op, params, fs)?;
    match parsed {
        AwsCommand::Call { input, .. } => Ok((
            g,
            AwsCommand::Wait {
                service: service.to_owned(),
                waiter: waiter_name.to_owned(),
                operation: op_name.to_owned(),
                input,
            },
        )),
        // `--generate-cli-skeleton` and the like print as they do for the operation.
        other => Ok((g, other)),
    }
}

/// `aws SERVICE wait help`: the waiters.
fn wait_help(service: &str) -> String {
    let mut s = format!(
        "aws {service} wait <waiter> [parameters]\n\nWait until a particular condition is satisfied. Each subcommand polls an API until the listed requirement is met.\n\nAvailable waiters:\n\n"
    );
    for name in waiters::cli_waiter_names(service) {
        s.push_str(&format!("  o {name}\n"));
    }
    s
}

/// `aws SERVICE wait WAITER help`: aws-cli's generated description of the waiter.
fn waiter_help(service: &str, waiter_name: &str) -> String {
    let Some(w) = waiters::waiters(service).and_then(|t| t.get(waiter_name)) else {
        return String::new();
    };
    let what = w
        .acceptors
        .iter()
        .find(|a| a.state == waiters::AcceptorState::Success)
        .map(|a| match (&a.argument, &a.expected) {
            (Some(arg), Value::String(v)) => format!("JMESPath query {arg} returns {v}"),
            (Some(arg), v) => format!("JMESPath query {arg} returns {v}"),
            (None, v) => format!("{v} is returned"),
        })
        .unwrap_or_default();
    format!(
        "{}\n\nDescription\n\n    Wait until {what} when polling with ``{}``. It will poll every {} seconds until a successful state has been reached. This will exit with a return code of 255 after {} failed checks.\n",
        xform_name(waiter_name),
        xform_name(&w.operation),
        w.delay,
        w.max_attempts
    )
}

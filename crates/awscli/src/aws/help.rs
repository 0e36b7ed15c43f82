//! `aws help`, `aws SERVICE help` and `aws SERVICE OPERATION help`.

use crate::model::{self, Operation, Shape, xform_name};

pub(super) fn top_help() -> String {
    let mut s = String::from(
        "aws [options] <command> <subcommand> [parameters]\n\nAvailable services in this lab:\n\n",
    );
    for name in model::service_names() {
        s.push_str(&format!("  o {name}\n"));
    }
    s.push_str("  o configure\n\nGlobal options: --profile, --region, --output json|text|table|yaml|yaml-stream|off, --query JMESPATH, --explain\n");
    s
}

pub(super) fn service_help(service: &str) -> String {
    let mut s = format!("aws {service} <operation> [parameters]\n\nAvailable operations:\n\n");
    if let Some(t) = model::service(service) {
        for op in t.cli_operation_names() {
            s.push_str(&format!("  o {op}\n"));
        }
    }
    s
}

pub(super) fn operation_help(service: &str, op_name: &str, op: &Operation) -> String {
    let mut s = format!(
        "{op_name}\n\nSYNOPSIS\n\n    {service} {}\n",
        xform_name(op_name)
    );
    for m in op.member_names() {
        let Some(shape) = op.member(m) else { continue };
        let cli = xform_name(m);
        let req = op.required.iter().any(|r| r == m);
        let arg = match &shape {
            Shape::Boolean => format!("--{cli} | --no-{cli}"),
            other => format!("--{cli} <{}>", other.type_name()),
        };
        s.push_str(&if req {
            format!("        {arg}\n")
        } else {
            format!("        [{arg}]\n")
        });
        let values = match &shape {
            Shape::String { values } => values.clone(),
            Shape::List { member } => match member.as_ref() {
                Shape::String { values } => values.clone(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        if !values.is_empty() {
            s.push_str(&format!("            one of: {}\n", values.join(", ")));
        }
    }
    s
}

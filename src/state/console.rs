//! What the console and the terminal do to the world: one console call (with its recorded
//! "Why?" card), the Create key wizard's two calls, and terminal input run as a line or a script.

use awscli::{LineOutput, Session};

use super::CallOutcome;

/// One console call as the current profile in `region`; a failure carries its Why? card, built
/// from the call's own authorization decisions.
pub(super) fn call(
    world: &mut cloud::World,
    region: &str,
    service: &'static str,
    operation: &'static str,
    input: serde_json::Value,
    summary: String,
) -> CallOutcome {
    let (result, why) = match world.context_for_profile(None, Some(region)) {
        Err(e) => (Err(e), None),
        Ok(ctx) => {
            let (result, decisions) = world.call_recorded(&ctx, service, operation, input.clone());
            let why = result.as_ref().err().and_then(|error| {
                awscli::why::card(&awscli::why::Failure {
                    service,
                    operation,
                    input: &input,
                    error,
                    decisions: &decisions,
                })
            });
            (result, why)
        }
    };
    CallOutcome {
        operation: operation.to_owned(),
        summary,
        result,
        carry_over: false,
        why,
    }
}

/// CreateKey then CreateAlias, as the console's wizard does; the outcome names both.
pub(super) fn create_key(
    world: &mut cloud::World,
    region: &str,
    input: serde_json::Value,
    alias: Option<&str>,
) -> CallOutcome {
    let ctx = match world.context_for_profile(None, Some(region)) {
        Ok(ctx) => ctx,
        Err(e) => {
            return CallOutcome {
                operation: "CreateKey".into(),
                summary: String::new(),
                result: Err(e),
                carry_over: false,
                why: None,
            };
        }
    };
    let created = world.call(&ctx, "kms", "CreateKey", input);
    let Ok(created) = created else {
        return CallOutcome {
            operation: "CreateKey".into(),
            summary: String::new(),
            result: created,
            carry_over: false,
            why: None,
        };
    };
    let key_id = created["KeyMetadata"]["KeyId"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let mut summary = format!("Created key {key_id}");
    if let Some(alias) = alias {
        let aliased = world.call(
            &ctx,
            "kms",
            "CreateAlias",
            serde_json::json!({ "AliasName": alias, "TargetKeyId": key_id }),
        );
        match aliased {
            Ok(_) => summary.push_str(&format!(" with alias {alias}")),
            Err(e) => summary.push_str(&format!(
                "; the alias {alias} was not created: {} ({})",
                e.message, e.code
            )),
        }
    }
    CallOutcome {
        operation: "CreateKey".into(),
        summary,
        result: Ok(created),
        carry_over: true,
        why: None,
    }
}

/// The terminal line of a Lab tools step: `lab local` and its arguments, each quoted for the
/// shell (a file name with spaces or quotes stays one argument; `$` is not expanded).
pub(super) fn lab_local_line(args: &[String]) -> String {
    let mut line = "lab local".to_owned();
    for a in args {
        line.push_str(" '");
        line.push_str(&a.replace('\'', r"'\''"));
        line.push('\'');
    }
    line
}

/// A Lab tools step's outcome for the flash message: what it printed, or its error.
pub(super) fn lab_tool_outcome(args: &[String], output: &LineOutput) -> CallOutcome {
    let step = args.first().cloned().unwrap_or_default();
    let result = if output.exit_code == 0 {
        Ok(serde_json::Value::Null)
    } else {
        Err(cloud::AwsError::new(
            "LabToolError",
            output.stderr.trim().to_owned(),
        ))
    };
    CallOutcome {
        operation: format!("Lab tools: {step}"),
        summary: output.stdout.trim().to_owned(),
        result,
        carry_over: false,
        why: None,
    }
}

/// Runs terminal input against the session, using the session's own in-memory files.
/// Several lines run as a script (stopping at the first failure, as `kmslab run` does).
pub fn run_text(session: &mut Session, text: &str) -> LineOutput {
    if !text.contains('\n') {
        return session.run_line_in_memory(text);
    }
    let script = session.run_script_in_memory(text, awscli::ScriptOptions::default());
    let mut merged = LineOutput {
        exit_code: script.exit_code,
        ..LineOutput::default()
    };
    for line in script.lines {
        merged.stdout.push_str(&line.output.stdout);
        merged.stderr.push_str(&line.output.stderr);
        merged.json = line.output.json.or(merged.json);
        merged.error_code = line.output.error_code.or(merged.error_code);
    }
    merged
}

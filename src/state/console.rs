//! What the console and the terminal do to the world: one console call (with its recorded
//! "Why?" card), the Create key wizard's two calls, and terminal input run as a line or a script.

use awscli::{LineOutput, Session};

use super::{CallOutcome, KmsFileRequest};

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

/// A chain of console calls, in order: the first failure stops it and is the outcome (with its
/// Why? card, its summary naming the calls already made); else `summary`.
pub(super) fn calls(
    world: &mut cloud::World,
    region: &str,
    calls: Vec<super::ConsoleCall>,
    summary: String,
) -> CallOutcome {
    let mut done: Vec<&'static str> = Vec::new();
    let mut last = None;
    for c in calls {
        let outcome = call(
            world,
            region,
            c.service,
            c.operation,
            c.input,
            String::new(),
        );
        if outcome.result.is_err() {
            return CallOutcome {
                summary: if done.is_empty() {
                    String::new()
                } else {
                    format!("Done before it: {}", done.join(", "))
                },
                ..outcome
            };
        }
        done.push(c.operation);
        last = Some(outcome);
    }
    match last {
        Some(outcome) => CallOutcome { summary, ..outcome },
        None => CallOutcome {
            operation: String::new(),
            summary,
            result: Ok(serde_json::Value::Null),
            carry_over: false,
            why: None,
        },
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

/// Lab tools' KMS step: the input file's bytes go to KMS Encrypt or Decrypt as the current
/// profile (one audited call, a refusal with its Why? card), and the answer's blob is written to
/// the output file, as `aws kms decrypt … | base64 --decode > OUT` does. Nothing is written on
/// failure.
pub(super) fn kms_file(session: &mut Session, request: &KmsFileRequest) -> CallOutcome {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let fail = |code: &str, message: String| CallOutcome {
        operation: request.operation.to_owned(),
        summary: String::new(),
        result: Err(cloud::AwsError::new(code, message)),
        carry_over: false,
        why: None,
    };
    let bytes = match awscli::FileSystem::read(&session.files, &request.input) {
        Ok(b) => b,
        Err(e) => return fail("LabToolError", e),
    };
    if request.output.trim().is_empty() {
        return fail("LabToolError", "name the output file".into());
    }
    let mut input = serde_json::json!({});
    let (blob_in, blob_out, verb) = match request.operation {
        "Encrypt" => ("Plaintext", "CiphertextBlob", "Encrypted"),
        _ => ("CiphertextBlob", "Plaintext", "Decrypted"),
    };
    input[blob_in] = b64.encode(&bytes).into();
    if let Some(key) = &request.key_id {
        input["KeyId"] = key.clone().into();
    }
    if !request.context.is_empty() {
        input["EncryptionContext"] = request
            .context
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::from(v.clone())))
            .collect::<serde_json::Map<_, _>>()
            .into();
    }
    let mut outcome = call(
        &mut session.world,
        &request.region,
        "kms",
        request.operation,
        input,
        String::new(),
    );
    if let Ok(answer) = &outcome.result {
        let out = answer[blob_out]
            .as_str()
            .and_then(|s| b64.decode(s).ok())
            .unwrap_or_default();
        let key = answer["KeyId"].as_str().unwrap_or_default();
        outcome.summary = match awscli::FileSystem::write(&mut session.files, &request.output, &out)
        {
            Ok(()) => format!(
                "{verb} {} into {} ({} bytes) with {key}",
                request.input,
                request.output,
                out.len()
            ),
            Err(e) => format!(
                "{verb} {}, but {} could not be written: {e}",
                request.input, request.output
            ),
        };
    }
    outcome
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

//! One API call as aws-cli makes it: the caller's credentials, the request (its pages when
//! aws-cli follows them), a failure's "Why?" card, the positional outfile, `--query`, and the
//! output format.

use base64::Engine as _;
use serde_json::Value;

use super::{Out, Session};
use crate::aws::{self, Globals};
use crate::error::CliError;
use crate::fs::FileSystem;
use crate::model;
use crate::output::{self, Format};
use crate::why::{self, Failure};

/// The simulated time one aws-cli command takes before its request arrives (milliseconds).
pub const CLIENT_ROUND_TRIP_MS: i64 = 300;

impl Session {
    #[expect(
        clippy::too_many_arguments,
        reason = "the parsed command's parts, passed through once"
    )]
    pub(super) fn call(
        &mut self,
        g: &Globals,
        service: &str,
        operation: &str,
        input: Value,
        outfile: Option<(String, String)>,
        paging: Option<aws::Paging>,
        fs: &mut dyn FileSystem,
    ) -> Out {
        if g.explain {
            return self.explain(g, service, operation, input);
        }
        // An aws-cli command takes a realistic client round trip of simulated time (a CLI
        // process start plus one HTTPS call), so a script is not throttled where AWS would not
        // throttle it: six CreateKey commands in a row stay under CreateKey's 5 per second.
        self.world.advance_clock(CLIENT_ROUND_TRIP_MS);
        let ctx = match self.context(g, service, operation) {
            Ok(c) => c,
            Err(out) => return *out,
        };
        let paginator = model::service(service)
            .and_then(|t| t.operations.get(operation))
            .and_then(|o| o.paginator.clone());
        let paginated = paging.is_some() && paginator.is_some();
        // The request as sent, for the "Why?" card of a failure.
        let request = input.clone();
        let (result, decisions) = match (paging, paginator) {
            (Some(paging), Some(p)) => {
                self.call_pages(&ctx, service, operation, input, &paging, &p)
            }
            _ => {
                let (r, d) = self.world.call_recorded(&ctx, service, operation, input);
                (r.map(|r| (r.clone(), vec![r])), d)
            }
        };
        let (mut response, mut pages) = match result {
            Ok(r) => r,
            Err(e) if e.status == 0 => return Out::err(&client_error(&e)),
            Err(e) => {
                let mut out = Out::err(&CliError::Service {
                    code: e.code.clone(),
                    operation: operation.to_owned(),
                    message: e.message.clone(),
                });
                out.why = why::card(&Failure {
                    service,
                    operation,
                    input: &request,
                    error: &e,
                    decisions: &decisions,
                });
                out.hint.clone_from(&e.hint);
                if g.debug {
                    let log = debug_log(
                        self.world.now_ms(),
                        operation,
                        &request,
                        Err(&e),
                        out.why.as_ref(),
                    );
                    out.stderr = log + &out.stderr;
                }
                return out;
            }
        };
        let debug = g.debug.then(|| {
            debug_log(
                self.world.now_ms(),
                operation,
                &request,
                Ok(&response),
                None,
            )
        });
        if let Some(table) = model::service(service) {
            output::format_timestamps(&mut response, &table.timestamps);
            for page in &mut pages {
                output::format_timestamps(page, &table.timestamps);
            }
        }
        if let Some((path, member)) = outfile
            && let Some(Value::String(b64)) =
                response.as_object_mut().and_then(|m| m.remove(&member))
        {
            for page in &mut pages {
                if let Some(m) = page.as_object_mut() {
                    m.remove(&member);
                }
            }
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(b64.as_bytes())
                .unwrap_or_default();
            if let Err(e) = fs.write(&path, &bytes) {
                return Out::err(&CliError::Other(format!("{path}: {e}")));
            }
        }
        let query = match &g.query {
            Some(q) => match jmespath::compile(q) {
                Ok(e) => Some((q, e)),
                Err(e) => {
                    return Out::err(&CliError::Other(format!("Bad value for --query {q}: {e}")));
                }
            },
            None => None,
        };
        let apply = |v: Value| -> Result<Value, Box<Out>> {
            match &query {
                Some((q, e)) => output::apply_query(e, &v).map_err(|e| {
                    Box::new(Out::err(&CliError::Other(format!(
                        "Bad value for --query {q}: {e}"
                    ))))
                }),
                None => Ok(v),
            }
        };
        let queried = match apply(response) {
            Ok(v) => v,
            Err(o) => return *o,
        };
        let format = g.output.unwrap_or(Format::Json);
        let text = if format == Format::YamlStream {
            // aws-cli streams the pages as they arrive, each queried on its own.
            let mut each = Vec::with_capacity(pages.len());
            for page in pages {
                match apply(page) {
                    Ok(v) => each.push(v),
                    Err(o) => return *o,
                }
            }
            output::yaml_stream(&each, paginated)
        } else {
            output::render(format, operation, &queried, self.terminal_width)
        };
        let mut out = Out::text(text);
        out.json = Some(queried);
        out.stderr = debug.unwrap_or_default();
        out
    }

    /// The caller's context for the profile and Region of the command, or the failure aws-cli
    /// prints when the profile's credentials cannot be had.
    pub(super) fn context(
        &mut self,
        g: &Globals,
        service: &str,
        operation: &str,
    ) -> Result<cloud::CallContext, Box<Out>> {
        match self
            .world
            .context_for_profile(g.profile.as_deref(), g.region.as_deref())
        {
            Ok(c) => Ok(c),
            // Client-side failures (status 0) are not service errors: aws-cli prints the bare
            // message; configuration problems exit 253, anything else (an unreachable Region
            // endpoint) 255.
            Err(e) if e.status == 0 => Err(Box::new(Out::err(&client_error(&e)))),
            Err(e) => {
                // A role profile's AssumeRole failed (or the profile's credentials are invalid).
                let op = if e.code == "InvalidClientTokenId" {
                    operation
                } else {
                    "AssumeRole"
                };
                let mut out = Out::err(&CliError::Service {
                    code: e.code.clone(),
                    operation: op.to_owned(),
                    message: e.message.clone(),
                });
                out.why = why::card(&Failure {
                    service: if op == "AssumeRole" { "sts" } else { service },
                    operation: op,
                    input: &Value::Null,
                    error: &e,
                    decisions: &[],
                });
                Err(Box::new(out))
            }
        }
    }
}

/// One line of aws-cli's `--debug` log: `2026-11-22 20:00:59,300 - MainThread - LOGGER - DEBUG -
/// MESSAGE`, at the simulated time.
pub(super) fn debug_line(now_ms: i64, logger: &str, message: &str) -> String {
    let iso = crate::time::iso8601(now_ms - now_ms.rem_euclid(1000));
    let stamp = iso.get(..19).unwrap_or_default().replacen('T', " ", 1);
    format!(
        "{stamp},{:03} - MainThread - {logger} - DEBUG - {message}\n",
        now_ms.rem_euclid(1000)
    )
}

/// The `--debug` lines of one API call: the request botocore sends, then the response body it
/// parses (an error's `__type` and `message`), then the lab's explanation of a failure.
fn debug_log(
    now_ms: i64,
    operation: &str,
    request: &Value,
    result: Result<&Value, &cloud::AwsError>,
    why: Option<&why::WhyCard>,
) -> String {
    let mut log = debug_line(
        now_ms,
        "botocore.endpoint",
        &format!("Making request for OperationModel(name={operation}) with params: {request}"),
    );
    let body = match result {
        Ok(v) => v.to_string(),
        Err(e) => serde_json::json!({ "__type": e.code, "message": e.message }).to_string(),
    };
    log.push_str(&debug_line(
        now_ms,
        "botocore.parsers",
        &format!("Response body:\nb'{body}'"),
    ));
    if let Err(e) = result
        && let Some(hint) = &e.hint
    {
        log.push_str(&debug_line(now_ms, "kmslab.hint", hint));
    }
    if let Some(card) = why {
        log.push_str(&debug_line(
            now_ms,
            "kmslab.why",
            &format!("{}: {}", card.gate, card.reading),
        ));
    }
    log
}

/// A client-side (status 0) engine error as aws-cli reports it.
pub(super) fn client_error(e: &cloud::AwsError) -> CliError {
    let msg = format!("\n{}\n", e.message);
    match e.code.as_str() {
        "ProfileNotFound"
        | "PartialCredentialsError"
        | "InfiniteLoopConfigError"
        | "NoRegionError" => CliError::Config(msg),
        _ => CliError::Other(msg),
    }
}

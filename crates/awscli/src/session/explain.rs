//! `--explain` / `lab explain -- COMMAND`: the authorization of a call, without making it.

use serde_json::Value;

use super::call::client_error;
use super::{Out, Session};
use crate::aws::Globals;
use crate::error::CliError;
use crate::output::{self, Format};

impl Session {
    /// `--explain` / `lab explain -- COMMAND`: how the call would be authorized, without making
    /// it (the world is untouched: no CloudTrail event, no request counted, no session cached).
    /// Prints the readable explanation (`--output json`: the JSON); `json` carries the JSON.
    pub(super) fn explain(
        &mut self,
        g: &Globals,
        service: &str,
        operation: &str,
        input: Value,
    ) -> Out {
        let mut scratch = self.world.clone();
        let ctx = match scratch.context_for_profile(g.profile.as_deref(), g.region.as_deref()) {
            Ok(c) => c,
            Err(e) if e.status == 0 => return Out::err(&client_error(&e)),
            Err(e) => {
                return Out::err(&CliError::Service {
                    code: e.code,
                    operation: "AssumeRole".to_owned(),
                    message: e.message,
                });
            }
        };
        match scratch.explain(&ctx, service, operation, input.clone()) {
            Ok(mut v) => {
                // The lab's explanation of a failure AWS answers tersely (an empty message):
                // from the same call on another copy (the explanation's JSON carries AWS's
                // message only).
                let failed = v.get("Outcome").and_then(Value::as_str) == Some("Failed");
                let hint = failed
                    .then(|| {
                        let (r, _) = self
                            .world
                            .clone()
                            .call_recorded(&ctx, service, operation, input);
                        r.err().and_then(|e| e.hint)
                    })
                    .flatten();
                if let (Some(h), Some(m)) = (&hint, v.as_object_mut()) {
                    m.insert("Hint".into(), Value::String(h.clone()));
                    if let Some(Value::String(t)) = m.get_mut("Text") {
                        t.push_str(&format!("Hint: {h}\n"));
                    }
                }
                let text = match g.output {
                    Some(Format::Json) => output::json(&v),
                    _ => v
                        .get("Text")
                        .and_then(Value::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                };
                let mut out = Out::text(text);
                out.json = Some(v);
                out
            }
            Err(e) => Out::err(&client_error(&e)),
        }
    }
}

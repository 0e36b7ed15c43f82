//! `aws SERVICE wait WAITER`: botocore's `Waiter.wait` on the simulated clock. Each poll is an
//! ordinary recorded call (it counts, and CloudTrail logs it, as aws-cli's real polls are), and
//! the clock moves by the waiter's delay between polls instead of the process sleeping.

use serde_json::Value;

use super::call::{CLIENT_ROUND_TRIP_MS, client_error};
use super::{Out, Session};
use crate::aws::Globals;
use crate::error::CliError;
use crate::model::waiters::{self, AcceptorState, Answer};
use crate::why::{self, Failure};

impl Session {
    pub(super) fn wait(
        &mut self,
        g: &Globals,
        service: &str,
        waiter_name: &str,
        operation: &str,
        input: &Value,
    ) -> Out {
        let Some(waiter) = waiters::waiters(service).and_then(|t| t.get(waiter_name)) else {
            return Out::err(&CliError::Other(format!(
                "\nWaiter {waiter_name} is not available"
            )));
        };
        self.world.advance_clock(CLIENT_ROUND_TRIP_MS);
        let ctx = match self.context(g, service, operation) {
            Ok(c) => c,
            Err(out) => return *out,
        };
        let failed = |reason: String| {
            Out::err(&CliError::Other(format!(
                "\nWaiter {waiter_name} failed: {reason}"
            )))
        };
        let mut attempts = 0;
        let mut state = None;
        let mut matched_any = false;
        loop {
            let (result, decisions) =
                self.world
                    .call_recorded(&ctx, service, operation, input.clone());
            attempts += 1;
            let answer = match &result {
                Ok(v) => Answer::Response(v),
                // A client-side failure (no endpoint) is raised as it is, not matched.
                Err(e) if e.status == 0 => return Out::err(&client_error(e)),
                Err(e) => Answer::Error {
                    code: &e.code,
                    status: e.status,
                },
            };
            // botocore quotes the acceptor its loop stopped at: the match, or the last one.
            let hit = waiter.acceptors.iter().position(|a| a.matches(answer));
            let quoted = hit.or(waiter.acceptors.len().checked_sub(1));
            let explanation = quoted
                .and_then(|i| waiter.acceptors.get(i))
                .map(waiters::Acceptor::explanation)
                .unwrap_or_default();
            match (hit.and_then(|i| waiter.acceptors.get(i)), &result) {
                (Some(a), _) => {
                    matched_any = true;
                    state = Some(a.state);
                }
                (None, Err(e)) => {
                    // An error no acceptor expects ends the wait with the service's words.
                    let mut out = failed(format!("An error occurred ({}): {}", e.code, e.message));
                    out.why = why::card(&Failure {
                        service,
                        operation,
                        input,
                        error: e,
                        decisions: &decisions,
                    });
                    out.hint.clone_from(&e.hint);
                    return out;
                }
                (None, Ok(_)) => {}
            }
            match state {
                Some(AcceptorState::Success) => return Out::default(),
                Some(AcceptorState::Failure) => {
                    return failed(format!(
                        "Waiter encountered a terminal failure state: {explanation}"
                    ));
                }
                _ => {}
            }
            if attempts >= waiter.max_attempts {
                let mut out = failed(if matched_any {
                    format!("Max attempts exceeded. Previously accepted state: {explanation}")
                } else {
                    "Max attempts exceeded".into()
                });
                out.hint = Some(format!(
                    "The waiter polled {operation} {attempts} times, {} seconds apart on the lab's clock, and the resource never reached the state it waits for.",
                    waiter.delay
                ));
                return out;
            }
            self.world.advance_clock(waiter.delay.saturating_mul(1000));
        }
    }
}

//! A question's proof: its script run in a fresh world, each step and each option's check.

use lab::quiz::{self, Kind};
use yew::prelude::*;

use crate::hooks::use_lab;

#[derive(Properties, PartialEq, Debug)]
pub struct ProofPanelProps {
    pub id: String,
}

/// Runs the question's proof in a fresh world and shows each step and each option's check.
#[component]
pub fn ProofPanel(props: &ProofPanelProps) -> Html {
    let lab = use_lab();
    let run = use_state(|| None::<Result<quiz::ProofRun, String>>);
    let Some(q) = quiz::get(&props.id) else {
        return html! {};
    };
    if q.kind == Kind::Fact {
        return html! { <p class="muted small">{ "A documented fact: no run can show it, so the citation above is the proof." }</p> };
    }
    let start = {
        let run = run.clone();
        let id = props.id.clone();
        Callback::from(move |_| run.set(Some(quiz::prove(&id).map_err(|e| format!("{e:?}")))))
    };
    let script = q.proof.join("\n");
    let open_in_terminal = {
        let lab = lab.clone();
        let script = script.clone();
        Callback::from(move |_| lab.run(script.clone()))
    };
    html! {
        <div class="proof" data-testid="proof">
            <div class="actions">
                <button class="btn btn-small" onclick={start} data-testid="run-proof">{ "Watch the proof run (fresh world)" }</button>
                <button class="btn btn-small" onclick={open_in_terminal} title="Runs the proof's setup in your own world; see it in the terminal">{ "Run it in my terminal" }</button>
            </div>
            { match &*run {
                None => html! { <pre class="code small">{ script }</pre> },
                Some(Err(e)) => html! { <div class="alert alert-error">{ e.clone() }</div> },
                Some(Ok(p)) => html! {
                    <>
                    <ol class="proof-steps">
                        { for p.steps.iter().map(|s| html! {
                            <li><code>{ s.line.clone() }</code>
                                if !s.output.stdout.trim().is_empty() { <pre class="code small">{ s.output.stdout.trim().to_owned() }</pre> }
                                if !s.output.stderr.trim().is_empty() { <pre class="code small term-stderr">{ s.output.stderr.trim().to_owned() }</pre> }
                            </li>
                        }) }
                    </ol>
                    <h4>{ "Each option, tested" }</h4>
                    <ul class="option-checks" data-testid="option-checks">
                        { for p.option_checks.iter().map(|c| html! {
                            <li class={if c.holds == c.correct { "check-ok" } else { "check-bad" }}>
                                { format!("{} — {}", if c.holds { "holds" } else { "does not hold" }, c.text) }
                                { if c.correct { " (the right answer)" } else { "" } }
                                { for c.steps.iter().map(|st| html! { <div><code class="small">{ st.line.clone() }</code>{ format!("  → exit {}", st.output.exit_code) }</div> }) }
                            </li>
                        }) }
                    </ul>
                    </>
                },
            } }
        </div>
    }
}

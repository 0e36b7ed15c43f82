//! The KMS request-evaluation flowchart, lit up by the last decision the learner met.
//! Order as AWS documents it (determining-access.html): explicit deny anywhere → key policy
//! allows the caller → key policy delegates to IAM and IAM allows → a grant allows → implicit
//! deny; then the key's state decides whether an authorized request can run. The boxes are
//! `authz::EvaluationStep`, the step a recorded KMS decision names (`Gate::step`).

use authz::EvaluationStep as Gate;
use yew::prelude::*;

#[derive(Properties, PartialEq, Debug)]
pub struct EvalFlowProps {
    #[prop_or_default]
    pub lit: Option<Gate>,
    /// The explanation of the decision that lit the chart, when there is one.
    #[prop_or_default]
    pub explanation: Option<AttrValue>,
}

fn node(x: i32, y: i32, w: i32, label: &str, sub: &str, lit: bool, kind: &str) -> Html {
    html! {
        <g class={classes!("svg-node", kind.to_owned(), lit.then_some("svg-lit"))}>
            <rect x={x.to_string()} y={y.to_string()} width={w.to_string()} height="54" rx="8" />
            <text x={(x + w / 2).to_string()} y={(y + 23).to_string()} class="svg-title">{ label.to_owned() }</text>
            <text x={(x + w / 2).to_string()} y={(y + 42).to_string()} class="svg-small">{ sub.to_owned() }</text>
        </g>
    }
}

#[component]
pub fn EvalFlow(props: &EvalFlowProps) -> Html {
    let lit = |g: Gate| props.lit == Some(g);
    html! {
        <figure class="diagram">
            <svg viewBox="0 0 760 420" role="img" aria-label="How KMS evaluates a request: explicit deny, key policy, IAM, grants, then key state" class="svg-diagram">
                <defs>
                    <marker id="arrow2" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M0 0 10 5 0 10z" class="svg-arrowhead" />
                    </marker>
                </defs>
                { node(250, 10, 260, "Request", "principal · action · key · context", false, "svg-neutral") }
                <path d="M380 64 V88" class="svg-flow" marker-end="url(#arrow2)" />
                { node(250, 90, 260, "Explicit Deny anywhere?", "key policy or IAM policy", lit(Gate::ExplicitDeny), "svg-deny") }
                <path d="M510 117 H600" class="svg-flow" marker-end="url(#arrow2)" />
                <text x="555" y="110" class="svg-small">{ "yes" }</text>
                { node(600, 90, 150, "DENY", "AccessDenied", lit(Gate::ExplicitDeny), "svg-deny") }
                <path d="M380 144 V168" class="svg-flow" marker-end="url(#arrow2)" />
                { node(250, 170, 260, "Key policy allows caller?", "statement names the principal", lit(Gate::KeyPolicy), "svg-allow") }
                <path d="M250 197 H110 V248" class="svg-flow" marker-end="url(#arrow2)" />
                { node(10, 250, 200, "IAM allows?", "if key policy trusts account", lit(Gate::Iam), "svg-allow") }
                <path d="M380 224 V248" class="svg-flow" marker-end="url(#arrow2)" />
                { node(250, 250, 260, "A grant allows?", "grantee · operation · constraints", lit(Gate::Grant), "svg-allow") }
                <path d="M510 277 H600" class="svg-flow" marker-end="url(#arrow2)" />
                { node(600, 250, 150, "Implicit deny", "nothing allowed it", lit(Gate::ImplicitDeny), "svg-deny") }
                <path d="M380 304 V328" class="svg-flow" marker-end="url(#arrow2)" />
                <path d="M110 304 V357 H250" class="svg-flow" marker-end="url(#arrow2)" />
                { node(250, 330, 260, "Key state allows it?", "Enabled · not PendingDeletion", lit(Gate::KeyState) || lit(Gate::Allowed), "svg-state") }
                <path d="M510 357 H600" class="svg-flow" marker-end="url(#arrow2)" />
                { node(600, 330, 150, "Decrypt checks", "encryption context = AAD", lit(Gate::Context), "svg-state") }
            </svg>
            <figcaption class="muted small">
                { match props.lit {
                    Some(Gate::ImplicitDeny) => "Your last failure: AccessDeniedException — nothing allowed the request (or an explicit deny matched).",
                    Some(Gate::KeyState) => "Your last failure came from the key's state (disabled, pending deletion or pending import), after authorization passed.",
                    Some(Gate::Context) => "Your last failure: InvalidCiphertextException — the ciphertext or its encryption context did not match.",
                    Some(_) => "Lit: the gate that decided your last request.",
                    None => "Make a request that fails in the terminal and the gate that stopped it lights up here.",
                } }
            </figcaption>
            if let Some(text) = &props.explanation {
                <details class="explain" open=true>
                    <summary>{ "The decision, as recorded when the call was made" }</summary>
                    <pre class="code small why-trace" data-testid="flow-explanation">{ text.clone() }</pre>
                </details>
            }
        </figure>
    }
}

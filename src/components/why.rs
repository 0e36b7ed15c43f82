//! The "Why?" panel: explains a failure — which gate stopped it (key policy, IAM, grant, key
//! state, encryption context) — as a readable card with the AWS doc page. The card is the one
//! recorded when the call failed (`awscli::why`), from that call's own authorization decisions:
//! it never re-runs the old command on today's world.
//!
//! While the learner is diagnosing (`lab::scenario::why_detail` is `Limited`), the card says where
//! to look, not what the cause is.

use awscli::WhyCard;
use lab::scenario::WhyDetail;
use yew::prelude::*;

use crate::hooks::use_lab;

#[derive(Properties, PartialEq, Debug)]
pub struct WhyProps {
    /// The AWS error code the failure carried.
    pub code: AttrValue,
    /// The card recorded with the failure (None: only the code is known).
    #[prop_or_default]
    pub card: Option<WhyCard>,
}

/// What a limited card says: the error happened, and where the evidence is.
const LIMITED: &str = "You are diagnosing this one: the lab holds back its own explanation until \
the scenario is solved. The evidence is where it would be in AWS: the failed call's errorCode in \
CloudTrail (`aws cloudtrail lookup-events`, or Activity), the key policy, the caller's IAM \
policies, the key's grants, its state, and the encryption context recorded with the Encrypt event.";

#[component]
pub fn Why(props: &WhyProps) -> Html {
    let lab = use_lab();
    let open = use_state(|| false);
    let Some(card) = props
        .card
        .clone()
        .or_else(|| awscli::why::card_for_code(&props.code))
    else {
        return html! {};
    };
    let limited = lab.with_session(lab::scenario::why_detail) == WhyDetail::Limited;
    let toggle = {
        let open = open.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            open.set(!*open)
        })
    };
    html! {
        <div class="why">
            <button class="btn-why" aria-expanded={open.to_string()} onclick={toggle} data-testid="why">{ "Why?" }</button>
            if *open {
                <div class="why-card" role="note" data-testid="why-card">
                    if limited {
                        <div class="why-gate">{ format!("{}: find the cause", props.code) }</div>
                        <p>{ crate::components::prose::prose(LIMITED) }</p>
                        <a href="https://docs.aws.amazon.com/kms/latest/developerguide/logging-using-cloudtrail.html" target="_blank" rel="noopener">{ "AWS documentation: logging KMS calls with CloudTrail" }</a>
                    } else {
                        <div class="why-gate">{ card.gate.clone() }</div>
                        <p>{ crate::components::prose::prose(&card.reading) }</p>
                        if let Some(h) = &card.hint { <p class="why-hint">{ h.clone() }</p> }
                        if let Some(t) = &card.trace { <pre class="code small why-trace">{ t.clone() }</pre> }
                        <a href={card.doc.clone()} target="_blank" rel="noopener">{ "AWS documentation" }</a>
                    }
                </div>
            }
        </div>
    }
}

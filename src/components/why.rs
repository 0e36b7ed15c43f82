//! The "Why?" panel: explains a failure KMS caused — which gate stopped it (key policy, IAM,
//! grant, key state, encryption context) — as a readable card with the AWS doc page. For
//! access decisions it runs `lab explain` on a copy of the world, so asking leaves no trace.

use yew::prelude::*;

use crate::hooks::use_lab;

/// The gate an error code points at, a one-line reading, and the AWS doc page.
pub fn card_for(code: &str) -> Option<(&'static str, &'static str, &'static str)> {
    Some(match code {
        "AccessDeniedException" | "AccessDenied" => (
            "Access: key policy, IAM policies and grants",
            "Nothing allowed the request, or an explicit Deny matched. The key policy must allow the caller — directly, or by trusting the account so that an IAM policy can allow — or a grant must.",
            "https://docs.aws.amazon.com/kms/latest/developerguide/determining-access.html",
        ),
        "DisabledException" | "KMS.DisabledException" => (
            "Key state: disabled",
            "Authorization passed, but the key is disabled. Enable it (EnableKey) to use it again; nothing about the data changed.",
            "https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html",
        ),
        "KMSInvalidStateException" | "KMS.KMSInvalidStateException" => (
            "Key state: not usable for this operation",
            "The key's state (pending deletion, pending import, …) does not allow this operation. A key pending deletion can be recovered with CancelKeyDeletion until its waiting period ends.",
            "https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html",
        ),
        "InvalidCiphertextException" => (
            "Ciphertext or encryption context",
            "The ciphertext was altered, or the encryption context differs from the one used to encrypt. The context is bound as additional authenticated data: it must match exactly, keys and values, case-sensitive.",
            "https://docs.aws.amazon.com/kms/latest/developerguide/encrypt_context.html",
        ),
        "IncorrectKeyException" => (
            "Wrong key for this ciphertext",
            "The KeyId you passed is not the key that encrypted the data. For symmetric ciphertexts you can omit KeyId: the ciphertext names its key.",
            "https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html",
        ),
        "NotFoundException" | "KMS.NotFoundException" => (
            "Key not found from where you asked",
            "KMS keys are Regional and per account: check the Region, and name keys in other accounts by key ARN or alias ARN. A deleted key is gone for good.",
            "https://docs.aws.amazon.com/kms/latest/developerguide/find-cmk-id-arn.html",
        ),
        _ => return None,
    })
}

#[derive(Properties, PartialEq, Debug)]
pub struct WhyProps {
    /// The AWS error code the failure carried.
    pub code: AttrValue,
    /// The command line that failed, when it came from the terminal (enables `lab explain`).
    #[prop_or_default]
    pub command: Option<AttrValue>,
}

#[component]
pub fn Why(props: &WhyProps) -> Html {
    let lab = use_lab();
    let open = use_state(|| false);
    let Some((gate, reading, doc)) = card_for(&props.code) else {
        return html! {};
    };
    let toggle = {
        let open = open.clone();
        Callback::from(move |e: MouseEvent| {
            e.stop_propagation();
            open.set(!*open)
        })
    };
    let trace = (*open && props.code.contains("AccessDenied"))
        .then(|| props.command.clone())
        .flatten()
        .map(|cmd| {
            let mut copy = lab.snapshot();
            let out = copy.run_line_in_memory(&format!("lab explain -- {cmd}"));
            if out.exit_code == 0 {
                out.stdout
            } else {
                out.stderr
            }
        });
    html! {
        <div class="why">
            <button class="btn-why" aria-expanded={open.to_string()} onclick={toggle} data-testid="why">{ "Why?" }</button>
            if *open {
                <div class="why-card" role="note" data-testid="why-card">
                    <div class="why-gate">{ gate }</div>
                    <p>{ reading }</p>
                    if let Some(t) = trace { <pre class="code small why-trace">{ t }</pre> }
                    <a href={doc} target="_blank" rel="noopener">{ "AWS documentation" }</a>
                </div>
            }
        </div>
    }
}

//! The envelope-encryption diagram, drawn from the real values of the learner's last
//! GenerateDataKey (or a placeholder until they make one): KMS returns a plaintext data key and
//! the same key encrypted under the KMS key; the app encrypts data locally with the plaintext
//! key, throws it away, and stores the encrypted data key beside the data.

use yew::prelude::*;

/// Values of one GenerateDataKey call.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct EnvelopeValues {
    pub key_id: String,
    pub plaintext_b64: String,
    pub ciphertext_b64: String,
}

#[derive(Properties, PartialEq, Debug)]
pub struct EnvelopeProps {
    /// The last real call's values, if the learner made one.
    pub values: Option<EnvelopeValues>,
}

fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

#[component]
pub fn EnvelopeDiagram(props: &EnvelopeProps) -> Html {
    let real = props.values.is_some();
    let v = props.values.clone().unwrap_or_else(|| EnvelopeValues {
        key_id: "1234abcd-…".into(),
        plaintext_b64: "(plaintext data key)".into(),
        ciphertext_b64: "(encrypted data key)".into(),
    });
    let key = format!(
        "KMS key {}",
        short(v.key_id.rsplit('/').next().unwrap_or(&v.key_id), 13)
    );
    html! {
        <figure class="diagram" aria-labelledby="envelope-caption">
            <svg viewBox="0 0 760 300" role="img" aria-label="Envelope encryption: GenerateDataKey, local encryption, store the encrypted data key" class="svg-diagram">
                <defs>
                    <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M0 0 10 5 0 10z" class="svg-arrowhead" />
                    </marker>
                </defs>
                // KMS
                <rect x="20" y="20" width="220" height="110" rx="10" class="svg-box svg-kms" />
                <text x="130" y="48" class="svg-title">{ "AWS KMS" }</text>
                <text x="130" y="72" class="svg-mono">{ key }</text>
                <text x="130" y="96" class="svg-small">{ "never leaves KMS unencrypted" }</text>
                // App
                <rect x="520" y="20" width="220" height="110" rx="10" class="svg-box svg-app" />
                <text x="630" y="48" class="svg-title">{ "Your application" }</text>
                <text x="630" y="72" class="svg-small">{ "AES-256-GCM with the" }</text>
                <text x="630" y="90" class="svg-small">{ "plaintext data key, locally" }</text>
                // Storage
                <rect x="270" y="190" width="220" height="90" rx="10" class="svg-box svg-store" />
                <text x="380" y="216" class="svg-title">{ "Storage" }</text>
                <text x="380" y="238" class="svg-small">{ "encrypted data +" }</text>
                <text x="380" y="258" class="svg-mono">{ short(&v.ciphertext_b64, 22) }</text>
                // 1: GenerateDataKey request/response
                <path d="M240 50 H520" class="svg-flow flow-1" marker-end="url(#arrow)" />
                <text x="380" y="42" class="svg-step">{ "① GenerateDataKey → Plaintext + CiphertextBlob" }</text>
                <text x="380" y="70" class="svg-mono">{ format!("Plaintext {}", short(&v.plaintext_b64, 18)) }</text>
                // 2: encrypt locally
                <path d="M700 130 V230 H490" class="svg-flow flow-2" marker-end="url(#arrow)" />
                <text x="505" y="170" class="svg-step svg-left">{ "② encrypt data locally," }</text>
                <text x="505" y="188" class="svg-step svg-left">{ "then discard the plaintext key" }</text>
                // 3: decrypt later
                <path d="M270 235 H130 V130" class="svg-flow flow-3" marker-end="url(#arrow)" />
                <text x="20" y="170" class="svg-step svg-left">{ "③ later: Decrypt the" }</text>
                <text x="20" y="188" class="svg-step svg-left">{ "CiphertextBlob to read" }</text>
            </svg>
            <figcaption id="envelope-caption" class="muted small">
                if real {
                    { "Drawn from your last GenerateDataKey call." }
                } else {
                    { "Run `aws kms generate-data-key --key-id <key> --key-spec AES_256` in the terminal to see your own values here." }
                }
            </figcaption>
        </figure>
    }
}

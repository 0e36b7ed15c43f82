//! The Key material tab of a key with imported material (origin EXTERNAL), as the console's
//! import flow goes: download the wrapping public key and import token (GetParametersForImport;
//! the lab writes them as files, as the console downloads them), wrap the material outside KMS
//! (the terminal's `lab local wrap-key-material`, or the Lab tools), then upload the wrapped
//! material and the token with an expiration (ImportKeyMaterial).

use base64::Engine as _;
use serde_json::{Value, json};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::hooks::use_lab;
use crate::pages::epoch;
use crate::views::KeyMetadata;

/// The files the console's download holds (the names AWS gives them).
pub const PUBLIC_KEY_FILE: &str = "WrappingPublicKey.bin";
pub const TOKEN_FILE: &str = "ImportToken.bin";

const ALGORITHMS: [&str; 5] = [
    "RSAES_OAEP_SHA_256",
    "RSA_AES_KEY_WRAP_SHA_256",
    "RSAES_OAEP_SHA_1",
    "RSA_AES_KEY_WRAP_SHA_1",
    "RSAES_PKCS1_V1_5",
];
const SPECS: [&str; 3] = ["RSA_2048", "RSA_3072", "RSA_4096"];

/// The (file name, bytes) a GetParametersForImport answer is downloaded as.
pub fn downloads(answer: &Value) -> Vec<(&'static str, Vec<u8>)> {
    let b64 = |member: &str| {
        answer
            .get(member)
            .and_then(Value::as_str)
            .and_then(|s| base64::engine::general_purpose::STANDARD.decode(s).ok())
    };
    [(PUBLIC_KEY_FILE, "PublicKey"), (TOKEN_FILE, "ImportToken")]
        .into_iter()
        .filter_map(|(file, member)| b64(member).map(|bytes| (file, bytes)))
        .collect()
}

/// The ImportKeyMaterial request for these files' contents and expiry (`None`: never expires).
pub fn import_request(key_id: &str, material: &[u8], token: &[u8], expires: Option<&str>) -> Value {
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let mut input = json!({
        "KeyId": key_id,
        "EncryptedKeyMaterial": b64(material),
        "ImportToken": b64(token),
    });
    match expires {
        Some(date) => {
            input["ExpirationModel"] = json!("KEY_MATERIAL_EXPIRES");
            input["ValidTo"] = json!(date);
        }
        None => input["ExpirationModel"] = json!("KEY_MATERIAL_DOES_NOT_EXPIRE"),
    }
    input
}

fn select(state: &UseStateHandle<String>) -> Callback<Event> {
    let state = state.clone();
    Callback::from(move |e: Event| {
        if let Some(s) = e.target_dyn_into::<HtmlSelectElement>() {
            state.set(s.value());
        }
    })
}

#[derive(Properties, PartialEq, Debug)]
pub struct MaterialProps {
    pub region: AttrValue,
    pub metadata: KeyMetadata,
}

#[component]
pub fn MaterialTab(props: &MaterialProps) -> Html {
    let lab = use_lab();
    let m = &props.metadata;
    let algorithm = use_state(|| ALGORITHMS[0].to_owned());
    let spec = use_state(|| SPECS[0].to_owned());
    let files = lab.with_session(|s| awscli::FileSystem::list(&s.files));
    let pick = |preferred: &str| {
        if files.iter().any(|f| f == preferred) {
            preferred.to_owned()
        } else {
            files.first().cloned().unwrap_or_default()
        }
    };
    let material = use_state(|| None::<String>);
    let token = use_state(|| None::<String>);
    let expires = use_state(|| true);
    let in_30_days = crate::state::format_time(lab.now_ms() + 30 * crate::state::DAY_MS);
    let valid_to = use_state(|| in_30_days.get(..10).unwrap_or_default().to_owned());
    let material_file = (*material).clone().unwrap_or_else(|| pick("wrapped.bin"));
    let token_file = (*token).clone().unwrap_or_else(|| pick(TOKEN_FILE));

    // A successful download is written to the lab's files, as the console's download is saved.
    {
        let lab = lab.clone();
        use_effect_with(lab.last_call.clone(), move |last| {
            if let Some(outcome) = last
                && outcome.operation == "GetParametersForImport"
                && let Ok(answer) = &outcome.result
            {
                for (name, bytes) in downloads(answer) {
                    lab.put_file(name.to_owned(), bytes);
                }
            }
        });
    }
    let download = {
        let (lab, region, key_id) = (lab.clone(), props.region.to_string(), m.key_id.clone());
        let (algorithm, spec) = ((*algorithm).clone(), (*spec).clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            lab.call(
                region.clone(),
                "kms",
                "GetParametersForImport",
                json!({ "KeyId": key_id, "WrappingAlgorithm": algorithm, "WrappingKeySpec": spec }),
                format!(
                    "Downloaded the wrapping public key and import token ({spec}, {algorithm})"
                ),
            );
        })
    };
    let upload = {
        let (lab, region, key_id) = (lab.clone(), props.region.to_string(), m.key_id.clone());
        let (material_file, token_file) = (material_file.clone(), token_file.clone());
        let expiry = expires.then(|| (*valid_to).clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let read = |name: &str| {
                lab.with_session(|s| awscli::FileSystem::read(&s.files, name))
                    .unwrap_or_default()
            };
            let input = import_request(
                &key_id,
                &read(&material_file),
                &read(&token_file),
                expiry.as_deref(),
            );
            lab.call(
                region.clone(),
                "kms",
                "ImportKeyMaterial",
                input,
                format!("Imported key material from {material_file}"),
            );
        })
    };
    let file_options = |chosen: &str| {
        html! { <>{ for files.iter().map(|f| html! { <option value={f.clone()} selected={f == chosen}>{ f.clone() }</option> }) }</> }
    };
    let on_material = {
        let material = material.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<HtmlSelectElement>() {
                material.set(Some(s.value()));
            }
        })
    };
    let on_token = {
        let token = token.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e.target_dyn_into::<HtmlSelectElement>() {
                token.set(Some(s.value()));
            }
        })
    };
    html! {
        <>
        <div class="fields">
            <div class="field"><div class="field-label">{ "Key state" }</div><div class="field-value">{ m.key_state.clone() }</div></div>
            <div class="field"><div class="field-label">{ "Expiration" }</div><div class="field-value">{
                match m.expiration_model.as_deref() {
                    Some("KEY_MATERIAL_DOES_NOT_EXPIRE") => html! { "Does not expire" },
                    Some(_) => epoch(m.valid_to),
                    None => html! { "-" },
                }
            }</div></div>
            <div class="field"><div class="field-label">{ "Current key material ID" }</div><div class="field-value mono small break">{ m.current_key_material_id.clone().unwrap_or_else(|| "-".into()) }</div></div>
        </div>
        <h3>{ "1. Download wrapping public key and import token" }</h3>
        <form class="inline-form" onsubmit={download} data-testid="import-params-form">
            <label>{ "Wrapping key spec " }<select class="input" aria-label="Wrapping key spec" onchange={select(&spec)}>
                { for SPECS.iter().map(|s| html! { <option value={*s} selected={*spec == *s}>{ *s }</option> }) }
            </select></label>
            <label>{ "Wrapping algorithm " }<select class="input" aria-label="Wrapping algorithm" onchange={select(&algorithm)}>
                { for ALGORITHMS.iter().map(|a| html! { <option value={*a} selected={*algorithm == *a}>{ *a }</option> }) }
            </select></label>
            <button type="submit" class="btn btn-small">{ "Download wrapping public key and import token" }</button>
        </form>
        <p class="help">{ format!("Saved as the lab files {PUBLIC_KEY_FILE} and {TOKEN_FILE} (valid for 24 hours). Wrap your key material with the public key outside KMS, e.g. in the terminal: lab local wrap-key-material --public-key fileb://{PUBLIC_KEY_FILE} --algorithm {} --in material.bin --out wrapped.bin", *algorithm) }</p>
        <h3>{ "2. Upload wrapped key material" }</h3>
        if files.is_empty() {
            <p class="muted">{ "No lab files yet: download the parameters and wrap your material first." }</p>
        } else {
            <form class="inline-form" onsubmit={upload} data-testid="import-form">
                <label>{ "Wrapped key material " }<select class="input" aria-label="Wrapped key material file" onchange={on_material}>{ file_options(&material_file) }</select></label>
                <label>{ "Import token " }<select class="input" aria-label="Import token file" onchange={on_token}>{ file_options(&token_file) }</select></label>
                <label class="check"><input type="checkbox" checked={*expires} data-testid="material-expires"
                    onchange={{ let x = expires.clone(); Callback::from(move |e: Event| if let Some(i) = e.target_dyn_into::<HtmlInputElement>() { x.set(i.checked()) }) }} />{ " Key material expires" }</label>
                if *expires {
                    <label>{ "Expiration date (UTC) " }<input class="input" type="date" aria-label="Expiration date" value={(*valid_to).clone()}
                        oninput={{ let v = valid_to.clone(); Callback::from(move |e: InputEvent| if let Some(i) = e.target_dyn_into::<HtmlInputElement>() { v.set(i.value()) }) }} /></label>
                }
                <button type="submit" class="btn btn-primary btn-small">{ "Upload key material" }</button>
            </form>
        }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_download_is_the_public_key_and_token_files() {
        let answer = json!({ "KeyId": "k", "PublicKey": "AAEC", "ImportToken": "AwQ=", "ParametersValidTo": 1.0 });
        assert_eq!(
            downloads(&answer),
            vec![(PUBLIC_KEY_FILE, vec![0, 1, 2]), (TOKEN_FILE, vec![3, 4])]
        );
        assert!(downloads(&json!({ "PublicKey": "not base64!" })).is_empty());
    }

    #[test]
    fn the_import_request_carries_the_expiry_model() {
        let r = import_request("k", &[1], &[2], Some("2027-01-05"));
        assert_eq!(r["ExpirationModel"], "KEY_MATERIAL_EXPIRES");
        assert_eq!(r["ValidTo"], "2027-01-05");
        assert_eq!(r["EncryptedKeyMaterial"], "AQ==");
        let r = import_request("k", &[1], &[2], None);
        assert_eq!(r["ExpirationModel"], "KEY_MATERIAL_DOES_NOT_EXPIRE");
        assert!(r.get("ValidTo").is_none());
    }
}

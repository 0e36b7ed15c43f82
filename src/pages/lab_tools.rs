//! Lab tools (`#/lab-tools`): the steps some scenarios need that AWS has no console page for,
//! because you do them on your own machine: files (upload, download, write text) and local
//! cryptography (encrypt or decrypt a file with a data key, random bytes, wrap key material for
//! an import). They run the terminal's own `lab local` commands on the lab's files (so the
//! results are the same files `fileb://NAME` reads), without calling AWS.

use base64::Engine as _;
use yew::prelude::*;

use crate::components::form::{Fields, choices, select, text, textarea, use_form};
use crate::hooks::use_lab;
use crate::pages::lab_kms_file::KmsFilePanel;

/// The `lab local` arguments of a step from its form (empty members left out).
pub(crate) fn local_args(step: &str, f: &Fields) -> Vec<String> {
    let options: &[(&str, &str)] = match step {
        "encrypt" | "decrypt" => &[
            ("in", "in"),
            ("out", "out"),
            ("key-b64", "key_b64"),
            ("key-file", "key_file"),
            ("aad", "aad"),
        ],
        "random" => &[("bytes", "bytes"), ("out", "out")],
        _ => &[
            ("public-key", "public_key"),
            ("algorithm", "algorithm"),
            ("in", "in"),
            ("out", "out"),
            ("token-out", "token_out"),
        ],
    };
    let mut args = vec![step.to_owned()];
    for (option, field) in options {
        if let Some(v) = f.opt(field) {
            args.push(format!("--{option}"));
            args.push(v);
        }
    }
    args
}

/// Choices of the lab's files (with "none" first).
fn file_choices(files: &[(String, usize)], none: &str) -> Vec<(String, String)> {
    std::iter::once((String::new(), none.to_owned()))
        .chain(
            files
                .iter()
                .map(|(n, len)| (n.clone(), format!("{n} ({len} bytes)"))),
        )
        .collect()
}

#[component]
pub fn LabTools() -> Html {
    let lab = use_lab();
    let files: Vec<(String, usize)> = lab.with_session(|s| {
        awscli::FileSystem::list(&s.files)
            .into_iter()
            .map(|n| {
                let len = awscli::FileSystem::read(&s.files, &n).map_or(0, |b| b.len());
                (n, len)
            })
            .collect()
    });
    let write = use_form(&[]);
    let crypt = use_form(&[("step", "decrypt")]);
    let random = use_form(&[("bytes", "32")]);
    let wrap = use_form(&[
        ("algorithm", "RSAES_OAEP_SHA_256"),
        ("out", "wrapped.bin"),
        ("token_out", "token.bin"),
    ]);

    let upload = {
        let lab = lab.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else {
                return;
            };
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            let lab = lab.clone();
            let name = file.name();
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(buf) = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await {
                    lab.put_file(name, js_sys::Uint8Array::new(&buf).to_vec());
                }
            });
            input.set_value("");
        })
    };
    let save_text = {
        let (lab, write) = (lab.clone(), write.clone());
        Callback::from(move |_: MouseEvent| {
            lab.put_file(
                write.get("name").to_owned(),
                write.get("content").as_bytes().to_vec(),
            );
        })
    };
    let run = |form: &crate::components::form::Form, step: Option<&'static str>| {
        let (lab, form) = (lab.clone(), form.clone());
        Callback::from(move |_: MouseEvent| {
            let step = step.map_or_else(|| form.get("step").to_owned(), str::to_owned);
            lab.lab_local(local_args(&step, &form));
        })
    };
    let download = |name: &str| -> Html {
        let bytes = lab
            .with_session(|s| awscli::FileSystem::read(&s.files, name))
            .unwrap_or_default();
        let href = format!(
            "data:application/octet-stream;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        );
        html! { <a class="btn btn-small" download={name.to_owned()} {href}>{ "Download" }</a> }
    };
    let inputs = file_choices(&files, "Choose a file");
    let no_key_file = file_choices(&files, "None (use the base64 key)");

    html! {
        <section class="page" aria-labelledby="page-title">
            <div class="page-header">
                <h1 id="page-title">{ "Lab tools" }</h1>
                <span class="badge">{ "not part of the AWS console" }</span>
            </div>
            <p class="help">{ "Steps you would do on your own computer or in your application, not in the AWS console: keep files, decrypt a file with a data key, wrap key material before importing it (these never call AWS and leave no CloudTrail event), and encrypt or decrypt a file with KMS as an application does (an audited KMS call). The files are the ones the terminal reads as fileb://NAME." }</p>

            <div class="panel" data-testid="lab-files">
                <div class="panel-header"><h2>{ format!("Files ({})", files.len()) }</h2></div>
                if files.is_empty() {
                    <p class="muted">{ "No files yet." }</p>
                } else {
                    <div class="table-wrap"><table class="table resource-table" data-testid="lab-files-table">
                        <thead><tr><th scope="col">{ "Name" }</th><th scope="col">{ "Size (bytes)" }</th><th scope="col">{ "" }</th></tr></thead>
                        <tbody>{ for files.iter().map(|(n, len)| html! {
                            <tr><td class="mono small">{ n.clone() }</td><td class="small">{ len.to_string() }</td><td>{ download(n) }</td></tr>
                        }) }</tbody>
                    </table></div>
                }
                <div class="actions">
                    <label class="btn btn-small">{ "Upload a file" }
                        <input type="file" class="visually-hidden" onchange={upload} data-testid="lab-upload" />
                    </label>
                </div>
                <h3 class="sub-heading">{ "Write a text file" }</h3>
                <div class="form-grid">{ text(&write, "name", "File name", "diagnosis.txt") }</div>
                { textarea(&write, "content", "Content", 4) }
                <div class="actions"><button class="btn btn-small" onclick={save_text} data-testid="lab-write">{ "Save file" }</button></div>
            </div>

            <div class="panel" data-testid="lab-crypto">
                <div class="panel-header"><h2>{ "Encrypt or decrypt a file locally (envelope encryption)" }</h2></div>
                <p class="help">{ "AES-GCM with a plaintext data key from KMS GenerateDataKey (or Decrypt of the encrypted data key). The file is nonce, ciphertext and tag; the additional data must match on decryption." }</p>
                <div class="form-grid">
                    { select(&crypt, "step", "Operation", &[("decrypt".into(), "Decrypt".into()), ("encrypt".into(), "Encrypt".into())]) }
                    { select(&crypt, "in", "Input file", &inputs) }
                    { text(&crypt, "out", "Output file name", "plain.txt") }
                    { text(&crypt, "key_b64", "Data key (base64 Plaintext)", "") }
                    { select(&crypt, "key_file", "…or the data key in a file", &no_key_file) }
                    { text(&crypt, "aad", "Additional authenticated data (optional)", "") }
                </div>
                <div class="actions"><button class="btn btn-small" onclick={run(&crypt, None)} data-testid="lab-crypt">{ "Run" }</button></div>
            </div>

            <KmsFilePanel inputs={inputs.clone()} />

            <div class="panel" data-testid="lab-random">
                <div class="panel-header"><h2>{ "Generate random bytes" }</h2></div>
                <p class="help">{ "For example 32 bytes of key material to import into a key with origin EXTERNAL." }</p>
                <div class="form-grid">
                    { text(&random, "bytes", "Number of bytes", "32") }
                    { text(&random, "out", "Output file name", "material.bin") }
                </div>
                <div class="actions"><button class="btn btn-small" onclick={run(&random, Some("random"))} data-testid="lab-random-run">{ "Generate" }</button></div>
            </div>

            <div class="panel" data-testid="lab-wrap">
                <div class="panel-header"><h2>{ "Wrap key material for import" }</h2></div>
                <p class="help">{ "Encrypts your key material with the wrapping public key from GetParametersForImport (the saved JSON answer or the DER public key). With the JSON, its import token is written too. Then import the wrapped material and the token into the key." }</p>
                <div class="form-grid">
                    { select(&wrap, "public_key", "Wrapping public key (or the parameters JSON)", &inputs) }
                    { select(&wrap, "algorithm", "Wrapping algorithm", &choices(&["RSAES_OAEP_SHA_256", "RSAES_OAEP_SHA_1", "RSA_AES_KEY_WRAP_SHA_256", "RSA_AES_KEY_WRAP_SHA_1"])) }
                    { select(&wrap, "in", "Key material", &inputs) }
                    { text(&wrap, "out", "Wrapped material file", "wrapped.bin") }
                    { text(&wrap, "token_out", "Import token file (from the JSON)", "token.bin") }
                </div>
                <div class="actions"><button class="btn btn-small" onclick={run(&wrap, Some("wrap-key-material"))} data-testid="lab-wrap-run">{ "Wrap" }</button></div>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_pass_only_the_options_filled_in() {
        let f = Fields::with(&[
            ("in", "secret.bin"),
            ("out", "plain.txt"),
            ("key_b64", "AAAA"),
            ("key_file", ""),
        ]);
        assert_eq!(
            local_args("decrypt", &f),
            vec![
                "decrypt",
                "--in",
                "secret.bin",
                "--out",
                "plain.txt",
                "--key-b64",
                "AAAA"
            ]
        );
        let w = Fields::with(&[
            ("public_key", "params.json"),
            ("algorithm", "RSAES_OAEP_SHA_256"),
            ("in", "m.bin"),
            ("out", "w.bin"),
            ("token_out", "t.bin"),
        ]);
        assert_eq!(
            local_args("wrap-key-material", &w)[1..3],
            ["--public-key".to_owned(), "params.json".to_owned()]
        );
        assert_eq!(
            local_args(
                "random",
                &Fields::with(&[("bytes", "32"), ("out", "k.bin")])
            ),
            vec!["random", "--bytes", "32", "--out", "k.bin"]
        );
    }
}

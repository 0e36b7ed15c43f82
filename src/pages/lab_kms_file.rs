//! Lab tools' "Encrypt or decrypt a file with KMS": what an application does with the SDK (or a
//! learner with `aws kms encrypt/decrypt … fileb://`), which the AWS console has no page for.
//! Unlike the local steps it calls AWS: one audited KMS call as the current profile in the
//! console's Region, and a refusal shows AWS's error with its Why? card.

use yew::prelude::*;

use crate::components::form::{Fields, select, text, use_form};
use crate::hooks::use_lab;
use crate::state::KmsFileRequest;

/// `k=v` pairs separated by commas (blank ones left out; a pair without `=` is a key with an
/// empty value).
pub(crate) fn context_pairs(text: &str) -> Vec<(String, String)> {
    text.split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k.trim().to_owned(), v.trim().to_owned()),
            None => (p.to_owned(), String::new()),
        })
        .collect()
}

/// The request the form describes, in `region`.
pub(crate) fn request(f: &Fields, region: String) -> KmsFileRequest {
    KmsFileRequest {
        region,
        operation: if f.get("operation") == "Encrypt" {
            "Encrypt"
        } else {
            "Decrypt"
        },
        key_id: f.opt("key"),
        context: context_pairs(f.get("context")),
        input: f.get("in").to_owned(),
        output: f.get("out").trim().to_owned(),
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct KmsFileProps {
    /// (value, text) choices of the lab's files.
    pub inputs: Vec<(String, String)>,
}

#[component]
pub fn KmsFilePanel(props: &KmsFileProps) -> Html {
    let lab = use_lab();
    let form = use_form(&[("operation", "Decrypt")]);
    let identity = lab.identity();
    let run = {
        let (lab, form, region) = (lab.clone(), form.clone(), identity.region.clone());
        Callback::from(move |_: MouseEvent| lab.kms_file(request(&form, region.clone())))
    };
    let operations = [
        ("Decrypt".to_owned(), "Decrypt".to_owned()),
        ("Encrypt".to_owned(), "Encrypt".to_owned()),
    ];
    html! {
        <div class="panel" data-testid="lab-kms-file">
            <div class="panel-header"><h2>{ "Encrypt or decrypt a file with KMS" }</h2></div>
            <p class="help">{ format!(
                "What your application does with the SDK: KMS Encrypt or Decrypt of a file (up to 4 KB), as {} in {}. This one calls AWS: it is in CloudTrail, and a refusal shows why. The encryption context must match exactly on decryption.",
                identity.principal, identity.region) }</p>
            <div class="form-grid">
                { select(&form, "operation", "Operation", &operations) }
                { select(&form, "in", "Input file", &props.inputs) }
                { text(&form, "out", "Output file name", "plain.txt") }
                { text(&form, "key", "KMS key (required to encrypt)", "alias/…, key id or ARN") }
                { text(&form, "context", "Encryption context (k=v, k2=v2)", "department=finance") }
            </div>
            <div class="actions"><button class="btn btn-small" onclick={run} data-testid="lab-kms-run">{ "Call KMS" }</button></div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_becomes_one_kms_request() {
        let f = Fields::with(&[
            ("operation", "Encrypt"),
            ("in", "orders.txt"),
            ("out", " orders-mrk.bin "),
            ("key", "alias/orders"),
            ("context", "job=nightly, dept = hr ,"),
        ]);
        let r = request(&f, "us-east-1".into());
        assert_eq!(r.operation, "Encrypt");
        assert_eq!(r.key_id.as_deref(), Some("alias/orders"));
        assert_eq!(r.output, "orders-mrk.bin");
        assert_eq!(
            r.context,
            vec![
                ("job".into(), "nightly".into()),
                ("dept".into(), "hr".into())
            ]
        );
        let d = request(&Fields::with(&[("in", "a.bin")]), "us-west-2".into());
        assert_eq!((d.operation, d.key_id), ("Decrypt", None));
    }
}

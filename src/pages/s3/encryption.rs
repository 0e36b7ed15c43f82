//! S3 encryption settings as the console asks for them: the encryption type (SSE-S3, SSE-KMS,
//! DSSE-KMS), the KMS key and the Bucket Key, for a bucket's default encryption
//! (`PutBucketEncryption`) and for one write (`PutObject`, `CopyObject` headers); and the
//! bucket's Properties → Default encryption panel.

use serde_json::{Map, Value, json};
use yew::prelude::*;

use crate::components::form::{Fields, Form, key_picker, radio, use_form};
use crate::hooks::use_lab;

/// The encryption types (value, console text).
const TYPES: [(&str, &str); 3] = [
    (
        "AES256",
        "Server-side encryption with Amazon S3 managed keys (SSE-S3)",
    ),
    (
        "aws:kms",
        "Server-side encryption with AWS KMS keys (SSE-KMS)",
    ),
    (
        "aws:kms:dsse",
        "Dual-layer server-side encryption with AWS KMS keys (DSSE-KMS)",
    ),
];

/// The encryption type radio buttons; `per_object` adds "use the bucket's default".
pub(super) fn sse_choice(form: &Form, per_object: bool) -> Html {
    let mut choices: Vec<(&str, &str)> = Vec::new();
    if per_object {
        choices.push((
            "",
            "Use the bucket settings for default encryption (send no encryption headers)",
        ));
    }
    choices.extend(TYPES);
    let group = if per_object {
        "object-sse"
    } else {
        "bucket-sse"
    };
    radio(form, "sse", group, "Encryption type", &choices)
}

/// The Bucket Key radio buttons; `per_object` adds "use the bucket's setting".
pub(super) fn bucket_key_choice(form: &Form, per_object: bool) -> Html {
    let mut choices: Vec<(&str, &str)> = Vec::new();
    if per_object {
        choices.push(("", "Use the bucket setting"));
    }
    choices.extend([("true", "Enable"), ("false", "Disable")]);
    let group = if per_object {
        "object-bucket-key"
    } else {
        "bucket-bucket-key"
    };
    radio(form, "bucket_key", group, "Bucket Key", &choices)
}

/// `PutBucketEncryption` for `bucket` from the form.
pub(super) fn encryption_input(bucket: &str, f: &Fields) -> Value {
    let algorithm = f.opt("sse").unwrap_or_else(|| "AES256".into());
    let kms = algorithm != "AES256";
    let mut by_default = json!({ "SSEAlgorithm": algorithm });
    let mut rule = json!({});
    if kms {
        if let Some(k) = f.opt("key") {
            by_default["KMSMasterKeyID"] = json!(k);
        }
        rule["BucketKeyEnabled"] = json!(f.get("bucket_key") == "true");
    }
    rule["ApplyServerSideEncryptionByDefault"] = by_default;
    json!({ "Bucket": bucket, "ServerSideEncryptionConfiguration": { "Rules": [rule] } })
}

/// The encryption headers of one write from the form (none: the bucket's default applies).
pub(super) fn write_headers(f: &Fields) -> Map<String, Value> {
    let mut h = Map::new();
    let Some(algorithm) = f.opt("sse") else {
        return h;
    };
    let kms = algorithm != "AES256";
    h.insert("ServerSideEncryption".into(), json!(algorithm));
    if kms {
        if let Some(k) = f.opt("key") {
            h.insert("SSEKMSKeyId".into(), json!(k));
        }
        match f.get("bucket_key") {
            "true" => h.insert("BucketKeyEnabled".into(), json!(true)),
            "false" => h.insert("BucketKeyEnabled".into(), json!(false)),
            _ => None,
        };
    }
    h
}

#[derive(Properties, PartialEq, Debug)]
pub(super) struct DefaultEncryptionProps {
    pub bucket: AttrValue,
    pub region: AttrValue,
    /// The current rule: algorithm, key (as a link) and Bucket Key.
    pub algorithm: Option<String>,
    pub key_link: Html,
    pub bucket_key: Option<bool>,
    /// The keys of the bucket's Region.
    pub keys: Vec<(String, String)>,
}

/// Properties → Default encryption: the current setting, and Edit.
#[component]
pub(super) fn DefaultEncryption(props: &DefaultEncryptionProps) -> Html {
    let lab = use_lab();
    let editing = use_state(|| false);
    let form = use_form(&[("sse", "aws:kms"), ("bucket_key", "true")]);
    let algorithm = props.algorithm.clone().unwrap_or_else(|| "AES256".into());
    let label = TYPES
        .iter()
        .find(|(v, _)| *v == algorithm)
        .map_or(algorithm.clone(), |(_, t)| (*t).to_owned());
    let kms = algorithm != "AES256";
    let save = {
        let (lab, form, bucket, region, editing) = (
            lab.clone(),
            form.clone(),
            props.bucket.to_string(),
            props.region.to_string(),
            editing.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            lab.call(
                region.clone(),
                "s3",
                "PutBucketEncryption",
                encryption_input(&bucket, &form),
                format!("Changed the default encryption of {bucket}"),
            );
            editing.set(false);
        })
    };
    let toggle = {
        let editing = editing.clone();
        Callback::from(move |_: MouseEvent| editing.set(!*editing))
    };
    html! {
        <div class="panel" data-testid="default-encryption">
            <div class="panel-header">
                <h2>{ "Default encryption" }</h2>
                <button class="btn btn-small" onclick={toggle} data-testid="edit-default-encryption">{ if *editing { "Cancel" } else { "Edit" } }</button>
            </div>
            <p class="help">{ "Server-side encryption is automatically applied to new objects stored in this bucket. It fills in what an upload leaves out; it does not stop an upload that asks for another encryption (a bucket policy does)." }</p>
            <div class="fields">
                <div class="field"><div class="field-label">{ "Encryption type" }</div><div class="field-value">{ label }</div></div>
                if kms {
                    <div class="field"><div class="field-label">{ "Encryption key ARN" }</div><div class="field-value">{ props.key_link.clone() }</div></div>
                }
                <div class="field"><div class="field-label">{ "Bucket Key" }</div><div class="field-value">{ if props.bucket_key == Some(true) { "Enabled" } else { "Disabled" } }</div></div>
            </div>
            if *editing {
                <div class="edit-block">
                    { sse_choice(&form, false) }
                    if form.get("sse") != "AES256" {
                        <div class="form-grid">{ key_picker(&form, "key", "AWS KMS key (empty: aws/s3)", &props.keys) }</div>
                        { bucket_key_choice(&form, false) }
                        <p class="help">{ "With a Bucket Key, S3 asks KMS for a bucket-level key and derives object keys from it: far fewer KMS requests, and the encryption context KMS sees is the bucket ARN instead of the object ARN." }</p>
                    }
                    <div class="actions"><button class="btn btn-primary" onclick={save} data-testid="save-default-encryption">{ "Save changes" }</button></div>
                </div>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_encryption_names_the_key_and_bucket_key_only_for_kms() {
        let f = Fields::with(&[
            ("sse", "aws:kms"),
            ("key", "arn:aws:kms:eu-north-1:1:key/k"),
            ("bucket_key", "true"),
        ]);
        assert_eq!(
            encryption_input("b", &f),
            json!({ "Bucket": "b", "ServerSideEncryptionConfiguration": { "Rules": [{
                "BucketKeyEnabled": true,
                "ApplyServerSideEncryptionByDefault": { "SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "arn:aws:kms:eu-north-1:1:key/k" }
            }] } })
        );
        let s3 = encryption_input("b", &f.with_value("sse", "AES256"));
        assert_eq!(
            s3["ServerSideEncryptionConfiguration"]["Rules"][0],
            json!({ "ApplyServerSideEncryptionByDefault": { "SSEAlgorithm": "AES256" } })
        );
    }

    #[test]
    fn write_headers_are_empty_for_the_bucket_default() {
        assert!(write_headers(&Fields::default()).is_empty());
        let f = Fields::with(&[
            ("sse", "aws:kms"),
            ("key", "alias/k"),
            ("bucket_key", "true"),
        ]);
        let h = write_headers(&f);
        assert_eq!(h["ServerSideEncryption"], "aws:kms");
        assert_eq!(h["SSEKMSKeyId"], "alias/k");
        assert_eq!(h["BucketKeyEnabled"], json!(true));
        assert_eq!(write_headers(&f.with_value("sse", "AES256")).len(), 1);
    }
}

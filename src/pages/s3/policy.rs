//! A bucket's Permissions tab: the bucket policy, edited and saved with `PutBucketPolicy` (S3
//! validates it: an invalid document is refused with `MalformedPolicy` and nothing changes), or
//! deleted.

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::hooks::use_lab;
use crate::pages::error_box;
use crate::views::ViewError;

/// The policy editor. A plain text area for now, behind this one function so the shared policy
/// editor component (line numbers, inline error markers) can replace it.
fn policy_editor(value: &str, oninput: Callback<String>) -> Html {
    let oninput = Callback::from(move |e: InputEvent| {
        if let Some(t) = e.target_dyn_into::<HtmlTextAreaElement>() {
            oninput.emit(t.value());
        }
    });
    html! {
        <textarea class="editor" aria-label="Bucket policy" spellcheck="false" data-testid="bucket-policy-editor"
            value={value.to_owned()} {oninput} />
    }
}

/// A starting point: deny every request that is not over TLS.
fn example(bucket: &str) -> String {
    format!(
        r#"{{
  "Version": "2012-10-17",
  "Statement": [
    {{
      "Sid": "DenyInsecureTransport",
      "Effect": "Deny",
      "Principal": "*",
      "Action": "s3:*",
      "Resource": ["arn:aws:s3:::{bucket}", "arn:aws:s3:::{bucket}/*"],
      "Condition": {{ "Bool": {{ "aws:SecureTransport": "false" }} }}
    }}
  ]
}}"#
    )
}

#[derive(Properties, PartialEq, Debug)]
pub(super) struct BucketPolicyProps {
    pub bucket: AttrValue,
    pub region: AttrValue,
    pub policy: Result<Option<String>, ViewError>,
}

#[component]
pub(super) fn BucketPolicy(props: &BucketPolicyProps) -> Html {
    let lab = use_lab();
    let current = props.policy.clone().ok().flatten();
    let draft = {
        let start = current.clone().unwrap_or_else(|| example(&props.bucket));
        use_state(move || start)
    };
    if let Err(e) = &props.policy {
        return error_box(e);
    }
    let on_edit = {
        let draft = draft.clone();
        Callback::from(move |v: String| draft.set(v))
    };
    let save = {
        let (lab, draft, bucket, region) = (
            lab.clone(),
            draft.clone(),
            props.bucket.to_string(),
            props.region.to_string(),
        );
        Callback::from(move |_: MouseEvent| {
            lab.call(
                region.clone(),
                "s3",
                "PutBucketPolicy",
                serde_json::json!({ "Bucket": bucket, "Policy": *draft }),
                format!("Saved the bucket policy of {bucket}"),
            );
        })
    };
    let delete = {
        let (lab, bucket, region) = (
            lab.clone(),
            props.bucket.to_string(),
            props.region.to_string(),
        );
        Callback::from(move |_: MouseEvent| {
            lab.call(
                region.clone(),
                "s3",
                "DeleteBucketPolicy",
                serde_json::json!({ "Bucket": bucket }),
                format!("Deleted the bucket policy of {bucket}"),
            );
        })
    };
    html! {
        <div class="panel" data-testid="bucket-policy">
            <div class="panel-header"><h2>{ "Bucket policy" }</h2></div>
            <p class="help">
                { if current.is_some() { "The policy in force. Edit it and save: S3 checks the document and refuses an invalid one." } else { "No bucket policy. The example below denies requests that are not over TLS; edit it and save to apply." } }
                { " An explicit Deny here wins over any Allow in IAM: this is how a bucket enforces SSE-KMS with one key (s3:x-amz-server-side-encryption, s3:x-amz-server-side-encryption-aws-kms-key-id)." }
            </p>
            { policy_editor(&draft, on_edit) }
            <div class="actions">
                <button class="btn btn-primary" onclick={save} data-testid="bucket-policy-save">{ "Save changes" }</button>
                if current.is_some() {
                    <button class="btn btn-small btn-danger" onclick={delete} data-testid="bucket-policy-delete">{ "Delete" }</button>
                }
            </div>
        </div>
    }
}

//! A bucket's Permissions tab: the bucket policy, edited and saved with `PutBucketPolicy` (S3
//! validates it: an invalid document is refused with `MalformedPolicy` and nothing changes), or
//! deleted. The shared policy editor marks a JSON syntax error at its line and column before
//! anything is sent, and S3's own refusal where it points.

use yew::prelude::*;

use crate::components::policy_editor::PolicyEditor;
use crate::hooks::use_lab;
use crate::pages::error_box;
use crate::views::ViewError;

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
    let error = use_state(|| None::<String>);
    // S3's answer to the last save, marked in the editor where it points.
    {
        let error = error.clone();
        use_effect_with(lab.last_call.clone(), move |last| {
            if let Some(outcome) = last
                && outcome.operation == "PutBucketPolicy"
            {
                error.set(
                    outcome
                        .result
                        .as_ref()
                        .err()
                        .map(|e| format!("{}: {}", e.code, e.message)),
                );
            }
        });
    }
    if let Err(e) = &props.policy {
        return error_box(e);
    }
    let start = current.clone().unwrap_or_else(|| example(&props.bucket));
    let on_change = {
        let error = error.clone();
        Callback::from(move |_: String| error.set(None))
    };
    let save = {
        let (lab, bucket, region) = (
            lab.clone(),
            props.bucket.to_string(),
            props.region.to_string(),
        );
        Callback::from(move |policy: String| {
            lab.call(
                region.clone(),
                "s3",
                "PutBucketPolicy",
                serde_json::json!({ "Bucket": bucket, "Policy": policy }),
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
            <PolicyEditor value={AttrValue::from(start)} label="Bucket policy" on_save={save} on_change={Some(on_change)}
                error={(*error).clone().map(AttrValue::from)} syntax_code="MalformedPolicy"
                testid="bucket-policy-editor" save_testid="bucket-policy-save" />
            if current.is_some() {
                <div class="actions">
                    <button class="btn btn-small btn-danger" onclick={delete} data-testid="bucket-policy-delete">{ "Delete bucket policy" }</button>
                </div>
            }
        </div>
    }
}

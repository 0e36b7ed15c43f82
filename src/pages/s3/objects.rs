//! A bucket's Objects tab: the objects with how each is encrypted (`HeadObject`), Upload (a file
//! from your computer or typed text, with the bucket's default encryption or a chosen SSE mode),
//! Download, "Edit server-side encryption" (a copy in place, which re-encrypts the object) and
//! Delete.

use base64::Engine as _;
use cloud::s3::model as s3;
use serde_json::{Value, json};
use yew::prelude::*;

use super::encryption::{bucket_key_choice, sse_choice, write_headers};
use crate::components::form::{Fields, key_picker, text, textarea, use_form};
use crate::components::resources::{bool_cell, key_cell, row_select, str_cell};
use crate::hooks::use_lab;
use crate::pages::error_box;
use crate::state::LabState;
use crate::views::{Peek, ViewError};

/// An object as the table shows it.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct ObjectRow {
    pub key: String,
    pub size: u64,
    pub last_modified: String,
    pub sse: Option<String>,
    pub kms_key: Html,
    pub bucket_key: Option<bool>,
}

/// The bucket's objects (first 1,000) with their encryption.
pub(super) fn read(
    peek: &mut Peek,
    lab: &LabState,
    region: &str,
    bucket: &str,
) -> Result<Vec<ObjectRow>, ViewError> {
    let req = s3::ListObjectsV2Request {
        bucket: Some(bucket.to_owned()),
        ..Default::default()
    };
    let list = peek.client(region)?.s3().list_objects_v2(req)?;
    let mut rows = Vec::new();
    for o in list.contents {
        let req = s3::HeadObjectRequest {
            bucket: Some(bucket.to_owned()),
            key: Some(o.key.clone()),
            ..Default::default()
        };
        let enc = peek
            .client(region)
            .and_then(|c| Ok(c.s3().head_object(req)?))
            .map(|h| h.encryption)
            .unwrap_or_default();
        rows.push(ObjectRow {
            kms_key: key_cell(peek, lab, region, enc.sse_kms_key_id.as_deref()),
            sse: enc
                .server_side_encryption
                .or(enc.sse_customer_algorithm.map(|a| format!("SSE-C ({a})"))),
            bucket_key: enc.bucket_key_enabled,
            key: o.key,
            size: o.size,
            last_modified: o.last_modified,
        });
    }
    Ok(rows)
}

/// `PutObject` of `body` as `key`, with the form's encryption headers.
pub(super) fn put_input(bucket: &str, key: &str, body: &[u8], f: &Fields) -> Value {
    let mut v = json!({
        "Bucket": bucket,
        "Key": key,
        "Body": base64::engine::general_purpose::STANDARD.encode(body),
    });
    if let Some(obj) = v.as_object_mut() {
        obj.extend(write_headers(f));
    }
    v
}

/// `CopyObject` of an object onto itself with new encryption headers (the console's "Edit
/// server-side encryption").
pub(super) fn copy_in_place_input(bucket: &str, key: &str, f: &Fields) -> Value {
    let mut v = json!({ "Bucket": bucket, "Key": key, "CopySource": format!("{bucket}/{key}") });
    if let Some(obj) = v.as_object_mut() {
        obj.extend(write_headers(f));
    }
    v
}

#[derive(Properties, PartialEq, Debug)]
pub(super) struct ObjectsProps {
    pub bucket: AttrValue,
    pub region: AttrValue,
    pub rows: Result<Vec<ObjectRow>, ViewError>,
    pub keys: Vec<(String, String)>,
}

#[component]
pub(super) fn Objects(props: &ObjectsProps) -> Html {
    let lab = use_lab();
    let selected = use_state(|| None::<String>);
    let upload = use_form(&[]);
    let edit = use_form(&[("sse", "aws:kms")]);
    let file = use_state(|| None::<(String, Vec<u8>)>);
    let downloading = use_state(|| None::<String>);
    let (bucket, region) = (props.bucket.to_string(), props.region.to_string());

    let pick = {
        let (file, upload) = (file.clone(), upload.clone());
        Callback::from(move |e: Event| {
            let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() else {
                return;
            };
            let Some(f) = input.files().and_then(|l| l.get(0)) else {
                return;
            };
            let file = file.clone();
            let name = f.name();
            // As in the console, the object key is the file's name (editable before Upload).
            upload.set(upload.with_value("object", name.clone()));
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(buf) = wasm_bindgen_futures::JsFuture::from(f.array_buffer()).await {
                    file.set(Some((name, js_sys::Uint8Array::new(&buf).to_vec())));
                }
            });
        })
    };
    let do_upload = {
        let (lab, upload, file, bucket, region) = (
            lab.clone(),
            upload.clone(),
            file.clone(),
            bucket.clone(),
            region.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let (name, body) = match &*file {
                Some((n, b)) => (n.clone(), b.clone()),
                None => (String::new(), upload.get("content").as_bytes().to_vec()),
            };
            let key = upload.opt("object").unwrap_or(name);
            lab.call(
                region.clone(),
                "s3",
                "PutObject",
                put_input(&bucket, &key, &body, &upload),
                format!("Uploaded {key} ({} bytes) to {bucket}", body.len()),
            );
        })
    };

    let table = match &props.rows {
        Err(e) => error_box(e),
        Ok(rows) if rows.is_empty() => html! { <p class="muted">{ "No objects yet." }</p> },
        Ok(rows) => html! {
            <div class="table-wrap"><table class="table resource-table" data-testid="objects-table">
                <thead><tr>
                    <th scope="col"></th><th scope="col">{ "Key" }</th><th scope="col">{ "Size" }</th><th scope="col">{ "Last modified" }</th>
                    <th scope="col">{ "Encryption" }</th><th scope="col">{ "KMS key" }</th><th scope="col">{ "Bucket Key" }</th>
                </tr></thead>
                <tbody>{ for rows.iter().map(|o| html! { <tr>
                    <td>{ row_select("object", &o.key, &selected) }</td>
                    <td class="mono small">{ o.key.clone() }</td>
                    <td class="small">{ o.size.to_string() }</td>
                    <td class="small">{ o.last_modified.clone() }</td>
                    <td class="small">{ str_cell(o.sse.as_deref()) }</td>
                    <td class="small">{ o.kms_key.clone() }</td>
                    <td class="small">{ bool_cell(o.bucket_key) }</td>
                </tr> }) }</tbody>
            </table></div>
        },
    };

    let actions = (*selected).clone().map(|key| {
        let download = {
            let (lab, bucket, region, key, downloading) = (lab.clone(), bucket.clone(), region.clone(), key.clone(), downloading.clone());
            Callback::from(move |_: MouseEvent| {
                downloading.set(Some(key.clone()));
                lab.call(region.clone(), "s3", "GetObject", json!({ "Bucket": bucket, "Key": key }), format!("Downloaded {key}"));
            })
        };
        let copy = {
            let (lab, bucket, region, key, edit) = (lab.clone(), bucket.clone(), region.clone(), key.clone(), edit.clone());
            Callback::from(move |_: MouseEvent| {
                lab.call(region.clone(), "s3", "CopyObject", copy_in_place_input(&bucket, &key, &edit), format!("Re-encrypted {key} (copied in place)"));
            })
        };
        let delete = {
            let (lab, bucket, region, key) = (lab.clone(), bucket.clone(), region.clone(), key.clone());
            Callback::from(move |_: MouseEvent| {
                lab.call(region.clone(), "s3", "DeleteObject", json!({ "Bucket": bucket, "Key": key }), format!("Deleted {key}"));
            })
        };
        html! {
            <div class="panel" data-testid="object-actions">
                <div class="panel-header"><h2 class="break">{ format!("Actions: {key}") }</h2></div>
                <div class="actions">
                    <button class="btn btn-small" onclick={download} data-testid="object-download">{ "Download" }</button>
                    <button class="btn btn-small btn-danger" onclick={delete} data-testid="object-delete">{ "Delete" }</button>
                </div>
                <h3 class="sub-heading">{ "Edit server-side encryption" }</h3>
                <p class="help">{ "S3 re-encrypts the object by copying it onto itself with the new settings (CopyObject): it reads the object (KMS Decrypt under the old key) and writes it again (GenerateDataKey under the new one)." }</p>
                { sse_choice(&edit, false) }
                if edit.get("sse") != "AES256" {
                    <div class="form-grid">{ key_picker(&edit, "key", "AWS KMS key (empty: aws/s3)", &props.keys) }</div>
                    { bucket_key_choice(&edit, true) }
                }
                <div class="actions"><button class="btn btn-small" onclick={copy} data-testid="object-copy-in-place">{ "Save changes (copy in place)" }</button></div>
            </div>
        }
    });

    html! { <>
        <div class="panel">
            <div class="panel-header"><h2>{ format!("Objects ({})", props.rows.as_ref().map_or(0, Vec::len)) }</h2></div>
            { table }
        </div>
        { actions.unwrap_or_default() }
        { downloaded(&lab, &downloading) }
        <div class="panel" data-testid="upload-object">
            <div class="panel-header"><h2>{ "Upload" }</h2></div>
            <div class="form-grid">
                <label>{ "File from your computer" }
                    <input type="file" class="input" onchange={pick} data-testid="upload-file" />
                </label>
                { text(&upload, "object", "Object key (empty: the file's name)", "reports/2026.csv") }
            </div>
            if file.is_none() {
                { textarea(&upload, "content", "…or type the content", 3) }
            }
            { sse_choice(&upload, true) }
            if !matches!(upload.get("sse"), "" | "AES256") {
                <div class="form-grid">{ key_picker(&upload, "key", "AWS KMS key (empty: aws/s3)", &props.keys) }</div>
                { bucket_key_choice(&upload, true) }
            }
            <div class="actions"><button class="btn btn-primary" onclick={do_upload} data-testid="upload-submit">{ "Upload" }</button></div>
        </div>
    </> }
}

/// The object the last `GetObject` answered: a link that saves it, and "keep in Lab tools".
fn downloaded(lab: &crate::hooks::Lab, downloading: &UseStateHandle<Option<String>>) -> Html {
    let (Some(key), Some(outcome)) = ((**downloading).clone(), lab.last_call.as_ref()) else {
        return html! {};
    };
    let Ok(answer) = &outcome.result else {
        return html! {};
    };
    if outcome.operation != "GetObject" {
        return html! {};
    }
    let body = answer["Body"].as_str().unwrap_or_default().to_owned();
    let file = key.rsplit('/').next().unwrap_or(&key).to_owned();
    let keep = {
        let (lab, file, body) = (lab.clone(), file.clone(), body.clone());
        Callback::from(move |_: MouseEvent| {
            if let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(&body) {
                lab.put_file(file.clone(), bytes);
            }
        })
    };
    html! {
        <div class="panel" data-testid="object-downloaded">
            <p>{ format!("{key}: {} bytes, {}", answer["ContentLength"], answer["ServerSideEncryption"].as_str().unwrap_or("SSE-C")) }</p>
            <div class="actions">
                <a class="btn btn-small" download={file.clone()} href={format!("data:application/octet-stream;base64,{body}")}>{ "Save to your computer" }</a>
                <button class="btn btn-small" onclick={keep} data-testid="object-keep">{ format!("Keep as {file} in Lab tools") }</button>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_in_place_names_the_object_as_its_own_source() {
        let f = Fields::with(&[
            ("sse", "aws:kms"),
            ("key", "alias/k"),
            ("bucket_key", "true"),
        ]);
        assert_eq!(
            copy_in_place_input("b", "events/1.json", &f),
            json!({ "Bucket": "b", "Key": "events/1.json", "CopySource": "b/events/1.json", "ServerSideEncryption": "aws:kms", "SSEKMSKeyId": "alias/k", "BucketKeyEnabled": true })
        );
    }

    #[test]
    fn an_upload_with_sse_kms_is_stored_under_that_key() {
        let mut world = cloud::World::new(1, 0);
        let ctx = world.context_for_profile(None, None).unwrap();
        world
            .call(
                &ctx,
                "s3",
                "CreateBucket",
                json!({ "Bucket": "lab-bucket" }),
            )
            .unwrap();
        let key = world.call(&ctx, "kms", "CreateKey", json!({})).unwrap();
        let arn = key["KeyMetadata"]["Arn"].as_str().unwrap();
        let f = Fields::with(&[("sse", "aws:kms"), ("key", arn)]);
        let put = world
            .call(
                &ctx,
                "s3",
                "PutObject",
                put_input("lab-bucket", "x.txt", b"hello", &f),
            )
            .unwrap();
        assert_eq!(put["SSEKMSKeyId"], arn);
        let got = world
            .call(
                &ctx,
                "s3",
                "GetObject",
                json!({ "Bucket": "lab-bucket", "Key": "x.txt" }),
            )
            .unwrap();
        assert_eq!(
            got["Body"],
            base64::engine::general_purpose::STANDARD.encode(b"hello")
        );
        let plain = world
            .call(
                &ctx,
                "s3",
                "PutObject",
                put_input("lab-bucket", "y.txt", b"", &Fields::default()),
            )
            .unwrap();
        assert_eq!(plain["ServerSideEncryption"], "AES256");
    }
}

//! One bucket (`#/s3/buckets/NAME`), in the bucket's Region: Objects, Properties (Default
//! encryption) and Permissions (bucket policy), as the console's tabs.

use cloud::s3::model as s3;
use yew::prelude::*;
use yew_router::prelude::*;

use super::encryption::DefaultEncryption;
use super::objects::{ObjectRow, Objects};
use super::policy::BucketPolicy;
use crate::app::Route;
use crate::components::resources::{key_cell, key_choices};
use crate::hooks::use_lab;
use crate::pages::error_box;
use crate::state::LabState;
use crate::views::{Peek, ViewError};

/// What the bucket page shows, read on one copy of the world in the bucket's Region.
#[derive(Debug)]
pub(super) struct BucketData {
    pub region: String,
    pub algorithm: Option<String>,
    pub key: Html,
    pub bucket_key: Option<bool>,
    /// The policy text (None: the bucket has none).
    pub policy: Result<Option<String>, ViewError>,
    pub objects: Result<Vec<ObjectRow>, ViewError>,
    pub keys: Vec<(String, String)>,
}

fn read(lab: &LabState, here: &str, bucket: &str) -> Result<BucketData, ViewError> {
    let mut peek = Peek::new(lab);
    let named = || s3::BucketRequest {
        bucket: Some(bucket.to_owned()),
    };
    let head = peek.client(here)?.s3().head_bucket(named())?;
    let region = if head.bucket_region.is_empty() {
        here.to_owned()
    } else {
        head.bucket_region
    };
    let rule = super::encryption_rule(&mut peek, &region, bucket).unwrap_or_default();
    let by_default = rule
        .apply_server_side_encryption_by_default
        .unwrap_or_default();
    let policy = match peek
        .client(&region)
        .and_then(|c| Ok(c.s3().get_bucket_policy(named())?))
    {
        Ok(p) => Ok(Some(p.policy)),
        Err(e) if e.code == "NoSuchBucketPolicy" => Ok(None),
        Err(e) => Err(e),
    };
    let objects = super::objects::read(&mut peek, lab, &region, bucket);
    Ok(BucketData {
        key: key_cell(
            &mut peek,
            lab,
            &region,
            by_default.kms_master_key_id.as_deref(),
        ),
        algorithm: by_default.sse_algorithm,
        bucket_key: rule.bucket_key_enabled,
        policy,
        objects,
        keys: key_choices(&mut peek, &region),
        region,
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    Objects,
    Properties,
    Permissions,
}

#[derive(Properties, PartialEq, Debug)]
pub struct BucketProps {
    pub name: AttrValue,
}

#[component]
pub fn Bucket(props: &BucketProps) -> Html {
    let lab = use_lab();
    let here = lab.identity().region;
    let tab = use_state(|| Tab::Objects);
    let data = {
        let state = (*lab).clone();
        use_memo(
            (lab.revision, here, props.name.clone()),
            move |(_, here, name)| read(&state, here, name),
        )
    };
    let name = props.name.to_string();
    let body = match &*data {
        Err(e) => error_box(e),
        Ok(d) => {
            let tabs = [
                (Tab::Objects, "Objects"),
                (Tab::Properties, "Properties"),
                (Tab::Permissions, "Permissions"),
            ];
            html! { <>
                <div class="tabs" role="tablist">
                    { for tabs.iter().map(|(t, label)| {
                        let on = *tab == *t;
                        let onclick = { let tab = tab.clone(); let t = *t; Callback::from(move |_| tab.set(t)) };
                        html! { <button class={classes!("tab", on.then_some("tab-active"))} role="tab" aria-selected={on.to_string()} {onclick}>{ *label }</button> }
                    }) }
                </div>
                { match *tab {
                    Tab::Objects => html! { <Objects bucket={name.clone()} region={d.region.clone()} rows={d.objects.clone()} keys={d.keys.clone()} /> },
                    Tab::Properties => html! { <DefaultEncryption bucket={name.clone()} region={d.region.clone()} algorithm={d.algorithm.clone()} key_link={d.key.clone()} bucket_key={d.bucket_key} keys={d.keys.clone()} /> },
                    Tab::Permissions => html! { <BucketPolicy bucket={name.clone()} region={d.region.clone()} policy={d.policy.clone()} /> },
                } }
            </> }
        }
    };
    let region = (*data)
        .as_ref()
        .map(|d| d.region.clone())
        .unwrap_or_default();
    html! {
        <section class="page page-wide" aria-labelledby="page-title">
            <nav class="breadcrumbs" aria-label="Breadcrumb">
                <Link<Route> to={Route::S3Buckets}>{ "S3 buckets" }</Link<Route>>{ format!(" › {name}") }
            </nav>
            <div class="page-header">
                <h1 id="page-title" class="break">{ name.clone() }</h1>
                <span class="muted">{ region }</span>
            </div>
            { body }
        </section>
    }
}

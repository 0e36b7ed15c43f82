//! Activity: the CloudTrail event history of the current account, newest first.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::empty_state::EmptyState;
use crate::components::request_chart::{RequestChart, bucketize};
use crate::hooks::use_lab;
use crate::state::format_time;

/// The most rows rendered at once (the world keeps more; filters narrow them).
const PAGE: usize = 200;

#[derive(Clone, Debug, PartialEq)]
struct Row {
    id: String,
    time_ms: i64,
    name: String,
    source: String,
    user: String,
    resources: String,
    error: Option<String>,
    record: String,
}

#[component]
pub fn Activity() -> Html {
    let lab = use_lab();
    let filter = use_state(String::new);
    let errors_only = use_state(|| false);
    let open = use_state(|| None::<String>);
    let account = lab.identity().account;
    let rows = {
        let lab = (*lab).clone();
        let account = account.clone();
        use_memo((lab.revision, account), move |(_, account)| {
            lab.with_session(|s| {
                let mut rows: Vec<Row> = s
                    .world
                    .events()
                    .filter(|e| e.accounts.iter().any(|a| a == account))
                    .map(|e| Row {
                        id: e.event_id.clone(),
                        time_ms: e.event_time_ms,
                        name: e.event_name.clone(),
                        source: e.event_source.clone(),
                        user: e.username.clone().unwrap_or_default(),
                        resources: e
                            .resources
                            .iter()
                            .map(|(_, n)| n.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                        error: e.error_code.clone(),
                        record: serde_json::to_string_pretty(&e.record).unwrap_or_default(),
                    })
                    .collect();
                rows.reverse();
                rows
            })
        })
    };

    let buckets = {
        let now = lab.now_ms();
        let points: Vec<(i64, bool)> = rows
            .iter()
            .filter(|r| r.source == "kms.amazonaws.com")
            .map(|r| (r.time_ms, r.error.is_some()))
            .collect();
        bucketize(&points, now, 24)
    };
    let oninput = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                filter.set(i.value());
            }
        })
    };
    let toggle_errors = {
        let errors_only = errors_only.clone();
        Callback::from(move |_| errors_only.set(!*errors_only))
    };
    let f = filter.trim().to_lowercase();
    let shown: Vec<&Row> = rows
        .iter()
        .filter(|r| !*errors_only || r.error.is_some())
        .filter(|r| {
            f.is_empty()
                || r.name.to_lowercase().contains(&f)
                || r.user.to_lowercase().contains(&f)
                || r.resources.to_lowercase().contains(&f)
                || r.error.as_deref().unwrap_or("").to_lowercase().contains(&f)
        })
        .take(PAGE)
        .collect();

    html! {
        <section class="page" aria-labelledby="page-title">
            <div class="page-header">
                <h1 id="page-title">{ "Activity — CloudTrail event history" }</h1>
                <span class="muted">{ format!("account {account}") }</span>
            </div>
            <RequestChart {buckets} />
            <div class="panel">
                <div class="panel-header">
                    <input class="search" type="search" placeholder="Filter by event name, user, key or error code"
                        aria-label="Filter events" value={(*filter).clone()} {oninput} />
                    <label class="check"><input type="checkbox" checked={*errors_only} onchange={toggle_errors} />{ " Errors only" }</label>
                </div>
                if rows.is_empty() {
                    <EmptyState title="No events yet" text="Every call you make, allowed or denied, appears here as a CloudTrail event." />
                } else if shown.is_empty() {
                    <EmptyState title="No matches" text="No event matches the filter." />
                } else {
                    <div class="table-wrap">
                    <table class="table" data-testid="events-table">
                        <thead><tr>
                            <th scope="col">{ "Event time" }</th><th scope="col">{ "Event name" }</th>
                            <th scope="col">{ "User name" }</th><th scope="col">{ "Resources" }</th><th scope="col">{ "Error code" }</th>
                        </tr></thead>
                        <tbody>
                        { for shown.iter().map(|r| {
                            let id = r.id.clone();
                            let is_open = open.as_deref() == Some(r.id.as_str());
                            let toggle = {
                                let open = open.clone();
                                Callback::from(move |_| open.set(if is_open { None } else { Some(id.clone()) }))
                            };
                            html! {
                                <>
                                <tr class={classes!(r.error.is_some().then_some("row-error"))}>
                                    <td class="small">{ format_time(r.time_ms) }</td>
                                    <td><button class="linkish" aria-expanded={is_open.to_string()} onclick={toggle}>{ r.name.clone() }</button>
                                        <div class="muted small">{ r.source.clone() }</div></td>
                                    <td class="small">{ r.user.clone() }</td>
                                    <td class="mono small break">{ r.resources.clone() }</td>
                                    <td>{ r.error.clone().unwrap_or_default() }</td>
                                </tr>
                                if is_open {
                                    <tr><td colspan="5"><pre class="code">{ r.record.clone() }</pre></td></tr>
                                }
                                </>
                            }
                        }) }
                        </tbody>
                    </table>
                    </div>
                }
            </div>
        </section>
    }
}

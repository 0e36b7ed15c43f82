//! Console: KMS keys in the current account and Region (customer managed and AWS managed).

use web_sys::HtmlInputElement;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::empty_state::EmptyState;
use crate::hooks::use_lab;
use crate::state::format_time;
use crate::views::{self, KeyRow};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    Customer,
    AwsManaged,
}

fn matches(row: &KeyRow, filter: &str) -> bool {
    let f = filter.trim().to_lowercase();
    f.is_empty()
        || row.key_id.to_lowercase().contains(&f)
        || row.description.to_lowercase().contains(&f)
        || row.state.to_lowercase().contains(&f)
        || row.aliases.iter().any(|a| a.to_lowercase().contains(&f))
}

/// A state badge, coloured like the console's status indicators.
pub fn state_badge(state: &str) -> Html {
    let class = match state {
        "Enabled" => "badge badge-ok",
        "Disabled" | "PendingImport" | "Unavailable" => "badge badge-warn",
        "PendingDeletion" | "PendingReplicaDeletion" => "badge badge-err",
        _ => "badge",
    };
    html! { <span class={class}>{ state.to_owned() }</span> }
}

#[component]
pub fn KmsKeys() -> Html {
    let lab = use_lab();
    let tab = use_state(|| Tab::Customer);
    let filter = use_state(String::new);
    // (column, ascending)
    let sort = use_state(|| (3usize, false));
    let id = lab.identity();
    let rows = {
        let lab = (*lab).clone();
        use_memo((lab.revision, id.clone()), move |_| views::kms_keys(&lab))
    };

    let oninput = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                filter.set(i.value());
            }
        })
    };
    let tab_button = |t: Tab, label: &str, count: usize| {
        let tab_h = tab.clone();
        let selected = *tab == t;
        html! {
            <button role="tab" aria-selected={selected.to_string()} class={classes!("tab", selected.then_some("tab-active"))}
                onclick={Callback::from(move |_| tab_h.set(t))}>{ format!("{label} ({count})") }</button>
        }
    };

    let body = match &*rows {
        Err(e) => crate::pages::error_box(e),
        Ok(all) => {
            let (customer, managed): (Vec<&KeyRow>, Vec<&KeyRow>) =
                all.iter().partition(|r| r.manager != "AWS");
            let list = if *tab == Tab::Customer {
                &customer
            } else {
                &managed
            };
            let mut shown: Vec<&&KeyRow> = list.iter().filter(|r| matches(r, &filter)).collect();
            let (col, asc) = *sort;
            shown.sort_by(|a, b| {
                let o = match col {
                    0 => a.aliases.join(",").cmp(&b.aliases.join(",")),
                    1 => a.key_id.cmp(&b.key_id),
                    2 => a.state.cmp(&b.state),
                    _ => a.created.total_cmp(&b.created),
                };
                if asc { o } else { o.reverse() }
            });
            let header = |i: usize, label: &str| {
                let sort = sort.clone();
                let (col, asc) = *sort;
                let aria = if col == i {
                    if asc { "ascending" } else { "descending" }
                } else {
                    "none"
                };
                let mark = if col == i {
                    if asc { " ▲" } else { " ▼" }
                } else {
                    ""
                };
                html! {
                    <th scope="col" aria-sort={aria}>
                        <button class="th-sort" onclick={Callback::from(move |_| sort.set((i, if col == i { !asc } else { true })))}>{ format!("{label}{mark}") }</button>
                    </th>
                }
            };
            html! {
                <>
                <div class="tabs" role="tablist">
                    { tab_button(Tab::Customer, "Customer managed keys", customer.len()) }
                    { tab_button(Tab::AwsManaged, "AWS managed keys", managed.len()) }
                </div>
                <div class="panel">
                    <div class="panel-header">
                        <Link<Route> to={Route::CreateKey} classes="btn btn-primary btn-small">{ "Create key" }</Link<Route>>
                        <input class="search" type="search" placeholder="Filter keys by alias, ID, description or status"
                            aria-label="Filter keys" value={(*filter).clone()} {oninput} />
                    </div>
                    if list.is_empty() {
                        if *tab == Tab::Customer {
                            <EmptyState title="No customer managed keys" text="You have no customer managed keys in this account and Region. Create one with the wizard, or in the terminal: aws kms create-key --description demo">
                                <div class="actions center">
                                    <Link<Route> to={Route::CreateKey} classes="btn btn-primary">{ "Create key" }</Link<Route>>
                                    <Link<Route> to={Route::Terminal} classes="btn">{ "Open the terminal" }</Link<Route>>
                                </div>
                            </EmptyState>
                        } else {
                            <EmptyState title="No AWS managed keys" text="AWS managed keys (aws/s3, aws/ebs, aws/rds …) appear when a service first uses them on your behalf." />
                        }
                    } else if shown.is_empty() {
                        <EmptyState title="No matches" text="No key matches the filter." />
                    } else {
                        <div class="table-wrap">
                        <table class="table" data-testid="keys-table">
                            <thead><tr>
                                { header(0, "Aliases") }{ header(1, "Key ID") }{ header(2, "Status") }
                                <th scope="col">{ "Key spec" }</th><th scope="col">{ "Key usage" }</th>
                                { header(3, "Created") }
                            </tr></thead>
                            <tbody>
                            { for shown.iter().map(|r| html! {
                                <tr>
                                    <td>{ if r.aliases.is_empty() { "-".to_owned() } else { r.aliases.join(", ") } }</td>
                                    <td class="mono">
                                        <Link<Route> to={Route::KeyDetail { region: id.region.clone(), key_id: r.key_id.clone() }}>{ r.key_id.clone() }</Link<Route>>
                                        if !r.description.is_empty() { <div class="muted small">{ r.description.clone() }</div> }
                                    </td>
                                    <td>{ state_badge(&r.state) }</td>
                                    <td class="mono">{ r.key_spec.clone() }</td>
                                    <td>{ r.key_usage.clone() }</td>
                                    <td class="small">{ format_time((r.created * 1000.0) as i64) }</td>
                                </tr>
                            }) }
                            </tbody>
                        </table>
                        </div>
                    }
                </div>
                </>
            }
        }
    };

    html! {
        <section class="page" aria-labelledby="page-title">
            <nav class="breadcrumbs" aria-label="Breadcrumb">{ "Key Management Service (KMS) › Keys" }</nav>
            <div class="page-header">
                <h1 id="page-title">{ "KMS keys" }</h1>
                <span class="muted">{ format!("{} ({}) · {}", id.account, id.account_alias, id.region) }</span>
            </div>
            { body }
        </section>
    }
}

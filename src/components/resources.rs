//! Pieces the S3, EC2 and RDS pages share: cells, resource tables, the KMS key of a resource as a
//! link to its key page (across Regions), the key suggestions of a Region, and a page's
//! sub-page tabs.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::pages::error_box;
use crate::state::LabState;
use crate::views::{Peek, ViewError};

/// A string member as a cell ("-" when absent or empty).
pub fn str_cell(v: Option<&str>) -> Html {
    match v {
        None | Some("") => html! { "-" },
        Some(s) => html! { s.to_owned() },
    }
}

/// A yes/no badge.
pub fn yes_no(b: bool) -> Html {
    if b {
        html! { <span class="badge badge-ok">{ "Yes" }</span> }
    } else {
        html! { <span class="badge badge-warn">{ "No" }</span> }
    }
}

/// A boolean member as a cell ("-" when absent).
pub fn bool_cell(v: Option<bool>) -> Html {
    v.map_or_else(|| html! { "-" }, yes_no)
}

/// A KMS key named by a resource (key ARN, key id or alias) as a link to its key page in the
/// Region it lives in; "-" when the resource has none.
pub fn key_cell(peek: &mut Peek, lab: &LabState, region: &str, key: Option<&str>) -> Html {
    match key {
        None | Some("") => html! { "-" },
        Some(k) => crate::pages::secrets::key_link(peek, lab, region, k),
    }
}

/// One table: its title, column headers and rows, or the error its list call met.
pub fn table(
    title: &str,
    testid: &str,
    headers: &[&str],
    rows: Result<Vec<Vec<Html>>, ViewError>,
) -> Html {
    let rows = match rows {
        Err(e) => return error_box(&e),
        Ok(rows) => rows,
    };
    html! {
        <div class="panel">
            <div class="panel-header"><h2>{ format!("{title} ({})", rows.len()) }</h2></div>
            if rows.is_empty() {
                <p class="muted">{ format!("No {} in this account and Region.", title.to_lowercase()) }</p>
            } else {
                <div class="table-wrap"><table class="table resource-table" data-testid={testid.to_owned()}>
                    <thead><tr>{ for headers.iter().map(|t| html! { <th scope="col">{ *t }</th> }) }</tr></thead>
                    <tbody>{ for rows.into_iter().map(|r| html! {
                        <tr>{ for r.into_iter().map(|c| html! { <td class="small">{ c }</td> }) }</tr>
                    }) }</tbody>
                </table></div>
            }
        </div>
    }
}

/// The KMS keys a form may suggest in `region`: alias names first, then key ARNs, each with
/// what it is.
pub fn key_choices(peek: &mut Peek, region: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Ok(aliases) = peek.kms_aliases(region, None) {
        for a in aliases {
            if let (Some(name), Some(_)) = (a.alias_name, a.target_key_id) {
                let what = if name.starts_with("alias/aws/") {
                    "AWS managed key"
                } else {
                    "alias"
                };
                out.push((name, what.to_owned()));
            }
        }
    }
    if let Ok(keys) = peek.kms_list_keys(region) {
        for k in keys {
            if let Some(arn) = k.key_arn {
                out.push((arn, "key ARN".to_owned()));
            }
        }
    }
    out
}

/// The Regions a form may send a copy to (the current one first).
pub fn region_choices(current: &str) -> Vec<(String, String)> {
    std::iter::once(current)
        .chain(
            crate::state::REGIONS
                .iter()
                .copied()
                .filter(|r| *r != current),
        )
        .map(|r| (r.to_owned(), r.to_owned()))
        .collect()
}

/// A service page's sub-pages as tabs (the current one marked).
pub fn sub_tabs(label: &str, tabs: &[(&str, Route)], current: &Route) -> Html {
    html! {
        <nav class="sub-tabs" aria-label={label.to_owned()}>
            { for tabs.iter().map(|(name, to)| {
                let here = to == current;
                html! {
                    <Link<Route> to={to.clone()} classes={classes!("sub-tab", here.then_some("current"))}>
                        { name.to_owned() }
                    </Link<Route>>
                }
            }) }
        </nav>
    }
}

/// A page's heading block: title, account and Region.
pub fn page_header(title: &str, lab: &LabState) -> Html {
    let id = lab.identity();
    html! {
        <div class="page-header">
            <h1 id="page-title">{ title.to_owned() }</h1>
            <span class="muted">{ format!("{} · {}", id.account, id.region) }</span>
        </div>
    }
}

/// A radio button that selects one resource of a table (the console's row selection).
pub fn row_select(group: &str, id: &str, selected: &UseStateHandle<Option<String>>) -> Html {
    let checked = selected.as_deref() == Some(id);
    let onchange = {
        let selected = selected.clone();
        let id = id.to_owned();
        Callback::from(move |_: Event| selected.set(Some(id.clone())))
    };
    html! {
        <input type="radio" name={group.to_owned()} value={id.to_owned()} {checked} {onchange}
            aria-label={format!("Select {id}")} />
    }
}

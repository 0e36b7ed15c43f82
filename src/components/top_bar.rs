//! Top bar: who you are (account, principal), where (Region), and when (the simulated clock).

use web_sys::HtmlSelectElement;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::lab_menu::LabMenu;
use crate::hooks::use_lab;
use crate::state::{DAY_MS, REGIONS, format_time};

fn select_value(e: &Event) -> Option<String> {
    e.target_dyn_into::<HtmlSelectElement>().map(|s| s.value())
}

#[component]
pub fn TopBar() -> Html {
    let lab = use_lab();
    let id = lab.identity();
    let profiles = lab.profile_names();
    let now = lab.now_ms();
    let requests = lab.kms_requests();
    let cost = lab.with_session(|s| s.world.cost(&id.account));

    let on_profile = {
        let lab = lab.clone();
        Callback::from(move |e: Event| {
            if let Some(v) = select_value(&e) {
                lab.use_profile(v);
            }
        })
    };
    let on_region = {
        let lab = lab.clone();
        Callback::from(move |e: Event| {
            if let Some(v) = select_value(&e) {
                lab.use_region(v);
            }
        })
    };
    let advance = |days: i64| {
        let lab = lab.clone();
        Callback::from(move |_| lab.advance_clock(days * DAY_MS))
    };

    html! {
        <header class="top-bar">
            <Link<Route> to={Route::KmsKeys} classes="brand">
                <span class="brand-mark" aria-hidden="true">{ "⬢" }</span>
                <span>{ "KMS Lab" }</span>
            </Link<Route>>
            <div class="top-items">
                <div class="top-item account" title="Current account">
                    <span class="top-label">{ "Account" }</span>
                    <span class="top-value mono" data-testid="account">
                        { format!("{} ({})", id.account, id.account_alias) }
                    </span>
                </div>
                <label class="top-item">
                    <span class="top-label">{ "Profile · " }<span class="mono" data-testid="principal" title="The profile's principal">{ id.principal.split(':').nth(5).unwrap_or_default().to_owned() }</span></span>
                    <select class="top-select" aria-label="Profile" onchange={on_profile} data-testid="profile">
                        { for profiles.iter().map(|p| html! {
                            <option value={p.clone()} selected={*p == id.profile}>{ p.clone() }</option>
                        }) }
                    </select>
                </label>
                <label class="top-item">
                    <span class="top-label">{ "Region" }</span>
                    <select class="top-select" aria-label="Region" onchange={on_region} data-testid="region">
                        { for REGIONS.iter().map(|r| html! {
                            <option value={*r} selected={*r == id.region}>{ *r }</option>
                        }) }
                    </select>
                </label>
                <div class="top-item kms-requests" title="KMS requests made by or for this account (what you are billed for)">
                    <span class="top-label">{ "KMS calls" }</span>
                    <span class="top-value mono" data-testid="kms-requests">{ requests }</span>
                </div>
                <div class="top-item kms-requests" title={format!("KMS bill for {} so far: {:.2} key-months ${:.2} + requests ${:.2} ({} free-tier requests)", cost.month, cost.key_months, cost.key_usd, cost.request_usd, cost.free_tier_requests)}>
                    <span class="top-label">{ "KMS cost" }</span>
                    <span class="top-value mono" data-testid="cost">{ format!("${:.2}", cost.total_usd) }</span>
                </div>
                <div class="top-item clock" title="Simulated time: advance it to see rotation and deletion windows">
                    <span class="top-label">{ "Simulated clock" }</span>
                    <span class="top-value mono" data-testid="clock">{ format_time(now) }</span>
                    <span class="clock-buttons">
                        // The accessible name starts with the visible text (WCAG 2.5.3, label in name).
                        <button class="btn-chip" onclick={advance(1)} aria-label="+1d: advance the clock by one day"
                            title="Advance the clock by one day" data-testid="advance-1d">{ "+1d" }</button>
                        <button class="btn-chip" onclick={advance(30)} aria-label="+30d: advance the clock by 30 days"
                            title="Advance the clock by 30 days" data-testid="advance-30d">{ "+30d" }</button>
                        <button class="btn-chip" onclick={advance(365)} aria-label="+1y: advance the clock by one year"
                            title="Advance the clock by one year" data-testid="advance-1y">{ "+1y" }</button>
                    </span>
                </div>
                <LabMenu />
            </div>
        </header>
    }
}

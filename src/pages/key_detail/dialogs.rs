//! The confirmations the console asks for before a key action that stops data being decrypted:
//! Disable key, Schedule key deletion (a 7–30 day waiting period and a confirmation box) and
//! Delete key material. Confirming makes the call (audited like any other); the flash shows
//! its outcome, with the Why? card when it was denied.

use serde_json::json;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::dialog::Dialog;
use crate::hooks::use_lab;

#[derive(Properties, PartialEq, Debug)]
pub struct ConfirmProps {
    pub region: AttrValue,
    pub key_id: AttrValue,
    pub on_close: Callback<()>,
}

/// The waiting period typed in the Schedule key deletion dialog, if it is a whole number of days
/// KMS accepts (7–30).
pub fn waiting_period(text: &str) -> Option<i64> {
    text.trim()
        .parse::<i64>()
        .ok()
        .filter(|d| (7..=30).contains(d))
}

/// A checkbox bound to a bool state.
fn confirm_box(state: &UseStateHandle<bool>, label: String, testid: &'static str) -> Html {
    let onchange = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                state.set(i.checked());
            }
        })
    };
    html! {
        <label class="check dialog-confirm">
            <input type="checkbox" checked={**state} {onchange} data-testid={testid} />
            { label }
        </label>
    }
}

#[component]
pub fn DisableKeyDialog(props: &ConfirmProps) -> Html {
    let lab = use_lab();
    let confirmed = use_state(|| false);
    let disable = {
        let (lab, region, key_id, close) = (
            lab.clone(),
            props.region.to_string(),
            props.key_id.to_string(),
            props.on_close.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            lab.call(
                region.clone(),
                "kms",
                "DisableKey",
                json!({ "KeyId": key_id }),
                "Disabled the key",
            );
            close.emit(());
        })
    };
    let footer = html! {
        <>
        <button type="button" class="btn btn-small" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
        <button type="button" class="btn btn-primary btn-small" disabled={!*confirmed} onclick={disable} data-testid="confirm-disable">{ "Disable key" }</button>
        </>
    };
    html! {
        <Dialog title="Disable key" on_close={props.on_close.clone()} testid="disable-dialog" {footer}>
            <p class="mono break small">{ props.key_id.clone() }</p>
            <p>{ "A disabled key cannot be used in any cryptographic operation until you enable it again: data encrypted under it cannot be decrypted meanwhile, and AWS services that use it (S3, EBS, RDS …) fail to read or write what it protects." }</p>
            { confirm_box(&confirmed, "Confirm that you want to disable this key".into(), "confirm-disable-box") }
        </Dialog>
    }
}

#[component]
pub fn ScheduleDeletionDialog(props: &ConfirmProps) -> Html {
    let lab = use_lab();
    let days = use_state(|| "30".to_owned());
    let confirmed = use_state(|| false);
    let valid = waiting_period(&days);
    let on_days = {
        let days = days.clone();
        let confirmed = confirmed.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                days.set(i.value());
                // The box confirms the number of days shown next to it.
                confirmed.set(false);
            }
        })
    };
    let schedule = {
        let (lab, region, key_id, close) = (
            lab.clone(),
            props.region.to_string(),
            props.key_id.to_string(),
            props.on_close.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            if let Some(d) = valid {
                lab.call(
                    region.clone(),
                    "kms",
                    "ScheduleKeyDeletion",
                    json!({ "KeyId": key_id, "PendingWindowInDays": d }),
                    format!("Scheduled the key for deletion in {d} days"),
                );
                close.emit(());
            }
        })
    };
    let shown_days = valid.map_or_else(|| days.trim().to_owned(), |d| d.to_string());
    let footer = html! {
        <>
        <button type="button" class="btn btn-small" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
        <button type="button" class="btn btn-danger btn-small" disabled={!*confirmed || valid.is_none()} onclick={schedule} data-testid="confirm-schedule-deletion">{ "Schedule deletion" }</button>
        </>
    };
    html! {
        <Dialog title="Schedule key deletion" on_close={props.on_close.clone()} testid="schedule-deletion-dialog" {footer}>
            <div class="alert alert-warn" role="note">
                <strong>{ "Deleting a KMS key is destructive and cannot be undone." }</strong>
                { " When the waiting period ends, KMS deletes the key material, its metadata and its aliases, and data encrypted under it can never be decrypted again. If you are not sure, disable the key instead. During the waiting period the key is Pending deletion and unusable, and you can cancel the deletion." }
            </div>
            <p class="mono break small">{ props.key_id.clone() }</p>
            <label class="dialog-field">{ "Waiting period (in days)" }
                <input class="input input-num" type="number" min="7" max="30" value={(*days).clone()} oninput={on_days}
                    aria-describedby="waiting-help" data-testid="waiting-period" aria-invalid={valid.is_none().then_some("true")} />
            </label>
            <p id="waiting-help" class={classes!("help", valid.is_none().then_some("field-error"))}>{ "Enter a whole number of days from 7 to 30." }</p>
            if valid.is_some() {
                { confirm_box(&confirmed, format!("Confirm you want to schedule this key for deletion in {shown_days} days."), "confirm-deletion-box") }
            }
        </Dialog>
    }
}

#[component]
pub fn DeleteMaterialDialog(props: &ConfirmProps) -> Html {
    let lab = use_lab();
    let confirmed = use_state(|| false);
    let delete = {
        let (lab, region, key_id, close) = (
            lab.clone(),
            props.region.to_string(),
            props.key_id.to_string(),
            props.on_close.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            lab.call(
                region.clone(),
                "kms",
                "DeleteImportedKeyMaterial",
                json!({ "KeyId": key_id }),
                "Deleted the imported key material; the key is now Pending import",
            );
            close.emit(());
        })
    };
    let footer = html! {
        <>
        <button type="button" class="btn btn-small" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
        <button type="button" class="btn btn-danger btn-small" disabled={!*confirmed} onclick={delete} data-testid="confirm-delete-material">{ "Delete key material" }</button>
        </>
    };
    html! {
        <Dialog title="Delete key material" on_close={props.on_close.clone()} testid="delete-material-dialog" {footer}>
            <p class="mono break small">{ props.key_id.clone() }</p>
            <p>{ "The key becomes unusable at once and its state changes to Pending import. To use it again you must import the same key material: KMS cannot recreate it. Data keys that AWS services already hold in memory keep working until they are released." }</p>
            { confirm_box(&confirmed, "Confirm that you want to delete the key material for this key".into(), "confirm-material-box") }
        </Dialog>
    }
}

#[cfg(test)]
mod tests {
    use super::waiting_period;

    #[test]
    fn the_waiting_period_is_seven_to_thirty_whole_days() {
        assert_eq!(waiting_period("7"), Some(7));
        assert_eq!(waiting_period(" 30 "), Some(30));
        assert_eq!(waiting_period("6"), None);
        assert_eq!(waiting_period("31"), None);
        assert_eq!(waiting_period("7.5"), None);
        assert_eq!(waiting_period(""), None);
        assert_eq!(waiting_period("-7"), None);
    }
}

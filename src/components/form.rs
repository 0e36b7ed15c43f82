//! Small console forms: the values of a form's fields kept together ([`Fields`]), the inputs that
//! edit them, and the KMS key picker (a text field with the Region's keys and aliases as
//! suggestions, so an ARN from another Region or account can be typed too).
//!
//! Pages turn [`Fields`] into an API request with a plain function, tested natively.

use std::collections::BTreeMap;

use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// A form's values by field name ("true" / "" for check boxes).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fields(BTreeMap<&'static str, String>);

impl Fields {
    /// Fields with these starting values.
    pub fn with(defaults: &[(&'static str, &str)]) -> Self {
        Fields(
            defaults
                .iter()
                .map(|(k, v)| (*k, (*v).to_owned()))
                .collect(),
        )
    }

    /// A field's value, trimmed ("" when never set).
    pub fn get(&self, name: &str) -> &str {
        self.0.get(name).map_or("", |v| v.trim())
    }

    /// A field's value, or None when empty.
    pub fn opt(&self, name: &str) -> Option<String> {
        Some(self.get(name))
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    }

    /// A check box's value.
    pub fn on(&self, name: &str) -> bool {
        self.get(name) == "true"
    }

    /// The same fields with `name` set to `value`.
    pub fn with_value(&self, name: &'static str, value: impl Into<String>) -> Self {
        let mut next = self.clone();
        next.0.insert(name, value.into());
        next
    }
}

/// A form's state handle.
pub type Form = UseStateHandle<Fields>;

/// A form starting from `defaults` (kept across renders).
#[hook]
pub fn use_form(defaults: &'static [(&'static str, &'static str)]) -> Form {
    use_state(move || Fields::with(defaults))
}

fn setter(form: &Form, name: &'static str) -> Callback<String> {
    let form = form.clone();
    Callback::from(move |v: String| form.set(form.with_value(name, v)))
}

/// A labelled text input.
pub fn text(form: &Form, name: &'static str, label: &str, placeholder: &str) -> Html {
    let set = setter(form, name);
    let oninput = Callback::from(move |e: InputEvent| {
        if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
            set.emit(i.value());
        }
    });
    html! {
        <label>{ label.to_owned() }
            <input class="input" name={name} placeholder={placeholder.to_owned()}
                value={form.get(name).to_owned()} {oninput} />
        </label>
    }
}

/// A labelled number input.
pub fn number(form: &Form, name: &'static str, label: &str, min: u32, max: u32) -> Html {
    let set = setter(form, name);
    let oninput = Callback::from(move |e: InputEvent| {
        if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
            set.emit(i.value());
        }
    });
    html! {
        <label>{ label.to_owned() }
            <input class="input input-num" type="number" name={name} min={min.to_string()}
                max={max.to_string()} value={form.get(name).to_owned()} {oninput} />
        </label>
    }
}

/// A labelled multi-line text input.
pub fn textarea(form: &Form, name: &'static str, label: &str, rows: u32) -> Html {
    let set = setter(form, name);
    let oninput = Callback::from(move |e: InputEvent| {
        if let Some(i) = e.target_dyn_into::<HtmlTextAreaElement>() {
            set.emit(i.value());
        }
    });
    let value = form.0.get(name).cloned().unwrap_or_default();
    html! {
        <label class="wide-field">{ label.to_owned() }
            <textarea class="input mono" name={name} rows={rows.to_string()} spellcheck="false" {value} {oninput} />
        </label>
    }
}

/// A labelled drop-down of (value, text) choices.
pub fn select(form: &Form, name: &'static str, label: &str, choices: &[(String, String)]) -> Html {
    let set = setter(form, name);
    let onchange = Callback::from(move |e: Event| {
        if let Some(s) = e.target_dyn_into::<HtmlSelectElement>() {
            set.emit(s.value());
        }
    });
    // The option shown is the one sent: an empty or unknown value shows (and means) the first
    // choice's meaning, so exactly one option is marked (a select with none marked may show
    // its last option after an update).
    let value = form.get(name);
    let current = if choices.iter().any(|(v, _)| v == value) {
        value.to_owned()
    } else {
        choices.first().map(|(v, _)| v.clone()).unwrap_or_default()
    };
    html! {
        <label>{ label.to_owned() }
            <select class="input" name={name} {onchange}>
                { for choices.iter().map(|(v, t)| html! {
                    <option value={v.clone()} selected={*v == current}>{ t.clone() }</option>
                }) }
            </select>
        </label>
    }
}

/// (value, value) choices from plain strings.
pub fn choices<S: AsRef<str>>(values: &[S]) -> Vec<(String, String)> {
    values
        .iter()
        .map(|v| (v.as_ref().to_owned(), v.as_ref().to_owned()))
        .collect()
}

/// A group of radio buttons: a legend and (value, text) choices; `group` names the group on the
/// page (two forms may edit fields of the same name).
pub fn radio(
    form: &Form,
    name: &'static str,
    group: &str,
    legend: &str,
    choices: &[(&str, &str)],
) -> Html {
    let current = form.get(name).to_owned();
    html! {
        <fieldset class="radio-row">
            <legend>{ legend.to_owned() }</legend>
            { for choices.iter().map(|(v, t)| {
                let set = setter(form, name);
                let value = (*v).to_owned();
                let onchange = Callback::from(move |_: Event| set.emit(value.clone()));
                html! {
                    <label class="check"><input type="radio" name={group.to_owned()} value={(*v).to_owned()} checked={current == *v} {onchange} />{ format!(" {t}") }</label>
                }
            }) }
        </fieldset>
    }
}

/// A labelled check box.
pub fn check(form: &Form, name: &'static str, label: &str) -> Html {
    let set = setter(form, name);
    let on = form.on(name);
    let onchange = Callback::from(move |_: Event| set.emit(if on { "" } else { "true" }.into()));
    html! {
        <label class="check"><input type="checkbox" name={name} checked={on} {onchange} />{ format!(" {label}") }</label>
    }
}

/// A KMS key, typed or picked from `keys` (value, description): key ARNs and alias names.
pub fn key_picker(form: &Form, name: &'static str, label: &str, keys: &[(String, String)]) -> Html {
    let set = setter(form, name);
    let oninput = Callback::from(move |e: InputEvent| {
        if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
            set.emit(i.value());
        }
    });
    let list = format!("{name}-keys");
    html! {
        <label>{ label.to_owned() }
            <input class="input mono" name={name} list={list.clone()} placeholder="alias/…, key id or key ARN"
                value={form.get(name).to_owned()} {oninput} autocomplete="off" />
            <datalist id={list}>
                { for keys.iter().map(|(v, t)| html! { <option value={v.clone()}>{ t.clone() }</option> }) }
            </datalist>
        </label>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_trim_and_report_empty_as_absent() {
        let f = Fields::with(&[("size", " 8 "), ("key", "  ")]).with_value("enc", "true");
        assert_eq!(f.get("size"), "8");
        assert_eq!(f.opt("key"), None);
        assert_eq!(f.opt("size").as_deref(), Some("8"));
        assert!(f.on("enc"));
        assert!(!f.on("missing"));
        assert_eq!(f.get("missing"), "");
    }
}

//! A resource's access policy tab (a queue's `Policy`, a topic's `Policy`) in the shared policy
//! editor: a JSON syntax error is marked at its line and column before anything is sent, and the
//! service's refusal of a save (SQS's `InvalidAttributeValue`, SNS's `InvalidParameter`) is
//! marked where it points, as on the S3 bucket policy page.

use yew::prelude::*;

use crate::components::policy_editor::PolicyEditor;
use crate::hooks::use_lab;

#[derive(Properties, PartialEq, Debug)]
pub(crate) struct ResourcePolicyProps {
    /// The policy in force (None: the resource has none).
    pub current: Option<AttrValue>,
    /// What the editor starts from when there is none.
    pub example: AttrValue,
    /// The panel's heading (also the editor's label).
    pub title: AttrValue,
    /// The operation a save calls (its answer is shown in the editor).
    pub operation: AttrValue,
    /// The error code of a local JSON syntax error (the code the service answers).
    pub syntax_code: AttrValue,
    /// Saves the text.
    pub on_save: Callback<String>,
    /// `data-testid` of the panel; the editor is `TESTID-editor`, Save `TESTID-save`.
    pub testid: AttrValue,
    /// The help text.
    #[prop_or_default]
    pub children: Html,
}

#[component]
pub(crate) fn ResourcePolicy(props: &ResourcePolicyProps) -> Html {
    let lab = use_lab();
    let error = use_state(|| None::<String>);
    {
        let (error, operation) = (error.clone(), props.operation.clone());
        use_effect_with(lab.last_call.clone(), move |last| {
            if let Some(outcome) = last
                && outcome.operation == operation.as_str()
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
    let on_change = {
        let error = error.clone();
        Callback::from(move |_: String| error.set(None))
    };
    let start = props
        .current
        .clone()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| props.example.clone());
    let testid = props.testid.to_string();
    html! {
        <div data-testid={testid.clone()}>
            <div class="panel-header"><h2>{ props.title.clone() }</h2></div>
            <p class="help">
                { if props.current.as_ref().is_some_and(|p| !p.is_empty()) { "The policy in force. Edit it and save." } else { "No policy yet: edit the example below and save to apply it." } }
                { " " }{ props.children.clone() }
            </p>
            <PolicyEditor value={start} label={props.title.clone()} on_save={props.on_save.clone()} on_change={Some(on_change)}
                error={(*error).clone().map(AttrValue::from)} syntax_code={props.syntax_code.clone()}
                testid={AttrValue::from(format!("{testid}-editor"))} save_testid={AttrValue::from(format!("{testid}-save"))} />
        </div>
    }
}

//! The console's "nothing here yet" panel.

use yew::prelude::*;

#[derive(Properties, PartialEq, Debug)]
pub struct EmptyStateProps {
    pub title: AttrValue,
    pub text: AttrValue,
    #[prop_or_default]
    pub children: Html,
}

#[component]
pub fn EmptyState(props: &EmptyStateProps) -> Html {
    html! {
        <div class="empty-state">
            <h3>{ props.title.clone() }</h3>
            <p>{ props.text.clone() }</p>
            { props.children.clone() }
        </div>
    }
}

//! Inline SVG icons (no icon font, no emoji: they render the same everywhere).

use yew::prelude::*;

/// The icons the lab uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Icon {
    Key,
    Terminal,
    Target,
    Check,
    List,
    Book,
    User,
}

impl Icon {
    fn path(self) -> &'static str {
        match self {
            Icon::Key => {
                "M7 14a4 4 0 1 1 3.87-5H21v3h-2v3h-3v-3h-5.13A4 4 0 0 1 7 14zm0-2a2 2 0 1 0 0-4 2 2 0 0 0 0 4z"
            }
            Icon::Terminal => {
                "M3 4h18v16H3zM5 6v12h14V6zm2 2 4 4-4 4-1.4-1.4L8.2 12 5.6 9.4zm5 7h6v2h-6z"
            }
            Icon::Target => {
                "M12 2a10 10 0 1 1 0 20 10 10 0 0 1 0-20zm0 2a8 8 0 1 0 0 16 8 8 0 0 0 0-16zm0 3a5 5 0 1 1 0 10 5 5 0 0 1 0-10zm0 3a2 2 0 1 0 0 4 2 2 0 0 0 0-4z"
            }
            Icon::Check => "M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4z",
            Icon::List => "M4 5h2v2H4zm4 0h12v2H8zM4 11h2v2H4zm4 0h12v2H8zm-4 6h2v2H4zm4 0h12v2H8z",
            Icon::User => {
                "M12 12a4 4 0 1 1 0-8 4 4 0 0 1 0 8zm0 2c4.4 0 8 2 8 4.5V21H4v-2.5C4 16 7.6 14 12 14z"
            }
            Icon::Book => {
                "M4 4h7a3 3 0 0 1 3 3v13a2 2 0 0 0-2-2H4zm16 0h-4a3 3 0 0 0-1 .17V18a2 2 0 0 1 1-.27h4z"
            }
        }
    }
}

#[derive(Properties, PartialEq, Debug)]
pub struct IconProps {
    pub icon: Icon,
}

/// A 20×20 decorative icon in the current text colour.
#[component]
pub fn IconSvg(props: &IconProps) -> Html {
    html! {
        <svg class="icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
            <path d={props.icon.path()} fill="currentColor" />
        </svg>
    }
}

//! Unknown routes.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;

#[component]
pub fn NotFound() -> Html {
    html! {
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">{ "Page not found" }</h1>
            <p>{ "This address does not name a page of the lab." }</p>
            <Link<Route> to={Route::KmsKeys} classes="btn btn-primary">{ "Go to the console" }</Link<Route>>
        </section>
    }
}

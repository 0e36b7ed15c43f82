//! S3, EC2 (EBS) and RDS pages: their routes are stable now; the services arrive with the
//! services issue (S3 SSE-KMS and Bucket Keys, EBS volumes and snapshots, RDS instances and
//! snapshots, all calling KMS on the learner's behalf).

use yew::prelude::*;
use yew_router::prelude::*;

use crate::app::Route;
use crate::components::empty_state::EmptyState;

#[derive(Properties, PartialEq, Debug)]
pub struct ServiceProps {
    pub name: AttrValue,
}

#[component]
pub fn Service(props: &ServiceProps) -> Html {
    html! {
        <section class="page" aria-labelledby="page-title">
            <h1 id="page-title">{ props.name.clone() }</h1>
            <EmptyState title={format!("{} is not simulated yet", props.name)}
                text="The lab models KMS, IAM, STS and CloudTrail today. S3, EBS (EC2) and RDS — and how they call KMS on your behalf — come next; this page will list their resources with the encryption settings front and centre.">
                <Link<Route> to={Route::LearnTopic { topic: "s3-ebs-rds".into() }} classes="btn">{ "Read how they use KMS" }</Link<Route>>
            </EmptyState>
        </section>
    }
}

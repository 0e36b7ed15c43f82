//! A log group's log streams: Create log stream, the streams, and a selected stream's events
//! (read with `GetLogEvents` on a copy of the world: Logs decrypts them with the group's key as
//! its service principal, so a disabled key or a key policy without Logs shows Logs' error), with
//! "Put a test event" (a real `PutLogEvents` at the simulated time).

use cloud::logs::model as logs;
use serde_json::json;
use yew::prelude::*;

use crate::components::form::{text, use_form};
use crate::components::resources::{row_select, table};
use crate::hooks::use_lab;
use crate::pages::error_box;
use crate::state::{LabState, format_time};
use crate::views::{Peek, ViewError};

#[derive(Properties, PartialEq, Debug)]
pub(super) struct StreamsProps {
    pub group: String,
}

#[derive(Debug)]
struct StreamsData {
    streams: Result<Vec<logs::LogStream>, ViewError>,
    /// The selected stream's events (newest page).
    events: Option<Result<Vec<logs::OutputLogEvent>, ViewError>>,
}

fn read(lab: &LabState, region: &str, group: &str, stream: Option<&str>) -> StreamsData {
    let mut peek = Peek::new(lab);
    let req = logs::DescribeLogStreamsRequest {
        log_group_name: Some(group.to_owned()),
        ..Default::default()
    };
    let streams = peek
        .client(region)
        .and_then(|c| Ok(c.logs().describe_log_streams(req)?))
        .map(|r| r.log_streams);
    let events = stream.map(|s| {
        let req = logs::GetLogEventsRequest {
            log_group_name: Some(group.to_owned()),
            log_stream_name: Some(s.to_owned()),
            start_from_head: Some(true),
            ..Default::default()
        };
        peek.client(region)
            .and_then(|c| Ok(c.logs().get_log_events(req)?))
            .map(|r| r.events)
    });
    StreamsData { streams, events }
}

#[component]
pub(super) fn Streams(props: &StreamsProps) -> Html {
    let lab = use_lab();
    let region = lab.identity().region;
    let selected = use_state(|| None::<String>);
    let data = {
        let (state, group) = ((*lab).clone(), props.group.clone());
        use_memo(
            (lab.revision, region.clone(), (*selected).clone()),
            move |(_, region, stream)| read(&state, region, &group, stream.as_deref()),
        )
    };
    let form = use_form(&[("message", "hello from the console")]);
    let create = {
        let (lab, form, group) = (lab.clone(), form.clone(), props.group.clone());
        Callback::from(move |_: MouseEvent| {
            let region = lab.identity().region;
            let name = form.get("stream").to_owned();
            lab.call(
                region,
                "logs",
                "CreateLogStream",
                json!({ "logGroupName": group, "logStreamName": name }),
                format!("Created log stream {name}"),
            );
        })
    };
    let rows = match &data.streams {
        Ok(list) => Ok(list
            .iter()
            .map(|s| {
                vec![
                    row_select("log-stream", &s.log_stream_name, &selected),
                    html! { <span class="mono">{ s.log_stream_name.clone() }</span> },
                    html! { s.last_event_timestamp.map_or_else(|| "-".to_owned(), format_time) },
                    html! { format_time(s.creation_time) },
                ]
            })
            .collect()),
        Err(e) => Err(e.clone()),
    };
    let events = (*selected).clone().map(|stream| {
        let put = {
            let (lab, form, group, stream) = (lab.clone(), form.clone(), props.group.clone(), stream.clone());
            Callback::from(move |_: MouseEvent| {
                let region = lab.identity().region;
                let event = json!({ "timestamp": lab.now_ms(), "message": form.get("message") });
                lab.call(
                    region,
                    "logs",
                    "PutLogEvents",
                    json!({ "logGroupName": group, "logStreamName": stream, "logEvents": [event] }),
                    format!("Put a test event into {stream}"),
                );
            })
        };
        let list = match &data.events {
            None => html! {},
            Some(Err(e)) => error_box(e),
            Some(Ok(events)) if events.is_empty() => html! { <p class="muted">{ "No events yet." }</p> },
            Some(Ok(events)) => html! {
                <div class="table-wrap"><table class="table" data-testid="log-events-table">
                    <thead><tr><th scope="col">{ "Timestamp" }</th><th scope="col">{ "Message" }</th></tr></thead>
                    <tbody>{ for events.iter().map(|e| html! {
                        <tr><td class="small">{ format_time(e.timestamp) }</td><td class="small mono break">{ e.message.clone() }</td></tr>
                    }) }</tbody>
                </table></div>
            },
        };
        html! {
            <div data-testid="log-events">
                <div class="panel-header"><h2>{ format!("Log events: {stream}") }</h2></div>
                { list }
                <div class="form-grid">{ text(&form, "message", "Test event message", "hello") }</div>
                <div class="actions"><button class="btn btn-small btn-primary" onclick={put} data-testid="put-log-event">{ "Put a test event" }</button></div>
            </div>
        }
    });
    html! {
        <div data-testid="log-streams">
            { table("Log streams", "log-streams-table", &["", "Log stream", "Last event", "Created"], rows) }
            if let Some(events) = events {
                <div class="panel">{ events }</div>
            }
            <div class="panel">
                <div class="panel-header"><h2>{ "Create log stream" }</h2></div>
                <div class="form-grid">{ text(&form, "stream", "Log stream name", "console-stream") }</div>
                <div class="actions"><button class="btn btn-small" onclick={create} disabled={form.opt("stream").is_none()} data-testid="create-log-stream">{ "Create log stream" }</button></div>
            </div>
        </div>
    }
}

//! Log streams and their events: create and describe streams, `PutLogEvents` (the time window,
//! then one KMS data key per batch when the group has a key in effect) and `GetLogEvents` (one
//! KMS `Decrypt` per batch read).

use std::collections::BTreeMap;
use std::collections::btree_map::Entry;

use super::error::{LogsError, key_not_usable, required};
use super::group::{authorize, find, group_resource, named, not_found_group, page_limit, page_start};
use super::model::{
    CreateLogStreamRequest, DescribeLogStreamsRequest, DescribeLogStreamsResponse,
    EmptyResponse, GetLogEventsRequest, GetLogEventsResponse, LogStream, OutputLogEvent,
    PutLogEventsRequest, PutLogEventsResponse, RejectedLogEventsInfo,
};
use super::{Batch, MAX_AGE_MS, MAX_FUTURE_MS, StoredLogEvent, StoredStream, group_arn, slot};
use crate::World;
use crate::cloudtrail::CallAudit;
use crate::context::CallContext;

/// The most events one `PutLogEvents` takes.
const MAX_BATCH: usize = 10_000;
/// The widest time span of one batch (24 hours).
const MAX_SPAN_MS: i64 = 24 * 3_600_000;

/// `…:log-group:GROUP:log-stream:STREAM`: the resource of stream-level actions.
fn stream_resource(ctx: &CallContext, group: &str, stream: &str) -> String {
    format!(
        "{}:log-stream:{stream}",
        group_arn(&ctx.account, &ctx.region, group)
    )
}

fn not_found_stream() -> LogsError {
    LogsError::ResourceNotFound("The specified log stream does not exist.".into())
}

/// Checks a log stream name: 1–512 characters, no `:` or `*`.
fn valid_stream_name(name: &str) -> Result<(), LogsError> {
    if name.is_empty() || name.len() > 512 {
        return Err(LogsError::InvalidParameter(format!(
            "1 validation error detected: Value '{name}' at 'logStreamName' failed to satisfy constraint: Member must have length between 1 and 512"
        )));
    }
    if name.contains([':', '*']) {
        return Err(LogsError::InvalidParameter(format!(
            "1 validation error detected: Value '{name}' at 'logStreamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [^:*]*"
        )));
    }
    Ok(())
}

pub(crate) fn create(
    world: &mut World,
    ctx: &CallContext,
    r: &CreateLogStreamRequest,
    audit: &mut CallAudit,
) -> Result<EmptyResponse, LogsError> {
    let group = required(&r.log_group_name, "logGroupName")?;
    let name = required(&r.log_stream_name, "logStreamName")?;
    valid_stream_name(name)?;
    authorize(
        world,
        ctx,
        "logs:CreateLogStream",
        &stream_resource(ctx, group, name),
        audit,
    )?;
    let now = world.now_ms();
    let g = world
        .services
        .logs
        .groups
        .get_mut(&slot(&ctx.account, &ctx.region, group))
        .ok_or_else(not_found_group)?;
    if g.streams.contains_key(name) {
        return Err(LogsError::ResourceAlreadyExists(
            "The specified log stream already exists".into(),
        ));
    }
    g.streams.insert(
        name.clone(),
        StoredStream {
            name: name.clone(),
            created_ms: now,
            batches: Vec::new(),
        },
    );
    Ok(EmptyResponse {})
}

/// The sequence token after `n` batches (56 digits, as AWS's look).
fn sequence_token(n: usize) -> String {
    format!("{:056}", n)
}

fn stream_view(ctx: &CallContext, group: &str, s: &StoredStream) -> LogStream {
    let timestamps = s.batches.iter().flat_map(|b| b.events.iter().map(|e| e.timestamp));
    LogStream {
        log_stream_name: s.name.clone(),
        creation_time: s.created_ms,
        first_event_timestamp: timestamps.clone().min(),
        last_event_timestamp: timestamps.max(),
        last_ingestion_time: s.batches.last().map(|b| b.ingested_ms),
        upload_sequence_token: Some(sequence_token(s.batches.len() + 1)),
        arn: stream_resource(ctx, group, &s.name),
        stored_bytes: 0,
    }
}

pub(crate) fn describe(
    world: &mut World,
    ctx: &CallContext,
    r: &DescribeLogStreamsRequest,
    audit: &mut CallAudit,
) -> Result<DescribeLogStreamsResponse, LogsError> {
    let group = named(&r.log_group_name, &r.log_group_identifier)?;
    authorize(world, ctx, "logs:DescribeLogStreams", &group_resource(ctx, group), audit)?;
    let by_time = match r.order_by.as_deref() {
        None | Some("LogStreamName") => false,
        Some("LastEventTime") => true,
        Some(other) => {
            return Err(LogsError::InvalidParameter(format!(
                "1 validation error detected: Value '{other}' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: [LogStreamName, LastEventTime]"
            )));
        }
    };
    if by_time && r.log_stream_name_prefix.is_some() {
        return Err(LogsError::InvalidParameter(
            "Cannot order by LastEventTime with a logStreamNamePrefix.".into(),
        ));
    }
    let limit = page_limit(r.limit)?;
    let start = page_start(r.next_token.as_ref())?;
    let g = find(world, ctx, group)?;
    let mut streams: Vec<LogStream> = g
        .streams
        .values()
        .filter(|s| {
            r.log_stream_name_prefix
                .as_ref()
                .is_none_or(|p| s.name.starts_with(p.as_str()))
        })
        .map(|s| stream_view(ctx, group, s))
        .collect();
    if by_time {
        streams.sort_by_key(|s| s.last_event_timestamp.unwrap_or(s.creation_time));
    }
    if r.descending == Some(true) {
        streams.reverse();
    }
    let total = streams.len();
    let next = start.saturating_add(limit);
    Ok(DescribeLogStreamsResponse {
        log_streams: streams.into_iter().skip(start).take(limit).collect(),
        next_token: (next < total).then(|| next.to_string()),
    })
}

/// Which events of a chronological batch the time window keeps: `(too_old_end,
/// too_new_start)`, so `events[too_old_end..too_new_start]` are stored.
fn window(timestamps: &[i64], now: i64) -> (usize, usize) {
    let too_old_end = timestamps.iter().take_while(|t| **t < now - MAX_AGE_MS).count();
    let too_new = timestamps.iter().rev().take_while(|t| **t > now + MAX_FUTURE_MS).count();
    let too_new_start = (timestamps.len() - too_new).max(too_old_end);
    (too_old_end, too_new_start)
}

fn index(i: usize) -> i64 {
    i64::try_from(i).unwrap_or(i64::MAX)
}

pub(crate) fn put(
    world: &mut World,
    ctx: &CallContext,
    r: &PutLogEventsRequest,
    audit: &mut CallAudit,
) -> Result<PutLogEventsResponse, LogsError> {
    let group = required(&r.log_group_name, "logGroupName")?;
    let stream = required(&r.log_stream_name, "logStreamName")?;
    let events = required(&r.log_events, "logEvents")?;
    authorize(
        world,
        ctx,
        "logs:PutLogEvents",
        &stream_resource(ctx, group, stream),
        audit,
    )?;
    if events.is_empty() || events.len() > MAX_BATCH {
        return Err(LogsError::InvalidParameter(format!(
            "1 validation error detected: Value at 'logEvents' failed to satisfy constraint: Member must have length between 1 and {MAX_BATCH}"
        )));
    }
    let g = find(world, ctx, group)?;
    if !g.streams.contains_key(stream) {
        return Err(not_found_stream());
    }
    let timestamps: Vec<i64> = events.iter().map(|e| e.timestamp).collect();
    if timestamps.windows(2).any(|w| w.first() > w.get(1)) {
        return Err(LogsError::InvalidParameter(
            "Log events in a single PutLogEvents request must be in chronological order.".into(),
        ));
    }
    if let (Some(first), Some(last)) = (timestamps.first(), timestamps.last())
        && last.saturating_sub(*first) > MAX_SPAN_MS
    {
        return Err(LogsError::InvalidParameter(
            "The batch of log events in a single PutLogEvents request cannot span more than 24 hours."
                .into(),
        ));
    }
    let now = world.now_ms();
    let (too_old_end, too_new_start) = window(&timestamps, now);
    let rejected = (too_old_end > 0 || too_new_start < events.len()).then(|| RejectedLogEventsInfo {
        too_new_log_event_start_index: (too_new_start < events.len()).then(|| index(too_new_start)),
        too_old_log_event_end_index: (too_old_end > 0).then(|| index(too_old_end)),
        expired_log_event_end_index: None,
    });
    let accepted = events.get(too_old_end..too_new_start).unwrap_or_default();
    let arn = g.arn();
    let key = g.key_at(now).map(str::to_owned);
    let batches = g.streams.get(stream).map_or(0, |s| s.batches.len());
    if accepted.is_empty() {
        return Ok(PutLogEventsResponse {
            next_sequence_token: Some(sequence_token(batches + 1)),
            rejected_log_events_info: rejected,
        });
    }
    let (stored, wrapped_key) = match &key {
        Some(k) => {
            let (plain, wrapped) =
                super::data_key(world, (&ctx.account, &ctx.region), k, &arn, audit)
                    .map_err(|_| key_not_usable(&arn))?;
            let mut stored = Vec::with_capacity(accepted.len());
            for e in accepted {
                let nonce: [u8; 12] = world.rng.array();
                let body = super::seal(&plain, &nonce, e.message.as_bytes(), arn.as_bytes())
                    .ok_or_else(|| LogsError::ServiceUnavailable("encryption failed".into()))?;
                stored.push(StoredLogEvent {
                    timestamp: e.timestamp,
                    body,
                });
            }
            (stored, wrapped)
        }
        None => (
            accepted
                .iter()
                .map(|e| StoredLogEvent {
                    timestamp: e.timestamp,
                    body: e.message.as_bytes().to_vec(),
                })
                .collect(),
            Vec::new(),
        ),
    };
    let s = world
        .services
        .logs
        .groups
        .get_mut(&slot(&ctx.account, &ctx.region, group))
        .and_then(|g| g.streams.get_mut(stream))
        .ok_or_else(not_found_stream)?;
    s.batches.push(Batch {
        ingested_ms: now,
        key,
        wrapped_key,
        events: stored,
    });
    Ok(PutLogEventsResponse {
        next_sequence_token: Some(sequence_token(s.batches.len() + 1)),
        rejected_log_events_info: rejected,
    })
}

/// A `GetLogEvents` token: `f/N/s` (forward from event N) or `b/N/s` (backward to event N).
fn parse_token(token: &str) -> Option<(bool, usize)> {
    let (forward, rest) = if let Some(r) = token.strip_prefix("f/") {
        (true, r)
    } else {
        (false, token.strip_prefix("b/")?)
    };
    let digits = rest.strip_suffix("/s").unwrap_or(rest);
    Some((forward, digits.parse().ok()?))
}

fn token(prefix: char, n: usize) -> String {
    format!("{prefix}/{n:056}/s")
}

pub(crate) fn get(
    world: &mut World,
    ctx: &CallContext,
    r: &GetLogEventsRequest,
    audit: &mut CallAudit,
) -> Result<GetLogEventsResponse, LogsError> {
    let stream = required(&r.log_stream_name, "logStreamName")?;
    let group = named(&r.log_group_name, &r.log_group_identifier)?.to_owned();
    authorize(
        world,
        ctx,
        "logs:GetLogEvents",
        &stream_resource(ctx, &group, stream),
        audit,
    )?;
    let limit = r.limit.unwrap_or(10_000);
    if !(1..=10_000).contains(&limit) {
        return Err(LogsError::InvalidParameter(format!(
            "1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value between 1 and 10000"
        )));
    }
    let limit = usize::try_from(limit).unwrap_or(10_000);
    let g = find(world, ctx, &group)?;
    let s = g.streams.get(stream).ok_or_else(not_found_stream)?;
    let arn = g.arn();
    // Every event (batch, index) in time order, within the requested range.
    let mut all: Vec<(i64, usize, usize)> = s
        .batches
        .iter()
        .enumerate()
        .flat_map(|(b, batch)| batch.events.iter().enumerate().map(move |(i, e)| (e.timestamp, b, i)))
        .filter(|(t, _, _)| r.start_time.is_none_or(|st| *t >= st))
        .filter(|(t, _, _)| r.end_time.is_none_or(|et| *t < et))
        .collect();
    all.sort_by_key(|(t, _, _)| *t);
    let (start, end) = match r.next_token.as_deref() {
        Some(t) => match parse_token(t) {
            Some((true, n)) => (n.min(all.len()), n.saturating_add(limit).min(all.len())),
            Some((false, n)) => {
                let n = n.min(all.len());
                (n.saturating_sub(limit), n)
            }
            None => {
                return Err(LogsError::InvalidParameter(
                    "The specified nextToken is invalid.".into(),
                ));
            }
        },
        None if r.start_from_head == Some(true) => (0, limit.min(all.len())),
        None => (all.len().saturating_sub(limit), all.len()),
    };
    let page = all.get(start..end).unwrap_or_default().to_vec();
    let batches: Vec<Batch> = s.batches.clone();
    // One Decrypt per batch read, as Logs' service principal.
    let mut keys: BTreeMap<usize, Vec<u8>> = BTreeMap::new();
    let mut events = Vec::with_capacity(page.len());
    for (_, b, i) in page {
        let (Some(batch), Some(ev)) = (batches.get(b), batches.get(b).and_then(|x| x.events.get(i)))
        else {
            continue;
        };
        let message = match &batch.key {
            None => ev.body.clone(),
            Some(k) => {
                if let Entry::Vacant(slot) = keys.entry(b) {
                    let plain = super::open_data_key(
                        world,
                        (&ctx.account, &ctx.region),
                        k,
                        &batch.wrapped_key,
                        &arn,
                        audit,
                    )
                    .map_err(|_| key_not_usable(&arn))?;
                    slot.insert(plain);
                }
                let plain = keys.get(&b).map(Vec::as_slice).unwrap_or_default();
                super::open(plain, &ev.body, arn.as_bytes()).ok_or_else(|| {
                    LogsError::ServiceUnavailable("a stored event failed to decrypt".into())
                })?
            }
        };
        events.push(OutputLogEvent {
            timestamp: ev.timestamp,
            message: String::from_utf8_lossy(&message).into_owned(),
            ingestion_time: batch.ingested_ms,
        });
    }
    Ok(GetLogEventsResponse {
        events,
        next_forward_token: token('f', end),
        next_backward_token: token('b', start),
    })
}

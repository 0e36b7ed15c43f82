//! A bar chart of KMS requests over simulated time (from the retained CloudTrail events).

use yew::prelude::*;

use crate::state::format_time;

/// One bar: its start time, requests, and how many of them failed.
#[derive(Clone, Debug, PartialEq)]
pub struct Bucket {
    pub start_ms: i64,
    pub requests: u64,
    pub errors: u64,
}

/// Groups event times (with a failed flag) into `n` equal buckets from the first event to `now`.
pub fn bucketize(events: &[(i64, bool)], now_ms: i64, n: usize) -> Vec<Bucket> {
    let Some(first) = events.iter().map(|(t, _)| *t).min() else {
        return Vec::new();
    };
    let n = n.max(1);
    let span = (now_ms.max(first + 1) - first).max(60_000);
    let width = (span + n as i64 - 1) / n as i64;
    let mut buckets: Vec<Bucket> = (0..n)
        .map(|i| Bucket {
            start_ms: first + width * i as i64,
            requests: 0,
            errors: 0,
        })
        .collect();
    for (t, failed) in events {
        let i = (((*t - first) / width) as usize).min(n - 1);
        if let Some(b) = buckets.get_mut(i) {
            b.requests += 1;
            b.errors += u64::from(*failed);
        }
    }
    buckets
}

#[derive(Properties, PartialEq, Debug)]
pub struct RequestChartProps {
    pub buckets: Vec<Bucket>,
}

#[component]
pub fn RequestChart(props: &RequestChartProps) -> Html {
    if props.buckets.is_empty() {
        return html! {};
    }
    let max = props
        .buckets
        .iter()
        .map(|b| b.requests)
        .max()
        .unwrap_or(1)
        .max(1);
    let n = props.buckets.len() as f64;
    let (w, h, left, bottom) = (720.0, 160.0, 40.0, 30.0);
    let bar_w = (w - left) / n;
    let first = props
        .buckets
        .first()
        .map(|b| b.start_ms)
        .unwrap_or_default();
    let last = props.buckets.last().map(|b| b.start_ms).unwrap_or_default();
    html! {
        <figure class="diagram" aria-label="KMS requests over simulated time">
            <svg viewBox="0 0 740 190" class="svg-diagram chart" role="img" aria-label={format!("Bar chart of KMS requests; peak {max} per interval")}>
                <line x1={left.to_string()} y1="10" x2={left.to_string()} y2={(h).to_string()} class="axis" />
                <line x1={left.to_string()} y1={h.to_string()} x2={(w + 10.0).to_string()} y2={h.to_string()} class="axis" />
                <text x="34" y="16" class="svg-small chart-y">{ max }</text>
                <text x="34" y={h.to_string()} class="svg-small chart-y">{ "0" }</text>
                { for props.buckets.iter().enumerate().map(|(i, b)| {
                    let x = left + 2.0 + bar_w * i as f64;
                    let bh = (h - 12.0) * b.requests as f64 / max as f64;
                    let eh = (h - 12.0) * b.errors as f64 / max as f64;
                    html! {
                        <g>
                            <title>{ format!("{}: {} requests, {} failed", format_time(b.start_ms), b.requests, b.errors) }</title>
                            <rect x={x.to_string()} y={(h - bh).to_string()} width={(bar_w - 3.0).max(1.0).to_string()} height={bh.to_string()} class="bar" />
                            <rect x={x.to_string()} y={(h - eh).to_string()} width={(bar_w - 3.0).max(1.0).to_string()} height={eh.to_string()} class="bar-err" />
                        </g>
                    }
                }) }
                <text x={left.to_string()} y={(h + bottom - 8.0).to_string()} class="svg-small chart-x">{ format_time(first) }</text>
                <text x={w.to_string()} y={(h + bottom - 8.0).to_string()} class="svg-small chart-x-end">{ format_time(last) }</text>
            </svg>
            <figcaption class="muted small">{ "KMS requests per interval of simulated time (red: failed). Advance the clock and make calls to watch it grow." }</figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_cover_first_event_to_now() {
        let b = bucketize(
            &[(0, false), (50_000, true), (3_600_000, false)],
            3_600_000,
            4,
        );
        assert_eq!(b.len(), 4);
        assert_eq!(b.iter().map(|x| x.requests).sum::<u64>(), 3);
        assert_eq!(b[0].requests, 2);
        assert_eq!(b[0].errors, 1);
        assert_eq!(b[3].requests, 1);
        assert!(bucketize(&[], 10, 4).is_empty());
    }
}

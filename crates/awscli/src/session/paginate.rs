//! aws-cli's automatic pagination (`--max-items`, `--page-size`, `--starting-token`).

use serde_json::Value;

use super::Session;
use crate::aws;
use crate::model;

impl Session {
    /// aws-cli's automatic pagination: follow the page tokens, concatenate the result list, and
    /// drop the token and "more results" members from the output. Answers the merged result
    /// and each page; `decisions` holds the authorization decisions of the last request.
    pub(super) fn call_pages(
        &mut self,
        ctx: &cloud::CallContext,
        service: &str,
        operation: &str,
        mut input: Value,
        paging: &aws::Paging,
        p: &model::Paginator,
    ) -> (Paged, Vec<cloud::AuthorizationRecord>) {
        if let Some(obj) = input.as_object_mut() {
            if let Some(n) = paging.page_size {
                obj.insert(p.limit_key.clone(), Value::from(n));
            }
            if let Some(t) = &paging.starting_token {
                obj.insert(p.input_token.clone(), Value::from(t.clone()));
            }
        }
        let mut merged: Option<Value> = None;
        let mut pages: Vec<Value> = Vec::new();
        let mut decisions = Vec::new();
        let mut seen = 0usize;
        // INVARIANT: bounded, so a service that always answers "more" cannot hang the terminal.
        for _ in 0..1000 {
            // The decisions of the latest request: a failing page's are its own.
            let (page, made) = self
                .world
                .call_recorded(ctx, service, operation, input.clone());
            decisions = made;
            let page = match page {
                Ok(p) => p,
                Err(e) => return (Err(e), decisions),
            };
            let token = page
                .get(&p.output_token)
                .and_then(Value::as_str)
                .filter(|t| !t.is_empty())
                .map(str::to_owned);
            let more = match &p.more_results {
                Some(k) => page.get(k).and_then(Value::as_bool).unwrap_or(false),
                None => token.is_some(),
            };
            // The page as `yaml-stream` shows it: cut at --max-items.
            let mut shown = page.clone();
            if let (Some(max), Some(Value::Array(items))) =
                (paging.max_items, shown.get_mut(&p.result_key))
            {
                items.truncate(max.saturating_sub(seen));
                seen += items.len();
            }
            pages.push(shown);
            match &mut merged {
                None => merged = Some(page),
                Some(m) => {
                    let items = page
                        .get(&p.result_key)
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default();
                    if let Some(Value::Array(all)) = m.get_mut(&p.result_key) {
                        all.extend(items);
                    }
                }
            }
            let enough = paging.max_items.is_some_and(|max| {
                merged
                    .as_ref()
                    .and_then(|m| m.get(&p.result_key))
                    .and_then(Value::as_array)
                    .is_some_and(|a| a.len() >= max)
            });
            match token {
                Some(t) if more && !enough => {
                    if let Some(obj) = input.as_object_mut() {
                        obj.insert(p.input_token.clone(), Value::from(t));
                    }
                }
                _ => break,
            }
        }
        let mut merged = merged.unwrap_or_else(|| Value::Object(serde_json::Map::new()));
        if let Some(obj) = merged.as_object_mut() {
            obj.remove(&p.output_token);
            if let Some(k) = &p.more_results {
                obj.remove(k);
            }
            if let (Some(max), Some(Value::Array(items))) =
                (paging.max_items, obj.get_mut(&p.result_key))
            {
                items.truncate(max);
            }
        }
        (Ok((merged, pages)), decisions)
    }
}

/// The merged result of a paginated call and each of its pages.
pub(super) type Paged = Result<(Value, Vec<Value>), cloud::AwsError>;

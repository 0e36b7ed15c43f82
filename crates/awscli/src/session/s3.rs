//! The `aws s3` high-level commands: `cp`, `mb` and `rb` are one API call each, printed the way
//! the high-level commands print.
//!
//! `aws s3 ls`, printed the way aws-cli's `ListCommand` prints
//! (`awscli/customizations/s3/subcommands.py`).
//!
//! Buckets: `DATE TIME NAME`. Objects, listed with `Delimiter='/'`: each page's common prefixes
//! first as `PRE name/` (`"PRE".rjust(30) + ' ' + name + '/'`), then its objects as
//! `DATE TIME SIZE NAME` (`%19s %10s %s`), where NAME is the part of the key after its last
//! `/`; `--recursive` lists without a delimiter and prints whole keys. A prefix that matches
//! nothing exits 1. The lab's S3 lists without delimiters, so the common prefixes are rolled
//! up here from the keys, as S3 rolls them up.

use serde_json::{Value, json};

use super::{Out, Session};
use crate::aws::{Globals, S3List};
use crate::fs::FileSystem;
use crate::output::Format;

/// Keys (and common prefixes) per `ListObjectsV2` page when `--page-size` is not given.
const PAGE: usize = 1000;

impl Session {
    /// `aws s3 cp|mb|rb`: the API call, printed the way the high-level commands print.
    #[expect(clippy::too_many_arguments, reason = "the parsed command's parts")]
    pub(super) fn s3_high_level(
        &mut self,
        g: &Globals,
        operation: &str,
        input: Value,
        outfile: Option<(String, String)>,
        done: &str,
        failed: &str,
        fs: &mut dyn FileSystem,
    ) -> Out {
        let mut quiet = g.clone();
        quiet.query = None;
        quiet.output = Some(Format::Json);
        let out = self.call(&quiet, "s3api", operation, input, outfile, None, fs);
        if out.code != 0 {
            if failed.is_empty() {
                return out;
            }
            return Out {
                stderr: format!("{failed} {}\n", out.stderr.trim()),
                code: 1,
                ..out
            };
        }
        let text = done.to_owned();
        Out {
            stdout: text.into_bytes(),
            json: out.json,
            ..Out::default()
        }
    }

    pub(super) fn s3_list(&mut self, g: &Globals, l: &S3List, fs: &mut dyn FileSystem) -> Out {
        let mut quiet = g.clone();
        quiet.query = None;
        quiet.output = Some(Format::Json);
        let Some(bucket) = &l.bucket else {
            let out = self.call(&quiet, "s3api", "ListBuckets", json!({}), None, None, fs);
            if out.code != 0 {
                return out;
            }
            let mut text = String::new();
            for b in out
                .json
                .as_ref()
                .and_then(|v| v.get("Buckets"))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                text.push_str(&format!(
                    "{} {}\n",
                    last_modified(b.get("CreationDate")),
                    b.get("Name").and_then(Value::as_str).unwrap_or_default()
                ));
            }
            return Out {
                stdout: text.into_bytes(),
                json: out.json,
                ..Out::default()
            };
        };
        // Follow the pages (bounded: a bucket holds at most what the lab lets it hold).
        let mut objects: Vec<Value> = Vec::new();
        let mut token: Option<String> = None;
        for _ in 0..10_000 {
            let mut input = json!({ "Bucket": bucket, "Prefix": l.prefix });
            if let Some(n) = l.page_size {
                input["MaxKeys"] = json!(n);
            }
            if let Some(t) = &token {
                input["ContinuationToken"] = json!(t);
            }
            let out = self.call(&quiet, "s3api", "ListObjectsV2", input, None, None, fs);
            if out.code != 0 {
                return out;
            }
            let last = out.json.unwrap_or_default();
            objects.extend(
                last.get("Contents")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default(),
            );
            token = last
                .get("NextContinuationToken")
                .and_then(Value::as_str)
                .map(str::to_owned);
            let truncated = last
                .get("IsTruncated")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            if token.is_none() || !truncated {
                break;
            }
        }
        // S3's pages with Delimiter='/': keys under a deeper `/` roll up into one common prefix,
        // which counts as one entry of the page.
        let mut entries: Vec<Entry> = Vec::new();
        for o in &objects {
            let key = o.get("Key").and_then(Value::as_str).unwrap_or_default();
            let rest = key.get(l.prefix.len()..).unwrap_or_default();
            match rest.find('/').filter(|_| !l.recursive) {
                Some(i) => {
                    let common = format!("{}{}", l.prefix, rest.get(..=i).unwrap_or_default());
                    if !matches!(entries.last(), Some(Entry::Prefix(p)) if *p == common) {
                        entries.push(Entry::Prefix(common));
                    }
                }
                None => entries.push(Entry::Object(o)),
            }
        }
        let page = l
            .page_size
            .and_then(|n| usize::try_from(n).ok())
            .filter(|n| (1..=PAGE).contains(n))
            .unwrap_or(PAGE);
        let mut text = String::new();
        let (mut count, mut total) = (0u64, 0u64);
        for chunk in entries.chunks(page) {
            for e in chunk {
                if let Entry::Prefix(p) = e {
                    // `Prefix.split('/')[-2]`: the last component before the trailing `/`.
                    let name = p
                        .trim_end_matches('/')
                        .rsplit('/')
                        .next()
                        .unwrap_or_default();
                    text.push_str(&format!("{:>30} {name}/\n", "PRE"));
                }
            }
            for e in chunk {
                if let Entry::Object(o) = e {
                    let key = o.get("Key").and_then(Value::as_str).unwrap_or_default();
                    let size = o.get("Size").and_then(Value::as_u64).unwrap_or(0);
                    count += 1;
                    total += size;
                    let name = if l.recursive {
                        key
                    } else {
                        key.rsplit('/').next().unwrap_or_default()
                    };
                    let size = if l.human_readable {
                        human_readable_size(size)
                    } else {
                        size.to_string()
                    };
                    text.push_str(&format!(
                        "{} {size:>10} {name}\n",
                        last_modified(o.get("LastModified"))
                    ));
                }
            }
        }
        if l.summarize {
            let size = if l.human_readable {
                human_readable_size(total)
            } else {
                total.to_string()
            };
            text.push_str(&format!(
                "\nTotal Objects: {count}\n   Total Size: {size}\n"
            ));
        }
        let prefixes: Vec<Value> = entries
            .iter()
            .filter_map(|e| match e {
                Entry::Prefix(p) => Some(json!({ "Prefix": p })),
                Entry::Object(_) => None,
            })
            .collect();
        let mut listing = serde_json::Map::new();
        listing.insert("Name".into(), json!(bucket));
        listing.insert("Prefix".into(), json!(l.prefix));
        if !l.recursive {
            listing.insert("Delimiter".into(), json!("/"));
        }
        if !objects.is_empty() {
            let shown: Vec<&Value> = entries
                .iter()
                .filter_map(|e| match e {
                    Entry::Object(o) => Some(*o),
                    Entry::Prefix(_) => None,
                })
                .collect();
            listing.insert("Contents".into(), json!(shown));
        }
        if !prefixes.is_empty() {
            listing.insert("CommonPrefixes".into(), json!(prefixes));
        }
        listing.insert("KeyCount".into(), json!(entries.len()));
        // A prefix that matches nothing is an error (exit 1, nothing printed but the summary).
        let code = i32::from(!l.prefix.is_empty() && entries.is_empty());
        Out {
            stdout: text.into_bytes(),
            code,
            json: Some(Value::Object(listing)),
            ..Out::default()
        }
    }
}

enum Entry<'a> {
    Prefix(String),
    Object(&'a Value),
}

/// `_make_last_mod_str`: `YYYY-MM-DD HH:MM:SS` (the lab's local time zone is UTC).
fn last_modified(v: Option<&Value>) -> String {
    let s = v.and_then(Value::as_str).unwrap_or_default();
    match (s.get(..10), s.get(11..19)) {
        (Some(d), Some(t)) => format!("{d} {t}"),
        _ => format!("{s:<19}"),
    }
}

/// `human_readable_size` (`awscli/customizations/s3/utils.py`).
fn human_readable_size(size: u64) -> String {
    const SUFFIXES: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let base = 1024f64;
    let bytes = size as f64;
    if size == 1 {
        return "1 Byte".into();
    }
    if bytes < base {
        return format!("{size} Bytes");
    }
    for (i, suffix) in SUFFIXES.iter().enumerate() {
        let unit = base.powi(i32::try_from(i).unwrap_or(0) + 2);
        if round_half_even(bytes / unit * base) < base {
            return format!("{:.1} {suffix}", base * bytes / unit);
        }
    }
    format!("{:.1} EiB", bytes / base.powi(6))
}

fn round_half_even(x: f64) -> f64 {
    let r = x.round();
    if (x - x.trunc()).abs() == 0.5 {
        2.0 * (x / 2.0).round()
    } else {
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_like_aws_cli() {
        assert_eq!(human_readable_size(1), "1 Byte");
        assert_eq!(human_readable_size(10), "10 Bytes");
        assert_eq!(human_readable_size(1024), "1.0 KiB");
        assert_eq!(human_readable_size(1024 * 1024), "1.0 MiB");
        assert_eq!(human_readable_size(1536), "1.5 KiB");
        assert_eq!(
            last_modified(Some(&json!("2026-11-22T20:00:59.000Z"))),
            "2026-11-22 20:00:59"
        );
    }
}

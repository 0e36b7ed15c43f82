//! The `aws s3` high-level commands the lab supports: `cp`, `mb`, `rb` (each one API call) and
//! `ls`.

use base64::Engine as _;
use serde_json::Value;

use super::params::b64;
use super::{AwsCommand, S3List};
use crate::error::CliError;
use crate::fs::FileSystem;

/// `aws s3 cp|mb|rb|ls`: the high-level S3 commands the lab supports, each one API call.
pub(super) fn parse_s3(args: &[String], fs: &dyn FileSystem) -> Result<AwsCommand, CliError> {
    let usage = || {
        CliError::Usage(
            "the lab supports: aws s3 cp LOCAL s3://BUCKET/KEY [--sse AES256|aws:kms|aws:kms:dsse] [--sse-kms-key-id KEY] | aws s3 cp s3://BUCKET/KEY LOCAL | aws s3 mb s3://BUCKET | aws s3 rb s3://BUCKET | aws s3 ls [s3://BUCKET[/PREFIX]] [--recursive] [--human-readable] [--summarize] [--page-size N]".into(),
        )
    };
    let Some((cmd, rest)) = args.split_first() else {
        return Err(usage());
    };
    let mut positionals: Vec<&str> = Vec::new();
    let mut sse: Option<String> = None;
    let mut key_id: Option<String> = None;
    let mut list = S3List::default();
    let mut i = 0;
    while let Some(a) = rest.get(i) {
        i += 1;
        let (name, inline) = match a.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_owned())),
            _ => (a.as_str(), None),
        };
        match name {
            "--sse" | "--sse-kms-key-id" => {
                let v = match inline {
                    Some(v) => v,
                    None => {
                        // `--sse` alone means AES256.
                        match rest.get(i).filter(|v| !v.starts_with("--")) {
                            Some(v) => {
                                i += 1;
                                v.clone()
                            }
                            None if name == "--sse" => "AES256".to_owned(),
                            None => {
                                return Err(CliError::Usage(format!(
                                    "argument {name}: expected one argument"
                                )));
                            }
                        }
                    }
                };
                if name == "--sse" {
                    sse = Some(v);
                } else {
                    key_id = Some(v);
                }
            }
            "--recursive" if cmd == "ls" && inline.is_none() => list.recursive = true,
            "--human-readable" if cmd == "ls" && inline.is_none() => list.human_readable = true,
            "--summarize" if cmd == "ls" && inline.is_none() => list.summarize = true,
            "--page-size" if cmd == "ls" => {
                let v = match inline {
                    Some(v) => v,
                    None => {
                        i += 1;
                        rest.get(i - 1).cloned().ok_or_else(|| {
                            CliError::Usage("argument --page-size: expected one argument".into())
                        })?
                    }
                };
                list.page_size = Some(v.parse().map_err(|_| {
                    CliError::Usage(format!("argument --page-size: invalid int value: '{v}'"))
                })?);
            }
            other if other.starts_with("--") => {
                return Err(CliError::UnknownOptions(vec![other.to_owned()]));
            }
            other => positionals.push(other),
        }
    }
    let s3_path = |p: &str| -> Option<(String, String)> {
        let rest = p.strip_prefix("s3://")?;
        let (b, k) = rest.split_once('/').unwrap_or((rest, ""));
        (!b.is_empty()).then(|| (b.to_owned(), k.to_owned()))
    };
    let file_name = |p: &str| p.rsplit('/').next().unwrap_or(p).to_owned();
    let call =
        |operation: &str, input: Value, outfile, done: String, failed: String| AwsCommand::S3 {
            operation: operation.to_owned(),
            input,
            outfile,
            done,
            failed,
        };
    match (cmd.as_str(), positionals.as_slice()) {
        ("cp", [src, dst]) => match (s3_path(src), s3_path(dst)) {
            (None, Some((bucket, key))) => {
                let key = if key.is_empty() || key.ends_with('/') {
                    format!("{key}{}", file_name(src))
                } else {
                    key
                };
                let bytes = fs.read(src).map_err(|e| {
                    CliError::Other(format!(
                        "\nThe user-provided path {src} does not exist. ({e})\n"
                    ))
                })?;
                let mut input = serde_json::json!({ "Bucket": bucket, "Key": key, "Body": b64().encode(bytes) });
                if let Some(v) = sse {
                    input["ServerSideEncryption"] = Value::String(v);
                }
                if let Some(k) = key_id {
                    input["SSEKMSKeyId"] = Value::String(k);
                    if input.get("ServerSideEncryption").is_none() {
                        input["ServerSideEncryption"] = Value::String("aws:kms".into());
                    }
                }
                let shown = format!("upload: {src} to s3://{bucket}/{key}");
                Ok(call(
                    "PutObject",
                    input,
                    None,
                    format!("{shown}\n"),
                    format!("upload failed: {src} to s3://{bucket}/{key}"),
                ))
            }
            (Some((bucket, key)), None) => {
                if key.is_empty() {
                    return Err(usage());
                }
                let path = if dst.ends_with('/') || *dst == "." {
                    format!("{}/{}", dst.trim_end_matches('/'), file_name(&key))
                } else {
                    (*dst).to_owned()
                };
                let input = serde_json::json!({ "Bucket": bucket, "Key": key });
                Ok(call(
                    "GetObject",
                    input,
                    Some((path.clone(), "Body".to_owned())),
                    format!("download: s3://{bucket}/{key} to {path}\n"),
                    format!("download failed: s3://{bucket}/{key} to {path}"),
                ))
            }
            _ => Err(usage()),
        },
        ("mb", [target]) => {
            let (bucket, _) = s3_path(target).ok_or_else(usage)?;
            Ok(call(
                "CreateBucket",
                serde_json::json!({ "Bucket": bucket }),
                None,
                format!("make_bucket: {bucket}\n"),
                format!("make_bucket failed: s3://{bucket}"),
            ))
        }
        ("rb", [target]) => {
            let (bucket, _) = s3_path(target).ok_or_else(usage)?;
            Ok(call(
                "DeleteBucket",
                serde_json::json!({ "Bucket": bucket }),
                None,
                format!("remove_bucket: {bucket}\n"),
                format!("remove_bucket failed: s3://{bucket}"),
            ))
        }
        ("ls", []) => Ok(AwsCommand::S3List(list)),
        ("ls", [target]) => {
            // aws-cli: `s3://` is optional; `s3://` alone lists the buckets.
            let path = target.strip_prefix("s3://").unwrap_or(target);
            let (bucket, prefix) = path.split_once('/').unwrap_or((path, ""));
            if !bucket.is_empty() {
                list.bucket = Some(bucket.to_owned());
                prefix.clone_into(&mut list.prefix);
            }
            Ok(AwsCommand::S3List(list))
        }
        _ => Err(usage()),
    }
}

//! `lab load` (many requests at once, with quotas and throttling, or bulk S3 uploads) and
//! `lab cost` (the KMS bill they run up).

use cloud::{BulkPut, CallContext, LoadReport, LoadRun};
use serde_json::Value;

use super::{Opts, usage};
use crate::error::CliError;
use crate::session::{Out, Session};
use crate::time;

/// `20000/s`, `20000`, `1200/m`: requests per second.
fn parse_rate(r: &str) -> Option<u64> {
    let (n, per) = r.split_once('/').unwrap_or((r, "s"));
    let n: u64 = n.trim().parse().ok()?;
    match per.trim() {
        "s" | "sec" | "second" => Some(n),
        "m" | "min" | "minute" => Some(n / 60),
        _ => None,
    }
}

/// `lab load --operation OP ...`'s arguments, checked.
#[derive(Debug)]
pub(super) struct LoadArgs {
    op: String,
    key: String,
    rate: u64,
    duration_ms: i64,
    /// The duration as typed (the report echoes it).
    duration_text: String,
    ctx: CallContext,
}

impl LoadArgs {
    pub(super) fn parse(s: &mut Session, rest: &[&str]) -> Result<LoadArgs, CliError> {
        let o = Opts::parse(
            rest,
            &[
                "operation",
                "key-id",
                "rate",
                "duration",
                "profile",
                "region",
            ],
        )?;
        let op = o.require("operation")?.to_owned();
        let key = o.get("key-id").unwrap_or_default().to_owned();
        let rate = parse_rate(o.require("rate")?)
            .filter(|r| *r > 0)
            .ok_or_else(|| usage("--rate must look like 20000/s"))?;
        let duration_text = o.require("duration")?.to_owned();
        let duration_ms = time::parse_duration(&duration_text)
            .filter(|d| *d > 0)
            .ok_or_else(|| usage("--duration must look like 10s, 2m or 1h"))?;
        let ctx = s
            .world
            .context_for_profile(o.get("profile"), o.get("region"))
            .map_err(|e| CliError::Config(format!("\n{}\n", e.message)))?;
        Ok(LoadArgs {
            op,
            key,
            rate,
            duration_ms,
            duration_text,
            ctx,
        })
    }

    /// Starts the run (builds its request: may call DescribeKey or Encrypt once).
    pub(super) fn start(&self, s: &mut Session) -> Result<LoadRun, CliError> {
        s.world
            .load_start(&self.ctx, &self.op, &self.key, self.rate, self.duration_ms)
            .map_err(|e| CliError::lab(format!("lab load: {}: {}", e.code, e.message), 254))
    }

    /// What the finished run prints.
    pub(super) fn output(&self, s: &Session, r: &LoadReport) -> Out {
        let (op, rate, ctx) = (&self.op, self.rate, &self.ctx);
        let mut t = format!(
            "load: {op} at {rate}/s for {} (simulated) as {} in {}\n",
            self.duration_text, ctx.principal_arn, ctx.region
        );
        if let Some((name, limit)) = &r.quota {
            t.push_str(&format!("quota:      {name} = {limit}/s\n"));
        }
        t.push_str(&format!(
            "requests:   {}\nsucceeded:  {}\nthrottled:  {} (ThrottlingException)\n",
            r.requests, r.succeeded, r.throttled
        ));
        for (code, n) in &r.failed {
            t.push_str(&format!("failed:     {n} ({code})\n"));
        }
        let secs: Vec<String> = r
            .per_second
            .iter()
            .take(10)
            .map(|(ok, th)| format!("{ok}/{th}"))
            .collect();
        t.push_str(&format!(
            "per second (ok/throttled): {}{}\n",
            secs.join(" "),
            if r.per_second.len() > 10 { " ..." } else { "" }
        ));
        t.push_str(&format!(
            "CloudTrail: {} sample events stored ({}); every request is counted\nclock now {}\n",
            r.sample_event_ids.len(),
            r.sample_event_ids.join(", "),
            time::iso8601(s.world.now_ms())
        ));
        Out::text(t)
    }
}

pub(super) fn load(s: &mut Session, rest: &[&str]) -> Result<Out, CliError> {
    let args = LoadArgs::parse(s, rest)?;
    let mut run = args.start(s)?;
    s.world.load_step(&mut run, u64::MAX);
    let report = s.world.load_finish(run);
    Ok(args.output(s, &report))
}

pub(super) fn cost(s: &mut Session, rest: &[&str]) -> Result<Out, CliError> {
    let o = Opts::parse(rest, &["profile", "account", "region"])?;
    let account = match o.get("account") {
        Some(a) => a.to_owned(),
        None => {
            s.world
                .context_for_profile(o.get("profile"), o.get("region"))
                .map_err(|e| CliError::Config(format!("\n{}\n", e.message)))?
                .account
        }
    };
    let c = s.world.cost(&account);
    let mut t = format!(
        "KMS bill for account {} - {} (so far, simulated clock)\n  keys:      {:>10.4} key-months x $1.00 = ${:.4}\n",
        c.account, c.month, c.key_months, c.key_usd
    );
    for l in &c.requests {
        t.push_str(&format!(
            "  requests:  {:>10} {} ({} billed x ${:.2}/10k) = ${:.4}\n",
            l.requests, l.class, l.billed_requests, l.usd_per_10k, l.usd
        ));
    }
    t.push_str(&format!(
        "  free tier: {} of 20000 requests used\n  total:     ${:.4}\n",
        c.free_tier_requests, c.total_usd
    ));
    // What the other services that store data under KMS keys bill per month for what the
    // account holds now (their API calls and KMS requests are not in these lines).
    let secrets = s.world.secretsmanager().billed_count(&account);
    let advanced = s.world.ssm().advanced_count(&account);
    if secrets > 0 || advanced > 0 {
        t.push_str("Other services, per month for what is stored now:\n");
        if secrets > 0 {
            t.push_str(&format!(
                "  Secrets Manager: {secrets} secret(s) x $0.40 = ${:.2} (+ $0.05 per 10,000 API calls; secrets scheduled for deletion are not counted here)\n",
                secrets as f64 * SECRET_USD_PER_MONTH
            ));
        }
        if advanced > 0 {
            t.push_str(&format!(
                "  Parameter Store: {advanced} Advanced parameter(s) x $0.05 = ${:.2} (Standard parameters are free)\n",
                advanced as f64 * ADVANCED_PARAMETER_USD_PER_MONTH
            ));
        }
    }
    Ok(Out::text(t))
}

/// Secrets Manager: per secret per month (https://aws.amazon.com/secrets-manager/pricing/).
const SECRET_USD_PER_MONTH: f64 = 0.40;
/// Parameter Store: per Advanced parameter per month
/// (https://aws.amazon.com/systems-manager/pricing/).
const ADVANCED_PARAMETER_USD_PER_MONTH: f64 = 0.05;

/// `lab load --s3-put N --bucket B`'s arguments, checked.
#[derive(Debug)]
pub(super) struct S3PutArgs {
    n: u64,
    size: usize,
    bucket: String,
    ctx: CallContext,
}

impl S3PutArgs {
    pub(super) fn parse(s: &mut Session, rest: &[&str]) -> Result<S3PutArgs, CliError> {
        let opts = Opts::parse(rest, &["s3-put", "bucket", "size", "profile", "region"])?;
        let n: u64 = opts
            .require("s3-put")?
            .parse()
            .ok()
            .filter(|n| *n > 0 && *n <= 100_000)
            .ok_or_else(|| usage("--s3-put takes a number of uploads from 1 to 100000"))?;
        let size: usize = opts
            .get("size")
            .unwrap_or("16")
            .parse()
            .ok()
            .filter(|n| *n <= 65_536)
            .ok_or_else(|| usage("--size takes a number of bytes up to 65536"))?;
        let bucket = opts.require("bucket")?.to_owned();
        let ctx = s
            .world
            .context_for_profile(opts.get("profile"), opts.get("region"))
            .map_err(|e| CliError::Config(format!("\n{}\n", e.message)))?;
        Ok(S3PutArgs {
            n,
            size,
            bucket,
            ctx,
        })
    }

    /// Starts the uploads (none is made yet).
    pub(super) fn start(&self, s: &mut Session) -> Result<BulkPut, CliError> {
        s.world
            .s3_bulk_put_start(&self.ctx, &self.bucket, self.n, self.size)
            .map_err(|e| CliError::lab(format!("lab load: {}", e.message), 1))
    }

    /// What the finished uploads print.
    pub(super) fn output(&self, report: Value) -> Out {
        let (size, bucket) = (self.size, &self.bucket);
        let mut text = format!(
            "{} uploads to s3://{bucket} ({} bytes each, Bucket Key {}): {} KMS requests ({} GenerateDataKey)\n",
            report["Uploads"],
            size,
            if report["BucketKeyEnabled"] == true {
                "enabled"
            } else {
                "disabled"
            },
            report["KmsRequests"],
            report["KmsRequestsByOperation"]["GenerateDataKey"],
        );
        let failed = report.get("Error").is_some();
        if let Some(e) = report.get("Error") {
            text.push_str(&format!(
                "stopped after a failure: {}: {}\n",
                e["Code"].as_str().unwrap_or_default(),
                e["Message"].as_str().unwrap_or_default()
            ));
        }
        let mut out = Out::text(text);
        out.json = Some(report);
        if failed {
            out.code = 1;
        }
        out
    }
}

/// `lab load --s3-put N --bucket B`: N uploads through `World::s3_bulk_put`.
pub(super) fn load_s3_put(s: &mut Session, rest: &[&str]) -> Result<Out, CliError> {
    let args = S3PutArgs::parse(s, rest)?;
    let mut run = args.start(s)?;
    s.world.s3_bulk_put_step(&mut run, u64::MAX);
    let report = s.world.s3_bulk_put_finish(run);
    Ok(args.output(report))
}

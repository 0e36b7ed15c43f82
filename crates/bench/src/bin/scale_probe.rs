//! `scale_probe`: builds the big world of `cargo xtask bench --scale` natively (12,000 S3 objects,
//! 50,000 `lab load` Encrypt requests, 1,500 real calls) and prints what one command costs in it:
//! the session clone a copy-on-write store makes, the state-file export, and the command itself.
//! A measuring tool, not a test.

use std::time::Instant;

use awscli::Session;

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn main() {
    let mut s = Session::new(7, bench::T0);
    for line in [
        "aws s3api create-bucket --bucket scale-bench",
        "aws kms create-key",
    ] {
        s.run_line_in_memory(line);
    }
    let key = s
        .run_line_in_memory("aws kms list-keys --query Keys[0].KeyId --output text")
        .stdout
        .trim()
        .to_owned();
    s.run_line_in_memory(&format!(
        "aws kms create-alias --alias-name alias/scale-bench --target-key-id {key}"
    ));
    let t = Instant::now();
    s.run_line_in_memory("lab load --s3-put 12000 --bucket scale-bench");
    println!("lab load --s3-put 12000: {:.1} ms", ms(t));
    s.run_line_in_memory(
        "lab load --operation Encrypt --key-id alias/scale-bench --rate 5000/s --duration 10s",
    );
    let t = Instant::now();
    for _ in 0..1500 {
        s.run_line_in_memory("aws kms encrypt --key-id alias/scale-bench --plaintext aGVsbG8=");
    }
    println!("1500 encrypt: {:.1} ms", ms(t));
    let t = Instant::now();
    let doc = document::state_file::save(&s).unwrap_or_default();
    println!("export: {:.1} ms, {} bytes", ms(t), doc.len());
    let t = Instant::now();
    let loaded = document::state_file::load(&doc).is_ok();
    println!("load (as a reload does): {:.1} ms, ok {loaded}", ms(t));
    if let Ok(path) = std::env::var("SCALE_PROBE_DUMP") {
        let _ = std::fs::write(path, &doc);
    }
    let mut cache = cloud::parts::PartCache::default();
    let t = Instant::now();
    let parts = document::state_file::save_in_parts(&s, &mut cache).map(|p| p.parts.made.len());
    println!("first save in parts: {:.1} ms, {parts:?} parts made", ms(t));
    s.run_line_in_memory("aws kms encrypt --key-id alias/scale-bench --plaintext aGVsbG8=");
    let t = Instant::now();
    let saved = document::state_file::save_in_parts(&s, &mut cache);
    if let Ok(saved) = &saved {
        let made: usize = saved.parts.made.values().map(String::len).sum();
        println!(
            "save in parts after one encrypt: {:.1} ms, document {} bytes, {} of {} parts made ({made} bytes)",
            ms(t),
            saved.document.len(),
            saved.parts.made.len(),
            saved.parts.ids.len()
        );
    }
    let t = Instant::now();
    let copy = s.clone();
    println!("session clone: {:.1} ms", ms(t));
    drop(copy);
    // `SCALE_PROBE_CLONES=N`: N more clones, for a profiler to look at.
    let clones: usize = std::env::var("SCALE_PROBE_CLONES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let t = Instant::now();
    for _ in 0..clones {
        drop(std::hint::black_box(s.clone()));
    }
    if clones > 0 {
        println!("{clones} clones: {:.2} ms each", ms(t) / clones as f64);
    }
    for line in [
        "aws kms describe-key --key-id alias/scale-bench",
        "aws kms encrypt --key-id alias/scale-bench --plaintext aGVsbG8=",
        "aws s3api head-object --bucket scale-bench --key obj-1",
        "aws cloudtrail lookup-events --max-results 5",
        "aws sts get-caller-identity",
    ] {
        let t = Instant::now();
        let out = s.run_line_in_memory(line);
        println!("{line}: {:.2} ms (exit {})", ms(t), out.exit_code);
    }
}

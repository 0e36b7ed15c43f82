//! `kmslab scenario` and `kmslab quiz` end to end.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

fn kmslab(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kmslab"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn scenario_list_shows_every_scenario() {
    let dir = tempfile::tempdir().unwrap();
    let out = kmslab(dir.path(), &["scenario", "list", "--output", "json"]);
    assert!(out.status.success(), "{}", text(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = v.as_array().unwrap();
    // One per scenario folder in the lab crate.
    let folders = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../lab/scenarios"))
        .unwrap()
        .filter(|e| e.as_ref().is_ok_and(|e| e.path().is_dir()))
        .count();
    assert!(folders >= 19, "{folders} scenario folders");
    assert_eq!(list.len(), folders);
    let playable = list
        .iter()
        .filter(|s| s["availability"]["status"] == "playable")
        .count();
    assert_eq!(
        playable, folders,
        "every scenario id study sites link to is playable"
    );
    let plain = text(&kmslab(dir.path(), &["scenario", "list"]));
    // id, status, objectives count, minutes, title; the exam domain on the next line.
    let line = plain
        .lines()
        .position(|l| l.starts_with("healthcare-design "))
        .expect("healthcare-design is listed");
    let lines: Vec<&str> = plain.lines().collect();
    assert!(
        lines[line].contains("playable") && lines[line].contains(" 7 objectives"),
        "{plain}"
    );
    assert!(lines[line + 1].contains("SAA-C03 Domain 1"), "{plain}");
    assert!(plain.contains("s3-bucket-keys"), "{plain}");
}

#[test]
fn learner_solves_key_rotation_with_kmslab_run() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = kmslab(
        d,
        &[
            "scenario",
            "start",
            "key-rotation",
            "--state",
            "lab.json",
            "--seed",
            "4",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(d.join("ledger.bin").exists());

    let out = kmslab(
        d,
        &["scenario", "check", "key-rotation", "--state", "lab.json"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("FAIL auto-180"));

    // The learner's own commands, through `kmslab run` (files on disk).
    let script = "\
aws kms enable-key-rotation --key-id $KEY_ID --rotation-period-in-days 180
lab clock advance 200d
aws kms rotate-key-on-demand --key-id $KEY_ID
aws kms decrypt --ciphertext-blob fileb://ledger.bin --query Plaintext --output text | base64 --decode > ledger.txt
";
    std::fs::write(d.join("work.sh"), script).unwrap();
    let out = kmslab(d, &["run", "work.sh", "--state", "lab.json"]);
    assert!(out.status.success(), "{}", text(&out));

    let out = kmslab(
        d,
        &[
            "scenario",
            "check",
            "key-rotation",
            "--state",
            "lab.json",
            "--output",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["passed"], true);
    assert_eq!(v["score"]["passed"], 4);
    assert_eq!(v["objectives"].as_array().map(Vec::len), Some(4));
}

#[test]
fn solve_applies_the_reference_solution() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert!(
        kmslab(
            d,
            &[
                "scenario",
                "start",
                "scheduled-deletion",
                "--state",
                "s.json"
            ]
        )
        .status
        .success()
    );
    let out = kmslab(
        d,
        &[
            "scenario",
            "hint",
            "scheduled-deletion",
            "--state",
            "s.json",
        ],
    );
    assert!(text(&out).contains("Hint (-10 points)"), "{}", text(&out));
    let out = kmslab(
        d,
        &[
            "scenario",
            "solve",
            "scheduled-deletion",
            "--state",
            "s.json",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let out = kmslab(
        d,
        &[
            "scenario",
            "check",
            "scheduled-deletion",
            "--state",
            "s.json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("3/3 objectives, 290 of 300 points"),
        "{}",
        text(&out)
    );
}

#[test]
fn scenario_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = kmslab(d, &["scenario", "start", "nope", "--state", "s.json"]);
    assert_eq!(out.status.code(), Some(2));
    let out = kmslab(
        d,
        &["scenario", "check", "key-rotation", "--state", "s.json"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("was not started"), "{}", text(&out));
    let out = kmslab(d, &["scenario", "check", "key-rotation"]);
    assert!(text(&out).contains("--state FILE is required"));
}

#[test]
fn quiz_commands() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = kmslab(d, &["quiz", "validate"]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("ok: "), "{}", text(&out));

    let out = kmslab(d, &["quiz", "export"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let qs = v["questions"].as_array().unwrap();
    assert!(qs.len() >= 40);
    assert!(
        qs.iter()
            .all(|q| q["docs"].as_array().is_some_and(|d| !d.is_empty()))
    );
    assert!(qs[0]["options"][0].get("correct").is_some());

    let out = kmslab(d, &["quiz", "list", "--output", "json"]);
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&out.stdout)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        qs.len()
    );

    let out = kmslab(d, &["quiz", "prove", "rot-old-ciphertext"]);
    assert!(out.status.success(), "{}", text(&out));
    let t = text(&out);
    assert!(
        t.contains("$ lab clock advance 91d") && t.contains("claim holds (ok)"),
        "{t}"
    );

    let out = kmslab(d, &["quiz", "prove", "fact-soa-c03-format"]);
    assert!(text(&out).contains("not run: a documented fact"));
    assert_eq!(kmslab(d, &["quiz", "prove", "nope"]).status.code(), Some(2));
}

#[test]
fn open_design_scenario_is_graded_on_properties() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let state = ["--state", "s.json"];
    let out = kmslab(
        d,
        &[&["scenario", "start", "healthcare-design"][..], &state[..]].concat(),
    );
    assert!(out.status.success(), "{}", text(&out));
    let check = [
        &["scenario", "check", "healthcare-design", "--output", "json"][..],
        &state[..],
    ]
    .concat();
    let out = kmslab(d, &check);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let out = kmslab(
        d,
        &[
            &[
                "scenario",
                "solve",
                "healthcare-design",
                "--route",
                "key-policy-denies",
            ][..],
            &state[..],
        ]
        .concat(),
    );
    assert!(out.status.success(), "{}", text(&out));
    let out = kmslab(d, &check);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = v.to_string();
    assert!(
        text.contains("key-per-type") && text.contains("AppRole"),
        "{text}"
    );
}

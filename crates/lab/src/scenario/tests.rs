//! Self-tests: every playable scenario and variant fails on the untouched setup (0/N) and passes
//! after each reference solution route (N/N); grading never changes the learner's world.

use awscli::Session;

use super::*;
use crate::START_MS;

fn seeds(s: &Scenario) -> Vec<u64> {
    if s.id == "diagnose-denied-decrypt" {
        (0..5).collect()
    } else if s.id == "dynamodb-inaccessible-table" {
        (0..2).collect()
    } else {
        vec![7]
    }
}

fn passed(r: &[ObjectiveResult]) -> usize {
    r.iter().filter(|o| o.status == Status::Passed).count()
}

#[test]
fn catalogue_has_every_id() {
    let mut ids: Vec<&str> = catalog().iter().map(|s| s.id).collect();
    ids.sort_unstable();
    let mut want = vec![
        "rds-snapshot-cross-account",
        "s3-bucket-keys",
        "diagnose-denied-decrypt",
        "ebs-encrypt-existing-volume",
        "ebs-default-encryption",
        "separation-of-duties",
        "key-rotation",
        "scheduled-deletion",
        "s3-enforce-sse-kms",
        "multi-region-dr",
        "imported-key-material",
        "grants-for-services",
        "healthcare-design",
        "secrets-least-privilege",
        "rds-password-rotation",
        "logs-trail-key-policy",
        "dynamodb-inaccessible-table",
        "sns-sqs-encrypted-pipeline",
        "config-encryption-compliance",
    ];
    want.sort_unstable();
    assert_eq!(ids, want);
    for s in catalog() {
        assert!(!s.docs.is_empty(), "{} cites no docs", s.id);
        if s.availability == Availability::Playable {
            assert!(s.objectives.len() >= 2, "{}", s.id);
            assert!(
                !s.hints.is_empty() && !s.wrong_turns.is_empty() && !s.solutions.is_empty(),
                "{}",
                s.id
            );
        }
    }
}

#[test]
fn prose_code_spans_are_closed() {
    for s in catalog() {
        let texts = [s.title, s.story, s.debrief]
            .into_iter()
            .chain(s.objectives.iter().flat_map(|o| [o.text, o.success]))
            .chain(s.hints.iter().map(|h| h.text));
        for t in texts {
            assert!(
                crate::balanced_code_spans(t),
                "{}: unmatched backtick in {t:?}",
                s.id
            );
        }
    }
    assert!(!crate::balanced_code_spans("run `aws kms list-keys"));
}

#[test]
fn every_variant_fails_untouched_and_passes_every_route() {
    for s in catalog()
        .iter()
        .filter(|s| s.availability == Availability::Playable)
    {
        for seed in seeds(s) {
            let mut session = Session::new(seed, START_MS);
            start(&mut session, s.id, seed).unwrap_or_else(|e| panic!("{} setup: {e}", s.id));
            let before = evaluate(&session, s.id).unwrap();
            assert_eq!(
                passed(&before),
                0,
                "{} seed {seed} untouched: {before:#?}",
                s.id
            );
            let n = s.objectives.len();
            let routes = routes(&session, s.id).unwrap();
            assert!(!routes.is_empty(), "{} seed {seed}: no route", s.id);
            for route in routes {
                let mut solved = session.clone();
                solve(&mut solved, s.id, Some(route))
                    .unwrap_or_else(|e| panic!("{} seed {seed} route {route}: {e}", s.id));
                let after = record(&mut solved, s.id).unwrap();
                assert_eq!(
                    passed(&after),
                    n,
                    "{} seed {seed} route {route}: {after:#?}",
                    s.id
                );
                let hits = wrong_turns(&solved, s.id).unwrap();
                assert!(
                    hits.is_empty(),
                    "{} seed {seed} route {route}: {hits:?}",
                    s.id
                );
                let sc = score(&solved, s.id).unwrap();
                assert_eq!((sc.passed, sc.total, sc.points), (n, n, sc.max));
            }
        }
    }
}

#[test]
fn grading_does_not_touch_the_world() {
    let mut session = Session::new(3, START_MS);
    start(&mut session, "key-rotation", 3).unwrap();
    let before = document::state_file::save(&session).unwrap();
    let _ = evaluate(&session, "key-rotation").unwrap();
    let _ = wrong_turns(&session, "key-rotation").unwrap();
    assert_eq!(document::state_file::save(&session).unwrap(), before);
}

#[test]
fn wrong_turns_name_mistakes() {
    let mut s = Session::new(5, START_MS);
    start(&mut s, "scheduled-deletion", 5).unwrap();
    s.run_line_in_memory("aws kms cancel-key-deletion --key-id $REPORTS_KEY");
    s.run_line_in_memory("aws kms schedule-key-deletion --key-id $OLD_KEY");
    let hits: Vec<&str> = wrong_turns(&s, "scheduled-deletion")
        .unwrap()
        .iter()
        .map(|h| h.id)
        .collect();
    assert_eq!(hits, ["cancelled-not-enabled", "long-window"]);

    let mut s = Session::new(5, START_MS);
    start(&mut s, "key-rotation", 5).unwrap();
    s.run_line_in_memory("aws kms enable-key-rotation --key-id $KEY_ID");
    let hits = wrong_turns(&s, "key-rotation").unwrap();
    assert_eq!(hits.len(), 1);
    assert!(hits[0].message.contains("365"), "{hits:?}");
}

#[test]
fn secrets_wrong_turns_name_the_shortcuts() {
    // A blanket kms:Decrypt for the app: it can now use the key directly.
    let mut s = Session::new(5, START_MS);
    start(&mut s, "secrets-least-privilege", 5).unwrap();
    s.run_line_in_memory(
        r#"aws iam put-role-policy --role-name AppRole --policy-name Blanket --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}'"#,
    );
    let results = evaluate(&s, "secrets-least-privilege").unwrap();
    let passed: Vec<bool> = results.iter().map(|r| r.status == Status::Passed).collect();
    assert_eq!(passed, [true, true, false, false], "{results:?}");
    let hits: Vec<&str> = wrong_turns(&s, "secrets-least-privilege")
        .unwrap()
        .iter()
        .map(|h| h.id)
        .collect();
    assert_eq!(hits, ["direct-use"]);

    // The credentials under the AWS managed key, and a password changed in the secret only.
    let mut s = Session::new(5, START_MS);
    start(&mut s, "rds-password-rotation", 5).unwrap();
    s.run_line_in_memory(
        r#"aws secretsmanager create-secret --name prod/orders/master --secret-string '{"username":"admin","password":"Orders-Launch-2024!"}'"#,
    );
    s.run_line_in_memory(
        r#"aws secretsmanager create-secret --name prod/orders/typo --kms-key-id alias/db-secrets --secret-string '{"username":"admin","password":"not-it"}'"#,
    );
    let hits: Vec<&str> = wrong_turns(&s, "rds-password-rotation")
        .unwrap()
        .iter()
        .map(|h| h.id)
        .collect();
    assert_eq!(hits, ["aws-managed-key", "out-of-sync"]);
    let results = evaluate(&s, "rds-password-rotation").unwrap();
    assert!(
        results.iter().all(|r| r.status != Status::Passed),
        "{results:?}"
    );
}

/// A listed scenario waiting for a feature (the catalogue may have none at a given time).
static COMING: Scenario = Scenario {
    id: "cloudhsm-key-store",
    title: "Keys in a CloudHSM key store",
    exam: "SOA-C03 Domain 4",
    difficulty: Difficulty::Advanced,
    minutes: 30,
    availability: Availability::Coming("a CloudHSM key store"),
    story: "",
    setup: load::Template::EMPTY,
    record_vars: Vec::new(),
    files: Vec::new(),
    objectives: Vec::new(),
    hints: Vec::new(),
    wrong_turns: Vec::new(),
    solutions: Vec::new(),
    debrief: "",
    docs: Vec::new(),
    diagnose_from_cloudtrail: |_| false,
};

#[test]
fn hints_cost_points_and_reset_clears() {
    let mut s = Session::new(9, START_MS);
    assert_eq!(
        evaluate(&s, "key-rotation"),
        Err(ScenarioError::NotStarted {
            id: "key-rotation".into()
        })
    );
    assert_eq!(
        start(&mut s, "no-such-scenario", 1),
        Err(ScenarioError::Unknown {
            id: "no-such-scenario".into()
        })
    );
    assert_eq!(
        ensure_playable(&COMING).map(|s| s.id),
        Err(ScenarioError::NotPlayable {
            id: "cloudhsm-key-store".into(),
            needs: "a CloudHSM key store".into()
        })
    );
    start(&mut s, "key-rotation", 9).unwrap();
    assert!(hint(&mut s, "key-rotation").unwrap().is_some());
    assert_eq!(hints_shown(&s, "key-rotation").unwrap().len(), 1);
    solve(&mut s, "key-rotation", None).unwrap();
    record(&mut s, "key-rotation").unwrap();
    let sc = score(&s, "key-rotation").unwrap();
    assert_eq!(sc.points, sc.max - 10);
    reset(&mut s, "key-rotation").unwrap();
    let p = crate::progress::scenario(&s.progress, "key-rotation").unwrap();
    assert_eq!((p.seed, p.hints_used, p.objectives.len()), (9, 0, 0));
    let results = evaluate(&s, "key-rotation").unwrap();
    assert_eq!(
        results
            .iter()
            .filter(|r| r.status == Status::Pending)
            .count(),
        0
    );
}

#[test]
fn no_objective_waits_for_a_feature() {
    let ids: Vec<&str> = get("key-rotation")
        .unwrap()
        .objectives
        .iter()
        .map(|o| o.id)
        .collect();
    assert_eq!(
        ids,
        ["auto-180", "auto-rotated", "on-demand", "old-decrypts"]
    );
}

fn has_file(s: &Session, name: &str) -> bool {
    use awscli::FileSystem as _;
    s.files.read(name).is_ok()
}

#[test]
fn start_replaces_world_files_and_variables_together() {
    let mut s = Session::new(4, START_MS);
    start(&mut s, "key-rotation", 4).unwrap();
    assert!(has_file(&s, "ledger.bin") && s.vars.contains_key("KEY_ID"));
    for line in [
        "echo key-policy > diagnosis.txt",
        "echo secret > secret.bin",
        "MINE=kept-by-nobody",
        "aws configure set output json",
    ] {
        let out = s.run_line_in_memory(line);
        assert_eq!(out.exit_code, 0, "{line}: {}", out.stderr);
    }
    crate::progress::record_answer(&mut s.progress, "kt-default-key", true, 1);
    s.terminal_width = 132;
    let cli_config = s.cli_config.clone();
    record(&mut s, "key-rotation").unwrap();

    start(&mut s, "scheduled-deletion", 4).unwrap();
    for f in ["diagnosis.txt", "secret.bin", "ledger.bin"] {
        assert!(!has_file(&s, f), "{f} leaked into the next scenario");
    }
    assert!(!s.vars.contains_key("MINE") && !s.vars.contains_key("KEY_ID"));
    assert!(s.vars.contains_key("OLD_KEY"), "{:?}", s.vars);
    // Kept: other scenarios' and quiz progress, the terminal width, aws-cli settings.
    assert!(crate::progress::scenario(&s.progress, "key-rotation").is_some());
    assert!(crate::progress::question(&s.progress, "kt-default-key").is_some());
    assert_eq!(s.terminal_width, 132);
    assert_eq!(s.cli_config, cli_config);

    // Starting the same scenario again replaces its own files too.
    let out = s.run_line_in_memory("echo mine > notes.txt");
    assert_eq!(out.exit_code, 0, "{}", out.stderr);
    start(&mut s, "scheduled-deletion", 4).unwrap();
    assert!(!has_file(&s, "notes.txt"));
    // So does reset (same seed).
    let out = s.run_line_in_memory("echo mine > notes.txt");
    assert_eq!(out.exit_code, 0, "{}", out.stderr);
    s.vars.insert("MINE".into(), "x".into());
    reset(&mut s, "scheduled-deletion").unwrap();
    assert!(!has_file(&s, "notes.txt") && !s.vars.contains_key("MINE"));
    assert_eq!(
        crate::progress::scenario(&s.progress, "scheduled-deletion").map(|p| p.seed),
        Some(4)
    );
}

#[test]
fn restart_replaces_everything_and_takes_the_new_seed() {
    let id = "diagnose-denied-decrypt";
    let mut s = Session::new(0, START_MS);
    assert_eq!(
        restart(&mut s, id, 1),
        Err(ScenarioError::NotStarted { id: id.into() })
    );
    assert_eq!(
        restart(&mut s, "no-such-scenario", 1),
        Err(ScenarioError::Unknown {
            id: "no-such-scenario".into()
        })
    );
    start(&mut s, id, 0).unwrap();
    solve(&mut s, id, None).unwrap();
    s.vars.insert("MINE".into(), "x".into());
    let r = record(&mut s, id).unwrap();
    assert_eq!(r[2].id, "diagnosis");
    assert_eq!(r[2].status, Status::Passed, "{r:#?}");

    restart(&mut s, id, 1).unwrap();
    assert!(!has_file(&s, "diagnosis.txt") && !s.vars.contains_key("MINE"));
    assert!(has_file(&s, "secret.bin"));
    let p = crate::progress::scenario(&s.progress, id).unwrap();
    assert_eq!((p.seed, p.hints_used, p.objectives.len()), (1, 0, 0));
    let r = evaluate(&s, id).unwrap();
    assert_eq!(r[2].status, Status::Failed, "{r:#?}");
}

#[test]
fn why_detail_is_limited_while_diagnosing() {
    let id = "diagnose-denied-decrypt";
    let mut s = Session::new(2, START_MS);
    assert_eq!(why_detail(&s), WhyDetail::Full);
    start(&mut s, "key-rotation", 2).unwrap();
    assert_eq!(why_detail(&s), WhyDetail::Full);
    start(&mut s, id, 2).unwrap();
    assert_eq!(why_detail(&s), WhyDetail::Limited);
    // Hints and a partial result do not lift it.
    hint(&mut s, id).unwrap();
    record(&mut s, id).unwrap();
    assert_eq!(why_detail(&s), WhyDetail::Limited);
    // Another scenario started since: full explanations there.
    start(&mut s, "key-rotation", 2).unwrap();
    assert_eq!(why_detail(&s), WhyDetail::Full);
    start(&mut s, id, 3).unwrap();
    assert_eq!(why_detail(&s), WhyDetail::Limited);
    crate::progress::clear_scenario(&mut s.progress, id);
    assert_eq!(why_detail(&s), WhyDetail::Full);

    start(&mut s, id, 3).unwrap();
    solve(&mut s, id, None).unwrap();
    assert_eq!(
        why_detail(&s),
        WhyDetail::Limited,
        "solved but not recorded"
    );
    let r = record(&mut s, id).unwrap();
    assert!(r.iter().all(|o| o.status == Status::Passed), "{r:#?}");
    assert_eq!(why_detail(&s), WhyDetail::Full);
    // Breaking it again after solving keeps the full explanations; a restart does not.
    let out = s.run_line_in_memory("aws kms disable-key --key-id $KEY_ID");
    assert_eq!(out.exit_code, 0, "{}", out.stderr);
    record(&mut s, id).unwrap();
    assert_eq!(why_detail(&s), WhyDetail::Full);
    restart(&mut s, id, 4).unwrap();
    assert_eq!(why_detail(&s), WhyDetail::Limited);
}

#[test]
fn diagnose_names_the_iam_trap_and_the_open_policy() {
    // Seed 0: the key policy has no root statement. Editing IAM is the classic wrong turn.
    let mut s = Session::new(0, START_MS);
    start(&mut s, "diagnose-denied-decrypt", 0).unwrap();
    let out = s.run_line_in_memory(r#"aws iam put-role-policy --role-name AppRole --policy-name More --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}'"#);
    assert_eq!(out.exit_code, 0, "{}", out.stderr);
    let hits = wrong_turns(&s, "diagnose-denied-decrypt").unwrap();
    assert!(
        hits.iter()
            .any(|h| h.id == "iam-ignored" && h.message.contains("IAM allows are ignored")),
        "{hits:?}"
    );
    assert_eq!(passed(&evaluate(&s, "diagnose-denied-decrypt").unwrap()), 0);

    // Opening the key to everyone fixes the symptom but fails least privilege.
    let open = r#"aws kms put-key-policy --key-id $KEY_ID --policy-name default --policy '{"Version":"2012-10-17","Statement":[{"Sid":"KeyOwner","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/Admin"},"Action":"kms:*","Resource":"*"},{"Sid":"Open","Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}]}'"#;
    let out = s.run_line_in_memory(open);
    assert_eq!(out.exit_code, 0, "{}", out.stderr);
    let r = evaluate(&s, "diagnose-denied-decrypt").unwrap();
    assert_eq!(r[0].status, Status::Passed, "{r:#?}");
    assert_eq!(r[1].status, Status::Failed, "{r:#?}");
    let hits: Vec<&str> = wrong_turns(&s, "diagnose-denied-decrypt")
        .unwrap()
        .iter()
        .map(|h| h.id)
        .collect();
    assert!(
        hits.contains(&"everyone") && hits.contains(&"admin-reads"),
        "{hits:?}"
    );
}

#[test]
fn ebs_wrong_turns_name_the_default_key_and_default_encryption() {
    let mut s = Session::new(7, START_MS);
    start(&mut s, "ebs-encrypt-existing-volume", 7).unwrap();
    s.run_line_in_memory("aws ec2 enable-ebs-encryption-by-default");
    let hits: Vec<&str> = wrong_turns(&s, "ebs-encrypt-existing-volume")
        .unwrap()
        .iter()
        .map(|h| h.id)
        .collect();
    assert_eq!(hits, ["default-encryption-only"]);
    for line in [
        "SNAP=$(aws ec2 create-snapshot --volume-id $VOLUME_ID --query SnapshotId --output text)",
        "aws ec2 wait snapshot-completed --snapshot-ids $SNAP",
        "aws ec2 create-volume --availability-zone us-east-1a --snapshot-id $SNAP --encrypted",
    ] {
        let out = s.run_line_in_memory(line);
        assert_eq!(out.exit_code, 0, "{line}: {}", out.stderr);
    }
    let hits: Vec<&str> = wrong_turns(&s, "ebs-encrypt-existing-volume")
        .unwrap()
        .iter()
        .map(|h| h.id)
        .collect();
    assert_eq!(hits, ["default-key"]);
    assert_eq!(
        passed(&evaluate(&s, "ebs-encrypt-existing-volume").unwrap()),
        0
    );
}

#[test]
fn every_data_file_loads_and_every_placeholder_is_filled() {
    let errors = load::errors();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(catalog().len(), content::all().len());
    for s in catalog() {
        for seed in 0..15 {
            let setup = s.setup(seed);
            assert!(!setup.is_empty(), "{} seed {seed}: no setup", s.id);
            let scripts = s.solutions.iter().filter_map(|r| r.script(seed));
            for text in std::iter::once(setup.clone()).chain(scripts) {
                assert!(
                    !text.contains("{{"),
                    "{} seed {seed}: unfilled {text}",
                    s.id
                );
            }
        }
    }
}

/// The catalogue the app reads before the checks are installed is the checks' table without
/// the checks: the same scenarios, objectives and wrong turns, in the same order.
#[test]
fn the_catalogue_is_the_checks_without_them() {
    let all = content::all();
    assert_eq!(content::CATALOGUE.len(), all.len());
    for (info, checks) in content::CATALOGUE.iter().zip(all) {
        assert_eq!(info.id, checks.id);
        let objectives: Vec<&str> = checks.objectives.iter().map(|(k, _)| *k).collect();
        assert_eq!(info.objectives, objectives.as_slice(), "{}", info.id);
        let wrong_turns: Vec<&str> = checks.wrong_turns.iter().map(|(k, _)| *k).collect();
        assert_eq!(info.wrong_turns, wrong_turns.as_slice(), "{}", info.id);
        for seed in 0..8 {
            assert_eq!((info.variant)(seed), (checks.variant)(seed), "{}", info.id);
            assert_eq!((info.values)(seed), (checks.values)(seed), "{}", info.id);
            assert_eq!(
                (info.diagnose_from_cloudtrail)(seed),
                (checks.diagnose_from_cloudtrail)(seed),
                "{}",
                info.id
            );
        }
    }
    #[cfg(not(feature = "lazy"))]
    {
        assert!(content::installed());
        assert!(content::checks(0).is_some());
        assert!(content::checks(all.len()).is_none());
    }
}

//! The bank validates: structure, documentation, the fact cap, and every proof.

use super::*;

#[test]
fn bank_validates_and_every_proof_holds() {
    match validate() {
        Ok(report) => {
            for s in &report.skipped {
                eprintln!("SKIPPED {s}");
            }
            assert!(report.questions >= 82, "{report:?}");
            assert!(report.facts * 4 <= report.questions);
            assert!(report.skipped.is_empty(), "{:?}", report.skipped);
            let f = &report.format;
            eprintln!(
                "FORMAT {} questions, {}/{} multiple-response items in exam format, median stem {} \
                 words, {} scenario stems (>= {SCENARIO_STEM_WORDS} words), {} with a qualifier, \
                 {} proved",
                f.questions,
                f.exam_format_multiple_response,
                f.multiple_response,
                f.median_stem_words,
                f.scenario_stems,
                f.with_qualifier,
                f.proved
            );
            assert_eq!(f.questions, report.questions);
            assert_eq!(f.proved, report.questions - report.facts);
            assert_eq!(f.exam_format_multiple_response, f.multiple_response);
            assert!(
                f.meets_scenario_target() && f.meets_qualifier_target(),
                "{f:?}"
            );
        }
        Err(errors) => panic!("quiz bank invalid:\n{}", errors.join("\n")),
    }
}

#[test]
fn grading_and_modes() {
    let q = bank().iter().find(|q| q.answers == 2).unwrap();
    let right = q.correct();
    assert!(grade(q, &right));
    assert!(!grade(q, &right[..1]));
    assert!(!grade(q, &[right[0], right[0]]));
    let e = exam(EXAM_QUESTIONS, 1);
    assert_eq!(e.questions.len(), EXAM_QUESTIONS.min(bank().len()));
    let unique: BTreeSet<_> = e.questions.iter().collect();
    assert_eq!(unique.len(), e.questions.len());
    let short = exam(10, 2);
    assert_eq!(short.questions.len(), 10);
    assert_eq!(short.minutes, 20);
    let topics_in: BTreeSet<&str> = short
        .questions
        .iter()
        .filter_map(|id| get(id).map(|q| q.topic.as_str()))
        .collect();
    assert!(topics_in.len() >= 5, "{topics_in:?}");

    let mut p = progress::Progress::default();
    let first = &bank()[0].id;
    progress::record_answer(&mut p, first, false, 0);
    assert_eq!(review(&p), [first.as_str()]);
    progress::record_answer(&mut p, first, true, 0);
    assert!(review(&p).is_empty());
    assert!(!due(&p, 0).contains(&first.as_str()));
    assert!(due(&p, 86_400_000).contains(&first.as_str()));
    let r = results_by_topic(&p);
    assert_eq!(r.iter().map(|t| t.answered).sum::<usize>(), 1);
    assert_eq!(
        practice_order(&p, None).last().copied(),
        Some(first.as_str())
    );
}

#[test]
fn stale_claims_are_taught() {
    for needle in [
        "3 years",
        "5,500",
        "of 10",
        "FIPS 140-2",
        "any user or role",
        "fixed at one year",
        "replicate across Regions",
    ] {
        assert!(
            bank().iter().any(|q| q
                .misconception
                .as_deref()
                .is_some_and(|m| m.contains(needle))),
            "no question corrects the claim `{needle}`"
        );
    }
}

#[test]
fn readme_coverage_table_names_real_questions() {
    let readme = include_str!("../../README.md");
    let table = readme
        .split("### Study-guide coverage")
        .nth(1)
        .and_then(|t| t.split("\n## ").next())
        .expect("README has a study-guide coverage table");
    let mut rows = 0;
    for row in table.lines().filter(|l| l.starts_with("| 0")) {
        rows += 1;
        let ids: Vec<&str> = row.split('`').skip(1).step_by(2).collect();
        assert!(!ids.is_empty(), "row without ids: {row}");
        for id in ids {
            assert!(get(id).is_some(), "README names unknown question `{id}`");
        }
    }
    assert!(rows >= 10, "{rows} coverage rows");
}

#[test]
#[ignore = "manual review of why wrong options fail"]
fn print_wrong_option_failures() {
    for q in bank().iter().filter(|q| q.kind == Kind::Proof) {
        let run = prove_question(q);
        for c in run.option_checks.iter().filter(|c| !c.holds) {
            let last = c.steps.last().unwrap();
            println!(
                "{} [{}] exit {}: {}",
                q.id,
                c.option,
                last.output.exit_code,
                last.output.stderr.trim().lines().last().unwrap_or("")
            );
        }
    }
}

fn synthetic(stem: &str, answers: usize, options: usize, kind: Kind) -> Question {
    Question {
        id: stem.to_owned(),
        topic: "t".into(),
        kind,
        stem: stem.to_owned(),
        answers,
        options: (0..options)
            .map(|i| AnswerOption {
                text: format!("option {i}"),
                correct: i < answers,
                check: Vec::new(),
            })
            .collect(),
        explanation: "e".into(),
        misconception: None,
        docs: vec!["https://docs.aws.amazon.com/kms/".into()],
        needs: None,
        proof: Vec::new(),
        skills: vec!["SOA-C03 4.2.2".into()],
    }
}

#[test]
fn format_metrics_count_stems_qualifiers_and_item_formats() {
    let long = "word ".repeat(SCENARIO_STEM_WORDS - 6)
        + "Which design has the LEAST operational overhead?";
    let qs = [
        synthetic("Short stem?", 1, 4, Kind::Proof),
        synthetic(&long, 2, 5, Kind::Proof),
        synthetic(
            "Which is most cost-effective? (Choose two.)",
            2,
            4,
            Kind::Fact,
        ),
        synthetic("Three words here", 1, 4, Kind::Fact),
    ];
    assert_eq!(stem_words(&qs[1]), SCENARIO_STEM_WORDS + 1);
    assert_eq!(qualifier(&qs[1]), Some("least operational overhead"));
    assert_eq!(qualifier(&qs[0]), None);
    let m = format_metrics(&qs);
    assert_eq!(
        m,
        FormatMetrics {
            questions: 4,
            multiple_response: 2,
            exam_format_multiple_response: 1,
            median_stem_words: 3,
            scenario_stems: 1,
            with_qualifier: 2,
            proved: 2,
        }
    );
    assert!(!m.meets_scenario_target());
    assert!(m.meets_qualifier_target());
    let mut seen = BTreeSet::new();
    assert!(
        static_errors(&qs[1], &mut seen)
            .iter()
            .all(|e| !e.contains("options"))
    );
    assert!(
        static_errors(&qs[2], &mut seen)
            .iter()
            .any(|e| e.contains("multiple-response item needs two or more correct answers"))
    );
    let mc3 = synthetic("Which one?", 1, 3, Kind::Fact);
    assert!(
        static_errors(&mc3, &mut seen)
            .iter()
            .any(|e| e.contains("multiple-choice item needs one correct answer"))
    );
}

/// Authoring aid: `QUIZ_FILES=a.json,b.json cargo test -p lab --lib -- --ignored prove_files
/// --nocapture` checks topic files read at run time (no rebuild after each edit).
#[test]
#[ignore = "authoring aid: set QUIZ_FILES"]
fn prove_files() {
    let Ok(files) = std::env::var("QUIZ_FILES") else {
        return;
    };
    let mut failures = 0;
    for path in files.split(',') {
        let text = std::fs::read_to_string(path).unwrap();
        let file: TopicFile = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut seen = BTreeSet::new();
        for q in &file.questions {
            for e in static_errors(q, &mut seen) {
                failures += 1;
                println!("STATIC {e}");
            }
            if q.kind == Kind::Proof {
                let run = prove_question(q);
                if !run.consistent() {
                    failures += 1;
                    println!("PROOF {}", describe_failure(&run));
                }
            }
        }
    }
    println!("{failures} failures");
}

#[test]
fn practice_exams_follow_the_domain_weights_of_their_slice() {
    use skills::*;
    for g in EXAMS {
        let domains = slice(g.code);
        assert!(!domains.is_empty(), "{}", g.code);
        let total: u32 = domains.iter().map(|d| d.share).sum();
        assert!(
            (99..=101).contains(&total),
            "{}: shares add up to {total}",
            g.code
        );
        let e = practice_exam(g.code, EXAM_QUESTIONS, 7);
        let available: usize = domains.iter().map(|d| d.available).sum();
        assert_eq!(
            e.questions.len(),
            EXAM_QUESTIONS.min(available),
            "{}",
            g.code
        );
        let unique: BTreeSet<_> = e.questions.iter().collect();
        assert_eq!(unique.len(), e.questions.len());
        for id in &e.questions {
            assert!(
                skill_for(get(id).unwrap(), g.code).is_some(),
                "{id} not in {}",
                g.code
            );
        }
        // Each domain gets its share, unless the bank has too few of its questions.
        let counts = domain_counts(g.code, &e.questions);
        for d in &domains {
            let want = (e.questions.len() * d.share as usize).div_ceil(100);
            let got = counts.get(&d.domain.number).copied().unwrap_or(0);
            assert!(
                got + 1 >= want.min(d.available),
                "{} domain {}: {got} of {want}",
                g.code,
                d.domain.number
            );
        }
        let short = practice_exam(g.code, 10, 3);
        assert_eq!(short.questions.len(), 10);
        assert_eq!(short.minutes, (10 * g.minutes).div_ceil(65));
    }
    // SOA-C03's slice is Domains 2 and 4, weighted 22 : 16.
    let soa: Vec<(u8, u32)> = slice("SOA-C03")
        .iter()
        .map(|d| (d.domain.number, d.share))
        .collect();
    assert_eq!(soa, [(2, 58), (4, 42)]);
    assert!(practice_exam("NOPE", 10, 1).questions.is_empty());
}

#[test]
fn coverage_matrix_is_complete_and_current() {
    use skills::*;
    let gaps = coverage_gaps();
    assert!(gaps.is_empty(), "skills short of coverage: {gaps:?}");
    let learn = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../src/pages/learn.rs"
    ))
    .unwrap();
    for s in SKILLS {
        assert!(
            guide(s.exam).is_some_and(|g| g.domain(s.domain).is_some()),
            "{}",
            s.id
        );
        for id in s.scenarios {
            assert!(
                crate::scenario::get(id).is_some(),
                "{}: unknown scenario {id}",
                s.id
            );
        }
        for id in s.learn {
            assert!(
                learn.contains(&format!("id: \"{id}\"")),
                "{}: unknown Learn page {id}",
                s.id
            );
        }
    }
    let text = coverage_markdown();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/coverage.md");
    if std::env::var_os("UPDATE_COVERAGE").is_some() {
        std::fs::write(path, &text).unwrap();
    }
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == text,
        "docs/coverage.md is stale: run `UPDATE_COVERAGE=1 cargo test -p lab coverage`"
    );
}

/// Authoring aid: `QUIZ_SCRIPT=script.txt cargo test -p lab --lib -- --ignored run_script
/// --nocapture` runs a script (one line each, as in a proof) in a fresh proof world and prints
/// every line's output, to see what a check would meet before writing it. Lines after a failing
/// one still run.
#[test]
#[ignore = "authoring aid: set QUIZ_SCRIPT"]
fn run_script() {
    let Ok(path) = std::env::var("QUIZ_SCRIPT") else {
        return;
    };
    let text = std::fs::read_to_string(path).unwrap();
    let mut session = awscli::Session::new(PROOF_SEED, crate::START_MS);
    for line in script::lines(&text) {
        let out = script::run_line(&mut session, &line);
        println!(
            "$ {line}\n[exit {}]\n{}{}",
            out.exit_code, out.stdout, out.stderr
        );
    }
}

/// Every topic file in `quiz/` is listed (the browser fetches exactly these), once.
#[test]
fn file_names_list_every_topic_file() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("quiz");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".json"))
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = FILE_NAMES.iter().map(|s| (*s).to_owned()).collect();
    listed.sort();
    assert_eq!(listed, on_disk);
    assert_eq!(topics().len(), FILE_NAMES.len(), "one topic per file");
    assert!(is_loaded());
    // A second install keeps the bank that is there.
    let before = bank().len();
    install([("key-types.json", "{}")]);
    assert_eq!(bank().len(), before);
}

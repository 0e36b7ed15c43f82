//! Every aws-cli documentation example for `kms`, and the encryption-related `s3api`, `ec2` and
//! `rds` ones, run through the lab as a learner would paste them.
//!
//! The examples live outside the repository, in `../shared/aws-cli-examples` (its README explains
//! the format): each names its command, documented output, the set-up it assumes, id
//! substitutions and follow-up checks. For each in-scope example the suite checks that the
//! command is accepted, succeeds, prints the documented members with the documented types and
//! values (ids, dates and opaque bytes aside), and that the follow-up commands and written files
//! show what the example did. Out-of-scope examples must answer clearly. The test fails, never
//! skips, when the data is missing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "conformance/mod.rs"]
mod conformance;

use conformance::run::{Outcome, run};

#[test]
fn aws_cli_documentation_examples() {
    let (cases, shapes) = conformance::data::load();
    assert!(!cases.cases.is_empty(), "no examples in cases.json");
    let only = std::env::var("CONFORMANCE_ONLY").ok();
    let verbose = std::env::var("CONFORMANCE_VERBOSE").is_ok();
    let (mut passed, mut failed, mut out, mut unclear, mut values) = (0, 0, 0, 0, 0);
    let mut report = String::new();
    for case in &cases.cases {
        if only.as_deref().is_some_and(|o| !case.id.contains(o)) {
            continue;
        }
        match run(case, &cases.default_subs, &shapes) {
            Outcome::Passed { values: v, skipped } => {
                passed += 1;
                values += v;
                if verbose {
                    report.push_str(&format!("ok      {} ({v} values)\n", case.id));
                    for s in skipped {
                        report.push_str(&format!("          not compared: {s}\n"));
                    }
                }
            }
            Outcome::Failed(f) => {
                failed += 1;
                report.push_str(&format!("FAILED  {}: {}\n", case.id, case.command));
                for line in f {
                    report.push_str(&format!("          {line}\n"));
                }
            }
            Outcome::OutOfScope(answer) => {
                out += 1;
                if verbose {
                    report.push_str(&format!(
                        "out     {} ({}): {answer}\n",
                        case.id,
                        case.out_of_scope_reason.as_deref().unwrap_or("")
                    ));
                }
            }
            Outcome::OutOfScopeUnclear(answer) => {
                unclear += 1;
                report.push_str(&format!("UNCLEAR {} (out of scope): {answer}\n", case.id));
            }
        }
    }
    let in_scope = passed + failed;
    println!("{report}");
    println!(
        "aws-cli examples: {passed}/{in_scope} in scope passed ({values} documented values and checks \
         compared), {failed} failed; {} out of scope ({out} answered clearly, {unclear} not)",
        out + unclear
    );
    assert!(
        failed == 0 && unclear == 0,
        "{failed} in-scope examples differ from the documentation and {unclear} out-of-scope \
         examples are not answered clearly (listed above)"
    );
}

//! Runs lab script lines for setups, reference solutions, checks and proofs.
//!
//! Lines are the learner's language (`aws ...`, `NAME=$(...)`, `lab ...`), plus three forms
//! only content uses:
//!
//! * `expect-output TEXT -- COMMAND`: passes when COMMAND succeeds and its trimmed standard
//!   output equals TEXT (`$NAME` in TEXT is expanded from the session's variables);
//! * `expect-contains TEXT -- COMMAND`: the same, when the output contains TEXT;
//! * `expect-not TEXT -- COMMAND`: passes when COMMAND succeeds and its output differs from TEXT;
//! * `try COMMAND`: runs COMMAND and always passes (a setup step that may fail, such as the
//!   application's denied attempt the learner will find in CloudTrail).

use awscli::{LineOutput, Session};
use serde::{Deserialize, Serialize};

/// One executed line and what it produced.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// The line as written.
    pub line: String,
    /// Its output.
    pub output: LineOutput,
}

/// The logical lines of a script (continuations joined, comments and blank lines dropped).
pub fn lines(script: &str) -> Vec<String> {
    awscli::lexer::logical_lines(script)
        .into_iter()
        .map(|(_, l)| l)
        .collect()
}

/// Runs `script` line by line in `session`, stopping at the first failing line. Returns the
/// steps and whether every line succeeded.
pub fn run(session: &mut Session, script: &str) -> (Vec<Step>, bool) {
    run_lines(session, &lines(script))
}

/// Runs `lines` in `session`, stopping at the first failure.
pub fn run_lines(session: &mut Session, lines: &[String]) -> (Vec<Step>, bool) {
    let mut steps = Vec::with_capacity(lines.len());
    for line in lines {
        let output = run_line(session, line);
        let ok = output.exit_code == 0;
        steps.push(Step {
            line: line.clone(),
            output,
        });
        if !ok {
            return (steps, false);
        }
    }
    (steps, true)
}

/// Runs one line, with the content-only forms described in the module docs.
pub fn run_line(session: &mut Session, line: &str) -> LineOutput {
    let t = line.trim();
    if let Some(rest) = t.strip_prefix("expect-output ") {
        return expect_output(session, rest, Match::Equal);
    }
    if let Some(rest) = t.strip_prefix("expect-contains ") {
        return expect_output(session, rest, Match::Contains);
    }
    if let Some(rest) = t.strip_prefix("expect-not ") {
        return expect_output(session, rest, Match::Differs);
    }
    if let Some(rest) = t.strip_prefix("try ") {
        let mut out = session.run_line_in_memory(rest);
        if out.exit_code != 0 {
            out.stdout
                .push_str(&format!("(failed as allowed: exit {})\n", out.exit_code));
            out.exit_code = 0;
        }
        return out;
    }
    session.run_line_in_memory(line)
}

fn unquote(s: &str) -> &str {
    let s = s.trim();
    for q in ['\'', '"'] {
        if let Some(inner) = s.strip_prefix(q).and_then(|r| r.strip_suffix(q)) {
            return inner;
        }
    }
    s
}

/// Expands `$NAME` and `${NAME}` from the session's variables (unknown names stay as written).
pub fn expand(session: &Session, text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(rest.get(..i).unwrap_or_default());
        let after = rest.get(i + 1..).unwrap_or_default();
        let (name, tail) = if let Some(b) = after.strip_prefix('{') {
            match b.find('}') {
                Some(j) => (
                    b.get(..j).unwrap_or_default(),
                    b.get(j + 1..).unwrap_or_default(),
                ),
                None => ("", after),
            }
        } else {
            let n = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (
                after.get(..n).unwrap_or_default(),
                after.get(n..).unwrap_or_default(),
            )
        };
        match session.vars.get(name) {
            Some(v) if !name.is_empty() => out.push_str(v),
            _ => {
                out.push('$');
                rest = after;
                continue;
            }
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Match {
    Equal,
    Contains,
    Differs,
}

fn expect_output(session: &mut Session, rest: &str, how: Match) -> LineOutput {
    let Some((want, cmd)) = rest.split_once(" -- ") else {
        return LineOutput {
            stderr: "expect-output: usage: expect-output TEXT -- COMMAND\n".into(),
            exit_code: 252,
            ..LineOutput::default()
        };
    };
    let want = expand(session, unquote(want));
    let out = session.run_line_in_memory(cmd);
    if out.exit_code != 0 {
        return LineOutput {
            stderr: format!(
                "expected output `{want}`, but the command failed: {}\n",
                out.stderr.trim()
            ),
            exit_code: 1,
            ..out
        };
    }
    let got = out.stdout.trim();
    let ok = match how {
        Match::Equal => got == want,
        Match::Contains => got.contains(&want),
        Match::Differs => got != want,
    };
    if ok {
        out
    } else {
        LineOutput {
            stderr: format!(
                "expected {} `{want}`, got `{got}`\n",
                match how {
                    Match::Equal => "output",
                    Match::Contains => "output containing",
                    Match::Differs => "output other than",
                }
            ),
            exit_code: 1,
            ..out
        }
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn content_forms() {
        let mut s = Session::new(1, crate::START_MS);
        s.vars.insert("X".into(), "hello".into());
        assert_eq!(
            run_line(&mut s, "expect-output $X -- echo hello").exit_code,
            0
        );
        assert_eq!(
            run_line(&mut s, "expect-output 'bye' -- echo hello").exit_code,
            1
        );
        assert_eq!(
            run_line(&mut s, "expect-contains ell -- echo hello").exit_code,
            0
        );
        assert_eq!(
            run_line(&mut s, "try aws kms describe-key --key-id nope").exit_code,
            0
        );
        assert_eq!(expand(&s, "a${X}b $X $NOPE $"), "ahellob hello $NOPE $");
    }
}

//! `kmslab scenario ...` and `kmslab quiz ...`: the lab crate's scenarios and quizzes in a terminal.
//!
//! Scenario files (ciphertexts the setup writes, files the learner must produce) live in the
//! current directory, where `kmslab run` reads and writes them; the commands copy them between
//! the directory and the saved session.

use std::path::{Path, PathBuf};

use awscli::{FileSystem, Session};
use lab::scenario::{self, Availability, Status};
use lab::{quiz, script::Step};

/// Parsed options shared by the subcommands.
#[derive(Debug, Default)]
struct Opts {
    positional: Vec<String>,
    state: Option<PathBuf>,
    seed: Option<u64>,
    route: Option<String>,
    json: bool,
}

fn parse(args: &[String]) -> Result<Opts, String> {
    let mut o = Opts::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--state" => o.state = Some(PathBuf::from(it.next().ok_or("--state needs a FILE")?)),
            "--seed" => {
                let v = it.next().ok_or("--seed needs a number")?;
                o.seed = Some(
                    v.parse()
                        .map_err(|_| format!("--seed: `{v}` is not a number"))?,
                );
            }
            "--route" => o.route = Some(it.next().ok_or("--route needs a name")?.clone()),
            "--output" => match it.next().map(String::as_str) {
                Some("json") => o.json = true,
                Some("text") => o.json = false,
                other => {
                    return Err(format!(
                        "--output: `{}` is not json or text",
                        other.unwrap_or("")
                    ));
                }
            },
            s if s.starts_with("--") => return Err(format!("unknown option `{s}`")),
            s => o.positional.push(s.to_owned()),
        }
    }
    Ok(o)
}

fn one_id(o: &Opts, what: &str) -> Result<String, String> {
    match o.positional.as_slice() {
        [id] => Ok(id.clone()),
        _ => Err(format!("give exactly one {what} ID")),
    }
}

fn state_path(o: &Opts) -> Result<&Path, String> {
    o.state
        .as_deref()
        .ok_or_else(|| "--state FILE is required".to_owned())
}

fn print_json(v: &impl serde::Serialize) -> Result<(), String> {
    let text = serde_json::to_string_pretty(v).map_err(|e| e.to_string())?;
    println!("{text}");
    Ok(())
}

/// Copies the scenario's files from the current directory into the session.
fn import_files(session: &mut Session, files: &[&str]) {
    let disk = crate::RealFs;
    for f in files {
        if let Ok(bytes) = disk.read(f) {
            let _ = session.files.write(f, &bytes);
        }
    }
}

/// Copies the scenario's files from the session to the current directory.
fn export_files(session: &Session, files: &[&str]) -> Result<(), String> {
    let mut disk = crate::RealFs;
    for f in files {
        if let Ok(bytes) = session.files.read(f) {
            disk.write(f, &bytes)?;
        }
    }
    Ok(())
}

fn print_steps(steps: &[Step]) {
    for s in steps {
        println!("$ {}", s.line);
        print!("{}", s.output.stdout);
        eprint!("{}", s.output.stderr);
    }
}

/// `kmslab scenario SUB ...`; returns the exit code.
pub(crate) fn scenario(args: &[String]) -> Result<i32, String> {
    let (sub, rest) = args
        .split_first()
        .ok_or("scenario: give list, start, check, hint or solve")?;
    let o = parse(rest)?;
    match sub.as_str() {
        "list" => {
            if o.json {
                print_json(&scenario::summaries())?;
            } else {
                for s in scenario::catalog() {
                    let status = match s.availability {
                        Availability::Playable => "playable".to_owned(),
                        Availability::Coming(needs) => format!("coming: needs {needs}"),
                    };
                    println!(
                        "{:<28} {:<10} {:>2} objectives {:>3} min  {}\n{:<28} {}",
                        s.id,
                        status,
                        s.objectives.len(),
                        s.minutes,
                        s.title,
                        "",
                        s.exam
                    );
                }
            }
            Ok(0)
        }
        "start" => {
            let id = one_id(&o, "scenario")?;
            let path = state_path(&o)?;
            let seed = o
                .seed
                .unwrap_or_else(|| u64::try_from(crate::now_ms()).unwrap_or(0));
            let mut session = crate::load_state(path, seed)?;
            let steps = scenario::start(&mut session, &id, seed).map_err(|e| e.to_string())?;
            let s = scenario::get(&id).ok_or("unknown scenario")?;
            export_files(&session, &s.files)?;
            crate::save_state(path, &session)?;
            if o.json {
                print_json(&s.summary())?;
                return Ok(0);
            }
            println!("{}\n\n{}\n", s.title, s.story);
            println!("Objectives:");
            for ob in &s.objectives {
                println!("  - [{}] {}", ob.id, ob.text);
            }
            println!(
                "\nPrepared with {} setup lines (seed {seed}). Variables:",
                steps.len()
            );
            for v in &s.record_vars {
                println!(
                    "  {v}={}",
                    session.vars.get(*v).cloned().unwrap_or_default()
                );
            }
            println!(
                "\nWork with `kmslab run --state {}`; grade with `kmslab scenario check {id} --state {}`.",
                path.display(),
                path.display()
            );
            Ok(0)
        }
        "check" => {
            let id = one_id(&o, "scenario")?;
            let path = state_path(&o)?;
            let mut session = crate::load_state(path, 0)?;
            let s = scenario::get(&id).ok_or_else(|| format!("no scenario `{id}`"))?;
            import_files(&mut session, &s.files);
            let results = scenario::record(&mut session, &id).map_err(|e| e.to_string())?;
            let turns = scenario::wrong_turns(&session, &id).map_err(|e| e.to_string())?;
            let score = scenario::score(&session, &id).map_err(|e| e.to_string())?;
            crate::save_state(path, &session)?;
            let all = results.iter().all(|r| r.status != Status::Failed);
            if o.json {
                print_json(&serde_json::json!({
                    "scenario": id, "objectives": results, "wrongTurns": turns, "score": score, "passed": all,
                }))?;
            } else {
                for r in &results {
                    let mark = match r.status {
                        Status::Passed => "PASS",
                        Status::Failed => "FAIL",
                        Status::Pending => "PEND",
                    };
                    println!("{mark} {}: {}\n     {}", r.id, r.text, r.evidence);
                    if let Some(why) = r.success {
                        println!("     why: {why}");
                    }
                }
                for t in &turns {
                    println!("WRONG TURN {}: {}", t.id, t.message);
                }
                println!(
                    "{}/{} objectives, {} of {} points",
                    score.passed, score.total, score.points, score.max
                );
                if all {
                    println!("\nDebrief: {}", s.debrief);
                    for d in &s.docs {
                        println!("  {d}");
                    }
                }
            }
            Ok(if all { 0 } else { 1 })
        }
        "hint" => {
            let id = one_id(&o, "scenario")?;
            let path = state_path(&o)?;
            let mut session = crate::load_state(path, 0)?;
            let h = scenario::hint(&mut session, &id).map_err(|e| e.to_string())?;
            crate::save_state(path, &session)?;
            match h {
                Some(h) => println!("Hint (-{} points): {}", h.cost, h.text),
                None => println!("No more hints."),
            }
            Ok(0)
        }
        "solve" => {
            let id = one_id(&o, "scenario")?;
            let path = state_path(&o)?;
            let mut session = crate::load_state(path, 0)?;
            let s = scenario::get(&id).ok_or_else(|| format!("no scenario `{id}`"))?;
            import_files(&mut session, &s.files);
            let steps = scenario::solve(&mut session, &id, o.route.as_deref())
                .map_err(|e| e.to_string())?;
            export_files(&session, &s.files)?;
            crate::save_state(path, &session)?;
            print_steps(&steps);
            Ok(0)
        }
        other => Err(format!("scenario: unknown subcommand `{other}`")),
    }
}

/// `kmslab quiz SUB ...`; returns the exit code.
pub(crate) fn quiz(args: &[String]) -> Result<i32, String> {
    let (sub, rest) = args
        .split_first()
        .ok_or("quiz: give list, export, prove or validate")?;
    let o = parse(rest)?;
    match sub.as_str() {
        "list" => {
            if o.json {
                let rows: Vec<serde_json::Value> = quiz::bank()
                    .iter()
                    .map(|q| serde_json::json!({ "id": q.id, "topic": q.topic, "kind": q.kind, "answers": q.answers, "stem": q.stem }))
                    .collect();
                print_json(&rows)?;
            } else {
                for q in quiz::bank() {
                    let kind = match q.kind {
                        quiz::Kind::Proof => "proof",
                        quiz::Kind::Fact => "fact",
                    };
                    println!("{:<28} {:<10} {:<5} {}", q.id, q.topic, kind, q.stem);
                }
            }
            Ok(0)
        }
        "export" => {
            print_json(
                &serde_json::json!({ "topics": quiz::topics(), "questions": quiz::bank() }),
            )?;
            Ok(0)
        }
        "prove" => {
            let id = one_id(&o, "question")?;
            let run = quiz::prove(&id).map_err(|e| e.to_string())?;
            if o.json {
                print_json(&run)?;
                return Ok(if run.consistent() { 0 } else { 1 });
            }
            if let Some(why) = &run.skipped {
                println!("{id}: not run: {why}");
                return Ok(0);
            }
            println!("Proof of {id} in a fresh world:");
            print_steps(&run.steps);
            for c in &run.option_checks {
                let verdict = if c.holds == c.correct {
                    "ok"
                } else {
                    "MISMATCH"
                };
                println!(
                    "\noption {} [{}] {}: claim {} ({verdict})",
                    char::from(b'A' + u8::try_from(c.option).unwrap_or(25)),
                    if c.correct { "correct" } else { "wrong" },
                    c.text,
                    if c.holds { "holds" } else { "does not hold" }
                );
                for s in &c.steps {
                    println!("  $ {}", s.line);
                    let out = s.output.stdout.trim();
                    let err = s.output.stderr.trim();
                    if !out.is_empty() {
                        println!("    {}", out.lines().next().unwrap_or_default());
                    }
                    if !err.is_empty() {
                        println!("    {}", err.lines().last().unwrap_or_default());
                    }
                }
            }
            Ok(if run.consistent() { 0 } else { 1 })
        }
        "validate" => match quiz::validate() {
            Ok(r) => {
                for s in &r.skipped {
                    println!("skipped {s}");
                }
                println!(
                    "ok: {} questions, {} proofs hold, {} facts, {} skipped",
                    r.questions,
                    r.proved,
                    r.facts,
                    r.skipped.len()
                );
                Ok(0)
            }
            Err(errors) => {
                for e in &errors {
                    eprintln!("{e}");
                }
                Ok(1)
            }
        },
        other => Err(format!("quiz: unknown subcommand `{other}`")),
    }
}

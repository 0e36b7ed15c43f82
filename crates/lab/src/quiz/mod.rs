//! Quizzes: questions as data (one JSON file per topic under `crates/lab/quiz/`, compiled in
//! with `include_str!`), each proved by running a script in a fresh world.
//!
//! A `proof` question carries a `proof` script and, per option, a `check` (lines run on a clone
//! of the world the proof left behind; the claim holds when every line succeeds). [`validate`]
//! fails unless the checks hold for exactly the options marked correct. Prices and request
//! quotas are proved too, with `lab cost` and `lab load`. A `fact` question (exam format,
//! recommendations, anything no run in this world can show) cites documentation instead; at
//! most a quarter of the bank may be facts.
//!
//! Browser API: [`bank`], [`topics`], [`get`], [`prove`], [`grade`], [`exam`], [`practice_order`],
//! [`review`], [`due`], [`results_by_topic`], plus [`crate::progress::record_answer`] and
//! [`crate::progress::set_flag`].

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use awscli::Session;
use serde::{Deserialize, Serialize};

use crate::progress;
use crate::script::{self, Step};

/// The topic files, in display order. The browser app fetches them (from `quiz/NAME` beside
/// the wasm) and hands them to [`install`], so the question bank is not part of the first load;
/// everything else compiles them in (the `embedded-quiz` feature, on by default).
pub const FILE_NAMES: &[&str] = &[
    "key-types.json",
    "envelope.json",
    "context.json",
    "access.json",
    "cross-account.json",
    "rotation.json",
    "lifecycle.json",
    "audit.json",
    "services.json",
    "storage.json",
    "backup.json",
    "secrets.json",
    "trails-tables.json",
    "messaging-detective.json",
    "exam.json",
];

/// The topic files compiled in: (file name, JSON text), in [`FILE_NAMES`] order.
#[cfg(feature = "embedded-quiz")]
const FILES: &[(&str, &str)] = &[
    ("key-types.json", include_str!("../../quiz/key-types.json")),
    ("envelope.json", include_str!("../../quiz/envelope.json")),
    ("context.json", include_str!("../../quiz/context.json")),
    ("access.json", include_str!("../../quiz/access.json")),
    (
        "cross-account.json",
        include_str!("../../quiz/cross-account.json"),
    ),
    ("rotation.json", include_str!("../../quiz/rotation.json")),
    ("lifecycle.json", include_str!("../../quiz/lifecycle.json")),
    ("audit.json", include_str!("../../quiz/audit.json")),
    ("services.json", include_str!("../../quiz/services.json")),
    ("storage.json", include_str!("../../quiz/storage.json")),
    ("backup.json", include_str!("../../quiz/backup.json")),
    ("secrets.json", include_str!("../../quiz/secrets.json")),
    (
        "trails-tables.json",
        include_str!("../../quiz/trails-tables.json"),
    ),
    (
        "messaging-detective.json",
        include_str!("../../quiz/messaging-detective.json"),
    ),
    ("exam.json", include_str!("../../quiz/exam.json")),
];

/// Seed of the fresh world every proof runs in.
pub const PROOF_SEED: u64 = 42;
/// Questions in a full exam (SOA-C03 and SAA-C03 both have 65).
pub const EXAM_QUESTIONS: usize = 65;
/// Minutes of the SOA-C03 exam.
pub const EXAM_MINUTES: u32 = 130;

/// Whether a question is proved by a run or cited as a documented fact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Proved by `proof` + per-option `check`.
    Proof,
    /// A documented fact no run can show.
    Fact,
}

/// One answer option.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerOption {
    /// The option text.
    pub text: String,
    /// Whether it is a correct answer.
    pub correct: bool,
    /// Proof questions: lines run after the proof; the option's claim holds iff all succeed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub check: Vec<String>,
}

/// One question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Question {
    /// Stable id (unique in the bank).
    pub id: String,
    /// Topic id (from the file).
    #[serde(default)]
    pub topic: String,
    /// Proof or fact.
    pub kind: Kind,
    /// The question. In every text field, `backticked` spans are commands and names, to be shown
    /// as inline code (the backticks always come in pairs).
    pub stem: String,
    /// How many options are correct: 1 = multiple choice, more = multiple response.
    pub answers: usize,
    /// Options, in authoring order (correct options usually first): never show them in this
    /// order. The UI shuffles them for display, with a seed kept with the attempt; grading and
    /// progress use these indexes.
    pub options: Vec<AnswerOption>,
    /// Why the correct options are correct.
    pub explanation: String,
    /// The outdated or wrong claim this question corrects, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub misconception: Option<String>,
    /// AWS documentation.
    pub docs: Vec<String>,
    /// What the proof relies on, for readers of the bank (`"enforcement"`: key policies, IAM and
    /// grants). Informational: the world always enforces them, so no proof is skipped for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needs: Option<String>,
    /// Proof questions: the script run in a fresh world.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub proof: Vec<String>,
    /// The exam-guide skills it practises (ids from [`skills::SKILLS`]; the first one of each
    /// exam places it in that exam's practice exam).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<String>,
}

impl Question {
    /// Indexes of the correct options.
    pub fn correct(&self) -> Vec<usize> {
        self.options
            .iter()
            .enumerate()
            .filter(|(_, o)| o.correct)
            .map(|(i, _)| i)
            .collect()
    }

    /// Whether it is multiple response.
    pub fn multiple_response(&self) -> bool {
        self.answers > 1
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicFile {
    topic: String,
    title: String,
    questions: Vec<Question>,
}

/// A topic.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Topic {
    /// Topic id.
    pub id: String,
    /// Display title.
    pub title: String,
    /// Number of questions.
    pub questions: usize,
}

struct Bank {
    topics: Vec<Topic>,
    questions: Vec<Question>,
    errors: Vec<String>,
}

static BANK: OnceLock<Bank> = OnceLock::new();

fn parse<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Bank {
    let mut bank = Bank {
        topics: Vec::new(),
        questions: Vec::new(),
        errors: Vec::new(),
    };
    for (name, text) in files {
        match serde_json::from_str::<TopicFile>(text) {
            Ok(f) => {
                bank.topics.push(Topic {
                    id: f.topic.clone(),
                    title: f.title,
                    questions: f.questions.len(),
                });
                for mut q in f.questions {
                    q.topic = f.topic.clone();
                    bank.questions.push(q);
                }
            }
            Err(e) => bank.errors.push(format!("{name}: {e}")),
        }
    }
    bank
}

#[cfg(feature = "embedded-quiz")]
fn load() -> &'static Bank {
    BANK.get_or_init(|| parse(FILES.iter().copied()))
}

/// Without the compiled-in files: the installed bank, or an empty one until [`install`].
#[cfg(not(feature = "embedded-quiz"))]
fn load() -> &'static Bank {
    static EMPTY: Bank = Bank {
        topics: Vec::new(),
        questions: Vec::new(),
        errors: Vec::new(),
    };
    BANK.get().unwrap_or(&EMPTY)
}

/// Whether the question bank is there (always, with the files compiled in; in the browser,
/// once [`install`] has run).
pub fn is_loaded() -> bool {
    cfg!(feature = "embedded-quiz") || BANK.get().is_some()
}

/// Installs the question bank from the topic files' texts, `(file name, JSON text)` in
/// [`FILE_NAMES`] order, as the browser app fetched them. A bank already there is kept (with
/// the files compiled in, it always is). Files that do not parse are reported by [`validate`].
pub fn install<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) {
    if !is_loaded() {
        let _ = BANK.set(parse(files));
    }
}

/// Every question, topic by topic.
pub fn bank() -> &'static [Question] {
    &load().questions
}

/// The topics, in display order.
pub fn topics() -> &'static [Topic] {
    &load().topics
}

/// The question with this id.
pub fn get(id: &str) -> Option<&'static Question> {
    bank().iter().find(|q| q.id == id)
}

/// Whether `selected` (option indexes) is exactly the set of correct options.
pub fn grade(question: &Question, selected: &[usize]) -> bool {
    let s: BTreeSet<usize> = selected.iter().copied().collect();
    s.len() == selected.len() && s == question.correct().into_iter().collect()
}

/// One option's checked claim.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OptionCheck {
    /// Option index.
    pub option: usize,
    /// Option text.
    pub text: String,
    /// Whether the run shows the claim holds.
    pub holds: bool,
    /// Whether the option is marked correct.
    pub correct: bool,
    /// The check's lines and outputs.
    pub steps: Vec<Step>,
}

/// The result of running a question's proof.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProofRun {
    /// Question id.
    pub id: String,
    /// The proof script's lines and outputs.
    pub steps: Vec<Step>,
    /// Whether every proof line succeeded.
    pub setup_ok: bool,
    /// Each option's check.
    pub option_checks: Vec<OptionCheck>,
    /// Why the proof was not run (`fact` questions).
    pub skipped: Option<String>,
}

impl ProofRun {
    /// Whether the proof ran and the checks hold for exactly the correct options.
    pub fn consistent(&self) -> bool {
        self.skipped.is_none()
            && self.setup_ok
            && self.option_checks.iter().all(|c| c.holds == c.correct)
    }
}

/// Why a proof could not run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum QuizError {
    /// No question has this id.
    Unknown(String),
}

impl std::fmt::Display for QuizError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unknown(id) => write!(f, "no question `{id}`"),
        }
    }
}

impl std::error::Error for QuizError {}

/// Runs question `id`'s proof in a fresh world and every option's check on a clone of the
/// result.
pub fn prove(id: &str) -> Result<ProofRun, QuizError> {
    let q = get(id).ok_or_else(|| QuizError::Unknown(id.to_owned()))?;
    Ok(prove_question(q))
}

fn prove_question(q: &Question) -> ProofRun {
    let mut run = ProofRun {
        id: q.id.clone(),
        steps: Vec::new(),
        setup_ok: false,
        option_checks: Vec::new(),
        skipped: None,
    };
    if q.kind == Kind::Fact {
        run.skipped = Some("a documented fact: see the cited AWS documentation".into());
        return run;
    }
    let mut session = Session::new(PROOF_SEED, crate::START_MS);
    let (steps, ok) = script::run_lines(&mut session, &q.proof);
    run.steps = steps;
    run.setup_ok = ok;
    if !ok {
        return run;
    }
    for (i, o) in q.options.iter().enumerate() {
        let mut clone = session.clone();
        let (steps, holds) = script::run_lines(&mut clone, &o.check);
        run.option_checks.push(OptionCheck {
            option: i,
            text: o.text.clone(),
            holds,
            correct: o.correct,
            steps,
        });
    }
    run
}

fn static_errors(q: &Question, seen: &mut BTreeSet<String>) -> Vec<String> {
    let mut e = Vec::new();
    let id = &q.id;
    if id.is_empty() || !seen.insert(id.clone()) {
        e.push(format!("{id}: empty or duplicate id"));
    }
    let correct = q.correct().len();
    if q.answers == 0 || correct != q.answers {
        e.push(format!(
            "{id}: {correct} options marked correct, `answers` says {}",
            q.answers
        ));
    }
    if q.options.len() < q.answers + 2 && q.answers > 1 || q.options.len() < 3 {
        e.push(format!("{id}: too few options ({})", q.options.len()));
    }
    if q.answers > 1 && q.options.len() < MULTIPLE_RESPONSE_OPTIONS {
        e.push(format!(
            "{id}: a multiple-response item needs two or more correct answers out of at least {} options, as on the exam ({})",
            MULTIPLE_RESPONSE_OPTIONS,
            q.options.len()
        ));
    }
    if q.answers == 1 && q.options.len() < MULTIPLE_CHOICE_OPTIONS {
        e.push(format!(
            "{id}: a multiple-choice item needs one correct answer and at least {} options, as on the exam ({})",
            MULTIPLE_CHOICE_OPTIONS,
            q.options.len()
        ));
    }
    if q.answers > 1
        && !q
            .stem
            .contains(&format!("Choose {}", number_word(q.answers)))
    {
        e.push(format!(
            "{id}: a multiple-response stem must say \"Choose {}\"",
            number_word(q.answers)
        ));
    }
    if !q.docs.iter().any(|d| {
        d.starts_with("https://docs.aws.amazon.com/") || d.starts_with("https://aws.amazon.com/")
    }) {
        e.push(format!("{id}: cites no AWS documentation URL"));
    }
    if q.misconception.is_some()
        && !q
            .explanation
            .split_inclusive(". ")
            .any(|sentence| sentence.contains("misconception"))
    {
        e.push(format!(
            "{id}: the explanation must say, in the sentence that states the stale claim, that it is a misconception"
        ));
    }
    if q.skills.is_empty() {
        e.push(format!("{id}: names no exam-guide skill (`skills`)"));
    }
    for s in &q.skills {
        if skills::skill(s).is_none() {
            e.push(format!("{id}: unknown skill `{s}`"));
        }
    }
    if q.explanation.trim().is_empty() {
        e.push(format!("{id}: no explanation"));
    }
    let prose = [("stem", q.stem.as_str()), ("explanation", &q.explanation)]
        .into_iter()
        .chain(q.misconception.as_deref().map(|m| ("misconception", m)))
        .chain(q.options.iter().map(|o| ("an option", o.text.as_str())));
    for (field, text) in prose {
        if !crate::balanced_code_spans(text) {
            e.push(format!(
                "{id}: {field} has an unmatched backtick (`code` spans come in pairs)"
            ));
        }
    }
    match q.kind {
        Kind::Proof => {
            if q.proof.is_empty() && q.options.iter().all(|o| o.check.is_empty()) {
                e.push(format!("{id}: a proof question without a proof"));
            }
            if let Some(i) = q.options.iter().position(|o| o.check.is_empty()) {
                e.push(format!("{id}: option {i} has no check"));
            }
        }
        Kind::Fact => {
            if !q.proof.is_empty() || q.options.iter().any(|o| !o.check.is_empty()) {
                e.push(format!("{id}: a fact question carries a proof"));
            }
        }
    }
    e
}

fn number_word(n: usize) -> &'static str {
    match n {
        2 => "two",
        3 => "three",
        4 => "four",
        5 => "five",
        _ => "N",
    }
}

/// Options of an exam multiple-choice item (one correct, three distractors).
pub const MULTIPLE_CHOICE_OPTIONS: usize = 4;
/// Fewest options of an exam-format multiple-response item ("two or more correct out of five or
/// more options", as the exam guides put it).
pub const MULTIPLE_RESPONSE_OPTIONS: usize = 5;
/// A scenario stem (a company, a constraint, a qualifier) has at least this many words.
pub const SCENARIO_STEM_WORDS: usize = 30;
/// Least share of scenario stems in the bank, in percent (issue #22: at least half); [`validate`]
/// fails below it.
pub const SCENARIO_STEM_TARGET_PERCENT: usize = 50;
/// Least share of stems with a qualifier, in percent (issue #22: at least a quarter); [`validate`]
/// fails below it.
pub const QUALIFIER_TARGET_PERCENT: usize = 25;

/// Phrases that make a stem ask for the best answer under a constraint, as exam stems do
/// ("least operational overhead", "most cost-effective", "without downtime", "meets the
/// compliance requirement"). Matched case-insensitively.
pub const QUALIFIERS: &[&str] = &[
    "least operational overhead",
    "least operational effort",
    "most operationally efficient",
    "most cost-effective",
    "most cost effective",
    "lowest cost",
    "least expensive",
    "without downtime",
    "minimal downtime",
    "least downtime",
    "compliance requirement",
    "most secure",
    "least privilege",
    "fewest changes",
    "least effort",
    "least disruption",
    "without changing",
    "without re-encrypting",
    "without losing",
];

/// Words in a stem (whitespace separated).
pub fn stem_words(q: &Question) -> usize {
    q.stem.split_whitespace().count()
}

/// The qualifier a stem carries, if any.
pub fn qualifier(q: &Question) -> Option<&'static str> {
    let stem = q.stem.to_lowercase();
    QUALIFIERS.iter().copied().find(|k| stem.contains(k))
}

/// How closely a set of questions follows the exam format (issue #22). [`validate`] reports it
/// for the bank and fails when the bank misses a stem target.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FormatMetrics {
    /// Questions.
    pub questions: usize,
    /// Multiple-response items.
    pub multiple_response: usize,
    /// Multiple-response items in the exam format (two or more correct, five or more options).
    pub exam_format_multiple_response: usize,
    /// Median stem length in words (the lower middle for an even count).
    pub median_stem_words: usize,
    /// Stems of [`SCENARIO_STEM_WORDS`] words or more.
    pub scenario_stems: usize,
    /// Stems with a qualifier from [`QUALIFIERS`].
    pub with_qualifier: usize,
    /// Questions proved by a run (kind `proof`).
    pub proved: usize,
}

impl FormatMetrics {
    /// Whether at least [`SCENARIO_STEM_TARGET_PERCENT`] of stems are scenario stems.
    pub fn meets_scenario_target(&self) -> bool {
        self.scenario_stems * 100 >= self.questions * SCENARIO_STEM_TARGET_PERCENT
    }

    /// Whether at least [`QUALIFIER_TARGET_PERCENT`] of stems carry a qualifier.
    pub fn meets_qualifier_target(&self) -> bool {
        self.with_qualifier * 100 >= self.questions * QUALIFIER_TARGET_PERCENT
    }
}

/// The exam-format metrics of `questions`.
pub fn format_metrics(questions: &[Question]) -> FormatMetrics {
    let mut words: Vec<usize> = questions.iter().map(stem_words).collect();
    words.sort_unstable();
    let mr: Vec<&Question> = questions.iter().filter(|q| q.answers > 1).collect();
    FormatMetrics {
        questions: questions.len(),
        multiple_response: mr.len(),
        exam_format_multiple_response: mr
            .iter()
            .filter(|q| q.options.len() >= MULTIPLE_RESPONSE_OPTIONS)
            .count(),
        median_stem_words: words
            .get(words.len().saturating_sub(1) / 2)
            .copied()
            .unwrap_or(0),
        scenario_stems: words.iter().filter(|w| **w >= SCENARIO_STEM_WORDS).count(),
        with_qualifier: questions.iter().filter(|q| qualifier(q).is_some()).count(),
        proved: questions.iter().filter(|q| q.kind == Kind::Proof).count(),
    }
}

/// What [`validate`] checked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ValidationReport {
    /// Questions in the bank.
    pub questions: usize,
    /// Proofs that ran and matched the answer key.
    pub proved: usize,
    /// Fact questions.
    pub facts: usize,
    /// Proofs not run, with the reason.
    pub skipped: Vec<String>,
    /// How closely the bank follows the exam format.
    pub format: FormatMetrics,
}

/// Validates the bank: parsing, unique ids, the number of correct options, the exam item format
/// (multiple choice: one of at least four; multiple response: two or more of at least five),
/// the stem targets over the bank ([`SCENARIO_STEM_TARGET_PERCENT`], [`QUALIFIER_TARGET_PERCENT`]),
/// documentation, the fact cap, and every proof (checks must hold
/// for exactly the correct options). The report carries the [`FormatMetrics`].
pub fn validate() -> Result<ValidationReport, Vec<String>> {
    let bank = load();
    let mut errors = bank.errors.clone();
    let mut seen = BTreeSet::new();
    let mut report = ValidationReport {
        questions: bank.questions.len(),
        ..ValidationReport::default()
    };
    for q in &bank.questions {
        errors.extend(static_errors(q, &mut seen));
        if q.kind == Kind::Fact {
            report.facts += 1;
            continue;
        }
        let run = prove_question(q);
        if let Some(why) = &run.skipped {
            report.skipped.push(format!("{}: {why}", q.id));
        } else if run.consistent() {
            report.proved += 1;
        } else {
            errors.push(describe_failure(&run));
        }
    }
    report.format = format_metrics(&bank.questions);
    let f = &report.format;
    if !f.meets_scenario_target() {
        errors.push(format!(
            "{} of {} stems are scenario stems ({SCENARIO_STEM_WORDS} words or more); at least \
             {SCENARIO_STEM_TARGET_PERCENT}% must be",
            f.scenario_stems, f.questions
        ));
    }
    if !f.meets_qualifier_target() {
        errors.push(format!(
            "{} of {} stems carry a qualifier from QUALIFIERS; at least {QUALIFIER_TARGET_PERCENT}% \
             must",
            f.with_qualifier, f.questions
        ));
    }
    if report.facts * 4 > report.questions {
        errors.push(format!(
            "{} of {} questions are facts; at most a quarter may be",
            report.facts, report.questions
        ));
    }
    if errors.is_empty() {
        Ok(report)
    } else {
        Err(errors)
    }
}

fn describe_failure(run: &ProofRun) -> String {
    if !run.setup_ok {
        let last = run.steps.last();
        return format!(
            "{}: proof line `{}` failed: {}",
            run.id,
            last.map(|s| s.line.as_str()).unwrap_or_default(),
            last.map(|s| s.output.stderr.trim()).unwrap_or_default()
        );
    }
    let bad: Vec<String> = run
        .option_checks
        .iter()
        .filter(|c| c.holds != c.correct)
        .map(|c| {
            let last = c.steps.last();
            format!(
                "option {} ({}) is marked {} but its check {}{}",
                c.option,
                c.text,
                if c.correct { "correct" } else { "wrong" },
                if c.holds { "holds" } else { "fails" },
                last.map(|s| format!(" at `{}`: {}", s.line, s.output.stderr.trim()))
                    .unwrap_or_default()
            )
        })
        .collect();
    format!("{}: {}", run.id, bad.join("; "))
}

/// A small deterministic generator for exam selection (the browser passes its own seed).
fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut x = seed ^ 0x9E37_79B9_7F4A_7C15;
    for i in (1..items.len()).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let j = usize::try_from(x % u64::try_from(i + 1).unwrap_or(1)).unwrap_or(0);
        items.swap(i, j);
    }
}

/// An exam: `n` questions (at most the bank; [`EXAM_QUESTIONS`] for a full one) drawn by `seed`,
/// spread over topics, with a time limit proportional to the exam's 130 minutes for 65.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Exam {
    /// Question ids, in order.
    pub questions: Vec<&'static str>,
    /// Time limit in minutes.
    pub minutes: u32,
}

/// Draws an exam of `n` questions with `seed`.
pub fn exam(n: usize, seed: u64) -> Exam {
    let mut by_topic: BTreeMap<&str, Vec<&'static str>> = BTreeMap::new();
    for q in bank() {
        by_topic
            .entry(q.topic.as_str())
            .or_default()
            .push(q.id.as_str());
    }
    let mut lists: Vec<Vec<&'static str>> = by_topic.into_values().collect();
    for (i, l) in lists.iter_mut().enumerate() {
        shuffle(l, seed.wrapping_add(u64::try_from(i).unwrap_or(0)));
    }
    // Round-robin over topics so a short exam still covers them.
    let mut picked = Vec::new();
    let mut round = 0;
    while picked.len() < n && lists.iter().any(|l| round < l.len()) {
        for l in &lists {
            if let Some(id) = l.get(round)
                && picked.len() < n
            {
                picked.push(*id);
            }
        }
        round += 1;
    }
    shuffle(&mut picked, seed.rotate_left(17));
    let count = u32::try_from(picked.len()).unwrap_or(0);
    Exam {
        minutes: (count * EXAM_MINUTES).div_ceil(u32::try_from(EXAM_QUESTIONS).unwrap_or(65)),
        questions: picked,
    }
}

/// Practice order: questions never answered first (bank order), then the rest by Leitner box.
pub fn practice_order(progress: &progress::Progress, topic: Option<&str>) -> Vec<&'static str> {
    let saved = progress::questions(progress);
    let mut qs: Vec<&'static Question> = bank()
        .iter()
        .filter(|q| topic.is_none_or(|t| q.topic == t))
        .collect();
    qs.sort_by_key(|q| saved.get(&q.id).map_or(0, |p| p.leitner_box));
    qs.into_iter().map(|q| q.id.as_str()).collect()
}

/// Review: questions last answered wrong, or flagged.
pub fn review(progress: &progress::Progress) -> Vec<&'static str> {
    let saved = progress::questions(progress);
    bank()
        .iter()
        .filter(|q| {
            saved
                .get(&q.id)
                .is_some_and(|p| p.flagged || (!p.last_correct && p.right + p.wrong > 0))
        })
        .map(|q| q.id.as_str())
        .collect()
}

/// Spaced repetition: questions due at `now_ms` (never answered, or their box's interval has
/// passed), lowest box first.
pub fn due(progress: &progress::Progress, now_ms: i64) -> Vec<&'static str> {
    let saved = progress::questions(progress);
    let mut qs: Vec<(u8, &'static str)> = bank()
        .iter()
        .filter_map(|q| match saved.get(&q.id) {
            None => Some((0, q.id.as_str())),
            Some(p) if p.right + p.wrong == 0 || progress::due_ms(p) <= now_ms => {
                Some((p.leitner_box, q.id.as_str()))
            }
            Some(_) => None,
        })
        .collect();
    qs.sort_by_key(|(b, _)| *b);
    qs.into_iter().map(|(_, id)| id).collect()
}

/// Results of one topic.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TopicResult {
    /// Topic id.
    pub topic: String,
    /// Questions in the topic.
    pub questions: usize,
    /// Questions answered at least once.
    pub answered: usize,
    /// Questions whose last answer was right.
    pub right: usize,
    /// Questions in the top Leitner box.
    pub mastered: usize,
}

/// Per-topic results from the saved progress.
pub fn results_by_topic(progress: &progress::Progress) -> Vec<TopicResult> {
    let saved = progress::questions(progress);
    topics()
        .iter()
        .map(|t| {
            let qs: Vec<&Question> = bank().iter().filter(|q| q.topic == t.id).collect();
            let states: Vec<_> = qs.iter().filter_map(|q| saved.get(&q.id)).collect();
            TopicResult {
                topic: t.id.clone(),
                questions: qs.len(),
                answered: states.iter().filter(|p| p.right + p.wrong > 0).count(),
                right: states.iter().filter(|p| p.last_correct).count(),
                mastered: states
                    .iter()
                    .filter(|p| p.leitner_box == progress::BOXES)
                    .count(),
            }
        })
        .collect()
}

pub mod skills;
pub mod tasks;

#[cfg(test)]
mod tests;

//! Scenarios: a story, a prepared world, objectives graded against a clone of the learner's
//! session, hints, wrong-turn detectors, a debrief and reference solutions.
//!
//! The browser's Scenarios page needs only: [`catalog`] / [`get`] to list and describe,
//! [`start`] to prepare the world, [`restart`] (a new seed) or [`reset`] (the same seed),
//! [`evaluate`] (read-only, live) or [`record`] (also saves which objectives passed),
//! [`wrong_turns`], [`hint`], [`score`], [`solve`], and [`why_detail`] (how much the "Why?" card
//! may say while the learner diagnoses).
//!
//! A scenario's world, files and shell variables are one unit: [`start`], [`restart`] and
//! [`reset`] replace all three.

mod content;
mod load;
pub mod probe;
#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests;

use awscli::Session;
use serde::{Deserialize, Serialize};

pub use content::{
    CheckTable, check_table, install as install_checks, installed as checks_installed,
};
pub use probe::{Probe, Verdict};

use crate::progress::{self, ObjectiveProgress, ScenarioProgress};
use crate::script::{self, Step};

/// How hard a scenario is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Difficulty {
    /// A first lab on the topic.
    Beginner,
    /// Needs the topic's main ideas.
    Intermediate,
    /// Combines several ideas, or requires diagnosis.
    Advanced,
}

/// Whether a scenario can be played in this build.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", content = "needs", rename_all = "lowercase")]
pub enum Availability {
    /// Playable now.
    Playable,
    /// Listed, but needs a simulated service or feature that is not there yet (e.g. `S3`).
    Coming(&'static str),
}

/// Grades an objective against a clone of the learner's session.
pub type Check = fn(&mut Probe) -> Verdict;

/// Looks for a wrong turn in a clone of the learner's session: `Some` when it is there.
pub type Detect = fn(&mut Probe) -> Option<Seen>;

/// One objective of a scenario: text from `scenario.json`, check from Rust.
#[derive(Debug)]
pub struct Objective {
    /// Stable id within the scenario.
    pub id: &'static str,
    /// What the learner must achieve.
    pub text: &'static str,
    /// One line shown once it passes: why this is the right outcome.
    pub success: &'static str,
    /// Its check: (catalogue entry, objective) in the checks' table (`content::checks`).
    check: (usize, usize),
}

impl Objective {
    /// Grades the objective on `probe`. Before the checks are installed (the browser app
    /// downloads them after its first load) it fails, and the engine's extension is noted as
    /// wanted (`cloud::service::take_wanted`): the app then grades again once it is here.
    pub fn check(&self, probe: &mut Probe) -> Verdict {
        let (scenario, objective) = self.check;
        match content::checks(scenario).and_then(|c| c.objectives.get(objective)) {
            Some((_, check)) => check(probe),
            None => Verdict::fail(NOT_LOADED),
        }
    }
}

/// The evidence of an objective not checked because the checks are not installed yet.
const NOT_LOADED: &str = "The scenario's checks are not loaded yet.";

/// A hint; revealing it costs points.
#[derive(Debug, Serialize)]
pub struct Hint {
    /// The hint.
    pub text: &'static str,
    /// Points it costs.
    pub cost: u32,
}

/// A common mistake and how to recognise it: messages from `scenario.json`, detector from Rust.
#[derive(Debug)]
pub struct WrongTurn {
    /// Stable id.
    pub id: &'static str,
    /// The message shown when the detector sees the mistake (`{{NAME}}` filled from [`Seen`]).
    pub message: &'static str,
    /// Other messages a detector may pick by name ([`Seen::variant`]).
    pub variants: Vec<(&'static str, &'static str)>,
    /// Its detector: (catalogue entry, wrong turn) in the checks' table (`content::checks`).
    detect: (usize, usize),
}

impl WrongTurn {
    /// Looks for the wrong turn on `probe`; `None` also before the checks are installed (the
    /// engine's extension is then noted as wanted, as for [`Objective::check`]).
    pub fn detect(&self, probe: &mut Probe) -> Option<Seen> {
        let (scenario, wrong_turn) = self.detect;
        let (_, detect) = content::checks(scenario)?.wrong_turns.get(wrong_turn)?;
        detect(probe)
    }

    /// The message for what the detector saw.
    pub fn message_for(&self, seen: &Seen) -> String {
        let text = seen
            .variant
            .and_then(|v| self.variants.iter().find(|(k, _)| *k == v))
            .map_or(self.message, |(_, t)| *t);
        load::fill(text, &seen.values)
    }
}

/// What a wrong-turn detector saw: which of the wrong turn's messages applies, and the values
/// of its `{{NAME}}` placeholders.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Seen {
    variant: Option<&'static str>,
    values: Vec<(&'static str, String)>,
}

impl Seen {
    /// The wrong turn's main message.
    pub fn it() -> Self {
        Self::default()
    }

    /// The wrong turn's message named `name` in its `variants`.
    pub fn variant(name: &'static str) -> Self {
        Self {
            variant: Some(name),
            values: Vec::new(),
        }
    }

    /// Fills `{{name}}` with `value`.
    pub fn with(mut self, name: &'static str, value: impl std::fmt::Display) -> Self {
        self.values.push((name, value.to_string()));
        self
    }
}

/// A reference solution: a script in the learner's language.
#[derive(Debug)]
pub struct Solution {
    /// Route name (`"iam"`, `"key-policy"`, ...); scenarios with one route use `"default"`.
    pub route: &'static str,
    script: load::Template,
}

impl Solution {
    /// The script for a seed (its variant), or `None` if the route does not apply to it.
    pub fn script(&self, seed: u64) -> Option<String> {
        self.script.render(seed)
    }
}

/// A scenario: data (`scenarios/<id>/`) plus small checker functions (`content/<id>.rs`).
#[derive(Debug)]
pub struct Scenario {
    /// Stable id, linked from study sites.
    pub id: &'static str,
    /// Title.
    pub title: &'static str,
    /// Exam domain and objective it practises.
    pub exam: &'static str,
    /// Difficulty.
    pub difficulty: Difficulty,
    /// Estimated minutes.
    pub minutes: u32,
    /// Playable now, or what it waits for.
    pub availability: Availability,
    /// The story the learner reads first.
    pub story: &'static str,
    setup: load::Template,
    /// Setup variables saved in the progress (key ids, the variant's expected values).
    pub record_vars: Vec<&'static str>,
    /// Files the scenario reads or writes (the native binary mirrors them on disk).
    pub files: Vec<&'static str>,
    /// Objectives, in order.
    pub objectives: Vec<Objective>,
    /// Progressive hints.
    pub hints: Vec<Hint>,
    /// Wrong-turn detectors.
    pub wrong_turns: Vec<WrongTurn>,
    /// Reference solutions (at least one route applies to every seed).
    pub solutions: Vec<Solution>,
    /// The debrief shown at the end.
    pub debrief: &'static str,
    /// AWS documentation.
    pub docs: Vec<&'static str>,
    /// Whether the variant for a seed asks the learner to find the cause of a failure
    /// themselves (from CloudTrail, policies and key state). While such a variant is the active
    /// scenario and not yet solved, [`why_detail`] is [`WhyDetail::Limited`].
    pub diagnose_from_cloudtrail: fn(u64) -> bool,
}

impl Scenario {
    /// The setup script for a seed (randomised scenarios vary by seed).
    pub fn setup(&self, seed: u64) -> String {
        self.setup.render(seed).unwrap_or_default()
    }

    /// The objectives that count: all of them (none waits for a feature any more). Kept for
    /// `crates/bench`; new code uses [`Scenario::objectives`].
    pub fn counted(&self) -> impl Iterator<Item = &Objective> {
        self.objectives.iter()
    }
}

/// Every scenario, playable or coming, in catalogue order (none before [`install`], without
/// the `embedded-scenarios` feature).
pub fn catalog() -> &'static [Scenario] {
    load::catalog()
}

/// The file the browser app fetches the scenario data from (beside the wasm; written by
/// `cargo xtask scenario-bundle`): one JSON object, path under `scenarios/` → contents.
pub const BUNDLE_FILE: &str = "scenarios.json";

/// Whether the scenario data is there: always with the files compiled in (the
/// `embedded-scenarios` feature, on by default); in the browser, once [`install`] has run.
pub fn is_loaded() -> bool {
    load::is_loaded()
}

/// Installs the scenario data from the fetched [`BUNDLE_FILE`] (a JSON object, path →
/// contents). Data already there is kept. Fails, installing nothing, unless the text is such
/// an object with at least one file.
pub fn install(bundle: &str) -> Result<(), String> {
    let files: std::collections::BTreeMap<String, String> =
        serde_json::from_str(bundle).map_err(|e| format!("{BUNDLE_FILE}: {e}"))?;
    if files.is_empty() {
        return Err(format!("{BUNDLE_FILE}: no scenario files"));
    }
    load::install(files.into_iter().collect());
    Ok(())
}

/// The scenario with this id.
pub fn get(id: &str) -> Option<&'static Scenario> {
    catalog().iter().find(|s| s.id == id)
}

/// What can go wrong when driving a scenario.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "error", rename_all = "camelCase")]
pub enum ScenarioError {
    /// No scenario has this id.
    Unknown {
        /// The id asked for.
        id: String,
    },
    /// The scenario is listed but needs a feature the world lacks.
    NotPlayable {
        /// The scenario.
        id: String,
        /// What it needs.
        needs: String,
    },
    /// The scenario was not started in this session.
    NotStarted {
        /// The scenario.
        id: String,
    },
    /// A setup or solution line failed (a content bug).
    ScriptFailed {
        /// The failing line.
        line: String,
        /// Its standard error.
        stderr: String,
    },
}

impl std::fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unknown { id } => write!(f, "no scenario `{id}`"),
            Self::NotPlayable { id, needs } => {
                write!(f, "scenario `{id}` is coming: it needs {needs}")
            }
            Self::NotStarted { id } => write!(f, "scenario `{id}` was not started"),
            Self::ScriptFailed { line, stderr } => {
                write!(f, "scenario script line `{line}` failed: {}", stderr.trim())
            }
        }
    }
}

impl std::error::Error for ScenarioError {}

fn playable(id: &str) -> Result<&'static Scenario, ScenarioError> {
    ensure_playable(get(id).ok_or_else(|| ScenarioError::Unknown { id: id.to_owned() })?)
}

/// `s` if it can be played in this build, else `NotPlayable` with what it needs.
fn ensure_playable(s: &'static Scenario) -> Result<&'static Scenario, ScenarioError> {
    match s.availability {
        Availability::Playable => Ok(s),
        Availability::Coming(needs) => Err(ScenarioError::NotPlayable {
            id: s.id.to_owned(),
            needs: needs.to_owned(),
        }),
    }
}

fn started(
    session: &Session,
    id: &str,
) -> Result<(&'static Scenario, ScenarioProgress), ScenarioError> {
    let s = playable(id)?;
    let p = progress::scenario(&session.progress, id)
        .ok_or_else(|| ScenarioError::NotStarted { id: id.to_owned() })?;
    Ok((s, p))
}

fn check_script(steps: &[Step], ok: bool) -> Result<(), ScenarioError> {
    if ok {
        return Ok(());
    }
    let last = steps.last();
    Err(ScenarioError::ScriptFailed {
        line: last.map(|s| s.line.clone()).unwrap_or_default(),
        stderr: last.map(|s| s.output.stderr.clone()).unwrap_or_default(),
    })
}

/// Starts scenario `id` in `session` with the variant for `seed`.
///
/// The scenario's world, files and shell variables are one unit: all three are replaced (a fresh
/// default world at the session's current time, no files, no variables), then the setup for
/// `seed` creates the files and variables the scenario needs. Setup variables stay in
/// `session.vars` for the learner (`$KEY_ID`) and are recorded in the progress. Kept: the progress
/// of other scenarios and of quizzes, the terminal width and aws-cli's own settings
/// (`cli_config`). The scenario becomes the active one ([`why_detail`]).
pub fn start(session: &mut Session, id: &str, seed: u64) -> Result<Vec<Step>, ScenarioError> {
    begin(session, playable(id)?, seed)
}

/// Restarts scenario `id` (it must have been started) with a new `seed`, as the browser's
/// Restart does: like [`start`], world, files and variables are replaced and hints and results
/// cleared, and a randomised scenario may draw a different variant.
pub fn restart(session: &mut Session, id: &str, seed: u64) -> Result<Vec<Step>, ScenarioError> {
    let (s, _) = started(session, id)?;
    begin(session, s, seed)
}

/// Restarts scenario `id` with the seed it was started with (same variant): like [`restart`],
/// world, files and variables are replaced and hints and results cleared.
pub fn reset(session: &mut Session, id: &str) -> Result<Vec<Step>, ScenarioError> {
    let (s, p) = started(session, id)?;
    begin(session, s, p.seed)
}

fn begin(
    session: &mut Session,
    s: &'static Scenario,
    seed: u64,
) -> Result<Vec<Step>, ScenarioError> {
    let now = session.world.now_ms();
    let mut fresh = Session::new(seed, now);
    fresh.progress = std::mem::take(&mut session.progress);
    fresh.terminal_width = session.terminal_width;
    fresh.cli_config = std::mem::take(&mut session.cli_config);
    *session = fresh;
    // Recorded before the setup runs, so a failing setup leaves no stale results behind.
    let mut p = ScenarioProgress {
        seed,
        started_ms: now,
        ..ScenarioProgress::default()
    };
    progress::set_scenario(&mut session.progress, s.id, &p);
    progress::set_active_scenario(&mut session.progress, s.id);
    let (steps, ok) = script::run(session, &s.setup(seed));
    check_script(&steps, ok)?;
    p.vars = s
        .record_vars
        .iter()
        .filter_map(|v| Some(((*v).to_owned(), session.vars.get(*v)?.clone())))
        .collect();
    progress::set_scenario(&mut session.progress, s.id, &p);
    Ok(steps)
}

/// Whether an objective passed or failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The check holds.
    Passed,
    /// The check does not hold (yet).
    Failed,
    /// Not produced: every objective is graded. Kept because the app still renders it; drop it
    /// together with the app's arm.
    Pending,
}

/// One objective's result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ObjectiveResult {
    /// Objective id.
    pub id: &'static str,
    /// What the learner must achieve.
    pub text: &'static str,
    /// Result.
    pub status: Status,
    /// What the check saw.
    pub evidence: String,
    /// The one-line explanation, once passed.
    pub success: Option<&'static str>,
}

fn probe_for(session: &Session, p: &ScenarioProgress) -> Probe {
    let mut clone = session.clone();
    for (k, v) in &p.vars {
        clone.vars.insert(k.clone(), v.clone());
    }
    Probe::new(clone, p.vars.clone(), p.started_ms, p.seed)
}

/// Grades every objective of scenario `id` against clones of `session` (the learner's world is
/// not touched: no CloudTrail events, no keys, no cost).
///
/// Before the checks are installed (the browser app downloads them after its first load) every
/// objective fails as not checked, and the engine's extension is noted as wanted
/// (`cloud::service::take_wanted`): the app then grades again once they are here.
pub fn evaluate(session: &Session, id: &str) -> Result<Vec<ObjectiveResult>, ScenarioError> {
    let (s, p) = started(session, id)?;
    let installed = content::installed();
    if !installed {
        cloud::service::want_extension();
    }
    Ok(s.objectives
        .iter()
        .map(|o| {
            let v = if installed {
                o.check(&mut probe_for(session, &p))
            } else {
                Verdict::fail(NOT_LOADED)
            };
            ObjectiveResult {
                id: o.id,
                text: o.text,
                status: if v.passed {
                    Status::Passed
                } else {
                    Status::Failed
                },
                success: v.passed.then_some(o.success),
                evidence: v.evidence,
            }
        })
        .collect())
}

/// [`evaluate`], then saves which objectives pass in the progress.
pub fn record(session: &mut Session, id: &str) -> Result<Vec<ObjectiveResult>, ScenarioError> {
    let results = evaluate(session, id)?;
    let (_, mut p) = started(session, id)?;
    let now = session.world.now_ms();
    for r in &results {
        let e = p
            .objectives
            .entry(r.id.to_owned())
            .or_insert(ObjectiveProgress {
                passed: false,
                first_passed_ms: None,
            });
        e.passed = r.status == Status::Passed;
        if e.passed && e.first_passed_ms.is_none() {
            e.first_passed_ms = Some(now);
        }
    }
    if p.solved_ms.is_none() && results.iter().all(|r| r.status != Status::Failed) {
        p.solved_ms = Some(now);
    }
    progress::set_scenario(&mut session.progress, id, &p);
    Ok(results)
}

/// How much the app's "Why?" card may say about a failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WhyDetail {
    /// Everything: which gate stopped the request (key policy, IAM, grant, key state, context),
    /// the reading and a `lab explain` trace.
    Full,
    /// The learner is diagnosing: show that the call failed, its error code and where to look
    /// (CloudTrail `lookup-events`, the AWS documentation), but do not name the gate or the cause
    /// and do not run `lab explain`.
    Limited,
}

/// How much the "Why?" card may explain in `session` now.
///
/// [`WhyDetail::Limited`] while the active scenario (the one started or restarted last, see
/// [`crate::progress::active_scenario`]) is a variant that asks the learner to diagnose from
/// CloudTrail ([`Scenario::diagnose_from_cloudtrail`]) and has not been solved: a card naming
/// the cause would give the answer away. Once a [`record`] sees every objective pass, it is
/// [`WhyDetail::Full`] again for that run (full explanations then help), until the scenario is
/// restarted. [`WhyDetail::Full`] everywhere else, including with no scenario started.
pub fn why_detail(session: &Session) -> WhyDetail {
    let Some(id) = progress::active_scenario(&session.progress) else {
        return WhyDetail::Full;
    };
    match started(session, &id) {
        Ok((s, p)) if (s.diagnose_from_cloudtrail)(p.seed) && p.solved_ms.is_none() => {
            WhyDetail::Limited
        }
        _ => WhyDetail::Full,
    }
}

/// A detected wrong turn.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WrongTurnHit {
    /// Detector id.
    pub id: &'static str,
    /// What went wrong and why.
    pub message: String,
}

/// Runs scenario `id`'s wrong-turn detectors against clones of `session`.
pub fn wrong_turns(session: &Session, id: &str) -> Result<Vec<WrongTurnHit>, ScenarioError> {
    let (s, p) = started(session, id)?;
    // Before the checks are installed: none seen (and the want noted), as in [`evaluate`].
    if !content::installed() {
        cloud::service::want_extension();
        return Ok(Vec::new());
    }
    Ok(s.wrong_turns
        .iter()
        .filter_map(|w| {
            w.detect(&mut probe_for(session, &p))
                .map(|seen| WrongTurnHit {
                    id: w.id,
                    message: w.message_for(&seen),
                })
        })
        .collect())
}

/// Reveals the next hint of scenario `id` (and records its cost); `None` when all are shown.
pub fn hint(session: &mut Session, id: &str) -> Result<Option<&'static Hint>, ScenarioError> {
    let (s, mut p) = started(session, id)?;
    let Some(h) = s.hints.get(p.hints_used) else {
        return Ok(None);
    };
    p.hints_used += 1;
    progress::set_scenario(&mut session.progress, id, &p);
    Ok(Some(h))
}

/// Hints revealed so far.
pub fn hints_shown(session: &Session, id: &str) -> Result<&'static [Hint], ScenarioError> {
    let (s, p) = started(session, id)?;
    Ok(s.hints
        .get(..p.hints_used.min(s.hints.len()))
        .unwrap_or_default())
}

/// A score: 100 points per passed objective, minus the cost of revealed hints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Score {
    /// Points earned.
    pub points: u32,
    /// Points possible.
    pub max: u32,
    /// Objectives passed.
    pub passed: usize,
    /// Objectives counted.
    pub total: usize,
}

/// Points per objective.
pub const OBJECTIVE_POINTS: u32 = 100;

/// Scores saved results (from [`record`]) of scenario `id`.
pub fn score(session: &Session, id: &str) -> Result<Score, ScenarioError> {
    let (s, p) = started(session, id)?;
    let total = s.objectives.len();
    let passed = s
        .objectives
        .iter()
        .filter(|o| p.objectives.get(o.id).is_some_and(|r| r.passed))
        .count();
    let max = OBJECTIVE_POINTS * u32::try_from(total).unwrap_or(0);
    let cost: u32 = s.hints.iter().take(p.hints_used).map(|h| h.cost).sum();
    let earned = OBJECTIVE_POINTS * u32::try_from(passed).unwrap_or(0);
    Ok(Score {
        points: earned.saturating_sub(cost),
        max,
        passed,
        total,
    })
}

/// Solution routes that apply to the started variant of scenario `id`.
pub fn routes(session: &Session, id: &str) -> Result<Vec<&'static str>, ScenarioError> {
    let (s, p) = started(session, id)?;
    Ok(s.solutions
        .iter()
        .filter(|r| r.script(p.seed).is_some())
        .map(|r| r.route)
        .collect())
}

/// Applies a reference solution to the learner's session (`route` `None`: the first route that
/// applies to the variant).
pub fn solve(
    session: &mut Session,
    id: &str,
    route: Option<&str>,
) -> Result<Vec<Step>, ScenarioError> {
    let (s, p) = started(session, id)?;
    let script = s
        .solutions
        .iter()
        .filter(|r| route.is_none_or(|name| r.route == name))
        .find_map(|r| r.script(p.seed))
        .ok_or_else(|| ScenarioError::ScriptFailed {
            line: String::new(),
            stderr: format!(
                "no solution route `{}` for this variant",
                route.unwrap_or("")
            ),
        })?;
    let (steps, ok) = script::run(session, &script);
    check_script(&steps, ok)?;
    Ok(steps)
}

/// A scenario's catalogue entry, serialisable for the browser and `kmslab scenario list`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Stable id.
    pub id: &'static str,
    /// Title.
    pub title: &'static str,
    /// Exam domain and objective.
    pub exam: &'static str,
    /// Difficulty.
    pub difficulty: Difficulty,
    /// Estimated minutes.
    pub minutes: u32,
    /// Playable, or what it needs.
    pub availability: Availability,
    /// The story.
    pub story: &'static str,
    /// Objectives (id and text).
    pub objectives: Vec<ObjectiveInfo>,
    /// Number of hints.
    pub hints: usize,
    /// The debrief.
    pub debrief: &'static str,
    /// AWS documentation.
    pub docs: Vec<&'static str>,
}

/// An objective as listed before grading.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ObjectiveInfo {
    /// Objective id.
    pub id: &'static str,
    /// What the learner must achieve.
    pub text: &'static str,
    /// Always `None` (no objective waits for a feature); kept so that the JSON of
    /// `kmslab scenario list` keeps its shape.
    pub pending: Option<&'static str>,
}

impl Scenario {
    /// The catalogue entry.
    pub fn summary(&self) -> Summary {
        Summary {
            id: self.id,
            title: self.title,
            exam: self.exam,
            difficulty: self.difficulty,
            minutes: self.minutes,
            availability: self.availability,
            story: self.story,
            objectives: self
                .objectives
                .iter()
                .map(|o| ObjectiveInfo {
                    id: o.id,
                    text: o.text,
                    pending: None,
                })
                .collect(),
            hints: self.hints.len(),
            debrief: self.debrief,
            docs: self.docs.clone(),
        }
    }
}

/// Every scenario's catalogue entry.
pub fn summaries() -> Vec<Summary> {
    catalog().iter().map(Scenario::summary).collect()
}

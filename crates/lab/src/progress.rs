//! What the learner did, persisted in `Session::progress` (a JSON value this crate owns).
//!
//! ```text
//! { "scenarios": { ID: { "seed": N, "startedMs": T, "vars": {..}, "hintsUsed": K,
//!                        "objectives": { OBJ: { "passed": true, "firstPassedMs": T } },
//!                        "solvedMs": T } },
//!   "activeScenario": ID,
//!   "quiz": { ID: { "box": 1..5, "right": N, "wrong": N, "flagged": bool,
//!                   "lastCorrect": bool, "lastMs": T } } }
//! ```
//!
//! Spaced repetition uses Leitner boxes: a right answer moves a question up one box (at most
//! [`BOXES`]), a wrong one back to box 1; box `b` is due again [`BOX_DAYS`]`[b-1]` days later.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

/// Number of Leitner boxes.
pub const BOXES: u8 = 5;
/// Days until a question in box 1..=5 is due again.
pub const BOX_DAYS: [i64; 5] = [0, 1, 3, 7, 14];
const DAY_MS: i64 = 86_400_000;

fn section<'a>(progress: &'a mut Value, name: &str) -> Option<&'a mut Map<String, Value>> {
    if !progress.is_object() {
        *progress = json!({});
    }
    let entry = progress
        .as_object_mut()?
        .entry(name)
        .or_insert_with(|| json!({}));
    if !entry.is_object() {
        *entry = json!({});
    }
    entry.as_object_mut()
}

/// One scenario's saved progress.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioProgress {
    /// The seed the scenario was started with (selects the variant of randomised scenarios).
    pub seed: u64,
    /// Simulated time of the start.
    pub started_ms: i64,
    /// Variables the setup recorded (key ids, the variant's expected values).
    #[serde(default)]
    pub vars: BTreeMap<String, String>,
    /// Hints revealed so far.
    #[serde(default)]
    pub hints_used: usize,
    /// Objectives ever passed, with the simulated time they first passed.
    #[serde(default)]
    pub objectives: BTreeMap<String, ObjectiveProgress>,
    /// When every counted objective first passed at one evaluation (`None`: not solved yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub solved_ms: Option<i64>,
}

/// One objective's saved state.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectiveProgress {
    /// Whether it passed at the last evaluation.
    pub passed: bool,
    /// When it first passed.
    pub first_passed_ms: Option<i64>,
}

/// The saved progress of scenario `id`, if it was started.
pub fn scenario(progress: &Value, id: &str) -> Option<ScenarioProgress> {
    let v = progress.get("scenarios")?.get(id)?;
    serde_json::from_value(v.clone()).ok()
}

/// Stores scenario `id`'s progress.
pub fn set_scenario(progress: &mut Value, id: &str, p: &ScenarioProgress) {
    let v = serde_json::to_value(p).unwrap_or(Value::Null);
    if let Some(m) = section(progress, "scenarios") {
        m.insert(id.to_owned(), v);
    }
}

/// Forgets scenario `id`'s progress.
pub fn clear_scenario(progress: &mut Value, id: &str) {
    if let Some(m) = section(progress, "scenarios") {
        m.remove(id);
    }
}

/// The scenario started (or restarted) most recently, if its progress is still there.
pub fn active_scenario(progress: &Value) -> Option<String> {
    let id = progress.get("activeScenario")?.as_str()?;
    progress.get("scenarios")?.get(id)?;
    Some(id.to_owned())
}

/// Marks scenario `id` as the active one.
pub fn set_active_scenario(progress: &mut Value, id: &str) {
    if !progress.is_object() {
        *progress = json!({});
    }
    if let Some(m) = progress.as_object_mut() {
        m.insert("activeScenario".to_owned(), Value::String(id.to_owned()));
    }
}

/// One question's saved state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QuestionProgress {
    /// Leitner box, 1..=5.
    #[serde(rename = "box")]
    pub leitner_box: u8,
    /// Right answers.
    pub right: u32,
    /// Wrong answers.
    pub wrong: u32,
    /// Flagged for review.
    #[serde(default)]
    pub flagged: bool,
    /// Whether the last answer was right.
    pub last_correct: bool,
    /// When it was last answered (the caller's clock, epoch ms).
    pub last_ms: i64,
}

impl Default for QuestionProgress {
    fn default() -> Self {
        Self {
            leitner_box: 1,
            right: 0,
            wrong: 0,
            flagged: false,
            last_correct: false,
            last_ms: 0,
        }
    }
}

impl QuestionProgress {
    /// When the question is due again (epoch ms).
    pub fn due_ms(&self) -> i64 {
        let i = usize::from(self.leitner_box.clamp(1, BOXES) - 1);
        self.last_ms
            .saturating_add(BOX_DAYS.get(i).copied().unwrap_or(0) * DAY_MS)
    }
}

/// The saved state of question `id` (`None` if never answered or flagged).
pub fn question(progress: &Value, id: &str) -> Option<QuestionProgress> {
    let v = progress.get("quiz")?.get(id)?;
    serde_json::from_value(v.clone()).ok()
}

fn set_question(progress: &mut Value, id: &str, q: &QuestionProgress) {
    let v = serde_json::to_value(q).unwrap_or(Value::Null);
    if let Some(m) = section(progress, "quiz") {
        m.insert(id.to_owned(), v);
    }
}

/// Records an answer to question `id` at `now_ms` (the browser's clock) and moves it between
/// Leitner boxes. Returns the new state.
pub fn record_answer(
    progress: &mut Value,
    id: &str,
    correct: bool,
    now_ms: i64,
) -> QuestionProgress {
    let mut q = question(progress, id).unwrap_or_default();
    if correct {
        q.right += 1;
        q.leitner_box = (q.leitner_box + 1).min(BOXES);
    } else {
        q.wrong += 1;
        q.leitner_box = 1;
    }
    q.last_correct = correct;
    q.last_ms = now_ms;
    set_question(progress, id, &q);
    q
}

/// Flags or unflags question `id` for review.
pub fn set_flag(progress: &mut Value, id: &str, flagged: bool) {
    let mut q = question(progress, id).unwrap_or_default();
    q.flagged = flagged;
    set_question(progress, id, &q);
}

/// Every answered or flagged question's state, by id.
pub fn questions(progress: &Value) -> BTreeMap<String, QuestionProgress> {
    progress
        .get("quiz")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| Some((k.clone(), serde_json::from_value(v.clone()).ok()?)))
                .collect()
        })
        .unwrap_or_default()
}

/// Forgets every quiz answer.
pub fn clear_quiz(progress: &mut Value) {
    if let Some(m) = progress.as_object_mut() {
        m.remove("quiz");
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn leitner() {
        let mut p = Value::Null;
        assert_eq!(record_answer(&mut p, "q", true, 0).leitner_box, 2);
        assert_eq!(record_answer(&mut p, "q", true, 0).leitner_box, 3);
        let q = record_answer(&mut p, "q", false, 5);
        assert_eq!((q.leitner_box, q.right, q.wrong, q.due_ms()), (1, 2, 1, 5));
        for _ in 0..10 {
            record_answer(&mut p, "q", true, 0);
        }
        assert_eq!(question(&p, "q").map(|q| q.leitner_box), Some(BOXES));
        set_flag(&mut p, "q", true);
        assert!(questions(&p)["q"].flagged);
        clear_quiz(&mut p);
        assert!(questions(&p).is_empty());
    }

    #[test]
    fn active_scenario_needs_its_progress() {
        let mut p = json!("not an object");
        assert_eq!(active_scenario(&p), None);
        set_active_scenario(&mut p, "key-rotation");
        assert_eq!(active_scenario(&p), None, "no progress for it yet");
        set_scenario(&mut p, "key-rotation", &ScenarioProgress::default());
        assert_eq!(active_scenario(&p).as_deref(), Some("key-rotation"));
        clear_scenario(&mut p, "key-rotation");
        assert_eq!(active_scenario(&p), None);
        assert_eq!(active_scenario(&json!({ "activeScenario": 5 })), None);
    }
}

//! What the learner did, kept with the session (`Session::progress`, saved at
//! `session.progress` in the state file): typed data; the `lab` crate owns what it means
//! (grading, Leitner boxes, the quiz's orders).
//!
//! ```text
//! { "scenarios": { ID: { "seed": N, "startedMs": T, "vars": {..}, "hintsUsed": K,
//!                        "objectives": { OBJ: { "passed": true, "firstPassedMs": T } },
//!                        "solvedMs": T } },
//!   "activeScenario": ID,
//!   "quiz": { ID: { "box": 1..5, "right": N, "wrong": N, "flagged": bool,
//!                   "lastCorrect": bool, "lastMs": T } },
//!   "examAttempts": [ { "at": T, "right": N, "total": N, "seed": N } ] }
//! ```
//!
//! Reading is lenient, as it always was: an entry that does not read (a hand-edited file, a
//! member of the wrong type) is dropped alone, never the learner's whole lab; members this
//! build does not know are kept and written back.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

/// Scenario and quiz progress.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    /// Every started scenario's progress, by scenario id.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub scenarios: BTreeMap<String, ScenarioProgress>,
    /// The scenario started (or restarted) most recently.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active_scenario: Option<String>,
    /// Every answered or flagged question's state, by question id.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub quiz: BTreeMap<String, QuestionProgress>,
    /// Finished exam attempts, oldest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exam_attempts: Vec<ExamAttempt>,
    /// Members a newer build wrote, kept as they are.
    #[serde(flatten)]
    pub other: Map<String, Value>,
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

/// One finished exam.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExamAttempt {
    /// When it was finished (the browser's clock, epoch ms).
    pub at: i64,
    /// Right answers.
    pub right: u64,
    /// Questions asked.
    pub total: u64,
    /// The seed of its question and option order.
    #[serde(default)]
    pub seed: u64,
}

impl Progress {
    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self == &Progress::default()
    }
}

/// The entries of a JSON object that read as `T`, by key.
fn entries<T: DeserializeOwned>(v: Option<Value>) -> BTreeMap<String, T> {
    match v {
        Some(Value::Object(m)) => m
            .into_iter()
            .filter_map(|(k, v)| Some((k, serde_json::from_value(v).ok()?)))
            .collect(),
        _ => BTreeMap::new(),
    }
}

impl<'de> Deserialize<'de> for Progress {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let Value::Object(mut m) = Value::deserialize(d)? else {
            // `null` (a fresh lab of an older build) or anything else: nothing recorded.
            return Ok(Progress::default());
        };
        let scenarios = entries(m.remove("scenarios"));
        let quiz = entries(m.remove("quiz"));
        let active_scenario = match m.remove("activeScenario") {
            Some(Value::String(s)) => Some(s),
            _ => None,
        };
        let exam_attempts = match m.remove("examAttempts") {
            Some(Value::Array(a)) => a
                .into_iter()
                .filter_map(|v| serde_json::from_value(v).ok())
                .collect(),
            _ => Vec::new(),
        };
        Ok(Progress {
            scenarios,
            active_scenario,
            quiz,
            exam_attempts,
            other: m,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn reads_leniently_and_writes_back_what_it_does_not_know() {
        let p: Progress = serde_json::from_value(json!({
            "scenarios": {
                "key-rotation": { "seed": 3, "startedMs": 10 },
                "broken": { "seed": "three" }
            },
            "activeScenario": 5,
            "quiz": { "q1": { "box": 2, "right": 1, "wrong": 0, "lastCorrect": true, "lastMs": 7 } },
            "examAttempts": [ { "at": 1, "right": 2, "total": 3, "seed": 4 }, "junk" ],
            "futureThing": { "a": 1 }
        }))
        .unwrap();
        assert_eq!(p.scenarios.len(), 1);
        assert_eq!(p.scenarios["key-rotation"].seed, 3);
        assert_eq!(p.active_scenario, None);
        assert_eq!(p.quiz["q1"].leitner_box, 2);
        assert_eq!(p.exam_attempts.len(), 1);
        let back = serde_json::to_value(&p).unwrap();
        assert_eq!(back["futureThing"], json!({ "a": 1 }));
        assert_eq!(back["scenarios"]["key-rotation"]["startedMs"], 10);
        for nothing in [json!(null), json!("text"), json!({})] {
            let p: Progress = serde_json::from_value(nothing).unwrap();
            assert!(p.is_empty());
            assert_eq!(serde_json::to_value(&p).unwrap(), json!({}));
        }
    }
}

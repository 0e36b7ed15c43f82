//! What the learner's progress means: scenario starts and results, the active scenario, and
//! the quiz's Leitner boxes. The data is `awscli::progress::Progress` (typed, kept with the
//! session at `session.progress`); these functions read and change it.
//!
//! Spaced repetition uses Leitner boxes: a right answer moves a question up one box (at most
//! [`BOXES`]), a wrong one back to box 1; box `b` is due again [`BOX_DAYS`]`[b-1]` days later.

use std::collections::BTreeMap;

pub use awscli::progress::{
    ExamAttempt, ObjectiveProgress, Progress, QuestionProgress, ScenarioProgress,
};

/// Number of Leitner boxes.
pub const BOXES: u8 = 5;
/// Days until a question in box 1..=5 is due again.
pub const BOX_DAYS: [i64; 5] = [0, 1, 3, 7, 14];
const DAY_MS: i64 = 86_400_000;

/// The saved progress of scenario `id`, if it was started.
pub fn scenario(progress: &Progress, id: &str) -> Option<ScenarioProgress> {
    progress.scenarios.get(id).cloned()
}

/// Stores scenario `id`'s progress.
pub fn set_scenario(progress: &mut Progress, id: &str, p: &ScenarioProgress) {
    progress.scenarios.insert(id.to_owned(), p.clone());
}

/// Forgets scenario `id`'s progress.
pub fn clear_scenario(progress: &mut Progress, id: &str) {
    progress.scenarios.remove(id);
}

/// The scenario started (or restarted) most recently, if its progress is still there.
pub fn active_scenario(progress: &Progress) -> Option<String> {
    let id = progress.active_scenario.as_ref()?;
    progress.scenarios.contains_key(id).then(|| id.clone())
}

/// Marks scenario `id` as the active one.
pub fn set_active_scenario(progress: &mut Progress, id: &str) {
    progress.active_scenario = Some(id.to_owned());
}

/// When question progress `q` is due again (epoch ms).
pub fn due_ms(q: &QuestionProgress) -> i64 {
    let i = usize::from(q.leitner_box.clamp(1, BOXES) - 1);
    q.last_ms
        .saturating_add(BOX_DAYS.get(i).copied().unwrap_or(0) * DAY_MS)
}

/// The saved state of question `id` (`None` if never answered or flagged).
pub fn question(progress: &Progress, id: &str) -> Option<QuestionProgress> {
    progress.quiz.get(id).cloned()
}

/// Records an answer to question `id` at `now_ms` (the browser's clock) and moves it between
/// Leitner boxes. Returns the new state.
pub fn record_answer(
    progress: &mut Progress,
    id: &str,
    correct: bool,
    now_ms: i64,
) -> QuestionProgress {
    let q = progress.quiz.entry(id.to_owned()).or_default();
    if correct {
        q.right += 1;
        q.leitner_box = (q.leitner_box + 1).min(BOXES);
    } else {
        q.wrong += 1;
        q.leitner_box = 1;
    }
    q.last_correct = correct;
    q.last_ms = now_ms;
    q.clone()
}

/// Flags or unflags question `id` for review.
pub fn set_flag(progress: &mut Progress, id: &str, flagged: bool) {
    progress.quiz.entry(id.to_owned()).or_default().flagged = flagged;
}

/// Every answered or flagged question's state, by id.
pub fn questions(progress: &Progress) -> &BTreeMap<String, QuestionProgress> {
    &progress.quiz
}

/// Forgets every quiz answer.
pub fn clear_quiz(progress: &mut Progress) {
    progress.quiz.clear();
}

/// Keeps a finished exam, for the trend plot.
pub fn record_exam(progress: &mut Progress, right: usize, total: usize, at: i64, seed: u64) {
    progress.exam_attempts.push(ExamAttempt {
        at,
        right: right as u64,
        total: total as u64,
        seed,
    });
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn leitner() {
        let mut p = Progress::default();
        assert_eq!(record_answer(&mut p, "q", true, 0).leitner_box, 2);
        assert_eq!(record_answer(&mut p, "q", true, 0).leitner_box, 3);
        let q = record_answer(&mut p, "q", false, 5);
        assert_eq!((q.leitner_box, q.right, q.wrong, due_ms(&q)), (1, 2, 1, 5));
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
        let mut p: Progress = serde_json::from_value(serde_json::json!("not an object")).unwrap();
        assert_eq!(active_scenario(&p), None);
        set_active_scenario(&mut p, "key-rotation");
        assert_eq!(active_scenario(&p), None, "no progress for it yet");
        set_scenario(&mut p, "key-rotation", &ScenarioProgress::default());
        assert_eq!(active_scenario(&p).as_deref(), Some("key-rotation"));
        clear_scenario(&mut p, "key-rotation");
        assert_eq!(active_scenario(&p), None);
        let p: Progress =
            serde_json::from_value(serde_json::json!({ "activeScenario": 5 })).unwrap();
        assert_eq!(active_scenario(&p), None);
    }

    #[test]
    fn exam_attempts_are_kept_in_order() {
        let mut p = Progress::default();
        record_exam(&mut p, 3, 5, 10, 1);
        record_exam(&mut p, 4, 5, 20, 2);
        let at: Vec<i64> = p.exam_attempts.iter().map(|a| a.at).collect();
        assert_eq!(at, [10, 20]);
    }
}

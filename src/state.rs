//! The app's store: a `use_reducer` state whose actions are user intents.
//!
//! The reducer is pure (no storage, no clock, no randomness): persistence and entropy live in
//! effects in `app.rs`, as in Yew's `function_todomvc` example. Returning a new `Rc` on every
//! change matters: Yew 0.23 skips re-rendering when `reduce` returns the same `Rc`.

use std::rc::Rc;
use yew::Reducible;

/// One simulated day in milliseconds.
pub const DAY_MS: i64 = 86_400_000;

/// Regions the lab models (KMS keys are Regional).
pub const REGIONS: [&str; 4] = ["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"];

/// A named identity of the default world, as the aws-cli profiles name them.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    pub name: &'static str,
    pub principal: &'static str,
    pub account: &'static str,
    pub account_alias: &'static str,
}

/// The default world's profiles (the README documents the same table).
pub const PROFILES: [Profile; 4] = [
    Profile {
        name: "admin",
        principal: "arn:aws:iam::111122223333:user/Admin",
        account: "111122223333",
        account_alias: "prod",
    },
    Profile {
        name: "security-admin",
        principal: "arn:aws:iam::111122223333:role/SecurityAdmin",
        account: "111122223333",
        account_alias: "prod",
    },
    Profile {
        name: "app",
        principal: "arn:aws:iam::111122223333:role/AppRole",
        account: "111122223333",
        account_alias: "prod",
    },
    Profile {
        name: "partner-admin",
        principal: "arn:aws:iam::444455556666:user/PartnerAdmin",
        account: "444455556666",
        account_alias: "partner",
    },
];

/// What the learner sees and changes.
#[derive(Clone, Debug, PartialEq)]
pub struct LabState {
    pub profile: String,
    pub region: String,
    /// Simulated time, Unix epoch milliseconds.
    pub now_ms: i64,
}

impl LabState {
    /// A new lab whose simulated clock starts at `start_ms` (the browser passes the real time).
    pub fn new(start_ms: i64) -> Self {
        Self {
            profile: "admin".to_owned(),
            region: "us-east-1".to_owned(),
            now_ms: start_ms,
        }
    }

    /// The current profile's identity.
    pub fn identity(&self) -> &Profile {
        PROFILES
            .iter()
            .find(|p| p.name == self.profile)
            .unwrap_or(&PROFILES[0])
    }
}

/// User intents.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Move the simulated clock forward.
    AdvanceClock { ms: i64 },
    /// Switch the current profile ("sign in as").
    UseProfile(String),
    /// Switch the current Region.
    UseRegion(String),
}

impl Reducible for LabState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::AdvanceClock { ms } if ms > 0 => next.now_ms = next.now_ms.saturating_add(ms),
            Action::AdvanceClock { .. } => return self,
            Action::UseProfile(name) if PROFILES.iter().any(|p| p.name == name) => {
                next.profile = name
            }
            Action::UseRegion(region) if REGIONS.contains(&region.as_str()) => next.region = region,
            Action::UseProfile(_) | Action::UseRegion(_) => return self,
        }
        Rc::new(next)
    }
}

/// Formats epoch milliseconds as `YYYY-MM-DD HH:MM UTC` (civil-from-days, no clock access).
pub fn format_time(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rem / 3600,
        (rem % 3600) / 60
    )
}

/// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_the_clock_returns_a_new_state() {
        let s = Rc::new(LabState::new(0));
        let next = s.clone().reduce(Action::AdvanceClock { ms: DAY_MS });
        assert_eq!(next.now_ms, DAY_MS);
        assert!(!Rc::ptr_eq(&s, &next));
    }

    #[test]
    fn invalid_intents_keep_the_same_rc() {
        let s = Rc::new(LabState::new(0));
        assert!(Rc::ptr_eq(
            &s,
            &s.clone().reduce(Action::UseRegion("mars-1".into()))
        ));
        assert!(Rc::ptr_eq(
            &s,
            &s.clone().reduce(Action::UseProfile("nobody".into()))
        ));
        assert!(Rc::ptr_eq(
            &s,
            &s.clone().reduce(Action::AdvanceClock { ms: -5 })
        ));
    }

    #[test]
    fn profile_switch_changes_identity() {
        let s = Rc::new(LabState::new(0)).reduce(Action::UseProfile("partner-admin".into()));
        assert_eq!(s.identity().account, "444455556666");
    }

    #[test]
    fn formats_known_dates() {
        assert_eq!(format_time(0), "1970-01-01 00:00 UTC");
        // 2026-11-22T19:57:00Z
        assert_eq!(format_time(1_795_377_420_000), "2026-11-22 19:57 UTC");
        assert_eq!(format_time(951_782_400_000), "2000-02-29 00:00 UTC");
    }
}

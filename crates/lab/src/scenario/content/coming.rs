//! Scenarios listed for study sites but waiting for a simulated service or feature.

use super::never;
use crate::scenario::{Availability, Difficulty, Scenario};

fn no_setup(_: u64) -> String {
    String::new()
}

macro_rules! coming {
    ($name:ident, $id:literal, $title:literal, $exam:literal, $diff:ident, $min:literal, $needs:literal, $story:literal, [$($doc:literal),*]) => {
        pub(super) const $name: Scenario = Scenario {
            id: $id,
            title: $title,
            exam: $exam,
            difficulty: Difficulty::$diff,
            minutes: $min,
            availability: Availability::Coming($needs),
            story: $story,
            setup: no_setup,
            record_vars: &[],
            files: &[],
            objectives: &[],
            hints: &[],
            wrong_turns: &[],
            solutions: &[],
            debrief: "",
            docs: &[$($doc),*],
            needs_enforcement: never,
        };
    };
}

coming!(
    IMPORTED_KEY_MATERIAL,
    "imported-key-material",
    "Bring your own key material",
    "SOA-C03 Domain 4 (Security and Compliance)",
    Advanced,
    25,
    "imported key material",
    "Compliance requires key material generated on premises, with an expiry you control.",
    ["https://docs.aws.amazon.com/kms/latest/developerguide/importing-keys.html"]
);

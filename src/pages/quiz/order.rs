//! The order a question's options are shown in.
//!
//! The bank lists each question's correct options first; shuffling happens here, for display
//! only, never in the data. Each attempt draws a seed, and the order is a pure function of that
//! seed and the question, so feedback and review show the options where the learner saw them.

/// SplitMix64: a small, well-mixed step for a deterministic shuffle.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a of the question id, so each question of one attempt gets its own order.
fn hash(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The option indices (into the question's data) in the order they are shown: position `p`
/// shows option `order[p]`. A permutation of `0..n`.
pub fn display_order(n: usize, seed: u64, question_id: &str) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut state = seed ^ hash(question_id);
    for i in (1..n).rev() {
        let j = (splitmix(&mut state) % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
    order
}

/// The letter shown before the option at display position `p` (A, B, C, …).
pub fn letter(p: usize) -> char {
    char::from(b'A' + (p % 26) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_order_is_a_permutation_and_stable_for_its_seed() {
        for n in 0..7 {
            let order = display_order(n, 42, "kt-default-key");
            let mut sorted = order.clone();
            sorted.sort_unstable();
            assert_eq!(sorted, (0..n).collect::<Vec<_>>());
            assert_eq!(order, display_order(n, 42, "kt-default-key"));
        }
    }

    #[test]
    fn the_right_answer_is_no_longer_always_first() {
        // Over the whole bank, with one seed, a correct option sits first about 1/n of the time.
        let bank = lab::quiz::bank();
        let first_correct = bank
            .iter()
            .filter(|q| q.options[display_order(q.options.len(), 7, &q.id)[0]].correct)
            .count();
        assert!(
            first_correct < bank.len() * 3 / 4,
            "{first_correct} of {} questions still show a right answer first",
            bank.len()
        );
    }

    #[test]
    fn attempts_with_new_seeds_move_the_options() {
        let q = &lab::quiz::bank()[0];
        let orders: std::collections::BTreeSet<Vec<usize>> = (0..20)
            .map(|seed| display_order(q.options.len(), seed, &q.id))
            .collect();
        assert!(
            orders.len() > 3,
            "20 attempts gave only {} orders",
            orders.len()
        );
    }

    #[test]
    fn letters() {
        assert_eq!(letter(0), 'A');
        assert_eq!(letter(4), 'E');
    }
}

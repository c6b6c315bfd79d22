//! The hidden random arm: which open cases a scoring run draws at random, and where in the
//! queue they go.
//!
//! The draw is uniform over the open cases and seeded from the run number alone
//! (`ChaCha8Rng::seed_from_u64(run)`, candidates in case-number order), so anyone with the
//! database can redraw a run's arm and check it. The arm's queue positions are spread evenly
//! over the whole queue and assigned in draw order, so a case's place depends on the draw,
//! never on its features or score: the arm cases a team gets round to are still a uniform
//! sample of the open cases.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// The largest share the arm may take: beyond it the queue stops being a ranking.
pub const MAX_SHARE: f64 = 0.5;

/// A share in `0..=MAX_SHARE`, as a settings value holds it.
pub fn parse_share(text: &str) -> Option<f64> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|s| (0.0..=MAX_SHARE).contains(s))
}

/// How many of `open` cases the arm takes: `round(share × open)`, at least one when the
/// share is positive and there is an open case (a small caseload still gets an arm).
pub fn arm_size(share: f64, open: usize) -> usize {
    if share <= 0.0 || open == 0 {
        return 0;
    }
    ((share * open as f64).round() as usize).clamp(1, open)
}

/// Draws the arm from `candidates` (case numbers, ascending): `arm_size(share, n)` of them,
/// uniformly without replacement, in draw order.
pub fn draw(run: i64, candidates: &[i64], share: f64) -> Vec<i64> {
    let k = arm_size(share, candidates.len());
    let mut rng = ChaCha8Rng::seed_from_u64(run as u64);
    rand::seq::index::sample(&mut rng, candidates.len(), k)
        .into_iter()
        .map(|i| candidates[i])
        .collect()
}

/// The queue: `ranked` (best first, the arm's cases among them or not) with the `arm` cases
/// taken out and put back at evenly spread places. With `n` cases in all and `k` in the arm,
/// arm case `j` (draw order) lands at 0-based place `floor((j + 1/2) × n / k)`: the middle of
/// the `j`-th of `k` equal stretches of the queue.
pub fn interleave(ranked: &[i64], arm: &[i64]) -> Vec<i64> {
    let in_arm: std::collections::HashSet<i64> = arm.iter().copied().collect();
    let mut rest = ranked.iter().copied().filter(|c| !in_arm.contains(c));
    let n = ranked.len();
    let k = arm.len();
    let mut places: Vec<Option<i64>> = vec![None; n];
    for (j, &case) in arm.iter().enumerate() {
        let place = ((2 * j + 1) * n / (2 * k)).min(n - 1);
        places[place] = Some(case);
    }
    places
        .into_iter()
        .map(|p| p.or_else(|| rest.next()).expect("n places for n cases"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_arm_is_five_percent_rounded_and_never_empty_when_asked_for() {
        assert_eq!(arm_size(0.05, 1000), 50);
        assert_eq!(arm_size(0.05, 30), 2); // 1.5 rounds up
        assert_eq!(arm_size(0.05, 3), 1);
        assert_eq!(arm_size(0.0, 1000), 0);
        assert_eq!(arm_size(0.05, 0), 0);
    }

    #[test]
    fn the_draw_is_reproducible_from_the_run_and_differs_between_runs() {
        let cases: Vec<i64> = (1..=400).collect();
        let first = draw(7, &cases, 0.05);
        assert_eq!(first.len(), 20);
        assert_eq!(first, draw(7, &cases, 0.05));
        assert_ne!(first, draw(8, &cases, 0.05));
        let mut unique = first.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), 20, "without replacement");
    }

    #[test]
    fn arm_cases_sit_in_the_middle_of_equal_stretches_and_the_rest_keep_their_order() {
        let ranked: Vec<i64> = (1..=10).collect();
        // Two arm cases in 10 places: places 2 and 7 (0-based), in draw order.
        let queue = interleave(&ranked, &[9, 4]);
        assert_eq!(queue, vec![1, 2, 9, 3, 5, 6, 7, 4, 8, 10]);
    }

    #[test]
    fn no_arm_leaves_the_ranking_alone_and_a_whole_arm_is_the_draw() {
        let ranked: Vec<i64> = (1..=5).collect();
        assert_eq!(interleave(&ranked, &[]), ranked);
        assert_eq!(interleave(&ranked, &[5, 3, 1, 2, 4]), vec![5, 3, 1, 2, 4]);
    }

    #[test]
    fn shares_outside_zero_to_a_half_are_refused() {
        assert_eq!(parse_share("0.05"), Some(0.05));
        assert_eq!(parse_share("0"), Some(0.0));
        assert_eq!(parse_share("0.6"), None);
        assert_eq!(parse_share("-0.1"), None);
        assert_eq!(parse_share("vijf"), None);
    }
}

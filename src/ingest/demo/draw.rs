//! Portable random draws.
//!
//! Every draw goes through fixed-width integers or the exact `f64` from 53 random bits, so
//! the same stream gives the same values on every platform: no `usize` ranges (their
//! sampling depends on the pointer width), no floating-point weights, no `exp`/`ln` (whose
//! last bit differs between math libraries).

use rand::Rng;

/// A uniformly chosen element of a non-empty slice.
pub(super) fn pick<'a, T>(rng: &mut impl Rng, items: &'a [T]) -> &'a T {
    let len = u32::try_from(items.len()).expect("short list");
    &items[rng.gen_range(0..len) as usize]
}

/// An element chosen with integer weights (at least one weight must be positive).
pub(super) fn weighted<'a, T>(rng: &mut impl Rng, items: &'a [(T, u32)]) -> &'a T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut ticket = rng.gen_range(0..total);
    for (item, w) in items {
        if ticket < *w {
            return item;
        }
        ticket -= w;
    }
    unreachable!("the ticket is below the total weight")
}

/// True with probability `p` (clamped to 0..=1).
pub(super) fn chance(rng: &mut impl Rng, p: f64) -> bool {
    rng.r#gen::<f64>() < p
}

/// Uniform in `[0, 1)`, exact from 53 random bits.
pub(super) fn unit(rng: &mut impl Rng) -> f64 {
    rng.r#gen::<f64>()
}

/// Approximately standard normal noise: the sum of four uniforms (Irwin–Hall), centred and
/// scaled to variance 1. Bounded by ±2√3 ≈ ±3.46, which is all a demo needs, and made of
/// additions and one multiplication only.
pub(super) fn normalish(rng: &mut impl Rng) -> f64 {
    let sum = unit(rng) + unit(rng) + unit(rng) + unit(rng);
    // Var(sum) = 4/12; divide by sqrt(1/3), i.e. multiply by sqrt(3).
    (sum - 2.0) * 1.732_050_807_568_877_2
}

//! A mergeable quantile sketch with a fixed relative accuracy: DDSketch's log-spaced bins
//! (Masson, Rim and Lee, VLDB 2019) with integer counts and no collapsing. Its state is a
//! function of the multiset of values inserted and nothing else (not their order, not how
//! they were split before merging), so per-epoch quantiles across paths come out
//! bit-identical for any thread count or shard split. It stores no sum or mean (a float
//! sum would depend on the order).
//!
//! Bin `i > 0` side holds `|x|` in `(γ^(i-1), γ^i]` with `γ = (1 + α) / (1 - α)`; its
//! representative `2 γ^i / (γ + 1)` is within a relative `α` of every value in the bin.
//! Values with `|x| <` [`ZERO_THRESHOLD`] count as exact zeros; NaNs are counted apart and
//! take no part in a quantile.

use serde::{Deserialize, Serialize};

/// Relative accuracy `α` of every value the sketch returns (0.5%).
pub const RELATIVE_ACCURACY: f64 = 0.005;

/// Values smaller than this in magnitude are counted as zero (returned as exactly 0).
pub const ZERO_THRESHOLD: f64 = 1e-9;

/// `γ = (1 + α) / (1 - α)`: the ratio of consecutive bin edges.
fn gamma() -> f64 {
    (1.0 + RELATIVE_ACCURACY) / (1.0 - RELATIVE_ACCURACY)
}

/// Counts of values in log-spaced bins, by sign. Bins are `(index, count)` pairs sorted
/// by index, with no zero counts, so equal multisets give equal sketches.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuantileSketch {
    /// Values in `(-ZERO_THRESHOLD, ZERO_THRESHOLD)`.
    pub zeros: u64,
    /// Positive values: bin `i` holds `(γ^(i-1), γ^i]`.
    pub positive: Vec<(i32, u64)>,
    /// Negative values, binned by `|x|` as `positive`.
    pub negative: Vec<(i32, u64)>,
    /// NaNs inserted (no quantile sees them).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub nan: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// The bin index of a magnitude `m >= ZERO_THRESHOLD` (infinities saturate).
fn index_of(m: f64) -> i32 {
    (m.ln() / gamma().ln()).ceil() as i32
}

/// The representative magnitude of bin `i`: `2 γ^i / (γ + 1)`.
fn representative(i: i32) -> f64 {
    let g = gamma();
    2.0 * g.powi(i) / (g + 1.0)
}

/// Adds `count` to bin `index` of a sorted bin list.
fn add_bin(bins: &mut Vec<(i32, u64)>, index: i32, count: u64) {
    match bins.binary_search_by_key(&index, |b| b.0) {
        Ok(k) => bins[k].1 += count,
        Err(k) => bins.insert(k, (index, count)),
    }
}

impl QuantileSketch {
    pub fn new() -> Self {
        Self::default()
    }

    /// Values counted, NaNs excluded.
    pub fn count(&self) -> u64 {
        let side = |b: &[(i32, u64)]| b.iter().map(|x| x.1).sum::<u64>();
        self.zeros + side(&self.positive) + side(&self.negative)
    }

    /// Counts one value.
    pub fn insert(&mut self, x: f64) {
        if x.is_nan() {
            self.nan += 1;
        } else if x.abs() < ZERO_THRESHOLD {
            self.zeros += 1;
        } else if x > 0.0 {
            add_bin(&mut self.positive, index_of(x), 1);
        } else {
            add_bin(&mut self.negative, index_of(-x), 1);
        }
    }

    /// Adds every count of `other`: the sketch of the union of the two multisets.
    pub fn merge(&mut self, other: &QuantileSketch) {
        self.zeros += other.zeros;
        self.nan += other.nan;
        for &(i, c) in &other.positive {
            add_bin(&mut self.positive, i, c);
        }
        for &(i, c) in &other.negative {
            add_bin(&mut self.negative, i, c);
        }
    }

    /// The `k`-th smallest value (0-based) as its bin's representative.
    fn value_at_rank(&self, mut k: u64) -> f64 {
        for &(i, c) in self.negative.iter().rev() {
            if k < c {
                return -representative(i);
            }
            k -= c;
        }
        if k < self.zeros {
            return 0.0;
        }
        k -= self.zeros;
        for &(i, c) in &self.positive {
            if k < c {
                return representative(i);
            }
            k -= c;
        }
        self.positive.last().map_or(0.0, |b| representative(b.0))
    }

    /// Quantile `p` by the definition of [`super::quantile_sorted`] (R type 7) applied to
    /// the bins' representatives: position `h = (n - 1) p` between order statistics. When
    /// the two order statistics share a sign, the result is within a relative
    /// [`RELATIVE_ACCURACY`] of the exact quantile. NaN when the sketch is empty.
    pub fn quantile(&self, p: f64) -> f64 {
        let n = self.count();
        if n == 0 || p.is_nan() {
            return f64::NAN;
        }
        let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
        let lo = h.floor() as u64;
        let frac = h - lo as f64;
        let x_lo = self.value_at_rank(lo);
        if frac == 0.0 {
            return x_lo;
        }
        let x_hi = self.value_at_rank((lo + 1).min(n - 1));
        x_lo + frac * (x_hi - x_lo)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::quantiles;

    /// A deterministic spread of values: lognormal-ish capital levels, some zeros and
    /// negatives, from a fixed linear congruential sequence (no RNG needed).
    fn sample(n: usize) -> Vec<f64> {
        let mut s: u64 = 0x9E37_79B9_7F4A_7C15;
        (0..n)
            .map(|i| {
                s = s
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                let u = (s >> 11) as f64 / (1u64 << 53) as f64;
                match i % 10 {
                    0 => 0.0,
                    1 => -(u * 3.0 + 0.01),
                    _ => 5e8 * (2.0 * u - 0.5).exp(),
                }
            })
            .collect()
    }

    fn sketch_of(values: &[f64]) -> QuantileSketch {
        let mut s = QuantileSketch::new();
        values.iter().for_each(|&x| s.insert(x));
        s
    }

    #[test]
    fn quantiles_are_within_the_relative_accuracy_of_the_exact_ones() {
        let values = sample(10_007);
        let sketch = sketch_of(&values);
        assert_eq!(sketch.count(), values.len() as u64);
        // Quantiles whose neighbouring order statistics share a sign.
        let ps = [0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0];
        let exact = quantiles(&values, &ps);
        for (p, e) in ps.iter().zip(&exact) {
            let got = sketch.quantile(*p);
            let bound = RELATIVE_ACCURACY * e.abs() * (1.0 + 1e-12);
            assert!(
                (got - e).abs() <= bound,
                "p={p}: sketch {got}, exact {e}, bound {bound}"
            );
        }
        // Zeros come back exactly.
        let zeros = sketch_of(&[0.0, 0.0, 0.0, 1.0]);
        assert_eq!(zeros.quantile(0.5), 0.0);
    }

    #[test]
    fn the_bound_is_tight_enough_to_fail_with_a_coarser_grid() {
        // A value in the middle of a bin lies at most α from its representative, and the
        // worst case (a bin edge) comes close to α: the test above would catch a bin
        // twice as wide.
        let g = gamma();
        let edge = g.powi(10);
        let r = representative(10);
        assert!((r - edge).abs() / edge <= RELATIVE_ACCURACY * (1.0 + 1e-12));
        let lower = g.powi(9) * (1.0 + 1e-12);
        let err = (r - lower).abs() / lower;
        assert!(err > 0.99 * RELATIVE_ACCURACY && err <= RELATIVE_ACCURACY * (1.0 + 1e-9));
    }

    #[test]
    fn the_state_depends_only_on_the_multiset() {
        let values = sample(5_000);
        let whole = sketch_of(&values);
        // Any split, merged in any order, and any insertion order give the same bits.
        for parts in [2usize, 3, 7, 64] {
            let chunk = values.len().div_ceil(parts);
            let mut pieces: Vec<QuantileSketch> = values.chunks(chunk).map(sketch_of).collect();
            pieces.reverse();
            let mut merged = QuantileSketch::new();
            pieces.iter().for_each(|p| merged.merge(p));
            assert_eq!(merged, whole, "{parts} parts");
            let json = serde_json::to_string(&merged).expect("json");
            assert_eq!(json, serde_json::to_string(&whole).expect("json"));
        }
        let mut reversed = values.clone();
        reversed.reverse();
        assert_eq!(sketch_of(&reversed), whole);
    }

    #[test]
    fn edge_cases_do_not_panic() {
        let empty = QuantileSketch::new();
        assert!(empty.quantile(0.5).is_nan());
        let odd = sketch_of(&[f64::NAN, f64::INFINITY, -f64::INFINITY, 1e-300, f64::MAX]);
        assert_eq!(odd.count(), 4);
        assert_eq!(odd.nan, 1);
        assert!(!odd.quantile(0.5).is_nan());
        let one = sketch_of(&[42.0]);
        for p in [0.0, 0.3, 1.0] {
            assert!((one.quantile(p) - 42.0).abs() <= 42.0 * RELATIVE_ACCURACY);
        }
    }
}

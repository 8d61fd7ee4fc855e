//! Statistics for the scorecard: exact quantiles (with order-statistic intervals), mean
//! estimates with standard errors, a mergeable moments accumulator, Wilson intervals for
//! proportions and fixed-edge histograms; the normal quantile for any confidence level
//! (`normal`) and the expected shortfall (`tail`); the same estimates from an
//! importance-weighted sample (`weighted`); a mergeable quantile sketch with a fixed
//! relative accuracy (`sketch`) for quantiles of many values kept without storing them.
//!
//! Everything here is deterministic: serial loops in slice order, no parallel
//! reductions, no RNG, no I/O. Same input bits give the same output bits.

mod normal;
pub mod sketch;
mod tail;
pub mod weighted;

pub use normal::{normal_quantile, two_sided_z};
pub use tail::expected_shortfall;

use serde::{Deserialize, Serialize};

/// Two-sided 95% normal quantile, `Φ⁻¹(0.975)`.
pub const Z95: f64 = 1.959963984540054;

/// Quantile `p` of an ascending-sorted slice by linear interpolation between order
/// statistics (R type 7, numpy's default): position `h = (n - 1) p`, result
/// `x[⌊h⌋] + (h - ⌊h⌋)(x[⌊h⌋ + 1] - x[⌊h⌋])`.
///
/// `p` is clamped to `[0, 1]`. An empty slice or a NaN `p` gives NaN. The slice must be
/// sorted (e.g. with `f64::total_cmp`); this is not checked.
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() || p.is_nan() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * p.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let frac = h - lo as f64;
    let x_lo = sorted[lo];
    if frac == 0.0 {
        return x_lo;
    }
    let x_hi = sorted[(lo + 1).min(sorted.len() - 1)];
    x_lo + frac * (x_hi - x_lo)
}

/// Exact quantiles of unsorted `values` at each probability in `ps` (same order as
/// `ps`), via a sorted copy (`f64::total_cmp`, so NaNs sort last). See
/// [`quantile_sorted`] for the definition and edge cases.
pub fn quantiles(values: &[f64], ps: &[f64]) -> Vec<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    ps.iter().map(|&p| quantile_sorted(&sorted, p)).collect()
}

/// A value with its 95% confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Interval {
    pub lo: f64,
    pub hi: f64,
}

/// A quantile over paths with a distribution-free 95% interval from order statistics.
pub fn quantile_with_ci(values: &[f64], p: f64) -> (f64, Interval) {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    if sorted.is_empty() {
        return (0.0, Interval { lo: 0.0, hi: 0.0 });
    }
    (
        quantile_sorted(&sorted, p),
        quantile_interval(&sorted, p, Z95),
    )
}

/// The distribution-free interval of quantile `p` of an ascending-sorted sample from its
/// order statistics: ranks `⌊n p - z √(n p (1-p))⌋` and `⌈n p + z √(n p (1-p))⌉` (1-based,
/// clamped to `[1, n]`), the normal approximation to the binomial count below the
/// quantile. `z` sets the confidence (1.96 for 95%). An empty slice gives `[0, 0]`.
pub fn quantile_interval(sorted: &[f64], p: f64, z: f64) -> Interval {
    let n = sorted.len();
    if n == 0 {
        return Interval { lo: 0.0, hi: 0.0 };
    }
    let nf = n as f64;
    let half = z * (nf * p * (1.0 - p)).sqrt();
    let lo_idx = ((nf * p - half).floor().max(1.0) as usize).min(n) - 1;
    let hi_idx = ((nf * p + half).ceil().max(1.0) as usize).min(n) - 1;
    Interval {
        lo: sorted[lo_idx],
        hi: sorted[hi_idx],
    }
}

/// A sample mean with its standard error.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MeanEstimate {
    /// Sample mean (units of the data); 0 when `n = 0`.
    pub mean: f64,
    /// Standard error of the mean, sample sd / √n (units of the data); 0 when `n < 2`.
    pub se: f64,
    /// Number of observations.
    pub n: u64,
}

/// Mean and standard error of `values`, two-pass (mean first, then squared deviations),
/// summed serially in slice order. `n = 0` gives mean 0 and se 0.
pub fn mean_estimate(values: &[f64]) -> MeanEstimate {
    let n = values.len();
    if n == 0 {
        return MeanEstimate {
            mean: 0.0,
            se: 0.0,
            n: 0,
        };
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    let ss: f64 = values.iter().map(|x| (x - mean) * (x - mean)).sum();
    MeanEstimate {
        mean,
        se: se_from(ss, n as u64),
        n: n as u64,
    }
}

/// Standard error of the mean from a sum of squared deviations `ss` over `n` values.
fn se_from(ss: f64, n: u64) -> f64 {
    if n < 2 {
        return 0.0;
    }
    let nf = n as f64;
    (ss / (nf - 1.0) / nf).sqrt()
}

/// Streaming count / mean / sum of squared deviations (Welford), mergeable across
/// batches with Chan et al.'s parallel formula.
///
/// Floating-point merging is not associative: for bit-identical results, push values and
/// merge batches in a fixed order (e.g. batch index order), never in completion order.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Moments {
    n: u64,
    mean: f64,
    m2: f64,
}

impl Moments {
    /// An empty accumulator.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of values seen.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// Adds one value (Welford update).
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let delta = x - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (x - self.mean);
    }

    /// Folds `other` into `self` (Chan et al.): `mean = mean_a + δ n_b / n`,
    /// `m2 = m2_a + m2_b + δ² n_a n_b / n` with `δ = mean_b - mean_a`.
    pub fn merge(&mut self, other: &Moments) {
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = *other;
            return;
        }
        let (na, nb) = (self.n as f64, other.n as f64);
        let n = na + nb;
        let delta = other.mean - self.mean;
        self.mean += delta * (nb / n);
        self.m2 += other.m2 + delta * delta * (na * nb / n);
        self.n += other.n;
    }

    /// Mean and standard error so far (same conventions as [`mean_estimate`]).
    pub fn estimate(&self) -> MeanEstimate {
        MeanEstimate {
            mean: self.mean,
            se: se_from(self.m2, self.n),
            n: self.n,
        }
    }
}

/// A proportion with its Wilson score 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ProportionEstimate {
    /// Point estimate `count / n` (0 when `n = 0`).
    pub p: f64,
    /// Number of successes.
    pub count: u64,
    /// Number of trials.
    pub n: u64,
    /// Lower end of the 95% Wilson interval, in `[0, 1]`.
    pub lo95: f64,
    /// Upper end of the 95% Wilson interval, in `[0, 1]`.
    pub hi95: f64,
}

/// Wilson score interval for `count` successes in `n` trials at z = [`Z95`]:
/// centre `(p̂ + z²/2n) / (1 + z²/n)`, half-width
/// `z sqrt(p̂(1-p̂)/n + z²/4n²) / (1 + z²/n)`. `n = 0` gives `p = 0` and `[0, 1]`;
/// `count > n` is treated as `count = n`. The bound at 0 (or 1) is exact when
/// `count = 0` (or `count = n`).
pub fn wilson(count: u64, n: u64) -> ProportionEstimate {
    let count = count.min(n);
    let ci = wilson_interval(count, n, Z95);
    ProportionEstimate {
        p: if n == 0 { 0.0 } else { count as f64 / n as f64 },
        count,
        n,
        lo95: ci.lo,
        hi95: ci.hi,
    }
}

/// The Wilson score interval of [`wilson`] at any normal multiplier `z`.
pub fn wilson_interval(count: u64, n: u64, z: f64) -> Interval {
    let count = count.min(n);
    if n == 0 {
        return Interval { lo: 0.0, hi: 1.0 };
    }
    let nf = n as f64;
    let p = count as f64 / nf;
    let z2 = z * z;
    let denom = 1.0 + z2 / nf;
    let centre = (p + z2 / (2.0 * nf)) / denom;
    let half = z * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt() / denom;
    Interval {
        lo: if count == 0 {
            0.0
        } else {
            (centre - half).max(0.0)
        },
        hi: if count == n {
            1.0
        } else {
            (centre + half).min(1.0)
        },
    }
}

/// The Wilson score interval with continuity correction (Newcombe 1998, method 4) at
/// normal multiplier `z`: wider than [`wilson_interval`] by about `1/2n` on each side, and
/// unlike it, it keeps at least its nominal coverage when the expected count is small (a
/// few events in a few hundred paths), which is where gate decisions on rare events are
/// made. `n = 0` gives `[0, 1]`; the bound at 0 (or 1) is exact when `count = 0` (or `n`).
pub fn wilson_cc_interval(count: u64, n: u64, z: f64) -> Interval {
    let count = count.min(n);
    if n == 0 {
        return Interval { lo: 0.0, hi: 1.0 };
    }
    let nf = n as f64;
    let p = count as f64 / nf;
    let z2 = z * z;
    let denom = 2.0 * (nf + z2);
    let lo = if count == 0 {
        0.0
    } else {
        let root = (z2 - 2.0 - 1.0 / nf + 4.0 * p * (nf * (1.0 - p) + 1.0)).max(0.0);
        ((2.0 * nf * p + z2 - 1.0 - z * root.sqrt()) / denom).max(0.0)
    };
    let hi = if count == n {
        1.0
    } else {
        let root = (z2 + 2.0 - 1.0 / nf + 4.0 * p * (nf * (1.0 - p) - 1.0)).max(0.0);
        ((2.0 * nf * p + z2 + 1.0 + z * root.sqrt()) / denom).min(1.0)
    };
    Interval { lo, hi }
}

/// Counts of values in fixed bins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Histogram {
    /// Bin edges, ascending; bin `j` is `[edges[j], edges[j+1])`, the last bin is closed.
    pub edges: Vec<f64>,
    /// Count per bin (`edges.len() - 1` bins; none when fewer than 2 edges).
    pub counts: Vec<u64>,
    /// Values below `edges[0]`.
    pub underflow: u64,
    /// Values above the last edge, plus NaNs (every value when there are no edges).
    pub overflow: u64,
}

/// Histogram of `values` over fixed ascending `edges`: left-closed bins
/// `[e_j, e_{j+1})`, the last bin also includes its right edge; binary search per value.
/// With one edge, values equal to it count as overflow. Unsorted edges do not panic but
/// give meaningless counts.
pub fn histogram(values: &[f64], edges: &[f64]) -> Histogram {
    let bins = edges.len().saturating_sub(1);
    let mut h = Histogram {
        edges: edges.to_vec(),
        counts: vec![0; bins],
        underflow: 0,
        overflow: 0,
    };
    for &x in values {
        match bin_index(edges, x) {
            Bin::Under => h.underflow += 1,
            Bin::Over => h.overflow += 1,
            Bin::In(j) => h.counts[j] += 1,
        }
    }
    h
}

/// Where one value lands in a histogram.
enum Bin {
    Under,
    In(usize),
    Over,
}

/// Bin of `x` given ascending `edges` (see [`histogram`]).
fn bin_index(edges: &[f64], x: f64) -> Bin {
    let m = edges.len();
    if x.is_nan() || m == 0 {
        return Bin::Over;
    }
    let j = edges.partition_point(|&e| e <= x);
    if j == 0 {
        Bin::Under
    } else if j < m {
        Bin::In(j - 1)
    } else if m >= 2 && x == edges[m - 1] {
        Bin::In(m - 2)
    } else {
        Bin::Over
    }
}

/// Standard error of the difference of two independent means, `sqrt(se_a² + se_b²)`
/// (units of the data).
pub fn two_sample_se(a: &MeanEstimate, b: &MeanEstimate) -> f64 {
    (a.se * a.se + b.se * b.se).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continuity_corrected_wilson_contains_plain_wilson_and_matches_a_hand_value() {
        for n in [1u64, 5, 30, 200, 5000] {
            for count in [0, 1, n / 3, n.saturating_sub(1), n] {
                let plain = wilson_interval(count, n, Z95);
                let cc = wilson_cc_interval(count, n, Z95);
                assert!(
                    cc.lo <= plain.lo + 1e-15 && cc.hi >= plain.hi - 1e-15,
                    "{count}/{n}"
                );
                assert!((0.0..=1.0).contains(&cc.lo) && (0.0..=1.0).contains(&cc.hi));
            }
        }
        // 2 of 30 at z = 1.645: lower bound (4 + z^2 - 1 - z sqrt(z^2 - 2 - 1/30 +
        // 4 (2/30)(28 + 1))) / (2 (30 + z^2)) = 0.01433 (by hand).
        let cc = wilson_cc_interval(2, 30, 1.645);
        assert!((cc.lo - 0.014_33).abs() < 5e-5, "{}", cc.lo);
    }

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1.0)
    }

    #[test]
    fn quantile_type7_hand_values() {
        let x = [1.0, 2.0, 4.0, 8.0, 16.0];
        assert_eq!(quantile_sorted(&x, 0.0), 1.0);
        assert_eq!(quantile_sorted(&x, 1.0), 16.0);
        assert_eq!(quantile_sorted(&x, 0.5), 4.0);
        // h = 4 * 0.3 = 1.2 -> 2 + 0.2 * (4 - 2)
        assert!(close(quantile_sorted(&x, 0.3), 2.4, 1e-15));
        // h = 4 * 0.9 = 3.6 -> 8 + 0.6 * 8
        assert!(close(quantile_sorted(&x, 0.9), 12.8, 1e-15));
        assert_eq!(quantile_sorted(&x, -2.0), 1.0);
        assert_eq!(quantile_sorted(&x, 7.0), 16.0);
        assert!(quantile_sorted(&[], 0.5).is_nan());
        assert!(quantile_sorted(&x, f64::NAN).is_nan());
        assert_eq!(quantile_sorted(&[3.0], 0.7), 3.0);
    }

    #[test]
    fn quantiles_sort_a_copy() {
        let v = [10.0, -1.0, 3.0, 7.0];
        // sorted: -1, 3, 7, 10; p = 0.25 -> h = 0.75 -> -1 + 0.75 * 4 = 2
        let q = quantiles(&v, &[0.25, 0.0, 1.0, 0.5]);
        assert_eq!(q, vec![2.0, -1.0, 10.0, 5.0]);
        assert_eq!(v, [10.0, -1.0, 3.0, 7.0]);
    }

    #[test]
    fn mean_estimate_hand_values() {
        // mean 5, squared deviations 9 + 1 + 1 + 9 = 20, var 20/3, se sqrt(20/3/4)
        let e = mean_estimate(&[2.0, 4.0, 6.0, 8.0]);
        assert_eq!(e.mean, 5.0);
        assert!(close(e.se, (20.0f64 / 12.0).sqrt(), 1e-15));
        assert_eq!(e.n, 4);
        assert_eq!(
            mean_estimate(&[3.5]),
            MeanEstimate {
                mean: 3.5,
                se: 0.0,
                n: 1
            }
        );
        assert_eq!(
            mean_estimate(&[]),
            MeanEstimate {
                mean: 0.0,
                se: 0.0,
                n: 0
            }
        );
    }

    #[test]
    fn moments_push_and_merge_match_two_pass() {
        let data: Vec<f64> = (0..1000)
            .map(|j| ((j * 37) % 101) as f64 * 0.5 + 1e6)
            .collect();
        let exact = mean_estimate(&data);
        let mut whole = Moments::new();
        data.iter().for_each(|&x| whole.push(x));
        let mut merged = Moments::new();
        for chunk in data.chunks(77) {
            let mut m = Moments::new();
            chunk.iter().for_each(|&x| m.push(x));
            merged.merge(&m);
        }
        for est in [whole.estimate(), merged.estimate()] {
            assert_eq!(est.n, 1000);
            assert!(close(est.mean, exact.mean, 1e-14));
            assert!(close(est.se, exact.se, 1e-9), "{} vs {}", est.se, exact.se);
        }
        merged.merge(&Moments::new());
        assert_eq!(merged.count(), 1000);
    }

    #[test]
    fn moments_merge_hand_values() {
        let mut a = Moments::new();
        [1.0, 3.0].iter().for_each(|&x| a.push(x));
        let mut b = Moments::new();
        [5.0, 7.0, 9.0].iter().for_each(|&x| b.push(x));
        a.merge(&b);
        // 1,3,5,7,9: mean 5, ss 40, var 10, se sqrt(2)
        let e = a.estimate();
        assert_eq!((e.mean, e.n), (5.0, 5));
        assert!(close(e.se, 2f64.sqrt(), 1e-15));
    }

    #[test]
    fn wilson_known_values() {
        let zero = wilson(0, 10_000);
        let z2 = Z95 * Z95;
        assert_eq!(zero.lo95, 0.0);
        assert!(close(zero.hi95, z2 / (10_000.0 + z2), 1e-14));
        assert!(close(zero.hi95, 3.839_983_706_766e-4, 1e-10) && zero.hi95 < 4e-4);
        let half = wilson(50, 100);
        assert_eq!(half.p, 0.5);
        assert!(close(half.lo95 + half.hi95, 1.0, 1e-15));
        assert!(close(half.lo95, 0.403_831_530_366, 1e-10));
        let w = wilson(3, 20);
        assert!(close(w.lo95, 0.052_368_745_896_217, 1e-10), "{}", w.lo95);
        assert!(close(w.hi95, 0.360_418_864_740_757, 1e-10), "{}", w.hi95);
        assert_eq!((w.p, w.count, w.n), (0.15, 3, 20));
        let all = wilson(20, 20);
        assert_eq!(all.hi95, 1.0);
        assert!(close(all.lo95, 1.0 - wilson(0, 20).hi95, 1e-14));
        let empty = wilson(0, 0);
        assert_eq!((empty.p, empty.lo95, empty.hi95), (0.0, 0.0, 1.0));
    }

    #[test]
    fn histogram_bins_edges_and_outliers() {
        let edges = [0.0, 1.0, 2.0, 4.0];
        let v = [-0.5, 0.0, 0.5, 1.0, 1.999, 2.0, 3.0, 4.0, 4.0001, f64::NAN];
        let h = histogram(&v, &edges);
        assert_eq!(h.counts, vec![2, 2, 3]);
        assert_eq!((h.underflow, h.overflow), (1, 2));
        assert_eq!(h.edges, edges.to_vec());
        let one = histogram(&[0.5, 1.0, 2.0], &[1.0]);
        assert_eq!((one.counts.len(), one.underflow, one.overflow), (0, 1, 2));
        let none = histogram(&[0.5], &[]);
        assert_eq!((none.underflow, none.overflow), (0, 1));
    }

    #[test]
    fn two_sample_se_is_root_sum_of_squares() {
        let a = MeanEstimate {
            mean: 1.0,
            se: 3.0,
            n: 10,
        };
        let b = MeanEstimate {
            mean: 2.0,
            se: 4.0,
            n: 20,
        };
        assert_eq!(two_sample_se(&a, &b), 5.0);
    }
}

//! Estimates from an importance-weighted sample (`--rare-events`): every path `i` carries a
//! likelihood-ratio weight `w_i`, bounded by `W`, and each estimate is the plain one's
//! weighted counterpart (docs/statistics.md, "Rare events"):
//!
//! - a mean: `sum(w x) / n`, standard error `sd(w x) / sqrt(n)`;
//! - a proportion: the mean of `w 1{event}`, a normal interval from that standard error,
//!   and while fewer than [`MIN_HITS`] paths had the event an upper end no lower than
//!   `W` times the Wilson bound of the hits (below);
//! - a quantile: the inverse of the weighted empirical CDF `sum_{x_i <= x} w_i / sum w`,
//!   its interval read off that CDF at `p -+ z se_F`;
//! - the expected shortfall: the weighted mean of the worst `alpha` of the weighted CDF,
//!   with the standard error of its influence function;
//! - the effective sample size `(sum w)^2 / sum w^2`.
//!
//! Every function here takes `Option<Weights>`: `None` is plain sampling and calls the
//! unweighted estimator itself, so a plain run's numbers do not change by a bit.

use super::{
    Interval, MeanEstimate, Z95, expected_shortfall, mean_estimate, quantile_sorted,
    quantile_with_ci, wilson_cc_interval, wilson_interval,
};

/// Below this many paths with the event, a weighted proportion's upper end is also bounded
/// through the hit count (the normal interval of a few weighted hits can be far too short).
pub const MIN_HITS: u64 = 10;

/// The importance weights of a sample, one per value, and the largest weight a path can
/// carry (`1 / (1 - beta)` for a defensive mixture with a share `beta` tilted).
#[derive(Debug, Clone, Copy)]
pub struct Weights<'a> {
    pub w: &'a [f64],
    pub bound: f64,
}

/// The mean of `values` (plain, or weighted `sum(w x) / n` with `se = sd(w x) / sqrt(n)`).
pub fn mean(values: &[f64], weights: Option<Weights>) -> MeanEstimate {
    match weights {
        None => mean_estimate(values),
        Some(w) => {
            let wx: Vec<f64> = values.iter().zip(w.w).map(|(x, w)| w * x).collect();
            mean_estimate(&wx)
        }
    }
}

/// Quantile `p` with its 95% interval (plain: type 7 with order statistics; weighted: the
/// inverse weighted CDF, see [`WeightedQuantile`]).
pub fn quantile_with_ci95(values: &[f64], weights: Option<Weights>, p: f64) -> (f64, Interval) {
    match weights {
        None => quantile_with_ci(values, p),
        Some(w) => {
            let q = WeightedQuantile::new(values, w.w);
            if q.is_empty() {
                return (0.0, Interval { lo: 0.0, hi: 0.0 });
            }
            (q.value(p), q.interval(p, Z95, false))
        }
    }
}

/// Lower-tail expected shortfall at `alpha` with its interval at `z` (plain: see
/// [`expected_shortfall`]).
pub fn shortfall(values: &[f64], weights: Option<Weights>, alpha: f64, z: f64) -> (f64, Interval) {
    match weights {
        None => expected_shortfall(values, alpha, z),
        Some(w) => weighted_expected_shortfall(values, w.w, alpha, z),
    }
}

/// A proportion over paths: its estimate, standard error and hits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Proportion {
    /// `count / n`, or `sum(w 1{event}) / n`.
    pub p: f64,
    /// Standard error of `p`: `sqrt(p (1 - p) / n)` plain, `sd(w 1{event}) / sqrt(n)`
    /// weighted.
    pub se: f64,
    /// Paths with the event.
    pub hits: u64,
    pub n: u64,
    /// `None` plain; the weight bound `W` when weighted.
    pub weight_bound: Option<f64>,
}

impl Proportion {
    /// The proportion of `hits` (one flag per path).
    pub fn new(hits: &[bool], weights: Option<Weights>) -> Self {
        let n = hits.len() as u64;
        let count = hits.iter().filter(|h| **h).count() as u64;
        match weights {
            None => {
                let p = if n == 0 { 0.0 } else { count as f64 / n as f64 };
                Self {
                    p,
                    se: if n == 0 {
                        0.0
                    } else {
                        (p * (1.0 - p) / n as f64).sqrt()
                    },
                    hits: count,
                    n,
                    weight_bound: None,
                }
            }
            Some(w) => {
                let wh: Vec<f64> = hits
                    .iter()
                    .zip(w.w)
                    .map(|(h, w)| if *h { *w } else { 0.0 })
                    .collect();
                let est = mean_estimate(&wh);
                Self {
                    p: est.mean,
                    se: est.se,
                    hits: count,
                    n,
                    weight_bound: Some(w.bound),
                }
            }
        }
    }

    /// The scorecard's 95% interval: plain, the Wilson score interval (as [`super::wilson`]);
    /// weighted, see [`weighted_proportion_interval`].
    pub fn ci95(&self) -> Interval {
        match self.weight_bound {
            None => wilson_interval(self.hits, self.n, Z95),
            Some(bound) => {
                weighted_proportion_interval(self.p, self.se, self.hits, self.n, bound, Z95)
            }
        }
    }
}

/// The interval of a weighted proportion `p` with standard error `se` from `hits` of `n`
/// paths, weights at most `bound`: `p -+ z se` within [0, 1]; while `hits <`
/// [`MIN_HITS`], the upper end is at least `bound` times the continuity-corrected Wilson
/// upper end of `hits` in `n`. That bound holds whatever the weights: the mixture draws the
/// event with probability `q >= (1 - beta) p`, so `p <= q / (1 - beta) = W q`. With no hit
/// the lower end is 0.
pub fn weighted_proportion_interval(
    p: f64,
    se: f64,
    hits: u64,
    n: u64,
    bound: f64,
    z: f64,
) -> Interval {
    if n == 0 {
        return Interval { lo: 0.0, hi: 1.0 };
    }
    let mut lo = (p - z * se).max(0.0);
    let mut hi = (p + z * se).min(1.0);
    if hits < MIN_HITS {
        hi = hi.max((bound * wilson_cc_interval(hits, n, z).hi).min(1.0));
    }
    if hits == 0 {
        lo = 0.0;
    }
    Interval { lo, hi }
}

/// `(sum w)^2 / sum w^2`: the number of plain paths the weighted sample is worth for a
/// mean; 0 for no weight.
pub fn effective_sample_size(w: &[f64]) -> f64 {
    let s: f64 = w.iter().sum();
    let s2: f64 = w.iter().map(|w| w * w).sum();
    if s2 > 0.0 { s * s / s2 } else { 0.0 }
}

/// Ratio of means `E[x] / E[y]` with a delta-method standard error; weighted, the means are
/// `sum(w x) / n` and the residuals `w (x - r y)`. Fewer than 2 values or `E[y] <= 0` give
/// `(0, 0)`.
pub fn ratio(xs: &[f64], ys: &[f64], weights: Option<Weights>) -> (f64, f64) {
    let n = xs.len() as f64;
    if n < 2.0 {
        return (0.0, 0.0);
    }
    let w = |i: usize| weights.map_or(1.0, |w| w.w[i]);
    let (mx, my) = match weights {
        None => (xs.iter().sum::<f64>() / n, ys.iter().sum::<f64>() / n),
        Some(_) => (
            (0..xs.len()).map(|i| w(i) * xs[i]).sum::<f64>() / n,
            (0..ys.len()).map(|i| w(i) * ys[i]).sum::<f64>() / n,
        ),
    };
    if my <= 0.0 {
        return (0.0, 0.0);
    }
    let r = mx / my;
    let var: f64 = match weights {
        None => xs
            .iter()
            .zip(ys)
            .map(|(x, y)| (x - r * y).powi(2))
            .sum::<f64>(),
        Some(_) => (0..xs.len())
            .map(|i| (w(i) * (xs[i] - r * ys[i])).powi(2))
            .sum::<f64>(),
    } / (n - 1.0);
    (r, (var / n).sqrt() / my)
}

/// A weighted sample sorted by value, for quantiles of its weighted empirical CDF.
#[derive(Debug, Clone, PartialEq)]
pub struct WeightedQuantile {
    /// `(value, weight)`, ascending by value.
    sorted: Vec<(f64, f64)>,
    /// `cum[k]`: the weight of `sorted[..=k]` over the total weight.
    cum: Vec<f64>,
    /// Mean weight `sum w / n`.
    mean_weight: f64,
}

impl WeightedQuantile {
    pub fn new(values: &[f64], weights: &[f64]) -> Self {
        let mut sorted: Vec<(f64, f64)> = values
            .iter()
            .copied()
            .zip(weights.iter().copied())
            .collect();
        sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
        let total: f64 = sorted.iter().map(|(_, w)| w).sum();
        let mut acc = 0.0;
        let cum = sorted
            .iter()
            .map(|(_, w)| {
                acc += w;
                if total > 0.0 { acc / total } else { f64::NAN }
            })
            .collect();
        let n = sorted.len().max(1) as f64;
        Self {
            sorted,
            cum,
            mean_weight: total / n,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }

    pub fn len(&self) -> usize {
        self.sorted.len()
    }

    /// The smallest value whose weighted CDF reaches `p` (`p` clamped to [0, 1]); NaN for an
    /// empty sample or zero total weight.
    pub fn value(&self, p: f64) -> f64 {
        match self.rank(p) {
            Some(k) => self.sorted[k].0,
            None => f64::NAN,
        }
    }

    fn rank(&self, p: f64) -> Option<usize> {
        if self.sorted.is_empty() || p.is_nan() || self.cum.last().is_none_or(|c| c.is_nan()) {
            return None;
        }
        let p = p.clamp(0.0, 1.0);
        let k = self.cum.partition_point(|&c| c < p);
        Some(k.min(self.sorted.len() - 1))
    }

    /// The standard error of the weighted CDF at the `p` quantile, per path:
    /// `sqrt(mean(w^2 (1{x <= q} - p)^2)) / mean(w)`; divide by `sqrt(n)` for `n` paths.
    /// Plain weights give `sqrt(p (1 - p))` asymptotically.
    pub fn cdf_spread(&self, p: f64) -> f64 {
        let Some(k) = self.rank(p) else {
            return f64::NAN;
        };
        let q = self.sorted[k].0;
        let n = self.sorted.len() as f64;
        let s: f64 = self
            .sorted
            .iter()
            .map(|&(x, w)| {
                let d = if x <= q { 1.0 - p } else { -p };
                w * w * d * d
            })
            .sum();
        if self.mean_weight > 0.0 {
            (s / n).sqrt() / self.mean_weight
        } else {
            f64::NAN
        }
    }

    /// The interval of quantile `p` at normal multiplier `z` with the CDF's standard error
    /// `se_f`: the quantiles at `p -+ z se_f`. A side past 0 or 1 is the sample's extreme
    /// value, or unbounded when `unbounded` (the gates' convention).
    pub fn interval_with(&self, p: f64, z: f64, se_f: f64, unbounded: bool) -> Interval {
        if self.sorted.is_empty() || se_f.is_nan() {
            return Interval {
                lo: f64::NEG_INFINITY,
                hi: f64::INFINITY,
            };
        }
        let (lo_p, hi_p) = (p - z * se_f, p + z * se_f);
        let lo = if lo_p < 0.0 && unbounded {
            f64::NEG_INFINITY
        } else {
            self.value(lo_p)
        };
        let hi = if hi_p > 1.0 && unbounded {
            f64::INFINITY
        } else {
            self.value(hi_p)
        };
        Interval { lo, hi }
    }

    /// [`Self::interval_with`] at the sample's own standard error.
    pub fn interval(&self, p: f64, z: f64, unbounded: bool) -> Interval {
        let se_f = self.cdf_spread(p) / (self.sorted.len() as f64).sqrt();
        self.interval_with(p, z, se_f, unbounded)
    }
}

/// The lower-tail expected shortfall at `alpha` of a weighted sample: with normalised
/// weights `v_i = w_i / sum w` in ascending order of value, `ES = (sum_{i<k} v_i x_i +
/// (alpha - C_{k-1}) x_k) / alpha`, `k` the first rank whose cumulative weight `C_k`
/// reaches `alpha` and `q = x_k`. Its standard error is that of its influence function
/// `psi = q + (x - q) 1{x <= q} / alpha - ES` under the weights:
/// `se^2 = mean(w^2 psi^2) / mean(w)^2 / n` (plain weights give the asymptotic formula of
/// [`expected_shortfall`]).
pub fn weighted_expected_shortfall(
    values: &[f64],
    weights: &[f64],
    alpha: f64,
    z: f64,
) -> (f64, Interval) {
    let nan = (
        f64::NAN,
        Interval {
            lo: f64::NAN,
            hi: f64::NAN,
        },
    );
    let wq = WeightedQuantile::new(values, weights);
    if wq.is_empty() || !(alpha > 0.0 && alpha <= 1.0) {
        return nan;
    }
    let Some(k) = wq.rank(alpha) else {
        return nan;
    };
    let total = wq.mean_weight * wq.len() as f64;
    let mut sum = 0.0;
    for &(x, w) in &wq.sorted[..k] {
        sum += w / total * x;
    }
    let before = if k == 0 { 0.0 } else { wq.cum[k - 1] };
    let q = wq.sorted[k].0;
    sum += (alpha - before) * q;
    let es = sum / alpha;
    let n = wq.len() as f64;
    let s: f64 = wq
        .sorted
        .iter()
        .map(|&(x, w)| {
            let tail = if x <= q { (x - q) / alpha } else { 0.0 };
            let psi = q + tail - es;
            w * w * psi * psi
        })
        .sum();
    let se = (s / n).sqrt() / wq.mean_weight / n.sqrt();
    (
        es,
        Interval {
            lo: es - z * se,
            hi: es + z * se,
        },
    )
}

/// The median of `values` (plain: type 7; weighted: the weighted CDF's), or `None` when
/// empty.
pub fn median(values: &[f64], weights: Option<&[f64]>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    Some(match weights {
        None => {
            let mut sorted = values.to_vec();
            sorted.sort_by(f64::total_cmp);
            quantile_sorted(&sorted, 0.5)
        }
        Some(w) => WeightedQuantile::new(values, w).value(0.5),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_weights_agree_with_plain_estimates() {
        let v: Vec<f64> = (0..400).map(|i| ((i * 37) % 401) as f64 - 200.0).collect();
        let ones = vec![1.0; v.len()];
        let w = Some(Weights {
            w: &ones,
            bound: 1.0,
        });
        assert_eq!(mean(&v, w), mean(&v, None));
        // Quantiles differ only by the interpolation of type 7.
        let (q, ci) = quantile_with_ci95(&v, w, 0.05);
        let (q0, ci0) = quantile_with_ci95(&v, None, 0.05);
        assert!((q - q0).abs() <= 1.0, "{q} vs {q0}");
        assert!((ci.lo - ci0.lo).abs() <= 2.0 && (ci.hi - ci0.hi).abs() <= 2.0);
        let (es, ci) = shortfall(&v, w, 0.05, Z95);
        let (es0, ci0) = shortfall(&v, None, 0.05, Z95);
        assert!((es - es0).abs() < 1e-9, "{es} vs {es0}");
        let (half, half0) = (es - ci.lo, es0 - ci0.lo);
        assert!((half / half0 - 1.0).abs() < 0.1, "{half} vs {half0}");
        assert_eq!(effective_sample_size(&ones), 400.0);
    }

    #[test]
    fn weights_move_the_estimates_as_a_reweighted_sample_would() {
        // Two values; weight 3 on the first and 1 on the second is the sample [a, a, a, b].
        let v = [1.0, 5.0];
        let w = [1.5, 0.5];
        let ws = Some(Weights { w: &w, bound: 2.0 });
        assert_eq!(mean(&v, ws).mean, (1.5 + 2.5) / 2.0);
        let q = WeightedQuantile::new(&v, &w);
        assert_eq!(q.value(0.75), 1.0);
        assert_eq!(q.value(0.76), 5.0);
        // ES at 0.5 is the mean of the worst half: all 1.
        let (es, _) = weighted_expected_shortfall(&v, &w, 0.5, Z95);
        assert!((es - 1.0).abs() < 1e-15);
        // ESS: (2)^2 / (2.25 + 0.25) = 1.6.
        assert!((effective_sample_size(&w) - 1.6).abs() < 1e-15);
    }

    #[test]
    fn few_weighted_hits_keep_an_honest_upper_end() {
        // One hit of weight 1e-4 in 1,000 paths: the normal interval alone would put the
        // upper end near 3e-7; the hit-count bound keeps it at W x Wilson(1, 1000).
        let mut hits = vec![false; 1000];
        hits[3] = true;
        let mut w = vec![1.0; 1000];
        w[3] = 1e-4;
        let p = Proportion::new(&hits, Some(Weights { w: &w, bound: 2.0 }));
        let ci = p.ci95();
        let wilson = wilson_cc_interval(1, 1000, Z95).hi;
        assert!((ci.hi - 2.0 * wilson).abs() < 1e-15, "{}", ci.hi);
        assert!(ci.lo >= 0.0 && ci.lo <= p.p);
        let none = Proportion::new(
            &[false; 100],
            Some(Weights {
                w: &[1.0; 100],
                bound: 2.0,
            }),
        );
        assert_eq!(none.ci95().lo, 0.0);
        assert!(none.ci95().hi > 0.0);
    }
}

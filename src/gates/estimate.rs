//! A gate's estimate over paths (a mean, a quantile or a proportion, plain or importance
//! weighted), its confidence interval at any normal multiplier, and how that interval would
//! narrow with more paths (for `paths_needed`).

use super::evidence::{Evidence, order_statistic_ranks};
use crate::stats::weighted::{self, WeightedQuantile, Weights, weighted_proportion_interval};
use crate::stats::{Interval, mean_estimate, quantile_sorted, two_sided_z, wilson_cc_interval};

/// Largest path count `paths_needed` looks at; beyond it a gate is reported unresolvable.
const MAX_PROJECTED_PATHS: u64 = 1 << 40;

/// The confidence a verdict must carry, and the looks taken at the data so far.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Confidence {
    /// Confidence level of a verdict, in (0, 1).
    pub level: f64,
    /// Looks at the data (interim checks of a sized run); 1 for a fixed-size run.
    pub looks: u32,
}

impl Confidence {
    /// One look at `level`.
    pub fn fixed(level: f64) -> Self {
        Self { level, looks: 1 }
    }

    /// The two-sided normal multiplier of each look: with `k` looks each interval is taken
    /// at `1 - (1 - level) / k`, so the chance that any look's interval misses the truth is
    /// at most `1 - level` (Bonferroni).
    pub fn z(&self) -> f64 {
        let looks = f64::from(self.looks.max(1));
        two_sided_z(1.0 - (1.0 - self.level) / looks)
    }
}

/// What a gate measures, and the data its interval comes from.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// A mean (or any asymptotically normal estimate) with standard error `se`; its
    /// interval is `value ± z se`, and `se` shrinks as `1/√n`.
    Normal { se: f64 },
    /// Quantile `p` of the sorted per-path values; a distribution-free interval from
    /// order statistics, unbounded on a side where the sample is too small to give one.
    Quantile { p: f64, sorted: Vec<f64> },
    /// `count` paths out of `paths` had the event; a Wilson interval with continuity
    /// correction (it keeps its coverage at small counts, where plain Wilson does not).
    Proportion { count: u64 },
    /// An importance-weighted proportion (`--rare-events`): the mean of `w 1{event}` with
    /// standard error `se` over `hits` paths with the event, weights at most `bound`; a
    /// normal interval, its upper end held up by the hit count while hits are few
    /// (`stats::weighted::weighted_proportion_interval`).
    WeightedProportion { se: f64, hits: u64, bound: f64 },
    /// Quantile `p` of the importance-weighted empirical CDF; its interval is the CDF's
    /// quantiles at `p -+ z se_f`, `se_f = spread / sqrt(n)`.
    WeightedQuantile {
        p: f64,
        sample: WeightedQuantile,
        spread: f64,
    },
}

/// A gate's point estimate and what its interval rests on.
#[derive(Debug, Clone, PartialEq)]
pub struct GateEstimate {
    pub value: f64,
    pub paths: u64,
    kind: Kind,
}

impl GateEstimate {
    /// The mean of per-path values. Fewer than two paths give an unbounded interval.
    pub fn mean(values: &[f64]) -> Self {
        let est = mean_estimate(values);
        let se = if values.len() < 2 {
            f64::INFINITY
        } else {
            est.se
        };
        Self::normal(est.mean, se, values.len() as u64)
    }

    /// The mean of per-path shares in [0, 1] (e.g. the share of a path's epochs off the
    /// peg). As [`GateEstimate::mean`], except when every path is 0 (or every path 1): the
    /// sample then has no spread, and the normal interval would shrink to a point. The mean
    /// is at most the probability that a path is above 0, so the upper end is the
    /// continuity-corrected Wilson bound of "0 paths in n above 0" (the lower end likewise
    /// when all are 1).
    pub fn share_mean(values: &[f64]) -> Self {
        let n = values.len() as u64;
        let est = Self::mean(values);
        let all_zero = n > 0 && values.iter().all(|&v| v <= 0.0);
        let all_one = n > 0 && values.iter().all(|&v| v >= 1.0);
        if !(all_zero || all_one) {
            return est;
        }
        Self {
            value: est.value,
            paths: n,
            kind: Kind::Proportion {
                count: if all_one { n } else { 0 },
            },
        }
    }

    /// [`GateEstimate::mean`] of an importance-weighted sample: `sum(w x) / n`, its standard
    /// error `sd(w x) / sqrt(n)`. `None` is [`GateEstimate::mean`] itself.
    pub fn weighted_mean(values: &[f64], weights: Option<Weights>) -> Self {
        let Some(w) = weights else {
            return Self::mean(values);
        };
        let est = weighted::mean(values, Some(w));
        let se = if values.len() < 2 {
            f64::INFINITY
        } else {
            est.se
        };
        Self::normal(est.mean, se, values.len() as u64)
    }

    /// [`GateEstimate::share_mean`] of an importance-weighted sample: the weighted mean; when
    /// every path is 0 its upper end is the weighted-proportion bound of no hit.
    pub fn weighted_share_mean(values: &[f64], weights: Option<Weights>) -> Self {
        let Some(w) = weights else {
            return Self::share_mean(values);
        };
        let n = values.len() as u64;
        let est = Self::weighted_mean(values, Some(w));
        if !(n > 0 && values.iter().all(|&v| v <= 0.0)) {
            return est;
        }
        Self {
            value: est.value,
            paths: n,
            kind: Kind::WeightedProportion {
                se: 0.0,
                hits: 0,
                bound: w.bound,
            },
        }
    }

    /// [`GateEstimate::quantile`] of an importance-weighted sample: the inverse of the
    /// weighted empirical CDF. `None` is [`GateEstimate::quantile`] itself.
    pub fn weighted_quantile(values: &[f64], weights: Option<Weights>, p: f64) -> Self {
        let Some(w) = weights else {
            return Self::quantile(values, p);
        };
        let sample = WeightedQuantile::new(values, w.w);
        Self {
            value: sample.value(p),
            paths: values.len() as u64,
            kind: Kind::WeightedQuantile {
                p,
                spread: sample.cdf_spread(p),
                sample,
            },
        }
    }

    /// The share of paths with an event (one flag per path), importance weighted. `None`
    /// is [`GateEstimate::proportion`] itself.
    pub fn weighted_proportion(hits: &[bool], weights: Option<Weights>) -> Self {
        let n = hits.len() as u64;
        let Some(w) = weights else {
            return Self::proportion(hits.iter().filter(|h| **h).count() as u64, n);
        };
        let prop = weighted::Proportion::new(hits, Some(w));
        Self {
            value: if n == 0 { f64::NAN } else { prop.p },
            paths: n,
            kind: Kind::WeightedProportion {
                se: prop.se,
                hits: prop.hits,
                bound: w.bound,
            },
        }
    }

    /// An asymptotically normal estimate with standard error `se`.
    pub fn normal(value: f64, se: f64, paths: u64) -> Self {
        Self {
            value,
            paths,
            kind: Kind::Normal { se },
        }
    }

    /// Quantile `p` of per-path values (R type 7, as the scorecard reports it).
    pub fn quantile(values: &[f64], p: f64) -> Self {
        let mut sorted = values.to_vec();
        sorted.sort_unstable_by(f64::total_cmp);
        Self {
            value: quantile_sorted(&sorted, p),
            paths: sorted.len() as u64,
            kind: Kind::Quantile { p, sorted },
        }
    }

    /// The share of `paths` on which an event happened `count` times.
    pub fn proportion(count: u64, paths: u64) -> Self {
        Self {
            value: if paths == 0 {
                f64::NAN
            } else {
                count.min(paths) as f64 / paths as f64
            },
            paths,
            kind: Kind::Proportion {
                count: count.min(paths),
            },
        }
    }

    /// The confidence interval at two-sided normal multiplier `z`.
    pub fn interval(&self, z: f64) -> Interval {
        match &self.kind {
            Kind::Normal { se } => Interval {
                lo: self.value - z * se,
                hi: self.value + z * se,
            },
            Kind::Quantile { p, sorted } => order_statistic_interval(sorted, *p, z),
            Kind::Proportion { count } => wilson_cc_interval(*count, self.paths, z),
            Kind::WeightedProportion { se, hits, bound } => {
                weighted_proportion_interval(self.value, *se, *hits, self.paths, *bound, z)
            }
            Kind::WeightedQuantile { p, sample, spread } => {
                let se_f = spread / (self.paths.max(1) as f64).sqrt();
                sample.interval_with(*p, z, se_f, true)
            }
        }
    }

    /// What the interval at multiplier `z` rests on, as the scorecard stores it with the
    /// gate so that a reader can recompute the interval from the metric's value.
    pub fn evidence(&self, z: f64) -> Evidence {
        let end = |v: f64| v.is_finite().then_some(v);
        match &self.kind {
            Kind::Normal { se } => Evidence::Normal { se: end(*se) },
            Kind::Proportion { count } => Evidence::Proportion { count: *count },
            Kind::Quantile { p, sorted } => {
                let (lo_rank, hi_rank) = order_statistic_ranks(sorted.len() as u64, *p, z);
                let ci = order_statistic_interval(sorted, *p, z);
                Evidence::Quantile {
                    p: *p,
                    lo_rank,
                    hi_rank,
                    lo: lo_rank.map(|_| ci.lo),
                    hi: hi_rank.map(|_| ci.hi),
                }
            }
            Kind::WeightedProportion { se, hits, bound } => Evidence::WeightedProportion {
                se: *se,
                hits: *hits,
                bound: *bound,
            },
            Kind::WeightedQuantile { p, .. } => {
                let ci = self.interval(z);
                Evidence::WeightedQuantile {
                    p: *p,
                    lo: end(ci.lo),
                    hi: end(ci.hi),
                }
            }
        }
    }

    /// The interval that `n` paths would give if the sample kept its present shape: the
    /// standard error scaled by `√(paths / n)`, the quantile's probability band
    /// `p ± z √(p(1-p)/n)` read off the present sample, or the Wilson interval of the
    /// present share at `n`.
    fn projected_interval(&self, z: f64, n: u64) -> Interval {
        let nf = n as f64;
        match &self.kind {
            Kind::Normal { se } => {
                let se = se * (self.paths as f64 / nf).sqrt();
                Interval {
                    lo: self.value - z * se,
                    hi: self.value + z * se,
                }
            }
            Kind::Quantile { p, sorted } => {
                let half = z * (p * (1.0 - p) / nf).sqrt();
                let at = |q: f64| {
                    if q < 0.0 {
                        f64::NEG_INFINITY
                    } else if q > 1.0 {
                        f64::INFINITY
                    } else {
                        quantile_sorted(sorted, q)
                    }
                };
                Interval {
                    lo: at(p - half),
                    hi: at(p + half),
                }
            }
            Kind::Proportion { .. } => {
                let count = (self.value * nf).round() as u64;
                wilson_cc_interval(count, n, z)
            }
            Kind::WeightedProportion { se, hits, bound } => {
                let scale = nf / self.paths.max(1) as f64;
                let se = se / scale.sqrt();
                let hits = (*hits as f64 * scale).round() as u64;
                weighted_proportion_interval(self.value, se, hits, n, *bound, z)
            }
            Kind::WeightedQuantile { p, sample, spread } => {
                sample.interval_with(*p, z, spread / nf.sqrt(), true)
            }
        }
    }

    /// The fewest paths at which `resolved` holds for the projected interval, or `None`
    /// when no count up to 2^40 would do (an estimate on the threshold itself, or an
    /// estimate with no spread to project).
    pub fn paths_to_resolve(&self, z: f64, resolved: impl Fn(Interval) -> bool) -> Option<u64> {
        let valid = match &self.kind {
            Kind::Normal { se } => se.is_finite(),
            Kind::Quantile { sorted, .. } => sorted.len() >= 2,
            Kind::Proportion { .. } | Kind::WeightedProportion { .. } => self.paths > 0,
            Kind::WeightedQuantile { sample, spread, .. } => {
                sample.len() >= 2 && spread.is_finite()
            }
        };
        if !valid || !self.value.is_finite() {
            return None;
        }
        let ok = |n: u64| resolved(self.projected_interval(z, n));
        let mut hi = self.paths.max(1) * 2;
        while !ok(hi) {
            if hi >= MAX_PROJECTED_PATHS {
                return None;
            }
            hi *= 2;
        }
        let mut lo = hi / 2;
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if ok(mid) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        Some(hi)
    }
}

/// The order-statistic interval of quantile `p` of an ascending sample: the values at
/// ranks [`order_statistic_ranks`]; a rank below 1 or above `n` leaves that side
/// unbounded: the sample is too small to bound it.
fn order_statistic_interval(sorted: &[f64], p: f64, z: f64) -> Interval {
    let (lo, hi) = order_statistic_ranks(sorted.len() as u64, p, z);
    let at = |rank: u64| sorted[rank as usize - 1];
    Interval {
        lo: lo.map_or(f64::NEG_INFINITY, at),
        hi: hi.map_or(f64::INFINITY, at),
    }
}

#[cfg(test)]
mod weighted_tests {
    use super::*;

    const Z: f64 = 1.959963984540054;

    #[test]
    fn no_weights_is_the_plain_estimate() {
        let v: Vec<f64> = (0..200).map(|i| f64::from(i % 17) - 3.0).collect();
        assert_eq!(
            GateEstimate::weighted_mean(&v, None),
            GateEstimate::mean(&v)
        );
        assert_eq!(
            GateEstimate::weighted_quantile(&v, None, 0.95),
            GateEstimate::quantile(&v, 0.95)
        );
        let hits: Vec<bool> = v.iter().map(|x| *x > 11.0).collect();
        let count = hits.iter().filter(|h| **h).count() as u64;
        assert_eq!(
            GateEstimate::weighted_proportion(&hits, None),
            GateEstimate::proportion(count, 200)
        );
    }

    #[test]
    fn a_weighted_proportion_is_bounded_by_its_hits_and_narrows_with_paths() {
        // Many weighted hits: a normal interval around the weighted share.
        let n = 2000;
        let hits: Vec<bool> = (0..n).map(|i| i % 10 == 0).collect();
        let w: Vec<f64> = (0..n)
            .map(|i| if i % 10 == 0 { 0.01 } else { 1.1 })
            .collect();
        let weights = Some(Weights { w: &w, bound: 2.0 });
        let est = GateEstimate::weighted_proportion(&hits, weights);
        assert!((est.value - 0.001).abs() < 1e-12);
        let ci = est.interval(Z);
        assert!(ci.lo > 0.0 && ci.lo < est.value && est.value < ci.hi && ci.hi < 0.0015);
        // A gate at 0.002 passes now; at 0.00105 it needs more paths, and the projection
        // says how many.
        let needed = est
            .paths_to_resolve(Z, |ci| ci.hi <= 0.00105)
            .expect("resolvable");
        assert!(needed > n as u64, "{needed}");
        // No hit in 1000 paths: the upper end is W times the Wilson bound of none, so a
        // tolerance of 0.001 is not passed on silence.
        let none = GateEstimate::weighted_proportion(
            &[false; 1000],
            weights.map(|w| Weights {
                w: &w.w[..1000],
                ..w
            }),
        );
        let ci = none.interval(Z);
        assert_eq!(ci.lo, 0.0);
        assert!(ci.hi > 0.005 && ci.hi <= 2.0 * wilson_cc_interval(0, 1000, Z).hi + 1e-15);
    }

    #[test]
    fn a_weighted_quantile_interval_brackets_its_value() {
        let v: Vec<f64> = (0..1000).map(|i| f64::from(i) / 1000.0).collect();
        let w: Vec<f64> = (0..1000).map(|i| 0.5 + f64::from(i % 3) * 0.5).collect();
        let est = GateEstimate::weighted_quantile(&v, Some(Weights { w: &w, bound: 2.0 }), 0.05);
        let ci = est.interval(Z);
        assert!(
            ci.lo < est.value && est.value < ci.hi,
            "{ci:?} {}",
            est.value
        );
        // Near 0.05 of the value range (the weights average out over each run of three).
        assert!((est.value - 0.05).abs() < 0.01, "{}", est.value);
        // Too few paths for the band: unbounded below.
        let few = GateEstimate::weighted_quantile(
            &v[..20],
            Some(Weights {
                w: &w[..20],
                bound: 2.0,
            }),
            0.05,
        );
        assert_eq!(few.interval(Z).lo, f64::NEG_INFINITY);
    }
}

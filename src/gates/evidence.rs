//! What a gate's interval rests on, stored with the gate so that a reader of the scorecard
//! (`diff`) can recompute the interval from the metric's value alone: a mean's standard
//! error, a proportion's event count, a quantile's order-statistic bounds and ranks, a
//! weighted estimate's standard error, hit count and weight bound.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::stats::weighted::weighted_proportion_interval;
use crate::stats::{Interval, wilson_cc_interval};

/// The data a gate's interval comes from (`kind` names the estimate).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Evidence {
    /// A mean: the interval is `value ± z se`; `se` is `null` when fewer than two paths
    /// leave it unbounded.
    Normal { se: Option<f64> },
    /// `count` of the gate's paths had the event: a continuity-corrected Wilson interval
    /// of `count / paths` (also a share whose every path is 0 or every path is 1).
    Proportion { count: u64 },
    /// Quantile `p` of the per-path values: the interval is the order statistics at
    /// 1-based ranks `⌊n p - z √(n p (1-p))⌋` and `⌈n p + z √(n p (1-p))⌉`, whose values are
    /// `lo` and `hi` (`null` ranks and ends: the sample is too small to bound that side).
    Quantile {
        p: f64,
        lo_rank: Option<u64>,
        hi_rank: Option<u64>,
        lo: Option<f64>,
        hi: Option<f64>,
    },
    /// An importance-weighted proportion: standard error `se` over `hits` paths with the
    /// event, weights at most `bound`.
    WeightedProportion { se: f64, hits: u64, bound: f64 },
    /// Quantile `p` of the importance-weighted empirical CDF, whose interval ends `lo`
    /// and `hi` were read off the weighted sample (`null`: unbounded).
    WeightedQuantile {
        p: f64,
        lo: Option<f64>,
        hi: Option<f64>,
    },
}

/// The 1-based ranks of the order-statistic interval of quantile `p` of `n` values at
/// normal multiplier `z`; `None` on a side the sample cannot bound.
pub fn order_statistic_ranks(n: u64, p: f64, z: f64) -> (Option<u64>, Option<u64>) {
    if n == 0 {
        return (None, None);
    }
    let nf = n as f64;
    let half = z * (nf * p * (1.0 - p)).sqrt();
    let lo_rank = (nf * p - half).floor();
    let hi_rank = (nf * p + half).ceil();
    (
        (lo_rank >= 1.0).then_some(lo_rank as u64),
        (hi_rank <= nf).then_some(hi_rank.max(1.0) as u64),
    )
}

fn lower(v: Option<f64>) -> f64 {
    v.unwrap_or(f64::NEG_INFINITY)
}

fn upper(v: Option<f64>) -> f64 {
    v.unwrap_or(f64::INFINITY)
}

/// Whether `a` and `b` agree to rounding (both NaN, equal infinities, or within 1e-9
/// relative).
pub fn close(a: f64, b: f64) -> bool {
    if a.is_nan() || b.is_nan() {
        return a.is_nan() && b.is_nan();
    }
    if a.is_infinite() || b.is_infinite() {
        return a == b;
    }
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-300)
}

impl Evidence {
    /// The interval of a gate whose metric reads `value` (with standard error `metric_se`
    /// when the scorecard prints one beside it) over `paths` paths, at multiplier `z`.
    /// `Err` says how the value and this evidence disagree.
    pub fn interval(
        &self,
        value: f64,
        metric_se: Option<f64>,
        paths: u64,
        z: f64,
    ) -> Result<Interval, String> {
        match self {
            Evidence::Normal { se } => {
                let se = se.unwrap_or(f64::INFINITY);
                if let Some(m) = metric_se.filter(|m| m.is_finite() && se.is_finite())
                    && !close(m, se)
                {
                    return Err(format!(
                        "its standard error {se} is not the metric's standard error {m}"
                    ));
                }
                Ok(Interval {
                    lo: value - z * se,
                    hi: value + z * se,
                })
            }
            Evidence::Proportion { count } => {
                if paths == 0 {
                    return Err("it rests on no path".into());
                }
                let expected = value * paths as f64;
                let whole = expected.round();
                if !(value.is_finite() && (0.0..=1.0).contains(&value))
                    || (expected - whole).abs() > 1e-6 * (paths as f64).max(1.0)
                {
                    return Err(format!(
                        "the share {value} is not a whole number of paths out of {paths}"
                    ));
                }
                if whole as u64 != *count {
                    return Err(format!(
                        "the share {value} of {paths} paths is {} paths, not the {count} it counts",
                        whole as u64
                    ));
                }
                Ok(wilson_cc_interval(*count, paths, z))
            }
            Evidence::Quantile {
                p,
                lo_rank,
                hi_rank,
                lo,
                hi,
            } => {
                let ranks = order_statistic_ranks(paths, *p, z);
                if ranks != (*lo_rank, *hi_rank) {
                    return Err(format!(
                        "its order-statistic ranks {:?} are not those of quantile {p} of \
                         {paths} paths ({:?})",
                        (lo_rank, hi_rank),
                        ranks
                    ));
                }
                if lo_rank.is_some() != lo.is_some() || hi_rank.is_some() != hi.is_some() {
                    return Err("its order-statistic bounds and ranks disagree".into());
                }
                within(value, *lo, *hi)
            }
            Evidence::WeightedProportion { se, hits, bound } => Ok(weighted_proportion_interval(
                value, *se, *hits, paths, *bound, z,
            )),
            Evidence::WeightedQuantile { lo, hi, .. } => within(value, *lo, *hi),
        }
    }
}

/// `[lo, hi]` when it holds `value`: a quantile lies between its own order statistics.
fn within(value: f64, lo: Option<f64>, hi: Option<f64>) -> Result<Interval, String> {
    let ci = Interval {
        lo: lower(lo),
        hi: upper(hi),
    };
    if value.is_nan() || value < ci.lo || value > ci.hi {
        return Err(format!(
            "the quantile {value} lies outside its own order-statistic bounds [{}, {}]",
            ci.lo, ci.hi
        ));
    }
    Ok(ci)
}

#[cfg(test)]
mod tests {
    use super::*;

    const Z: f64 = 1.959963984540054;

    #[test]
    fn a_proportion_must_be_whole_paths_and_match_its_count() {
        let ci = Evidence::Proportion { count: 10 }
            .interval(0.05, None, 200, Z)
            .expect("consistent");
        assert_eq!(ci, wilson_cc_interval(10, 200, Z));
        let err = Evidence::Proportion { count: 0 }
            .interval(0.05, None, 200, Z)
            .unwrap_err();
        assert!(err.contains("10 paths, not the 0"), "{err}");
        let err = Evidence::Proportion { count: 0 }
            .interval(0.05, None, 16, Z)
            .unwrap_err();
        assert!(err.contains("not a whole number"), "{err}");
    }

    #[test]
    fn a_mean_uses_its_own_standard_error_and_checks_the_metric_s() {
        let e = Evidence::Normal { se: Some(0.01) };
        let ci = e.interval(0.9, Some(0.01), 100, 2.0).expect("consistent");
        assert!(close(ci.lo, 0.88) && close(ci.hi, 0.92), "{ci:?}");
        assert!(e.interval(0.9, Some(0.02), 100, 2.0).is_err());
        let open = Evidence::Normal { se: None }
            .interval(0.9, None, 1, 2.0)
            .expect("unbounded");
        assert_eq!((open.lo, open.hi), (f64::NEG_INFINITY, f64::INFINITY));
    }

    #[test]
    fn a_quantile_lies_within_its_order_statistics() {
        let (lo_rank, hi_rank) = order_statistic_ranks(100, 0.95, Z);
        assert_eq!((lo_rank, hi_rank), (Some(90), Some(100)));
        let e = Evidence::Quantile {
            p: 0.95,
            lo_rank,
            hi_rank,
            lo: Some(1.0),
            hi: Some(2.0),
        };
        assert!(e.interval(1.5, None, 100, Z).is_ok());
        assert!(e.interval(2.5, None, 100, Z).is_err(), "outside its bounds");
        assert!(e.interval(1.5, None, 200, Z).is_err(), "ranks of other n");
        assert_eq!(order_statistic_ranks(10, 0.95, Z), (Some(8), None));
    }
}

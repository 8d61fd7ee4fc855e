//! The optimizer: a grid over leverage, alpha and spread from the scenario's `optimizer`
//! block, candidates above the hard leverage limit rejected before simulation, every
//! other candidate simulated on the same paths (common random numbers), scored as ROI
//! less policy-weighted penalties, ranked with the score's standard error (ties with the
//! top marked from paired differences), and marked deployable only when every gate's
//! verdict is `pass` and it sits at or under the deployable leverage cap.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::config::Policy;
use crate::config::capital::{CapitalSpec, entry_ltv};
use crate::config::scenario::OptimizerSpec;
use crate::engine::outcome::CapitalOutcome;
use crate::gates::{Confidence, capital_gates};
use crate::model::overlay::Candidate;
use crate::stats::{Interval, Z95, mean_estimate, quantile_with_ci, wilson};

/// The default grid when `--optimizer` is given for a scenario without a block.
pub const DEFAULT_LEVERAGE: [f64; 7] = [1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0];

/// The candidates to simulate and the ones rejected before simulation.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    pub candidates: Vec<Candidate>,
    pub rejected: Vec<Rejected>,
}

/// A candidate rejected before simulation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Rejected {
    pub leverage: f64,
    pub alpha: f64,
    pub spread_bps: f64,
    /// Share of the sleeve's collateral in the external asset.
    pub external_share: f64,
    pub reason: String,
}

/// Builds the grid (leverage x alpha x spread x external share, in that nesting order).
/// Without a block, [`DEFAULT_LEVERAGE`]; without alpha, spread or external-share values,
/// the scenario's own. A candidate above the hard leverage limit, or whose entry LTV
/// `(L - 1) / L` is above the policy's maximum LTV, is rejected before simulation.
pub fn grid(block: Option<&OptimizerSpec>, spec: &CapitalSpec, policy: &Policy) -> Grid {
    let leverage = block.map_or(DEFAULT_LEVERAGE.to_vec(), |b| b.leverage.clone());
    let alpha = block
        .and_then(|b| b.alpha.clone())
        .unwrap_or_else(|| vec![spec.alpha]);
    let spread = block
        .and_then(|b| b.spread_bps.clone())
        .unwrap_or_else(|| vec![spec.spread_bps]);
    let external = block
        .and_then(|b| b.external_share.clone())
        .unwrap_or_else(|| vec![spec.sleeve.external_share()]);
    let hard = policy.leverage.hard_limit;
    let max_ltv = policy.ltv.default_max;
    let mut out = Grid {
        candidates: Vec::new(),
        rejected: Vec::new(),
    };
    for &l in &leverage {
        let entry_ltv = entry_ltv(l);
        let reason = if l > hard {
            Some(format!(
                "leverage {l}x is above the hard limit {hard}x: rejected before simulation"
            ))
        } else if entry_ltv > max_ltv {
            Some(format!(
                "leverage {l}x opens at LTV {entry_ltv:.4}, above the policy's maximum LTV \
                 {max_ltv}: rejected before simulation"
            ))
        } else {
            None
        };
        for &a in &alpha {
            for &s in &spread {
                for &e in &external {
                    match &reason {
                        Some(reason) => out.rejected.push(Rejected {
                            leverage: l,
                            alpha: a,
                            spread_bps: s,
                            external_share: e,
                            reason: reason.clone(),
                        }),
                        None => out.candidates.push(Candidate {
                            alpha: a,
                            leverage: l,
                            spread_bps: s,
                            external_share: e,
                        }),
                    }
                }
            }
        }
    }
    out
}

/// One simulated candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RankedCandidate {
    /// 1 = best score.
    pub rank: u32,
    pub leverage: f64,
    pub alpha: f64,
    /// Share of the sleeve's collateral in the external asset.
    pub external_share: f64,
    pub spread_bps: f64,
    /// `roi_mean - wL liquidation_probability - wD max_drawdown_p95 - wP peg_deviation_frequency`.
    pub score: f64,
    /// Standard error of the score.
    pub score_se: f64,
    /// The top candidate's score less this one's, from paired per-path differences on the
    /// common paths (0 for the top).
    pub gap_to_top: f64,
    pub gap_to_top_se: f64,
    /// The gap is within the policy's confidence of zero: this candidate cannot be told
    /// apart from the top on these paths.
    pub ties_top: bool,
    pub roi_mean: f64,
    pub roi_mean_se: f64,
    pub roi_p05: f64,
    pub max_drawdown_p95: f64,
    pub liquidation_probability: f64,
    pub liquidation_probability_ci95: Interval,
    pub peg_deviation_frequency: f64,
    pub external_liquidity_floor_breach_probability: f64,
    /// Every capital gate's verdict is `pass` and the leverage is at or under the
    /// deployable cap.
    pub deployable: bool,
    /// Why it is not deployable (empty when it is): each gate that did not pass, with its
    /// interval and verdict, and the cap.
    pub reasons: Vec<String>,
}

/// The best score at one leverage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FrontierPoint {
    pub leverage: f64,
    pub best_rank: u32,
    pub alpha: f64,
    pub spread_bps: f64,
    pub score: f64,
    pub score_se: f64,
    pub roi_mean: f64,
    pub liquidation_probability: f64,
    pub liquidation_probability_ci95: Interval,
    pub deployable: bool,
}

/// The optimizer's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OptimizerResult {
    /// Paths every candidate ran (the same paths for all).
    pub paths: u64,
    /// Confidence of the gate verdicts and of `ties_top`.
    pub confidence: f64,
    /// Simulated candidates, best score first.
    pub candidates: Vec<RankedCandidate>,
    /// The best deployable candidate, if any.
    pub top_deployable: Option<RankedCandidate>,
    /// Best score at each leverage, by leverage.
    pub frontier: Vec<FrontierPoint>,
    /// The policy's deployable leverage cap, x (no candidate above it is deployable);
    /// absent in scorecards written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployable_cap: Option<f64>,
    /// Candidates rejected before simulation.
    pub rejected: Vec<Rejected>,
}

/// One candidate's per-path score terms and its quantile term.
struct Scored {
    /// Per path: `roi - wL liquidated - wP peg_frequency`, the part of the score that is a
    /// mean over paths.
    per_path: Vec<f64>,
    /// `max_drawdown_p95` and its standard error (from its order-statistic interval).
    dd95: f64,
    dd95_se: f64,
}

/// Scores, gates and ranks `outcomes[c][path]` for `candidates`. Gates are decided on
/// their intervals at the policy's confidence, exactly as a scorecard's; the score's
/// standard error treats the drawdown quantile's error as independent of the rest, and the
/// gap to the top pairs the candidates path by path (the same paths), which is what makes
/// close candidates distinguishable at all.
pub fn rank(
    candidates: &[Candidate],
    outcomes: &[Vec<CapitalOutcome>],
    policy: &Policy,
    epochs: u32,
    rejected: Vec<Rejected>,
) -> OptimizerResult {
    let w = &policy.optimizer;
    let confidence = Confidence::fixed(policy.gates.confidence);
    let mut scored = Vec::with_capacity(candidates.len());
    let mut ranked: Vec<RankedCandidate> = candidates
        .iter()
        .zip(outcomes)
        .map(|(c, outs)| {
            let n = outs.len() as u64;
            let refs: Vec<&CapitalOutcome> = outs.iter().collect();
            let roi: Vec<f64> = outs.iter().map(|o| o.roi).collect();
            let roi_est = mean_estimate(&roi);
            let (roi_p05, _) = quantile_with_ci(&roi, 0.05);
            let dd: Vec<f64> = outs.iter().map(|o| o.max_drawdown).collect();
            let (dd95, dd95_ci) = quantile_with_ci(&dd, 0.95);
            let liq = wilson(outs.iter().filter(|o| o.liquidated).count() as u64, n);
            let peg_of = |o: &CapitalOutcome| f64::from(o.peg_deviation_epochs) / f64::from(epochs);
            let peg = mean_estimate(&outs.iter().map(peg_of).collect::<Vec<_>>()).mean;
            let breach =
                outs.iter().filter(|o| o.floor_violations > 0).count() as f64 / n.max(1) as f64;
            let per_path: Vec<f64> = outs
                .iter()
                .map(|o| {
                    o.roi
                        - w.liquidation_weight * f64::from(u8::from(o.liquidated))
                        - w.peg_deviation_weight * peg_of(o)
                })
                .collect();
            let mean_part = mean_estimate(&per_path);
            let dd95_se = (dd95_ci.hi - dd95_ci.lo) / (2.0 * Z95);
            let score = mean_part.mean - w.drawdown_weight * dd95;
            let score_se = (mean_part.se.powi(2) + (w.drawdown_weight * dd95_se).powi(2)).sqrt();
            let gates = capital_gates(&refs, epochs, policy, &confidence, true);
            let mut reasons = Vec::new();
            if c.leverage > policy.leverage.deployable_cap {
                reasons.push(format!(
                    "leverage {}x is above the deployable cap {}x",
                    c.leverage, policy.leverage.deployable_cap
                ));
            }
            reasons.extend(gates.iter().filter(|g| !g.passed()).map(|g| {
                format!(
                    "{} {:.4} [{:.4}, {:.4}] vs {}: {}",
                    g.metric,
                    g.value,
                    g.interval.lo,
                    g.interval.hi,
                    g.describe_threshold(),
                    g.verdict.as_str()
                )
            }));
            scored.push(Scored {
                per_path,
                dd95,
                dd95_se,
            });
            RankedCandidate {
                rank: 0,
                leverage: c.leverage,
                alpha: c.alpha,
                external_share: c.external_share,
                spread_bps: c.spread_bps,
                score,
                score_se,
                gap_to_top: 0.0,
                gap_to_top_se: 0.0,
                ties_top: false,
                roi_mean: roi_est.mean,
                roi_mean_se: roi_est.se,
                roi_p05,
                max_drawdown_p95: dd95,
                liquidation_probability: liq.p,
                liquidation_probability_ci95: Interval {
                    lo: liq.lo95,
                    hi: liq.hi95,
                },
                peg_deviation_frequency: peg,
                external_liquidity_floor_breach_probability: breach,
                deployable: reasons.is_empty(),
                reasons,
            }
        })
        .collect();
    let mut order: Vec<usize> = (0..ranked.len()).collect();
    order.sort_by(|&a, &b| {
        let (a, b) = (&ranked[a], &ranked[b]);
        b.score
            .total_cmp(&a.score)
            .then(a.leverage.total_cmp(&b.leverage))
            .then(a.alpha.total_cmp(&b.alpha))
            .then(a.spread_bps.total_cmp(&b.spread_bps))
    });
    if let Some(&top) = order.first() {
        for &i in &order {
            let (gap, se) = paired_gap(&scored[top], &scored[i], w.drawdown_weight);
            let c = &mut ranked[i];
            c.gap_to_top = gap;
            c.gap_to_top_se = se;
            c.ties_top = i == top || gap <= confidence.z() * se;
        }
    }
    let mut ranked: Vec<RankedCandidate> = order.into_iter().map(|i| ranked[i].clone()).collect();
    for (i, c) in ranked.iter_mut().enumerate() {
        c.rank = i as u32 + 1;
    }
    let top_deployable = ranked.iter().find(|c| c.deployable).cloned();
    let frontier = frontier(&ranked);
    OptimizerResult {
        paths: outcomes.first().map_or(0, |o| o.len() as u64),
        confidence: confidence.level,
        candidates: ranked,
        top_deployable,
        frontier,
        deployable_cap: Some(policy.leverage.deployable_cap),
        rejected,
    }
}

/// `score(top) - score(other)` and its standard error: the mean part from the per-path
/// differences (paired: the same paths), the drawdown quantiles' errors added as if
/// independent (conservative when, as under common random numbers, they move together).
fn paired_gap(top: &Scored, other: &Scored, drawdown_weight: f64) -> (f64, f64) {
    let diffs: Vec<f64> = top
        .per_path
        .iter()
        .zip(&other.per_path)
        .map(|(a, b)| a - b)
        .collect();
    let d = mean_estimate(&diffs);
    let gap = d.mean - drawdown_weight * (top.dd95 - other.dd95);
    let se = (d.se.powi(2)
        + drawdown_weight.powi(2) * (top.dd95_se.powi(2) + other.dd95_se.powi(2)))
    .sqrt();
    (gap, se)
}

fn frontier(ranked: &[RankedCandidate]) -> Vec<FrontierPoint> {
    let mut levels: Vec<f64> = ranked.iter().map(|c| c.leverage).collect();
    levels.sort_by(f64::total_cmp);
    levels.dedup();
    levels
        .into_iter()
        .filter_map(|l| {
            let best = ranked.iter().find(|c| c.leverage == l)?;
            Some(FrontierPoint {
                leverage: l,
                best_rank: best.rank,
                alpha: best.alpha,
                spread_bps: best.spread_bps,
                score: best.score,
                score_se: best.score_se,
                roi_mean: best.roi_mean,
                liquidation_probability: best.liquidation_probability,
                liquidation_probability_ci95: best.liquidation_probability_ci95,
                deployable: best.deployable,
            })
        })
        .collect()
}

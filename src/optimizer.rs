//! The optimizer: a grid over leverage, alpha and spread from the scenario's `optimizer`
//! block, candidates above the hard leverage limit rejected before simulation, every
//! other candidate simulated on the same paths (common random numbers), scored as ROI
//! less policy-weighted penalties, ranked, and marked deployable only when it passes
//! every gate and sits at or under the deployable leverage cap.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::config::Policy;
use crate::config::capital::{CapitalSpec, entry_ltv};
use crate::config::scenario::OptimizerSpec;
use crate::engine::outcome::CapitalOutcome;
use crate::model::overlay::Candidate;
use crate::stats::{Interval, mean_estimate, quantile_with_ci, wilson};

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
    pub roi_mean: f64,
    pub roi_mean_se: f64,
    pub roi_p05: f64,
    pub max_drawdown_p95: f64,
    pub liquidation_probability: f64,
    pub liquidation_probability_ci95: Interval,
    pub peg_deviation_frequency: f64,
    pub external_liquidity_floor_violations: u64,
    /// Passes every gate and sits at or under the deployable leverage cap.
    pub deployable: bool,
    /// Why it is not deployable (empty when it is).
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
    pub roi_mean: f64,
    pub liquidation_probability: f64,
    pub deployable: bool,
}

/// The optimizer's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OptimizerResult {
    /// Paths every candidate ran (the same paths for all).
    pub paths: u64,
    /// Simulated candidates, best score first.
    pub candidates: Vec<RankedCandidate>,
    /// The best deployable candidate, if any.
    pub top_deployable: Option<RankedCandidate>,
    /// Best score at each leverage, by leverage.
    pub frontier: Vec<FrontierPoint>,
    /// Candidates rejected before simulation.
    pub rejected: Vec<Rejected>,
}

/// Scores, gates and ranks `outcomes[c][path]` for `candidates`.
pub fn rank(
    candidates: &[Candidate],
    outcomes: &[Vec<CapitalOutcome>],
    policy: &Policy,
    epochs: u32,
    rejected: Vec<Rejected>,
) -> OptimizerResult {
    let w = &policy.optimizer;
    let g = &policy.gates;
    let mut ranked: Vec<RankedCandidate> = candidates
        .iter()
        .zip(outcomes)
        .map(|(c, outs)| {
            let n = outs.len() as u64;
            let roi: Vec<f64> = outs.iter().map(|o| o.roi).collect();
            let roi_est = mean_estimate(&roi);
            let (roi_p05, _) = quantile_with_ci(&roi, 0.05);
            let dd: Vec<f64> = outs.iter().map(|o| o.max_drawdown).collect();
            let (dd95, _) = quantile_with_ci(&dd, 0.95);
            let liq = wilson(outs.iter().filter(|o| o.liquidated).count() as u64, n);
            let peg = mean_estimate(
                &outs
                    .iter()
                    .map(|o| f64::from(o.peg_deviation_epochs) / f64::from(epochs))
                    .collect::<Vec<_>>(),
            )
            .mean;
            let floor: u64 = outs.iter().map(|o| u64::from(o.floor_violations)).sum();
            let score = roi_est.mean
                - w.liquidation_weight * liq.p
                - w.drawdown_weight * dd95
                - w.peg_deviation_weight * peg;
            let mut reasons = Vec::new();
            if c.leverage > policy.leverage.deployable_cap {
                reasons.push(format!(
                    "leverage {}x is above the deployable cap {}x",
                    c.leverage, policy.leverage.deployable_cap
                ));
            }
            if dd95 > g.max_drawdown_p95 {
                reasons.push(format!(
                    "max_drawdown_p95 {dd95:.4} > {}",
                    g.max_drawdown_p95
                ));
            }
            if liq.p > g.liquidation_probability {
                reasons.push(format!(
                    "liquidation_probability {:.4} > {}",
                    liq.p, g.liquidation_probability
                ));
            }
            if peg > g.peg_deviation_frequency {
                reasons.push(format!(
                    "peg_deviation_frequency {peg:.4} > {}",
                    g.peg_deviation_frequency
                ));
            }
            if floor as f64 > g.external_liquidity_floor_violations {
                reasons.push(format!(
                    "external_liquidity_floor_violations {floor} > {}",
                    g.external_liquidity_floor_violations
                ));
            }
            if roi_p05 < g.roi_p05_min {
                reasons.push(format!("roi_p05 {roi_p05:.4} < {}", g.roi_p05_min));
            }
            RankedCandidate {
                rank: 0,
                leverage: c.leverage,
                alpha: c.alpha,
                external_share: c.external_share,
                spread_bps: c.spread_bps,
                score,
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
                external_liquidity_floor_violations: floor,
                deployable: reasons.is_empty(),
                reasons,
            }
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.leverage.total_cmp(&b.leverage))
            .then(a.alpha.total_cmp(&b.alpha))
            .then(a.spread_bps.total_cmp(&b.spread_bps))
    });
    for (i, c) in ranked.iter_mut().enumerate() {
        c.rank = i as u32 + 1;
    }
    let top_deployable = ranked.iter().find(|c| c.deployable).cloned();
    let frontier = frontier(&ranked);
    OptimizerResult {
        paths: outcomes.first().map_or(0, |o| o.len() as u64),
        candidates: ranked,
        top_deployable,
        frontier,
        rejected,
    }
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
                roi_mean: best.roi_mean,
                liquidation_probability: best.liquidation_probability,
                deployable: best.deployable,
            })
        })
        .collect()
}

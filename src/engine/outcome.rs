//! What the engine keeps: a few numbers per path (`PathOutcome`, with its importance
//! weight in a `--rare-events` run) and per-batch totals for
//! per-pool, per-chain and per-link figures (`BatchTotals`). Whole paths are never stored.
//! Batches are merged serially in batch order, so sums do not depend on thread count or
//! on how the paths were split into shards.

use serde::{Deserialize, Serialize};

use crate::stats::sketch::QuantileSketch;

/// Per-path routing results (over the whole horizon).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RoutingOutcome {
    /// Mean over epochs of the epoch's captured share of volume.
    pub capture_mean: f64,
    /// 95th percentile over epochs of the captured share.
    pub capture_p95: f64,
    /// Mean over epochs of churn `sum |dI| / sum I*`.
    pub churn_mean: f64,
    pub churn_p95: f64,
    pub churn_max: f64,
    /// Bot injection cost, USD.
    pub inject_cost: f64,
    /// Bot withdrawal cost, USD.
    pub withdraw_cost: f64,
    /// Routed volume, USD.
    pub volume: f64,
    /// Volume that stalled, USD.
    pub stalled: f64,
    pub arb_volume: f64,
    pub arb_profit: f64,
    /// Peak over epochs of the largest pool |deviation|, bps: before arbitrage, after it,
    /// and after the bot.
    pub peak_dev_pre_arb_bps: f64,
    pub peak_dev_post_arb_bps: f64,
    pub peak_dev_post_bot_bps: f64,
    /// Herfindahl index of route shares of volume.
    pub path_concentration: f64,
    /// Chunks routed through more than one of our pools on the same chain.
    pub reflexive_routes: u64,
    /// Fees earned by our pools, USD.
    pub fees: f64,
    /// Per chain (graph order): peak over epochs of USD bridged out of the chain. A boxed
    /// slice (no spare capacity field): one of these is kept per path.
    pub chain_peak_outflow: Box<[f64]>,
}

/// Per-path results of the capital overlay.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CapitalOutcome {
    /// Time-weighted return over the horizon: each epoch's return with redemptions paid at
    /// par taken out as external flows, chained (`CapitalTally::twr_index - 1`).
    pub roi: f64,
    /// Change of capital over the horizon, flows included: `T_end / T_0 - 1`.
    #[serde(default)]
    pub capital_return: f64,
    /// Capital at the end of the horizon `T_end`, USD.
    #[serde(default)]
    pub capital_end: f64,
    /// Redemptions paid to holders at par, USD.
    #[serde(default)]
    pub redemptions: f64,
    /// Gain net of flows, USD: `T_end - T_0` plus the redemptions paid, less the treasury
    /// liquidity the runbook deployed into the reserve.
    pub pnl: f64,
    /// Largest drawdown of the time-weighted return index from its running peak, share.
    pub max_drawdown: f64,
    pub liquidated: bool,
    pub peg_deviation_epochs: u32,
    pub floor_violations: u32,
    pub floor_unrepaired: u32,
    pub throttle_events: u32,
    pub spread_events: u32,
    /// Epochs at the breaker's HARD level.
    pub breaker_epochs: u32,
    /// Epochs at the breaker's SOFT level.
    #[serde(default)]
    pub soft_epochs: u32,
    /// Epochs at the breaker's NORMAL level.
    #[serde(default)]
    pub normal_epochs: u32,
    /// Change of `T` by attribution term, USD: slot `i` holds `model::overlay::Term::ALL[i]`,
    /// keyed `model::overlay::TERMS[i]` (an `[f64; 7]`, serialised as a plain array).
    pub attribution: crate::model::overlay::Attribution,
    pub min_peg: f64,
    /// Liquidations on the path (partial ones count one each).
    #[serde(default)]
    pub liquidations: u32,
    /// Epoch (0-based) of the first liquidation.
    #[serde(default)]
    pub first_liquidation_epoch: Option<u32>,
    /// Collateral seized by liquidations, USD at the liquidation price.
    #[serde(default)]
    pub collateral_seized: f64,
    /// Epochs that ended with LTV above the policy's maximum LTV.
    #[serde(default)]
    pub epochs_above_max_ltv: u32,
    /// What the runbook's actions did; present only when one is on. Boxed, so a path of a
    /// scenario without a runbook keeps 8 bytes for it rather than the whole tally.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runbook: Option<Box<crate::model::runbook::RunbookTally>>,
}

/// Per-path results of one path: routing, plus capital when the scenario has it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PathOutcome {
    pub routing: RoutingOutcome,
    pub capital: Option<CapitalOutcome>,
    /// The path's importance weight in an importance-sampled run (`--rare-events`); absent
    /// in a plain run, where every path weighs 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub importance: Option<PathWeight>,
}

impl PathOutcome {
    /// The path's likelihood-ratio weight: 1 in a plain run.
    pub fn weight(&self) -> f64 {
        self.importance.map_or(1.0, |i| i.weight)
    }
}

/// The importance weight of one path.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PathWeight {
    /// `p / ((1 - beta) p + beta q)`: the nominal density of the path's draws over the
    /// mixture's, in `(0, 1 / (1 - beta)]`.
    pub weight: f64,
    /// Whether the path was drawn from the tilted proposal.
    pub tilted: bool,
}

/// Sums over the paths of one batch of per-pool, per-chain and per-link figures.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BatchTotals {
    pub paths: u64,
    /// Per pool: sum over paths of the per-path mean |net routing flow| per epoch, USD.
    pub pool_net_flow: Vec<f64>,
    /// Per pool: sum over paths of churn (sum over epochs of |dI| / I*).
    pub pool_churn: Vec<f64>,
    /// Per pool: sum over paths of the per-path peak post-arbitrage |deviation|, bps.
    pub pool_peak_dev_sum: Vec<f64>,
    /// Per pool: max over paths of the same.
    pub pool_peak_dev_max: Vec<f64>,
    /// Per pool: fees, USD.
    pub pool_fees: Vec<f64>,
    /// Per chain: bot injection and withdrawal costs, USD.
    pub chain_inject: Vec<f64>,
    pub chain_withdraw: Vec<f64>,
    /// Per link: sum over paths of the per-path peak epoch flow (either direction), USD.
    pub link_peak_flow_sum: Vec<f64>,
    pub link_peak_flow_max: Vec<f64>,
    /// Per epoch: sketches of capital and drawdown across the paths (capital scenarios
    /// in a plain run). `engine::run_paths` folds its batches' sketches into the first
    /// batch it returns, so the paths x epochs values are never held; merging adds counts,
    /// so any split of the paths merges to the same sketches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epoch_series: Option<EpochSketches>,
}

/// Per-epoch distributions across paths, as mergeable sketches (`stats::sketch`): index
/// `e` is the end of epoch `e` (0-based).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EpochSketches {
    /// Treasury capital `T` (all buckets), USD.
    pub capital: Vec<QuantileSketch>,
    /// Drawdown of the time-weighted return index from its running peak, share.
    pub drawdown: Vec<QuantileSketch>,
}

impl EpochSketches {
    pub fn new(epochs: usize) -> Self {
        Self {
            capital: vec![QuantileSketch::new(); epochs],
            drawdown: vec![QuantileSketch::new(); epochs],
        }
    }

    /// Adds one path's `(capital, drawdown)` at the end of each epoch.
    pub fn add_path(&mut self, series: &[(f64, f64)]) {
        for (e, &(capital, drawdown)) in series.iter().enumerate().take(self.capital.len()) {
            self.capital[e].insert(capital);
            self.drawdown[e].insert(drawdown);
        }
    }

    /// Adds `other`'s counts epoch by epoch (the sketches of the union of the paths).
    pub fn merge(&mut self, other: &EpochSketches) {
        let n = self.capital.len().max(other.capital.len());
        self.capital.resize(n, QuantileSketch::new());
        self.drawdown.resize(n, QuantileSketch::new());
        for (a, b) in self.capital.iter_mut().zip(&other.capital) {
            a.merge(b);
        }
        for (a, b) in self.drawdown.iter_mut().zip(&other.drawdown) {
            a.merge(b);
        }
    }

    /// Paths counted (at the first epoch).
    pub fn paths(&self) -> u64 {
        self.capital.first().map_or(0, QuantileSketch::count)
    }
}

impl BatchTotals {
    pub fn new(pools: usize, chains: usize, links: usize) -> Self {
        Self {
            paths: 0,
            pool_net_flow: vec![0.0; pools],
            pool_churn: vec![0.0; pools],
            pool_peak_dev_sum: vec![0.0; pools],
            pool_peak_dev_max: vec![0.0; pools],
            pool_fees: vec![0.0; pools],
            chain_inject: vec![0.0; chains],
            chain_withdraw: vec![0.0; chains],
            link_peak_flow_sum: vec![0.0; links],
            link_peak_flow_max: vec![0.0; links],
            epoch_series: None,
        }
    }

    /// Adds per-epoch sketches (exact: integer counts, in any order).
    pub fn merge_series(&mut self, series: &EpochSketches) {
        match &mut self.epoch_series {
            Some(mine) => mine.merge(series),
            None => self.epoch_series = Some(series.clone()),
        }
    }

    /// Adds `other` (the next batch in order) into `self`.
    pub fn merge(&mut self, other: &BatchTotals) {
        self.paths += other.paths;
        let add = |a: &mut Vec<f64>, b: &Vec<f64>| a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        let max =
            |a: &mut Vec<f64>, b: &Vec<f64>| a.iter_mut().zip(b).for_each(|(x, y)| *x = x.max(*y));
        add(&mut self.pool_net_flow, &other.pool_net_flow);
        add(&mut self.pool_churn, &other.pool_churn);
        add(&mut self.pool_peak_dev_sum, &other.pool_peak_dev_sum);
        max(&mut self.pool_peak_dev_max, &other.pool_peak_dev_max);
        add(&mut self.pool_fees, &other.pool_fees);
        add(&mut self.chain_inject, &other.chain_inject);
        add(&mut self.chain_withdraw, &other.chain_withdraw);
        add(&mut self.link_peak_flow_sum, &other.link_peak_flow_sum);
        max(&mut self.link_peak_flow_max, &other.link_peak_flow_max);
        if let Some(series) = &other.epoch_series {
            self.merge_series(series);
        }
    }
}

/// The outcome of one batch: its paths in index order, and its totals.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BatchResult {
    /// Index of the batch's first path.
    pub first_path: u64,
    pub paths: Vec<PathOutcome>,
    pub totals: BatchTotals,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One `PathOutcome` is kept per path for the scorecard, so its size is the run's
    /// memory per path (docs/performance.md). The runbook's tally is boxed and the
    /// per-chain outflows a boxed slice; inlining either again grows every path.
    #[test]
    #[cfg(target_pointer_width = "64")]
    fn a_path_outcome_stays_compact() {
        assert_eq!(std::mem::size_of::<RoutingOutcome>(), 152);
        assert_eq!(std::mem::size_of::<Option<CapitalOutcome>>(), 184);
        assert_eq!(std::mem::size_of::<PathOutcome>(), 352);
    }
}

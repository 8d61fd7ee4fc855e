//! The capital overlay of one path and one epoch (model.md section 4, steps 1-11): policy
//! state and spread before routing, then the yield sleeve, PMM inventory, redemptions,
//! the external liquidity floor, rebalancing, the peg, volatility and drawdown after it.
//! It takes its random draws from the caller and reports every change of `T` under one
//! attribution term, so `T_end - T_0` equals the sum of the terms exactly.
//!
//! - this file: the overlay's types, its setup and the policy step (steps 1-2);
//! - `settle`: steps 4-11, after routing;
//! - `attribution`: the named attribution terms and their scorecard keys;
//! - `importance`: the tilted proposal of `--rare-events` and its likelihood ratio.

mod attribution;
mod importance;
mod settle;

pub use attribution::{Attribution, TERMS, Term};
pub use importance::{PathTilt, mixture_weight};

use crate::config::Policy;
use crate::config::capital::CapitalSpec;
use crate::config::runbook::AllocationMode;
use crate::model::allocation::YieldWindow;
use crate::model::breaker::{BreakerLevel, BreakerPolicy};
use crate::model::capital::{AllocationTargets, Buckets, SleeveParams};
use crate::model::redemptions::HawkesState;
use crate::model::runbook::{RunbookState, RunbookTally};
use crate::model::shocks::EpochShocks;

/// The optimizer's knobs; a scenario's own values when no sweep runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    /// Yield sleeve share of `T`.
    pub alpha: f64,
    /// Sleeve leverage, x.
    pub leverage: f64,
    /// Target spread, bps.
    pub spread_bps: f64,
    /// Share of the sleeve's collateral in the external asset, in [0, 1].
    pub external_share: f64,
}

/// The random draws of one epoch of the overlay.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct OverlayDraws {
    /// Standard normal driving the external asset's return.
    pub z_asset: f64,
    /// Standard normal driving volatility.
    pub z_sigma: f64,
    /// Standard normal driving peg noise.
    pub z_peg: f64,
    /// Uniform in [0, 1) for the number of heavy redemption days.
    pub u_redeem: f64,
    /// Standard normal driving the stable collateral component's return.
    pub z_stable: f64,
    /// Uniform in [0, 1) deciding whether the collateral crossed the liquidation barrier
    /// within the epoch.
    pub u_barrier: f64,
    /// Uniform in [0, 1) for the number of jumps of the external asset (jump model only;
    /// 0 and not drawn otherwise).
    pub u_jump: f64,
    /// Standard normal for the jumps' total log size (jump model only).
    pub z_jump: f64,
    /// Seed of the epoch's Dirichlet allocation draws (drawn from the path's stream only
    /// when the scenario's allocation mode is `dirichlet`; 0 otherwise).
    pub dirichlet_seed: u64,
}

/// What the routing layer did this epoch, in the pools' own USD (before scaling to `M`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RoutingPnl {
    /// Fees earned, USD.
    pub fees: f64,
    /// Change of the pools' value at the oracle price from trades and arbitrage, USD.
    pub value_change: f64,
    /// Bot intervention cost, USD.
    pub intervention_cost: f64,
    /// Net cW sold into the pools by users, USD (> 0: selling pressure).
    pub net_stable_sold: f64,
}

/// Per-path counters and sums of the overlay.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct CapitalTally {
    /// Change of `T` by term, USD (signed: drags and costs are negative).
    pub attribution: Attribution,
    pub liquidated: bool,
    /// Liquidations (partial ones count one each).
    pub liquidations: u32,
    /// The epoch (0-based) of the first liquidation, if any.
    pub first_liquidation_epoch: Option<u32>,
    /// Collateral seized by liquidations, USD at the liquidation price.
    pub collateral_seized: f64,
    /// Epochs settled so far.
    pub epochs: u32,
    /// Epochs that ended with LTV above the policy's maximum LTV.
    pub epochs_above_max_ltv: u32,
    /// Epochs ending with `|P - 1|` above the policy's deviation threshold.
    pub peg_deviation_epochs: u32,
    /// Epochs whose reserve fell below the floor before the clamp.
    pub floor_violations: u32,
    /// Epochs that still ended below the floor after the clamp.
    pub floor_unrepaired: u32,
    /// Entries from NORMAL into a throttled breaker level (SOFT or HARD).
    pub throttle_events: u32,
    /// Changes of the spread level.
    pub spread_events: u32,
    /// Epochs at the breaker's HARD level (the peg circuit breaker with the shipped
    /// thresholds).
    pub breaker_epochs: u32,
    /// Epochs at the breaker's SOFT level (the volatility throttle with the shipped
    /// thresholds).
    pub soft_epochs: u32,
    /// Largest drawdown of the time-weighted return index from its running peak, share.
    pub max_drawdown: f64,
    /// Lowest peg seen.
    pub min_peg: f64,
    /// Time-weighted return index (starts at 1): each epoch's return with redemptions paid
    /// at par taken out as external flows, chained.
    pub twr_index: f64,
    /// Running peak of `twr_index`.
    pub twr_peak: f64,
    /// Redemptions paid to holders at par, USD.
    pub redemptions_paid: f64,
    /// `log p/q` of the path's tilted draws so far (0 unless the path is importance
    /// sampled, see [`PathTilt`]).
    pub log_lr: f64,
    /// What the runbook's actions did (all zero when none is on).
    pub runbook: RunbookTally,
}

impl CapitalTally {
    /// A fresh tally (lowest peg starts at infinity).
    pub fn new() -> Self {
        Self {
            min_peg: f64::INFINITY,
            twr_index: 1.0,
            twr_peak: 1.0,
            ..Self::default()
        }
    }
}

/// The overlay's state in one path.
#[derive(Debug, Clone, PartialEq)]
pub struct OverlayState {
    pub buckets: Buckets,
    pub sigma: f64,
    pub peg: f64,
    pub hawkes: HawkesState,
    /// The breaker's level this epoch.
    pub breaker: BreakerLevel,
    pub spread_bps: f64,
    pub liquidated: bool,
    pub t0: f64,
    /// The window of bucket yields of the endogenous allocation targets (`None` in the
    /// other modes).
    pub yields: Option<YieldWindow>,
    /// The runbook's per-path state.
    pub runbook: RunbookState,
    /// Whether any runbook action is on (the outcome then carries their tally).
    pub runbook_on: bool,
}

/// The overlay's fixed parameters for one candidate.
#[derive(Debug, Clone)]
pub struct Overlay<'a> {
    pub spec: &'a CapitalSpec,
    pub candidate: Candidate,
    pub(super) floor: f64,
    breaker: BreakerPolicy,
    ceiling_spread: f64,
    pub(super) peg_threshold: f64,
    /// The policy's maximum LTV: deleverage above it (never raised to fit a candidate).
    pub(super) operating_ltv: f64,
    /// The sleeve at this candidate's collateral mix.
    pub(super) sleeve: SleeveParams,
    pub(super) dt: f64,
    /// Sum over pools of both sides at target, USD: routing PnL is scaled by `M / book`.
    pub(super) book: f64,
    /// The path's importance-sampling tilt (`--rare-events`); `None` draws the model itself.
    pub(super) tilt: Option<PathTilt>,
}

impl<'a> Overlay<'a> {
    pub fn new(
        spec: &'a CapitalSpec,
        policy: &Policy,
        candidate: Candidate,
        dt: f64,
        book: f64,
    ) -> Self {
        Self {
            spec,
            candidate,
            floor: policy.external_liquidity_floor,
            breaker: policy.breaker,
            ceiling_spread: policy.spread.ceiling_bps,
            peg_threshold: policy.peg.deviation_threshold,
            operating_ltv: policy.ltv.default_max,
            sleeve: spec.sleeve.with_external_share(candidate.external_share),
            dt,
            book: book.max(1.0),
            tilt: None,
        }
    }

    /// The same overlay drawing its asset shocks and redemptions from `tilt`.
    pub fn with_tilt(mut self, tilt: PathTilt) -> Self {
        self.tilt = Some(tilt);
        self
    }

    /// The starting state: capital at its targets, sigma and peg at their initial values.
    pub fn init(&self) -> OverlayState {
        let targets = AllocationTargets {
            alpha: self.candidate.alpha,
            pmm_share: self.spec.pmm_share,
            leverage: self.candidate.leverage,
        };
        let t0 = self.spec.initial_capital;
        OverlayState {
            buckets: Buckets::allocate(t0, &targets),
            sigma: self.spec.sigma0,
            peg: self.spec.p0,
            hawkes: HawkesState::default(),
            breaker: BreakerLevel::Normal,
            spread_bps: self.candidate.spread_bps.min(self.ceiling_spread),
            liquidated: false,
            t0,
            yields: match self.spec.allocation {
                AllocationMode::Endogenous { window, .. } => Some(YieldWindow::new(window)),
                _ => None,
            },
            runbook: RunbookState::new(&self.spec.runbook),
            runbook_on: self.spec.runbook.any(),
        }
    }

    /// Steps 1-2: apply this epoch's sigma shock, set the policy state, and return the
    /// pool fee (half the spread) the router charges this epoch.
    pub fn policy_step(
        &self,
        st: &mut OverlayState,
        shocks: &EpochShocks,
        tally: &mut CapitalTally,
    ) -> f64 {
        if let Some(level) = shocks.sigma_floor {
            st.sigma = st.sigma.max(level);
        }
        let level = self
            .breaker
            .next(st.breaker, st.sigma, (st.peg - 1.0).abs());
        if level > BreakerLevel::Normal && st.breaker == BreakerLevel::Normal {
            tally.throttle_events += 1;
        }
        st.breaker = level;
        tally.soft_epochs += u32::from(level == BreakerLevel::Soft);
        tally.breaker_epochs += u32::from(level == BreakerLevel::Hard);
        let mut spread = self.candidate.spread_bps;
        if let Some(state) = self.breaker_state(level) {
            spread = (spread * state.spread_multiplier).max(state.spread_bps);
        }
        spread = spread.min(self.ceiling_spread);
        if spread != st.spread_bps {
            tally.spread_events += 1;
            st.spread_bps = spread;
        }
        spread / 2.0 / 1e4
    }

    /// The measures of a breaker level (`None` at NORMAL).
    fn breaker_state(&self, level: BreakerLevel) -> Option<&crate::config::policy::BreakerState> {
        match level {
            BreakerLevel::Normal => None,
            BreakerLevel::Soft => Some(&self.breaker.soft),
            BreakerLevel::Hard => Some(&self.breaker.hard),
        }
    }

    /// Targets after the breaker level's factors and any liquidation.
    pub(super) fn effective_targets(
        &self,
        level: BreakerLevel,
        liquidated: bool,
    ) -> AllocationTargets {
        let (mut alpha, mut leverage) = (self.candidate.alpha, self.candidate.leverage);
        if let Some(state) = self.breaker_state(level) {
            alpha *= state.alpha_factor;
            leverage = 1.0 + (leverage - 1.0) * state.leverage_factor;
        }
        if liquidated {
            leverage = 1.0;
        }
        AllocationTargets {
            alpha,
            pmm_share: self.spec.pmm_share,
            leverage,
        }
    }
}

//! The checked allocation-target mode of a scenario and the checked runbook actions (seed
//! 001's procedures as policy actions), from `raw::runbook`. The policy's `runbook` block
//! sets the actions; a scenario's `capitalEfficiency.runbook` replaces them action by action.
//! Treasury deployment's sources are resolved against the commitments file at load time
//! ([`Runbook::attach_commitments`]).

use super::check::Checker;
use super::commitments::Commitments;
use super::policy::Policy;
use super::raw::{
    RawAllocation, RawDeleverage, RawPegCircuitBreaker, RawRedemptionThrottle, RawRunbook,
    RawTreasuryDeployment,
};
use crate::error::InputError;

/// Default moving-average window of the endogenous targets, epochs.
pub const DEFAULT_MOVING_AVERAGE_EPOCHS: u32 = 30;
/// Default weight of the volatile-asset risk of the endogenous targets.
pub const DEFAULT_VOLATILE_ASSET_RISK: f64 = 1.0;
/// Default Dirichlet concentration.
pub const DEFAULT_CONCENTRATION: f64 = 100.0;
/// Default drawdown that triggers the deleverage action.
pub const DEFAULT_DELEVERAGE_DRAWDOWN: f64 = 0.1;

/// How the rebalancer's target weights are set (seed 002).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum AllocationMode {
    /// The scenario's `alpha` and `pmmShare` (today's targets).
    #[default]
    Fixed,
    /// `w_i ∝ max(ybar_i, eps) / (1 + CV_i + v_i)`: yields' moving average over `window`
    /// epochs, their coefficient of variation, and the volatile-asset risk weighted by
    /// `volatile_asset_risk`.
    Endogenous {
        window: usize,
        volatile_asset_risk: f64,
    },
    /// Current weights perturbed by a Dirichlet(`concentration` x fixed weights) draw.
    Dirichlet { concentration: f64 },
}

impl AllocationMode {
    /// Checks `capitalEfficiency.allocation` of `file`.
    pub fn check(raw: Option<&RawAllocation>, file: &str) -> Result<Self, InputError> {
        let Some(raw) = raw else {
            return Ok(Self::Fixed);
        };
        let c = Checker::new(file);
        let at = |k: &str| format!("capitalEfficiency.allocation.{k}");
        let mode = c.choice(
            &at("mode"),
            &raw.mode,
            &["fixed", "endogenous", "dirichlet"],
        )?;
        let unused = |key: &str, present: bool| -> Result<(), InputError> {
            if present {
                Err(c.error(&at(key), format!("`{key}` does not apply to mode `{mode}`")))
            } else {
                Ok(())
            }
        };
        match mode {
            "fixed" => {
                unused("movingAverageEpochs", raw.moving_average_epochs.is_some())?;
                unused("volatileAssetRisk", raw.volatile_asset_risk.is_some())?;
                unused("concentration", raw.concentration.is_some())?;
                Ok(Self::Fixed)
            }
            "endogenous" => {
                unused("concentration", raw.concentration.is_some())?;
                let window = c.count(
                    &at("movingAverageEpochs"),
                    u64::from(
                        raw.moving_average_epochs
                            .unwrap_or(DEFAULT_MOVING_AVERAGE_EPOCHS),
                    ),
                    2,
                    3650,
                )? as usize;
                let volatile_asset_risk = c.range(
                    &at("volatileAssetRisk"),
                    raw.volatile_asset_risk
                        .unwrap_or(DEFAULT_VOLATILE_ASSET_RISK),
                    0.0,
                    1e3,
                )?;
                Ok(Self::Endogenous {
                    window,
                    volatile_asset_risk,
                })
            }
            _ => {
                unused("movingAverageEpochs", raw.moving_average_epochs.is_some())?;
                unused("volatileAssetRisk", raw.volatile_asset_risk.is_some())?;
                let concentration = raw.concentration.unwrap_or(DEFAULT_CONCENTRATION);
                if !(concentration.is_finite() && concentration > 0.0 && concentration <= 1e6) {
                    return Err(c.error(
                        &at("concentration"),
                        format!("expected a concentration in (0, 1e6], got {concentration}"),
                    ));
                }
                Ok(Self::Dirichlet { concentration })
            }
        }
    }

    /// The mode's word, as written in the scenario.
    pub fn word(&self) -> &'static str {
        match self {
            Self::Fixed => "fixed",
            Self::Endogenous { .. } => "endogenous",
            Self::Dirichlet { .. } => "dirichlet",
        }
    }
}

/// The checked runbook actions; `None` is off.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Runbook {
    pub redemption_throttle: Option<RedemptionThrottle>,
    pub treasury_deployment: Option<TreasuryDeployment>,
    pub peg_circuit_breaker: Option<PegCircuitBreaker>,
    pub deleverage: Option<Deleverage>,
}

/// What drives a fee tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeeDriver {
    /// The path's drawdown of its time-weighted return.
    Drawdown,
    /// `|P - 1|`.
    PegDeviation,
}

/// One tier of the redemption fee schedule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FeeTier {
    pub driver: FeeDriver,
    pub above: f64,
    pub fee: f64,
}

/// The redemption throttle.
#[derive(Debug, Clone, PartialEq)]
pub struct RedemptionThrottle {
    pub schedule: Vec<FeeTier>,
    pub pause_non_essential_outflows: bool,
}

impl RedemptionThrottle {
    /// The fee for a path at `drawdown` with peg deviation `peg_deviation`: the highest fee
    /// of the tiers whose driver is strictly above their level, else 0.
    pub fn fee(&self, drawdown: f64, peg_deviation: f64) -> f64 {
        self.schedule
            .iter()
            .filter(|t| {
                let x = match t.driver {
                    FeeDriver::Drawdown => drawdown,
                    FeeDriver::PegDeviation => peg_deviation,
                };
                x > t.above
            })
            .map(|t| t.fee)
            .fold(0.0, f64::max)
    }
}

/// One documented source the deployment draws on, from the commitments file.
#[derive(Debug, Clone, PartialEq)]
pub struct DeploymentSource {
    pub chain_id: u64,
    pub source: String,
    /// The committed amount, USD: the most this source ever deploys on a path.
    pub amount_usd: f64,
    /// Epochs from request to arrival in the reserve: `ceil(availabilityLagEpochs +
    /// bridgeLatencyEpochs)`.
    pub delay_epochs: u32,
}

/// Treasury liquidity deployment.
#[derive(Debug, Clone, PartialEq)]
pub struct TreasuryDeployment {
    pub target_reserve_multiple: f64,
    /// The sources named in the input, `None` for every commitment.
    pub requested: Option<Vec<(u64, String)>>,
    /// The resolved sources, in draw order (empty until
    /// [`Runbook::attach_commitments`]).
    pub sources: Vec<DeploymentSource>,
}

/// The peg circuit breaker action.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PegCircuitBreaker {
    pub trip_deviation: f64,
    pub reset_deviation: f64,
}

/// The deleverage action.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Deleverage {
    pub max_leverage: f64,
    pub trigger_drawdown: f64,
    pub trigger_ltv: Option<f64>,
}

impl Runbook {
    /// Checks a `runbook` block found at `prefix` (`runbook` in the policy,
    /// `capitalEfficiency.runbook` in a scenario) of `file`, with defaults from `policy`.
    /// `base` holds the actions the block does not name (the policy's, for a scenario).
    pub fn check(
        raw: Option<&RawRunbook>,
        base: &Runbook,
        policy: &PolicyDefaults,
        prefix: &str,
        file: &str,
    ) -> Result<Self, InputError> {
        let mut out = base.clone();
        let Some(raw) = raw else {
            return Ok(out);
        };
        let c = Checker::new(file);
        if let Some(t) = &raw.redemption_throttle {
            out.redemption_throttle =
                check_throttle(&c, t, &format!("{prefix}.redemptionThrottle"))?;
        }
        if let Some(d) = &raw.treasury_deployment {
            out.treasury_deployment =
                check_deployment(&c, d, &format!("{prefix}.treasuryDeployment"))?;
        }
        if let Some(b) = &raw.peg_circuit_breaker {
            out.peg_circuit_breaker =
                check_breaker(&c, b, policy, &format!("{prefix}.pegCircuitBreaker"))?;
        }
        if let Some(d) = &raw.deleverage {
            out.deleverage = check_deleverage(&c, d, policy, &format!("{prefix}.deleverage"))?;
        }
        Ok(out)
    }

    /// Whether any action is on.
    pub fn any(&self) -> bool {
        self.redemption_throttle.is_some()
            || self.treasury_deployment.is_some()
            || self.peg_circuit_breaker.is_some()
            || self.deleverage.is_some()
    }

    /// Whether treasury deployment is on and needs the commitments file.
    pub fn needs_commitments(&self) -> bool {
        self.treasury_deployment.is_some()
    }

    /// Resolves treasury deployment's sources against the documented commitments (read
    /// from `file`): every named source must be documented there; amounts and delays come
    /// from it.
    pub fn attach_commitments(
        &mut self,
        commitments: &Commitments,
        file: &str,
    ) -> Result<(), InputError> {
        let Some(d) = &mut self.treasury_deployment else {
            return Ok(());
        };
        let resolve = |c: &super::commitments::Commitment| DeploymentSource {
            chain_id: c.chain_id,
            source: c.source.clone(),
            amount_usd: c.amount_usd,
            delay_epochs: (c.availability_lag_epochs + c.bridge_latency_epochs).ceil() as u32,
        };
        d.sources = match &d.requested {
            None => commitments.commitments.iter().map(resolve).collect(),
            Some(list) => list
                .iter()
                .map(|(chain, source)| {
                    commitments
                        .commitments
                        .iter()
                        .find(|c| c.chain_id == *chain && &c.source == source)
                        .map(resolve)
                        .ok_or_else(|| {
                            InputError::new(
                                file,
                                format!(
                                    "the runbook's treasury deployment names `{source}` on chain \
                                     {chain}, which is not a documented commitment"
                                ),
                            )
                            .at("commitments")
                            .hint("deploy only from sources listed in this file")
                        })
                })
                .collect::<Result<_, _>>()?,
        };
        Ok(())
    }
}

/// The policy values the runbook's defaults come from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PolicyDefaults {
    pub circuit_break_deviation: f64,
    pub deviation_threshold: f64,
    pub deployable_cap: f64,
    pub hard_limit: f64,
}

impl PolicyDefaults {
    pub fn of(policy: &Policy) -> Self {
        Self {
            circuit_break_deviation: policy.peg.circuit_break_deviation,
            deviation_threshold: policy.peg.deviation_threshold,
            deployable_cap: policy.leverage.deployable_cap,
            hard_limit: policy.leverage.hard_limit,
        }
    }
}

fn check_throttle(
    c: &Checker,
    raw: &RawRedemptionThrottle,
    at: &str,
) -> Result<Option<RedemptionThrottle>, InputError> {
    if raw.schedule.is_empty() {
        return Err(c.error(
            &format!("{at}.schedule"),
            "expected at least one fee tier ({\"driver\": \"drawdown\", \"above\": 0.05, \"fee\": 0.005})",
        ));
    }
    let mut schedule = Vec::with_capacity(raw.schedule.len());
    for (i, t) in raw.schedule.iter().enumerate() {
        let p = format!("{at}.schedule[{i}]");
        let driver = match c.choice(
            &format!("{p}.driver"),
            &t.driver,
            &["drawdown", "pegDeviation"],
        )? {
            "drawdown" => FeeDriver::Drawdown,
            _ => FeeDriver::PegDeviation,
        };
        let above = c.range(&format!("{p}.above"), t.above, 0.0, 1.0)?;
        let fee = c.range(&format!("{p}.fee"), t.fee, 0.0, 0.5)?;
        schedule.push(FeeTier { driver, above, fee });
    }
    Ok(raw.enabled.then_some(RedemptionThrottle {
        schedule,
        pause_non_essential_outflows: raw.pause_non_essential_outflows,
    }))
}

fn check_deployment(
    c: &Checker,
    raw: &RawTreasuryDeployment,
    at: &str,
) -> Result<Option<TreasuryDeployment>, InputError> {
    let target_reserve_multiple = c.range(
        &format!("{at}.targetReserveMultiple"),
        raw.target_reserve_multiple.unwrap_or(1.0),
        1.0,
        5.0,
    )?;
    let requested = match &raw.sources {
        None => None,
        Some(list) => {
            if list.is_empty() {
                return Err(c.error(
                    &format!("{at}.sources"),
                    "expected at least one source; leave the key out to use every commitment",
                ));
            }
            let mut out: Vec<(u64, String)> = Vec::with_capacity(list.len());
            for (i, s) in list.iter().enumerate() {
                c.name(&format!("{at}.sources[{i}].source"), &s.source)?;
                if out
                    .iter()
                    .any(|(ch, so)| *ch == s.chain_id && so == &s.source)
                {
                    return Err(c.error(
                        &format!("{at}.sources[{i}]"),
                        format!(
                            "`{}` on chain {} is listed twice; a source deploys its commitment once",
                            s.source, s.chain_id
                        ),
                    ));
                }
                out.push((s.chain_id, s.source.clone()));
            }
            Some(out)
        }
    };
    Ok(raw.enabled.then_some(TreasuryDeployment {
        target_reserve_multiple,
        requested,
        sources: Vec::new(),
    }))
}

fn check_breaker(
    c: &Checker,
    raw: &RawPegCircuitBreaker,
    policy: &PolicyDefaults,
    at: &str,
) -> Result<Option<PegCircuitBreaker>, InputError> {
    let trip = c.range(
        &format!("{at}.tripDeviation"),
        raw.trip_deviation.unwrap_or(policy.circuit_break_deviation),
        0.0,
        0.5,
    )?;
    let reset = c.range(
        &format!("{at}.resetDeviation"),
        raw.reset_deviation.unwrap_or(policy.deviation_threshold),
        0.0,
        0.5,
    )?;
    if reset > trip {
        return Err(c.error(
            &format!("{at}.resetDeviation"),
            format!("the reset level {reset} must not exceed the trip level {trip}"),
        ));
    }
    Ok(raw.enabled.then_some(PegCircuitBreaker {
        trip_deviation: trip,
        reset_deviation: reset,
    }))
}

fn check_deleverage(
    c: &Checker,
    raw: &RawDeleverage,
    policy: &PolicyDefaults,
    at: &str,
) -> Result<Option<Deleverage>, InputError> {
    let max_leverage = c.range(
        &format!("{at}.maxLeverage"),
        raw.max_leverage.unwrap_or(policy.deployable_cap),
        1.0,
        policy.hard_limit,
    )?;
    let trigger_drawdown = raw.trigger_drawdown.unwrap_or(DEFAULT_DELEVERAGE_DRAWDOWN);
    if !(trigger_drawdown > 0.0 && trigger_drawdown <= 1.0) {
        return Err(c.error(
            &format!("{at}.triggerDrawdown"),
            format!("expected a drawdown in (0, 1], got {trigger_drawdown}"),
        ));
    }
    let trigger_ltv = match raw.trigger_ltv {
        Some(l) if !(l > 0.0 && l < 1.0) => {
            return Err(c.error(
                &format!("{at}.triggerLtv"),
                format!("expected an LTV in (0, 1), got {l}"),
            ));
        }
        other => other,
    };
    Ok(raw.enabled.then_some(Deleverage {
        max_leverage,
        trigger_drawdown,
        trigger_ltv,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiers() -> RedemptionThrottle {
        RedemptionThrottle {
            schedule: vec![
                FeeTier {
                    driver: FeeDriver::Drawdown,
                    above: 0.05,
                    fee: 0.005,
                },
                FeeTier {
                    driver: FeeDriver::Drawdown,
                    above: 0.10,
                    fee: 0.01,
                },
                FeeTier {
                    driver: FeeDriver::PegDeviation,
                    above: 0.01,
                    fee: 0.0075,
                },
            ],
            pause_non_essential_outflows: true,
        }
    }

    #[test]
    fn fee_is_the_highest_tier_whose_driver_is_above_its_level() {
        let t = tiers();
        assert_eq!(t.fee(0.0, 0.0), 0.0);
        assert_eq!(t.fee(0.05, 0.0), 0.0);
        assert_eq!(t.fee(0.06, 0.0), 0.005);
        assert_eq!(t.fee(0.06, 0.02), 0.0075);
        assert_eq!(t.fee(0.2, 0.02), 0.01);
    }

    #[test]
    fn modes_reject_keys_of_other_modes_and_bad_ranges() {
        let raw = |mode: &str, c: Option<f64>| RawAllocation {
            mode: mode.into(),
            moving_average_epochs: None,
            volatile_asset_risk: None,
            concentration: c,
        };
        assert_eq!(
            AllocationMode::check(None, "s.json").unwrap(),
            AllocationMode::Fixed
        );
        assert!(AllocationMode::check(Some(&raw("endogenous", Some(3.0))), "s.json").is_err());
        assert!(AllocationMode::check(Some(&raw("dirichlet", Some(0.0))), "s.json").is_err());
        let err = AllocationMode::check(Some(&raw("dirichlet", Some(-1.0))), "s.json")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("capitalEfficiency.allocation.concentration"),
            "{err}"
        );
        assert!(AllocationMode::check(Some(&raw("endogenus", None)), "s.json").is_err());
        assert_eq!(
            AllocationMode::check(Some(&raw("dirichlet", None)), "s.json").unwrap(),
            AllocationMode::Dirichlet {
                concentration: DEFAULT_CONCENTRATION
            }
        );
    }
}

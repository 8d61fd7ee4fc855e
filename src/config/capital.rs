//! The scenario's `capitalEfficiency` block: serde mirror with documented defaults, and
//! its check into the validated model parameters the capital overlay runs on.

use serde::{Deserialize, Serialize};

use super::check::Checker;
use super::policy::Policy;
use crate::error::InputError;
use crate::model::ParamError;
use crate::model::capital::SleeveParams;
use crate::model::peg::PegParams;
use crate::model::redemptions::RedemptionParams;
use crate::model::volatility::VolatilityParams;

/// `capitalEfficiency`: the treasury's capital assumptions.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct RawCapital {
    /// Total capital `T_0`, USD.
    pub initial_capital_usd: f64,
    /// `alpha`: yield sleeve equity as a share of `T`.
    pub alpha: f64,
    /// PMM inventory `M` as a share of the rest `(1 - alpha) T`; `R` gets the remainder.
    pub pmm_share: f64,
    /// `L`: sleeve leverage `C / Y`, x.
    pub leverage: f64,
    /// Quoted spread, bps; pools charge half of it per swap. Default: the policy's target low end.
    pub spread_bps: Option<f64>,
    /// Gate `roi_p05 >= roiP05Min` applies (a deployable profile, not a stress test).
    pub deployable_profile: bool,
    /// Yield earned by the external liquidity reserve `R`, per year.
    pub reserve_apr: f64,
    /// Rebalancing time scale, days: rate `rho = min(1, sqrt(dt / duration))`.
    pub rebalance_duration_days: f64,
    /// Most of `T` the floor clamp may unwind from the sleeve in one epoch, share.
    pub unwind_capacity: f64,
    /// Cost of moving money out of `M` or `R`, bps of the amount.
    pub transfer_cost_bps: f64,
    /// Share of redemptions sold on the market instead of redeemed at par (peg pressure).
    pub redemption_market_share: f64,
    /// Volatility drag coefficient `c_lvr`: drag = `c_lvr sigma^2 dt M` per epoch.
    pub lvr_coefficient: f64,
    /// Yield sleeve.
    pub sleeve: RawSleeve,
    /// External asset (driver of collateral returns).
    pub external_asset: RawExternalAsset,
    /// Volatility process.
    pub volatility: RawVolatility,
    /// Peg process.
    pub peg: RawPeg,
    /// Redemption process.
    pub redemptions: RawRedemptions,
}

impl Default for RawCapital {
    fn default() -> Self {
        Self {
            initial_capital_usd: 100_000_000.0,
            alpha: 0.6,
            pmm_share: 0.4,
            leverage: 1.5,
            spread_bps: None,
            deployable_profile: false,
            reserve_apr: 0.03,
            rebalance_duration_days: 7.0,
            unwind_capacity: 0.05,
            transfer_cost_bps: 2.0,
            redemption_market_share: 0.3,
            lvr_coefficient: 0.02,
            sleeve: RawSleeve::default(),
            external_asset: RawExternalAsset::default(),
            volatility: RawVolatility::default(),
            peg: RawPeg::default(),
            redemptions: RawRedemptions::default(),
        }
    }
}

/// Yield sleeve parameters.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct RawSleeve {
    /// Yield on collateral, per year.
    pub yield_apr: f64,
    /// Interest on debt, per year.
    pub borrow_apr: f64,
    /// Collateral return per unit of external-asset return.
    pub collateral_beta: f64,
    /// Share of collateral sold lost on liquidation.
    pub liquidation_penalty: f64,
    /// Cost of selling collateral when deleveraging or unwinding, bps.
    pub unwind_cost_bps: f64,
}

impl Default for RawSleeve {
    fn default() -> Self {
        Self {
            yield_apr: 0.075,
            borrow_apr: 0.04,
            collateral_beta: 0.08,
            liquidation_penalty: 0.05,
            unwind_cost_bps: 20.0,
        }
    }
}

/// The external asset.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct RawExternalAsset {
    /// Drift, per year.
    pub drift_apr: f64,
}

impl Default for RawExternalAsset {
    fn default() -> Self {
        Self { drift_apr: 0.0 }
    }
}

/// Mean-reverting volatility (annualised sigma, per-epoch reversion and noise).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct RawVolatility {
    /// Starting sigma.
    pub sigma0: f64,
    /// Long-run sigma `sigma_bar`.
    pub sigma_bar: f64,
    /// Reversion per epoch `kappa`, in (0, 2).
    pub kappa: f64,
    /// Noise per epoch `eta`.
    pub eta: f64,
    /// Floor.
    pub sigma_floor: f64,
}

impl Default for RawVolatility {
    fn default() -> Self {
        Self {
            sigma0: 0.35,
            sigma_bar: 0.35,
            kappa: 0.05,
            eta: 0.02,
            sigma_floor: 0.05,
        }
    }
}

/// Peg dynamics.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct RawPeg {
    /// Starting peg `P_0`.
    pub p0: f64,
    /// Price impact per unit of imbalance `beta`.
    pub beta: f64,
    /// Arbitrage strength with a well-stocked reserve, per epoch.
    pub arb_max: f64,
    /// Arbitrage strength with an empty reserve, per epoch.
    pub arb_min: f64,
    /// Noise per epoch.
    pub noise_sd: f64,
    /// Reserve counts as fully stocked at this multiple of the floor amount.
    pub reserve_reference: f64,
}

impl Default for RawPeg {
    fn default() -> Self {
        Self {
            p0: 1.0,
            beta: 0.5,
            arb_max: 0.6,
            arb_min: 0.05,
            noise_sd: 0.001,
            reserve_reference: 1.5,
        }
    }
}

/// Self-exciting redemptions.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct RawRedemptions {
    /// Calm outflow, share of `T` per year.
    pub base_rate_apr: f64,
    /// Baseline intensity of heavy-redemption days, per year.
    pub mu: f64,
    /// Jump of the intensity per heavy day, per year.
    pub excitation: f64,
    /// Decay of the excitation, per year.
    pub decay: f64,
    /// Share of `T` redeemed on a heavy day.
    pub event_size: f64,
    /// Intensity multiplier per 1% of peg discount.
    pub peg_sensitivity: f64,
}

impl Default for RawRedemptions {
    fn default() -> Self {
        Self {
            base_rate_apr: 0.005,
            mu: 0.5,
            excitation: 20.0,
            decay: 50.0,
            event_size: 0.005,
            peg_sensitivity: 0.5,
        }
    }
}

/// The checked capital assumptions.
#[derive(Debug, Clone)]
pub struct CapitalSpec {
    pub initial_capital: f64,
    pub alpha: f64,
    pub pmm_share: f64,
    pub leverage: f64,
    pub spread_bps: f64,
    pub deployable_profile: bool,
    pub reserve_apr: f64,
    /// Rebalance rate per epoch.
    pub rebalance_rate: f64,
    pub unwind_capacity: f64,
    /// Fraction.
    pub transfer_cost: f64,
    pub redemption_market_share: f64,
    pub lvr_coefficient: f64,
    pub drift: f64,
    pub sigma0: f64,
    pub p0: f64,
    pub sleeve: SleeveParams,
    pub volatility: VolatilityParams,
    pub peg: PegParams,
    pub redemptions: RedemptionParams,
}

fn param(c: &Checker, prefix: &str) -> impl Fn(ParamError) -> InputError {
    let file = c.file.to_string();
    let prefix = prefix.to_string();
    move |e| InputError::new(file.clone(), e.message).at(format!("{prefix}.{}", e.field))
}

impl CapitalSpec {
    /// Validates the block (found at `capitalEfficiency` in `file`) against the policy.
    pub fn check(
        raw: &RawCapital,
        policy: &Policy,
        dt: f64,
        file: &str,
    ) -> Result<Self, InputError> {
        let c = Checker::new(file);
        let at = |k: &str| format!("capitalEfficiency.{k}");
        c.positive(&at("initialCapitalUsd"), raw.initial_capital_usd)?;
        c.range(&at("alpha"), raw.alpha, 0.0, 1.0)?;
        c.range(&at("pmmShare"), raw.pmm_share, 0.0, 1.0)?;
        let hard = policy.leverage.hard_limit;
        if !(raw.leverage >= 1.0 && raw.leverage <= hard) {
            return Err(c.error(
                &at("leverage"),
                format!(
                    "expected a leverage in [1, {hard}] (the policy's hard limit), got {}",
                    raw.leverage
                ),
            ));
        }
        let spread_bps = match raw.spread_bps {
            Some(s) => c.range(&at("spreadBps"), s, 0.0, policy.spread.ceiling_bps)?,
            None => policy.default_spread_bps(),
        };
        let reserve_share = (1.0 - raw.alpha) * (1.0 - raw.pmm_share);
        if reserve_share < policy.external_liquidity_floor {
            return Err(c.error(
                &at("pmmShare"),
                format!(
                    "the reserve target (1 - alpha)(1 - pmmShare) = {reserve_share:.4} is below the policy's external liquidity floor {}",
                    policy.external_liquidity_floor
                ),
            ));
        }
        c.range(&at("reserveApr"), raw.reserve_apr, -1.0, 1.0)?;
        c.positive(&at("rebalanceDurationDays"), raw.rebalance_duration_days)?;
        c.range(&at("unwindCapacity"), raw.unwind_capacity, 0.0, 1.0)?;
        c.range(&at("transferCostBps"), raw.transfer_cost_bps, 0.0, 10_000.0)?;
        c.range(
            &at("redemptionMarketShare"),
            raw.redemption_market_share,
            0.0,
            1.0,
        )?;
        c.range(&at("lvrCoefficient"), raw.lvr_coefficient, 0.0, 10.0)?;
        c.range(
            &at("externalAsset.driftApr"),
            raw.external_asset.drift_apr,
            -1.0,
            1.0,
        )?;
        let s = &raw.sleeve;
        let sleeve = SleeveParams::new(
            s.yield_apr,
            s.borrow_apr,
            s.collateral_beta,
            policy.ltv.hard_ceiling,
            s.liquidation_penalty,
            c.range(&at("sleeve.unwindCostBps"), s.unwind_cost_bps, 0.0, 5_000.0)? / 1e4,
        )
        .map_err(param(&c, "capitalEfficiency.sleeve"))?;
        let v = &raw.volatility;
        c.non_negative(&at("volatility.sigma0"), v.sigma0)?;
        let volatility = VolatilityParams::new(v.sigma_bar, v.kappa, v.eta, v.sigma_floor)
            .map_err(param(&c, "capitalEfficiency.volatility"))?;
        let p = &raw.peg;
        c.range(&at("peg.p0"), p.p0, 0.5, 1.5)?;
        let peg = PegParams::new(
            p.beta,
            p.arb_max,
            p.arb_min,
            p.noise_sd,
            p.reserve_reference,
        )
        .map_err(param(&c, "capitalEfficiency.peg"))?;
        let r = &raw.redemptions;
        let redemptions = RedemptionParams::new(
            r.base_rate_apr,
            r.mu,
            r.excitation,
            r.decay,
            r.event_size,
            r.peg_sensitivity,
        )
        .map_err(param(&c, "capitalEfficiency.redemptions"))?;
        redemptions
            .check_dt(dt)
            .map_err(param(&c, "capitalEfficiency.redemptions"))?;
        Ok(Self {
            initial_capital: raw.initial_capital_usd,
            alpha: raw.alpha,
            pmm_share: raw.pmm_share,
            leverage: raw.leverage,
            spread_bps,
            deployable_profile: raw.deployable_profile,
            reserve_apr: raw.reserve_apr,
            rebalance_rate: crate::model::capital::rebalance_rate(
                dt,
                raw.rebalance_duration_days / 365.0,
            ),
            unwind_capacity: raw.unwind_capacity,
            transfer_cost: raw.transfer_cost_bps / 1e4,
            redemption_market_share: raw.redemption_market_share,
            lvr_coefficient: raw.lvr_coefficient,
            drift: raw.external_asset.drift_apr,
            sigma0: v.sigma0,
            p0: p.p0,
            sleeve,
            volatility,
            peg,
            redemptions,
        })
    }
}

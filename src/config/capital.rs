//! The checked `capitalEfficiency` block: `RawCapital` validated against the policy into
//! the parameters the capital overlay runs on.

use super::check::Checker;
use super::params::{
    GarchParams, JumpParams, ParamError, PegParams, RedemptionParams, SleeveInputs, SleeveParams,
    VolatilityModel, VolatilityParams, rebalance_rate,
};
use super::policy::Policy;
use super::raw::{RawCapital, RawCollateralComponent, RawVolatility};
use super::runbook::{AllocationMode, PolicyDefaults, Runbook};
use crate::error::InputError;

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
    pub volatility: VolatilityModel,
    pub peg: PegParams,
    pub redemptions: RedemptionParams,
    /// How the rebalancer's targets are set.
    pub allocation: AllocationMode,
    /// The runbook actions: the policy's, replaced action by action by the scenario's.
    pub runbook: Runbook,
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
        let entry_ltv = entry_ltv(raw.leverage);
        if entry_ltv > policy.ltv.default_max {
            return Err(c.error(
                &at("leverage"),
                format!(
                    "leverage {} opens at LTV {entry_ltv:.4}, above the policy's maximum LTV {} \
                     (ltv.defaultMax); the sleeve may never operate above it",
                    raw.leverage, policy.ltv.default_max
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
        let (external_share, stable_volatility) = check_collateral(&c, &s.collateral)?;
        c.range(&at("sleeve.maxUnwindShare"), s.max_unwind_share, 0.0, 1.0)?;
        c.positive(
            &at("externalAsset.depth2PctUsd"),
            raw.external_asset.depth_2pct_usd,
        )?;
        let sleeve = SleeveParams::new(SleeveInputs {
            yield_apr: s.yield_apr,
            borrow_apr: s.borrow_apr,
            external_share,
            stable_volatility,
            hard_ltv: policy.ltv.hard_ceiling,
            liquidation: policy.liquidation.clone(),
            unwind_cost: c.range(&at("sleeve.unwindCostBps"), s.unwind_cost_bps, 0.0, 5_000.0)?
                / 1e4,
            max_unwind_share: s.max_unwind_share,
            depth_2pct_usd: raw.external_asset.depth_2pct_usd,
        })
        .map_err(param(&c, "capitalEfficiency.sleeve"))?;
        let v = &raw.volatility;
        c.non_negative(&at("volatility.sigma0"), v.sigma0)?;
        let volatility = check_volatility(&c, v, dt)?;
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
        let allocation = AllocationMode::check(raw.allocation.as_ref(), file)?;
        let runbook = Runbook::check(
            raw.runbook.as_ref(),
            &policy.runbook,
            &PolicyDefaults::of(policy),
            "capitalEfficiency.runbook",
            file,
        )?;
        Ok(Self {
            initial_capital: raw.initial_capital_usd,
            alpha: raw.alpha,
            pmm_share: raw.pmm_share,
            leverage: raw.leverage,
            spread_bps,
            deployable_profile: raw.deployable_profile,
            reserve_apr: raw.reserve_apr,
            rebalance_rate: rebalance_rate(dt, raw.rebalance_duration_days / 365.0),
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
            allocation,
            runbook,
        })
    }
}

/// Checks `volatility`: the model's name, its own keys (required) and no key of another
/// model (the OU keys may only keep their defaults under `garch` and `jump`).
fn check_volatility(
    c: &Checker,
    v: &RawVolatility,
    dt: f64,
) -> Result<VolatilityModel, InputError> {
    let at = |k: &str| format!("capitalEfficiency.volatility.{k}");
    let model = match &v.model {
        Some(m) => c.choice(&at("model"), m, &["ou", "garch", "jump"])?,
        None => "ou",
    };
    let garch = [("omega", v.omega), ("alpha", v.alpha), ("beta", v.beta)];
    let jump = [
        ("jumpIntensity", v.jump_intensity),
        ("jumpMean", v.jump_mean),
        ("jumpSd", v.jump_sd),
    ];
    let defaults = RawVolatility::default();
    let ou = [
        ("sigmaBar", v.sigma_bar, defaults.sigma_bar),
        ("kappa", v.kappa, defaults.kappa),
        ("eta", v.eta, defaults.eta),
        ("sigmaFloor", v.sigma_floor, defaults.sigma_floor),
    ];
    let foreign = |keys: &[(&str, Option<f64>)], owner: &str| -> Result<(), InputError> {
        match keys.iter().find(|(_, value)| value.is_some()) {
            Some((key, _)) => Err(c.error(
                &at(key),
                format!("`{key}` belongs to volatility model `{owner}`, not `{model}`; remove it or set \"model\": \"{owner}\""),
            )),
            None => Ok(()),
        }
    };
    let required = |keys: &[(&str, Option<f64>)], i: usize| -> Result<f64, InputError> {
        let (key, value) = keys[i];
        value.ok_or_else(|| {
            c.error(
                &at(key),
                format!("volatility model `{model}` needs `{key}` (a number)"),
            )
        })
    };
    if model != "ou"
        && let Some((key, _, _)) = ou.iter().find(|(_, value, default)| value != default)
    {
        return Err(c.error(
            &at(key),
            format!("`{key}` belongs to volatility model `ou`, not `{model}`; remove it"),
        ));
    }
    let to_path = param(c, "capitalEfficiency.volatility");
    match model {
        "garch" => {
            foreign(&jump, "jump")?;
            GarchParams::new(
                required(&garch, 0)?,
                required(&garch, 1)?,
                required(&garch, 2)?,
            )
            .map(VolatilityModel::Garch)
            .map_err(to_path)
        }
        "jump" => {
            foreign(&garch, "garch")?;
            let params = JumpParams::new(
                v.sigma0,
                required(&jump, 0)?,
                required(&jump, 1)?,
                required(&jump, 2)?,
            )
            .map_err(to_path)?;
            // The Poisson draw is exact up to 64 jumps an epoch: keep lambda dt well below.
            if params.intensity() * dt > 5.0 {
                return Err(c.error(
                    &at("jumpIntensity"),
                    format!(
                        "jumpIntensity * dt must be <= 5 jumps per epoch, got {} * {dt}",
                        params.intensity()
                    ),
                ));
            }
            Ok(VolatilityModel::Jump(params))
        }
        _ => {
            foreign(&garch, "garch")?;
            foreign(&jump, "jump")?;
            VolatilityParams::new(v.sigma_bar, v.kappa, v.eta, v.sigma_floor)
                .map(VolatilityModel::Ou)
                .map_err(to_path)
        }
    }
}

/// Checks `sleeve.collateral`: known assets, each at most once, shares in [0, 1] summing
/// to 1, a volatility only on the stable component. Returns the external share and the
/// stable component's volatility.
fn check_collateral(
    c: &Checker,
    components: &[RawCollateralComponent],
) -> Result<(f64, f64), InputError> {
    let at = |i: usize, field: &str| format!("capitalEfficiency.sleeve.collateral[{i}]{field}");
    let (mut external, mut stable) = (None, None);
    for (i, part) in components.iter().enumerate() {
        let asset = c.choice(&at(i, ".asset"), &part.asset, &["external", "stable"])?;
        c.range(&at(i, ".share"), part.share, 0.0, 1.0)?;
        let slot = if asset == "external" {
            &mut external
        } else {
            &mut stable
        };
        if slot.is_some() {
            return Err(c.error(
                &at(i, ".asset"),
                format!("`{asset}` is listed twice; give each asset once"),
            ));
        }
        match (asset, part.volatility) {
            ("external", Some(_)) => {
                return Err(c.error(
                    &at(i, ".volatility"),
                    "the external component moves with the external asset; remove its volatility",
                ));
            }
            ("stable", Some(v)) => {
                c.range(&at(i, ".volatility"), v, 0.0, 1.0)?;
            }
            _ => {}
        }
        *slot = Some(part);
    }
    let total: f64 = components.iter().map(|p| p.share).sum();
    if components.is_empty() || (total - 1.0).abs() > 1e-9 {
        return Err(c.error(
            "capitalEfficiency.sleeve.collateral",
            format!("expected components whose shares sum to 1, got a sum of {total}"),
        ));
    }
    Ok((
        external.map_or(0.0, |p| p.share),
        stable.and_then(|p| p.volatility).unwrap_or(0.0),
    ))
}

/// The LTV `D / C = (L - 1) / L` a sleeve at leverage `L` opens at.
pub fn entry_ltv(leverage: f64) -> f64 {
    (leverage - 1.0) / leverage
}

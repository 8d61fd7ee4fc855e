//! Serde mirror of a scenario's `capitalEfficiency` block, with its documented defaults.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `capitalEfficiency`: the treasury's capital assumptions.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
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
    /// How the rebalancer's targets are set; absent: fixed at `alpha` and `pmmShare`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allocation: Option<super::runbook::RawAllocation>,
    /// Runbook actions of this scenario; each action given here replaces the policy's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runbook: Option<super::runbook::RawRunbook>,
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
            allocation: None,
            runbook: None,
        }
    }
}

/// Yield sleeve parameters.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct RawSleeve {
    /// Yield on collateral, per year.
    pub yield_apr: f64,
    /// Interest on debt, per year.
    pub borrow_apr: f64,
    /// What the collateral is: components whose shares sum to 1.
    pub collateral: Vec<RawCollateralComponent>,
    /// Cost of selling collateral when deleveraging or unwinding, bps.
    pub unwind_cost_bps: f64,
    /// Most of the collateral a deleveraging sells in one epoch, share.
    pub max_unwind_share: f64,
}

impl Default for RawSleeve {
    fn default() -> Self {
        Self {
            yield_apr: 0.035,
            borrow_apr: 0.049,
            collateral: vec![
                RawCollateralComponent {
                    asset: "external".into(),
                    share: 0.25,
                    volatility: None,
                },
                RawCollateralComponent {
                    asset: "stable".into(),
                    share: 0.75,
                    volatility: Some(0.02),
                },
            ],
            unwind_cost_bps: 20.0,
            max_unwind_share: 0.25,
        }
    }
}

/// One collateral component: `external` moves one for one with the external asset (its
/// volatility and crashes); `stable` has its own small volatility.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RawCollateralComponent {
    /// `external` or `stable`.
    #[schemars(extend("enum" = ["external", "stable"]))]
    pub asset: String,
    /// Share of the collateral's value, in [0, 1].
    pub share: f64,
    /// Annualised volatility of a `stable` component (not allowed on `external`, which
    /// uses the external asset's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volatility: Option<f64>,
}

/// The external asset.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct RawExternalAsset {
    /// Drift, per year.
    pub drift_apr: f64,
    /// Market depth: USD of the asset sold that moves its price 2%.
    #[serde(rename = "depth2PctUsd")]
    pub depth_2pct_usd: f64,
}

impl Default for RawExternalAsset {
    fn default() -> Self {
        Self {
            drift_apr: 0.0,
            depth_2pct_usd: 100_000_000.0,
        }
    }
}

/// The external asset's volatility model: `ou` (default; mean-reverting annualised sigma,
/// per-epoch reversion and noise), `garch` (GARCH(1,1) on the asset's log returns) or
/// `jump` (Merton's jump diffusion).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct RawVolatility {
    /// `ou` (default), `garch` or `jump`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(extend("enum" = ["ou", "garch", "jump"]))]
    pub model: Option<String>,
    /// Starting sigma (annualised); under `jump` the constant diffusion volatility.
    pub sigma0: f64,
    /// `ou`: long-run sigma `sigma_bar`.
    pub sigma_bar: f64,
    /// `ou`: reversion per epoch `kappa`, in (0, 2).
    pub kappa: f64,
    /// `ou`: noise per epoch `eta`.
    pub eta: f64,
    /// `ou`: floor.
    pub sigma_floor: f64,
    /// `garch` (required): constant `omega` of `h' = omega + alpha r^2 + beta h`, per-epoch
    /// variance of the log return, > 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub omega: Option<f64>,
    /// `garch` (required): weight `alpha` of last epoch's squared log-return shock, >= 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alpha: Option<f64>,
    /// `garch` (required): weight `beta` of last epoch's variance, >= 0, alpha + beta < 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beta: Option<f64>,
    /// `jump` (required): jumps per year `lambda`, in [0, 365].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jump_intensity: Option<f64>,
    /// `jump` (required): mean log jump size `mu_J`, in [-3, 3].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jump_mean: Option<f64>,
    /// `jump` (required): standard deviation of the log jump size `delta`, in [0, 3].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jump_sd: Option<f64>,
}

impl Default for RawVolatility {
    fn default() -> Self {
        Self {
            model: None,
            sigma0: 0.80,
            sigma_bar: 0.80,
            kappa: 0.03,
            eta: 0.075,
            sigma_floor: 0.15,
            omega: None,
            alpha: None,
            beta: None,
            jump_intensity: None,
            jump_mean: None,
            jump_sd: None,
        }
    }
}

/// Peg dynamics.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
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
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
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

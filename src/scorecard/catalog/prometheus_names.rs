//! Prometheus metric names that are a contract with other tools: the alerting rules of
//! `pmmsim alert-rules` (`app::alerts`) and the dashboards of
//! `docs/diff-and-dashboard.md` read them. `report::prometheus` exports them; a test there
//! checks every one is exported.

pub const MAX_DRAWDOWN_P95: &str = "pmmsim_max_drawdown_p95_ratio";
pub const LIQUIDATION_PROBABILITY: &str = "pmmsim_liquidation_probability_ratio";
pub const PEG_DEVIATION_FREQUENCY: &str = "pmmsim_peg_deviation_frequency_ratio";
pub const FLOOR_BREACH_PROBABILITY: &str =
    "pmmsim_external_liquidity_floor_breach_probability_ratio";
pub const ROI_P05: &str = "pmmsim_roi_p05_ratio";
pub const GATE_PASS: &str = "pmmsim_gate_pass";
pub const CHURN_MEAN: &str = "pmmsim_churn_mean_ratio";
pub const CHURN_MEAN_STDERR: &str = "pmmsim_churn_mean_stderr_ratio";
pub const POST_BOT_PEAK_DEVIATION_P95: &str = "pmmsim_peak_deviation_post_bot_p95_bps";
pub const CAPTURE_MEAN: &str = "pmmsim_capture_mean_ratio";
pub const THROTTLE_EVENTS_PER_PATH: &str = "pmmsim_volatility_throttle_events_per_path";
pub const THROTTLE_EVENTS_PER_PATH_STDERR: &str =
    "pmmsim_volatility_throttle_events_per_path_stderr";
pub const SPREAD_EVENTS_PER_PATH: &str = "pmmsim_spread_adjustment_events_per_path";
pub const SPREAD_EVENTS_PER_PATH_STDERR: &str = "pmmsim_spread_adjustment_events_per_path_stderr";
pub const COST_PER_1M: &str = "pmmsim_intervention_cost_per_1m_volume_usd";
pub const COST_PER_1M_STDERR: &str = "pmmsim_intervention_cost_per_1m_volume_stderr_usd";
/// When the run that wrote the scorecard started (the freshness rules read it).
pub const RUN_STARTED: &str = "pmmsim_run_started_timestamp_seconds";

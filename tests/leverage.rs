//! Leverage risk against things known: no debt is never liquidated; a crash larger than
//! the collateral buffer liquidates every path; liquidations never fall as leverage or the
//! external collateral share rises (common random numbers); deleveraging keeps LTV above
//! the policy maximum no longer than the unwind allows; and the barrier-crossing chance
//! matches its closed form in the limit of a single epoch.

use pmmsim::config::raw::RawScenario;
use pmmsim::config::{ConfigSource, Policy, Scenario};
use pmmsim::engine::outcome::CapitalOutcome;
use pmmsim::engine::sweep::run_sweep;
use pmmsim::engine::{Setup, Shard};
use pmmsim::model::overlay::Candidate;

/// The crash scenario cut short after its crash (epoch 120), without the volatility
/// throttle (so the posture is exactly the candidate's), with little order flow, and with
/// a 60% crash: with the crash day's own diffusion (sigma 1.5, a daily sd near 8%) a 40%
/// gap can land anywhere from about -25% to -55%, and these tests need a known breach.
fn crash_setup(paths: u64) -> Setup {
    let (mut raw, mut policy) = crash_inputs();
    policy.volatility.sigma_crit = 100.0;
    policy.breaker.soft.thresholds.enter_sigma = 100.0;
    policy.breaker.soft.thresholds.exit_sigma = 100.0;
    raw.monte_carlo.paths = paths;
    raw.monte_carlo.epochs = 125;
    raw.order_flow.trades_per_epoch = 4;
    for shock in raw.shocks.iter_mut().filter(|s| s.kind == "crash") {
        shock.drop = Some(0.6);
    }
    checked_setup(raw, policy)
}

/// The shipped crash scenario and policy, before any edit.
fn crash_inputs() -> (RawScenario, Policy) {
    let source = ConfigSource::default();
    let policy = source.policy(None).expect("policy");
    let text = source
        .scenario_text("crash_40pct_external_asset")
        .expect("scenario");
    let raw = pmmsim::config::parse::parse_json(&text.text, &text.display).expect("parse");
    (raw, policy)
}

/// Checks an edited scenario against the shipped deployment and builds its setup.
fn checked_setup(raw: RawScenario, policy: Policy) -> Setup {
    let deployment = ConfigSource::default().deployment().expect("deployment");
    let scenario = Scenario::check(raw, &deployment, &policy, "test").expect("valid");
    Setup::new(scenario, policy).expect("setup builds")
}

fn candidate(setup: &Setup, leverage: f64, external_share: f64) -> Candidate {
    Candidate {
        leverage,
        external_share,
        ..setup.default_candidate().expect("capital scenario")
    }
}

/// Per candidate, every path's outcome.
fn outcomes(setup: &Setup, candidates: &[Candidate]) -> Vec<Vec<CapitalOutcome>> {
    let paths = setup.scenario.monte_carlo.paths;
    let batches = run_sweep(setup, candidates, Shard::ALL.path_range(paths), &|_| {});
    let mut per = vec![Vec::new(); candidates.len()];
    for path in batches.iter().flatten() {
        for (c, o) in path.iter().enumerate() {
            per[c].push(o.clone());
        }
    }
    per
}

fn liquidated(outcomes: &[CapitalOutcome]) -> usize {
    outcomes.iter().filter(|o| o.liquidated).count()
}

#[test]
fn no_debt_is_never_liquidated_whatever_the_crash() {
    let s = crash_setup(64);
    let per = outcomes(&s, &[candidate(&s, 1.0, 1.0), candidate(&s, 1.0, 0.0)]);
    for o in per.iter().flatten() {
        assert_eq!(o.liquidations, 0);
        assert!(!o.liquidated && o.first_liquidation_epoch.is_none());
    }
}

#[test]
fn a_crash_beyond_the_buffer_liquidates_every_path() {
    // 2x opens at LTV 0.5; a 60% gap (less at most ~25% of the day's own move) in
    // all-external collateral lifts it to at least about 0.77, past the 0.75 ceiling.
    let s = crash_setup(64);
    let per = outcomes(&s, &[candidate(&s, 2.0, 1.0)]);
    assert_eq!(liquidated(&per[0]), per[0].len());
    for o in &per[0] {
        let first = o.first_liquidation_epoch.expect("liquidated");
        assert!(first <= 120, "first liquidation at epoch {first}");
        assert!(o.collateral_seized > 0.0);
    }
    // All-stable collateral at the same leverage survives the same crash.
    let safe = outcomes(&s, &[candidate(&s, 2.0, 0.0)]);
    assert_eq!(liquidated(&safe[0]), 0);
}

#[test]
fn liquidations_never_fall_as_leverage_or_external_share_rises() {
    let s = crash_setup(128);
    let leverage = [1.0, 1.5, 2.0, 2.5];
    let shares = [0.0, 0.25, 0.5, 0.75, 1.0];
    let grid: Vec<Candidate> = leverage
        .iter()
        .flat_map(|&l| shares.iter().map(move |&e| (l, e)))
        .map(|(l, e)| candidate(&s, l, e))
        .collect();
    let per = outcomes(&s, &grid);
    let count = |li: usize, ei: usize| liquidated(&per[li * shares.len() + ei]);
    for li in 0..leverage.len() {
        for ei in 0..shares.len() {
            if li > 0 {
                assert!(
                    count(li, ei) >= count(li - 1, ei),
                    "leverage {li} share {ei}"
                );
            }
            if ei > 0 {
                assert!(
                    count(li, ei) >= count(li, ei - 1),
                    "leverage {li} share {ei}"
                );
            }
        }
    }
    // The grid spans both regimes: none at 1x, every path at 2.5x all external.
    assert_eq!(count(0, shares.len() - 1), 0);
    assert_eq!(count(leverage.len() - 1, shares.len() - 1), 128);
}

#[test]
fn ltv_stays_above_the_maximum_no_longer_than_the_unwind_allows() {
    // 2x at an external share of 0.5: the 60% crash lifts LTV from 0.5 to about 0.71
    // (above the 0.65 maximum, below the 0.75 ceiling). Selling 25% of the collateral, the
    // most one epoch allows, takes it to (0.5 - 0.175) / (0.7 - 0.175) = 0.62, so no
    // survivor may end an epoch above the maximum.
    let s = crash_setup(128);
    let per = outcomes(&s, &[candidate(&s, 2.0, 0.5)]);
    assert!(
        liquidated(&per[0]) < per[0].len(),
        "some paths must survive"
    );
    for o in per[0].iter().filter(|o| !o.liquidated) {
        assert_eq!(o.epochs_above_max_ltv, 0);
    }
}

/// Standard normal CDF (Abramowitz and Stegun 7.1.26 through erf; error below 1.5e-7).
fn normal_cdf(x: f64) -> f64 {
    let z = x.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * z);
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erf = 1.0 - poly * (-z * z).exp();
    if x >= 0.0 {
        0.5 * (1.0 + erf)
    } else {
        0.5 * (1.0 - erf)
    }
}

#[test]
fn one_epoch_liquidation_probability_matches_the_barrier_closed_form() {
    // One 30-day epoch at a known, constant volatility, all-external collateral, no
    // yield, interest, drift, flow, shocks or redemptions, at 2.5x (LTV 0.6): the path is
    // liquidated exactly when the collateral's log value, a Brownian motion with drift
    // -sigma^2/2, touches ln(0.6 / 0.75) within the epoch. The first-passage probability of
    // a drifting Brownian motion below b < 0 by time T (reflection principle) is
    // N((b - mT) / (s sqrt T)) + exp(2 m b / s^2) N((b + mT) / (s sqrt T)).
    let (mut raw, policy) = crash_inputs();
    let paths = 4_000;
    let sigma: f64 = 0.8;
    raw.monte_carlo.paths = paths;
    raw.monte_carlo.epochs = 1;
    raw.monte_carlo.epoch_days = 30.0;
    raw.order_flow.trades_per_epoch = 0;
    raw.shocks.clear();
    let cap = raw.capital_efficiency.as_mut().expect("capital block");
    cap.volatility.sigma0 = sigma;
    cap.volatility.sigma_bar = sigma;
    cap.volatility.eta = 0.0;
    cap.sleeve.yield_apr = 0.0;
    cap.sleeve.borrow_apr = 0.0;
    cap.reserve_apr = 0.0;
    cap.external_asset.drift_apr = 0.0;
    cap.redemptions.base_rate_apr = 0.0;
    cap.redemptions.mu = 0.0;
    cap.redemptions.excitation = 0.0;
    cap.redemptions.decay = 1.0;
    let s = checked_setup(raw, policy);
    let per = outcomes(&s, &[candidate(&s, 2.5, 1.0)]);
    let p_sim = liquidated(&per[0]) as f64 / paths as f64;

    let t: f64 = 30.0 / 365.0;
    let (m, b) = (-0.5 * sigma * sigma, (0.6_f64 / 0.75).ln());
    let sd = sigma * t.sqrt();
    let p_closed = normal_cdf((b - m * t) / sd)
        + (2.0 * m * b / (sigma * sigma)).exp() * normal_cdf((b + m * t) / sd);
    let se = (p_closed * (1.0 - p_closed) / paths as f64).sqrt();
    assert!(
        (p_sim - p_closed).abs() <= 4.0 * se,
        "simulated {p_sim}, closed form {p_closed} (se {se})"
    );
    // Without the bridge (only end-of-epoch breaches) the estimate would be about half.
    let p_end_only = normal_cdf((b - m * t) / sd);
    assert!(
        p_sim - p_end_only > 8.0 * se,
        "{p_sim} vs end-only {p_end_only}"
    );
}

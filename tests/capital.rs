//! Capital overlay tests against things known: the deterministic compounding limit, the
//! time-weighted return's two limits (no redemptions; redemptions at no cost), the PnL
//! attribution identity, common-random-number monotonicity of liquidations in the
//! crash scenario, and the sweep reproducing single-candidate runs bit for bit.

mod common;

use common::tol;
use pmmsim::config::raw::RawScenario;
use pmmsim::config::{ConfigSource, Policy, Scenario};
use pmmsim::engine::path::{PathScratch, simulate_path};
use pmmsim::engine::sweep::run_sweep;
use pmmsim::engine::{BatchTotals, Setup, Shard};
use pmmsim::model::overlay::{Candidate, Term};

fn load(name: &str) -> (RawScenario, Policy, pmmsim::config::Deployment) {
    let source = ConfigSource::default();
    let policy = source.policy(None).expect("policy");
    let deployment = source.deployment().expect("deployment");
    let text = source.scenario_text(name).expect("scenario");
    let raw: RawScenario =
        pmmsim::config::parse::parse_json(&text.text, &text.display).expect("parse");
    (raw, policy, deployment)
}

fn setup(raw: RawScenario, policy: Policy, deployment: &pmmsim::config::Deployment) -> Setup {
    let scenario = Scenario::check(raw, deployment, &policy, "test").expect("valid scenario");
    Setup::new(scenario, policy).expect("setup builds")
}

fn run_one(setup: &Setup, index: u64, candidate: Candidate) -> pmmsim::engine::PathOutcome {
    let g = &setup.graph;
    let mut totals = BatchTotals::new(g.pools.len(), g.chains.len(), g.links.len());
    let mut scratch = PathScratch::new(setup);
    simulate_path(setup, index, Some(candidate), &mut scratch, &mut totals)
}

/// The chain138 scenario with every source of noise, flow, shock and cost switched off,
/// and allocation rebalanced to its targets every epoch: each epoch then grows capital by
/// the same factor `1 + g`. Returns the setup and `g`.
fn deterministic(redemption_rate_apr: f64) -> (Setup, f64) {
    let (mut raw, policy, deployment) = load("chain138_deployed_capital_efficiency");
    raw.order_flow.trades_per_epoch = 0;
    raw.shocks.clear();
    raw.monte_carlo.epochs = 100;
    let cap = raw.capital_efficiency.as_mut().expect("capital block");
    cap.volatility.sigma0 = 0.0;
    cap.volatility.sigma_bar = 1e-12;
    cap.volatility.sigma_floor = 0.0;
    cap.volatility.eta = 0.0;
    cap.peg.noise_sd = 0.0;
    cap.redemptions.base_rate_apr = redemption_rate_apr;
    cap.redemptions.mu = 0.0;
    cap.lvr_coefficient = 0.0;
    cap.transfer_cost_bps = 0.0;
    cap.sleeve.unwind_cost_bps = 0.0;
    for part in &mut cap.sleeve.collateral {
        if part.volatility.is_some() {
            part.volatility = Some(0.0);
        }
    }
    cap.rebalance_duration_days = 1e-6;
    let (alpha, lev, share) = (cap.alpha, cap.leverage, cap.pmm_share);
    let (y, b, ra) = (cap.sleeve.yield_apr, cap.sleeve.borrow_apr, cap.reserve_apr);
    let dt = 1.0 / 365.0;
    let g = dt * (alpha * lev * y - alpha * (lev - 1.0) * b + (1.0 - alpha) * (1.0 - share) * ra);
    (setup(raw, policy, &deployment), g)
}

#[test]
fn no_noise_no_shocks_no_flow_compounds_in_closed_form() {
    let (s, g) = deterministic(0.0);
    let c = s.default_candidate().expect("capital");
    let out = run_one(&s, 0, c).capital.expect("capital outcome");
    let expected = (1.0 + g).powi(100) - 1.0;
    assert!(
        (out.roi - expected).abs() <= tol::CLOSED_FORM_REL * expected.abs(),
        "roi {} vs closed form {expected}",
        out.roi
    );
    assert_eq!(out.redemptions, 0.0);
    assert_eq!(out.max_drawdown, 0.0);
    assert!(!out.liquidated);
}

#[test]
fn redemptions_paid_at_par_leave_the_time_weighted_return_unchanged() {
    // The same world with a heavy redemption rate and no cost of meeting it: capital
    // shrinks, but every epoch still earns 1 + g on what remains, so the time-weighted
    // return is the closed form while the change of capital is far below it.
    let (s, g) = deterministic(1.0);
    let c = s.default_candidate().expect("capital");
    let out = run_one(&s, 0, c).capital.expect("capital outcome");
    let expected = (1.0 + g).powi(100) - 1.0;
    assert!(
        out.redemptions
            > 0.1
                * s.scenario
                    .capital
                    .as_ref()
                    .expect("capital")
                    .initial_capital
    );
    assert!(
        (out.roi - expected).abs() <= tol::CLOSED_FORM_REL * expected.abs(),
        "time-weighted roi {} vs closed form {expected}",
        out.roi
    );
    assert!(
        out.capital_return < expected - 0.1,
        "capital shrank: {}",
        out.capital_return
    );
    assert_eq!(out.max_drawdown, 0.0, "no drawdown of the return index");
}

#[test]
fn without_redemptions_the_time_weighted_return_is_the_change_of_capital() {
    // Full noise, flow and shocks, but no redemptions: the chained epoch returns telescope
    // to T_end / T_0 - 1 (up to rounding of the product).
    let (mut raw, policy, deployment) = load("chain138_deployed_capital_efficiency");
    raw.monte_carlo.epochs = 120;
    let cap = raw.capital_efficiency.as_mut().expect("capital block");
    cap.redemptions.base_rate_apr = 0.0;
    cap.redemptions.mu = 0.0;
    let s = setup(raw, policy, &deployment);
    let c = s.default_candidate().expect("capital");
    for index in 0..4 {
        let out = run_one(&s, index, c).capital.expect("capital outcome");
        assert_eq!(out.redemptions, 0.0);
        assert!(
            (out.roi - out.capital_return).abs() <= 1e-12,
            "path {index}: {} vs {}",
            out.roi,
            out.capital_return
        );
    }
}

#[test]
fn attribution_terms_add_up_to_the_pnl_of_every_path() {
    let (mut raw, policy, deployment) = load("bank_run_redemption_spike");
    raw.monte_carlo.epochs = 200;
    let s = setup(raw, policy, &deployment);
    let c = s.default_candidate().expect("capital");
    for index in 0..6 {
        let out = run_one(&s, index, c).capital.expect("capital outcome");
        let sum: f64 = out.attribution.iter().sum();
        let t0 = s
            .scenario
            .capital
            .as_ref()
            .expect("capital")
            .initial_capital;
        assert!(
            (sum - (out.capital_end - t0)).abs() <= tol::PNL_ATTRIBUTION_REL * t0,
            "path {index}: terms {sum} vs change of capital {}",
            out.capital_end - t0
        );
        assert!(
            out.attribution[Term::Redemptions.index()] < 0.0,
            "a bank run has redemptions"
        );
    }
}

#[test]
fn liquidation_probability_never_falls_as_leverage_rises_in_the_crash() {
    let (mut raw, policy, deployment) = load("crash_40pct_external_asset");
    raw.monte_carlo.epochs = 160;
    let s = setup(raw, policy, &deployment);
    let base = s.default_candidate().expect("capital");
    let levels = [1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0];
    let candidates: Vec<Candidate> = levels
        .iter()
        .map(|l| Candidate {
            leverage: *l,
            ..base
        })
        .collect();
    let paths = 96;
    let batches = run_sweep(&s, &candidates, Shard::ALL.path_range(paths), &|_| {});
    let mut liquidated = vec![0u32; levels.len()];
    for path in batches.iter().flatten() {
        for (c, o) in path.iter().enumerate() {
            liquidated[c] += u32::from(o.liquidated);
        }
    }
    for w in liquidated.windows(2) {
        assert!(
            w[1] >= w[0],
            "liquidations by leverage {levels:?}: {liquidated:?}"
        );
    }
    assert_eq!(
        liquidated[1], 0,
        "the shipped 1.5x is never liquidated: {liquidated:?}"
    );
    assert!(
        *liquidated.last().unwrap_or(&0) > 0,
        "4x must show liquidations under the crash: {liquidated:?}"
    );
}

#[test]
fn sweep_reproduces_single_candidate_runs_bit_for_bit() {
    let (mut raw, policy, deployment) = load("crash_40pct_external_asset");
    raw.monte_carlo.epochs = 130;
    let s = setup(raw, policy, &deployment);
    let base = s.default_candidate().expect("capital");
    let candidates = vec![
        Candidate {
            leverage: 1.0,
            ..base
        },
        base,
        Candidate {
            spread_bps: 50.0,
            ..base
        },
        Candidate {
            leverage: 3.5,
            alpha: 0.5,
            ..base
        },
    ];
    let batches = run_sweep(&s, &candidates, 0..3, &|_| {});
    for (index, path) in batches.iter().flatten().enumerate() {
        for (c, outcome) in path.iter().enumerate() {
            let alone = run_one(&s, index as u64, candidates[c])
                .capital
                .expect("capital outcome");
            assert_eq!(outcome, &alone, "path {index}, candidate {c}");
        }
    }
}

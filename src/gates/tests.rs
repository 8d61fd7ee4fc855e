//! Unit tests of the gate decision: verdicts on intervals, `paths_needed`, and an
//! empirical check that a verdict is wrong no more often than the confidence allows.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, StandardNormal};

use super::*;

const AT_MOST: (Comparison, f64, Option<f64>) = (Comparison::AtMost, 0.0, None);

fn gate(estimate: &GateEstimate, rule: (Comparison, f64, Option<f64>), level: f64) -> Gate {
    Gate::new(
        "g",
        "m",
        rule,
        estimate,
        &Confidence::fixed(level),
        Severity::Critical,
    )
}

#[test]
fn verdicts_follow_the_interval_not_the_point() {
    let ci = |lo, hi| Interval { lo, hi };
    let d = |c, lo, hi| decide(c, 1.0, Some(2.0), 1.5, ci(lo, hi));
    assert_eq!(d(Comparison::AtMost, 0.5, 0.9), (Verdict::Pass, 0.9));
    assert_eq!(d(Comparison::AtMost, 1.1, 1.3), (Verdict::Fail, 1.1));
    assert_eq!(
        d(Comparison::AtMost, 0.5, 1.3),
        (Verdict::Inconclusive, 1.3)
    );
    assert_eq!(d(Comparison::AtLeast, 1.1, 1.3), (Verdict::Pass, 1.1));
    assert_eq!(d(Comparison::AtLeast, 0.2, 0.9), (Verdict::Fail, 0.9));
    assert_eq!(
        d(Comparison::AtLeast, 0.9, 1.3),
        (Verdict::Inconclusive, 0.9)
    );
    assert_eq!(d(Comparison::Within, 1.2, 1.9), (Verdict::Pass, 1.9));
    assert_eq!(d(Comparison::Within, 1.1, 1.7), (Verdict::Pass, 1.1));
    assert_eq!(d(Comparison::Within, 1.6, 1.95), (Verdict::Pass, 1.95));
    assert_eq!(d(Comparison::Within, 2.1, 2.5), (Verdict::Fail, 2.1));
    assert_eq!(d(Comparison::Within, 0.1, 0.5), (Verdict::Fail, 0.5));
    assert_eq!(
        d(Comparison::Within, 0.9, 1.5),
        (Verdict::Inconclusive, 0.9)
    );
    assert_eq!(
        d(Comparison::Within, 1.5, 2.1),
        (Verdict::Inconclusive, 2.1)
    );
    // Nothing measured: never a pass.
    assert_eq!(
        decide(Comparison::AtMost, 1.0, None, f64::NAN, ci(0.0, 0.0)).0,
        Verdict::Inconclusive
    );
}

#[test]
fn a_point_estimate_inside_the_threshold_is_not_enough() {
    // The example: roi_p05 0.0167 with interval [-0.018, 0.024] against >= 0.
    let est = GateEstimate::normal(0.0167, 0.0107, 200);
    let g = gate(&est, (Comparison::AtLeast, 0.0, None), 0.95);
    assert_eq!(g.verdict, Verdict::Inconclusive);
    assert!(g.bound < 0.0);
    let needed = g.paths_needed.expect("resolvable");
    // Resolved when 1.96 se / sqrt(n / 200) <= 0.0167: n >= 200 (1.96 * 0.0107 / 0.0167)^2.
    let exact = 200.0 * (crate::stats::Z95 * 0.0107 / 0.0167_f64).powi(2);
    assert_eq!(needed, exact.ceil() as u64);
    // At that many paths (same estimate) the gate passes.
    let later = GateEstimate::normal(0.0167, 0.0107 * (200.0 / needed as f64).sqrt(), needed);
    assert_eq!(
        gate(&later, (Comparison::AtLeast, 0.0, None), 0.95).verdict,
        Verdict::Pass
    );
}

#[test]
fn an_estimate_on_the_threshold_has_no_paths_needed() {
    let est = GateEstimate::normal(0.0, 0.1, 100);
    let g = gate(&est, AT_MOST, 0.95);
    assert_eq!(g.verdict, Verdict::Inconclusive);
    assert_eq!(g.paths_needed, None);
}

#[test]
fn a_single_path_decides_nothing() {
    let g = gate(&GateEstimate::mean(&[-1.0]), AT_MOST, 0.95);
    assert_eq!(g.verdict, Verdict::Inconclusive);
    let q = gate(&GateEstimate::quantile(&[-1.0], 0.95), AT_MOST, 0.95);
    assert_eq!(q.verdict, Verdict::Inconclusive);
    assert_eq!(q.interval.hi, f64::INFINITY);
}

#[test]
fn zero_events_pass_a_probability_tolerance_only_with_enough_paths() {
    let rule = (Comparison::AtMost, 0.01, None);
    // The continuity-corrected Wilson upper bound at 0 of n is
    // (z^2 + 1 + z sqrt(z^2 + 2 - 1/n)) / (2 (n + z^2)): below 0.01 from n = 476 at 95%.
    let few = gate(&GateEstimate::proportion(0, 100), rule, 0.95);
    assert_eq!(few.verdict, Verdict::Inconclusive);
    assert_eq!(few.paths_needed, Some(476));
    assert_eq!(
        gate(&GateEstimate::proportion(0, 476), rule, 0.95).verdict,
        Verdict::Pass
    );
    assert_eq!(
        gate(&GateEstimate::proportion(0, 475), rule, 0.95).verdict,
        Verdict::Inconclusive
    );
}

#[test]
fn a_share_that_is_zero_on_every_path_is_bounded_like_a_rare_event() {
    // Zero peg-deviation epochs on all 64 paths: not a certain pass against 0.05, since
    // the share is at most the chance a path deviates at all, and 0 of 64 bounds that only
    // below 7.1% (continuity-corrected Wilson at 95%).
    let rule = (Comparison::AtMost, 0.05, None);
    let g = gate(&GateEstimate::share_mean(&[0.0; 64]), rule, 0.95);
    assert_eq!(g.verdict, Verdict::Inconclusive);
    assert!(
        g.interval.hi > 0.07 && g.interval.hi < 0.072,
        "{}",
        g.interval.hi
    );
    assert_eq!(
        gate(&GateEstimate::share_mean(&[0.0; 600]), rule, 0.95).verdict,
        Verdict::Pass
    );
    // With some spread it is the plain mean interval.
    let mixed: Vec<f64> = (0..100)
        .map(|i| if i % 10 == 0 { 0.02 } else { 0.0 })
        .collect();
    assert_eq!(
        GateEstimate::share_mean(&mixed).interval(1.96),
        GateEstimate::mean(&mixed).interval(1.96)
    );
}

#[test]
fn more_looks_widen_the_interval() {
    let est = GateEstimate::normal(0.0, 1.0, 100);
    let one = est.interval(Confidence::fixed(0.95).z());
    let four = est.interval(
        Confidence {
            level: 0.95,
            looks: 4,
        }
        .z(),
    );
    assert!(four.hi > one.hi);
    // 4 looks at 95%: each at 98.75%, z = 2.4977...
    assert!((four.hi - 2.497_705_474_412_408).abs() < 1e-9);
}

/// Fraction of `seeds` runs whose verdict is `bad`, for samples of `n` drawn by `draw`.
fn wrong_rate(
    n: usize,
    seeds: u64,
    level: f64,
    rule: (Comparison, f64, Option<f64>),
    estimate: impl Fn(&[f64]) -> GateEstimate,
    draw: impl Fn(&mut ChaCha8Rng) -> f64,
    bad: impl Fn(Verdict) -> bool,
) -> f64 {
    let mut wrong = 0;
    for seed in 0..seeds {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let sample: Vec<f64> = (0..n).map(|_| draw(&mut rng)).collect();
        wrong += u64::from(bad(gate(&estimate(&sample), rule, level).verdict));
    }
    wrong as f64 / seeds as f64
}

/// Allowed rate: the confidence's error plus 3 binomial standard errors of the check itself.
fn allowed(rate: f64, seeds: u64) -> f64 {
    rate + 3.0 * (rate * (1.0 - rate) / seeds as f64).sqrt()
}

#[test]
fn a_gate_at_its_threshold_is_rarely_decided_either_way() {
    // True value exactly on the threshold: any pass or fail is noise. At 90% confidence
    // the two-sided interval misses the truth at most 10% of the time.
    let seeds = 2000;
    let level = 0.90;
    let decided = |v: Verdict| v != Verdict::Inconclusive;
    let normal = |r: &mut ChaCha8Rng| -> f64 { StandardNormal.sample(r) };
    for n in [5, 30, 300] {
        let mean = wrong_rate(
            n,
            seeds,
            level,
            AT_MOST,
            GateEstimate::mean,
            normal,
            decided,
        );
        // The t-distribution at small n makes a normal interval a little too narrow.
        let slack = if n < 10 { 0.06 } else { 0.0 };
        assert!(mean <= allowed(0.10, seeds) + slack, "mean n {n}: {mean}");
        // The 95th percentile of N(0,1) is 1.6449: a quantile gate with that threshold.
        let rule = (Comparison::AtMost, 1.644_853_626_951_472_2, None);
        let q = wrong_rate(
            n,
            seeds,
            level,
            rule,
            |s| GateEstimate::quantile(s, 0.95),
            normal,
            decided,
        );
        assert!(q <= allowed(0.10, seeds), "quantile n {n}: {q}");
        // A proportion of 2% against a 2% tolerance.
        let rule = (Comparison::AtMost, 0.02, None);
        let bern = |r: &mut ChaCha8Rng| f64::from(u8::from(r.random::<f64>() < 0.02));
        let p = wrong_rate(
            n,
            seeds,
            level,
            rule,
            |s| {
                GateEstimate::proportion(
                    s.iter().filter(|&&x| x > 0.5).count() as u64,
                    s.len() as u64,
                )
            },
            bern,
            decided,
        );
        assert!(p <= allowed(0.10, seeds), "proportion n {n}: {p}");
    }
    // And at small n such a gate is inconclusive, never a pass.
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let sample: Vec<f64> = (0..20).map(|_| StandardNormal.sample(&mut rng)).collect();
    assert_eq!(
        gate(&GateEstimate::mean(&sample), AT_MOST, 0.95).verdict,
        Verdict::Inconclusive
    );
}

#[test]
fn a_failing_gate_passes_no_more_often_than_half_the_error() {
    // True mean 0.05 above an at-most-0 threshold: a pass is the dangerous error, allowed
    // (1 - level) / 2 of the time at most; it should be rarer still.
    let seeds = 2000;
    let shifted = |r: &mut ChaCha8Rng| -> f64 {
        let z: f64 = StandardNormal.sample(r);
        0.05 + z
    };
    for n in [30, 300, 3000] {
        let pass = wrong_rate(n, seeds, 0.90, AT_MOST, GateEstimate::mean, shifted, |v| {
            v == Verdict::Pass
        });
        assert!(pass <= allowed(0.05, seeds), "n {n}: {pass}");
    }
}

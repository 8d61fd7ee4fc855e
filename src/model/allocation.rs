//! Allocation targets (seed 002): the endogenous yield/risk-weighted target
//! `w_i ∝ max(ybar_i, eps) / (1 + CV_i + v_i)` from a moving window of each bucket's yield,
//! and the Dirichlet-perturbed current weights `w ∝ w_now + rho g`, `g ~ Dirichlet(c w_fixed)`.
//! Buckets are ordered `[Y, M, R]` (sleeve equity, PMM inventory, reserve) as in
//! `capital::AllocationTargets::weights`. Every function returns weights that sum to 1, so
//! the rebalancer that moves toward them conserves capital; the draws come from the caller.

use rand::Rng;
use rand_distr::{Distribution, Gamma};

use crate::model::capital::AllocationTargets;

/// Floor on a moving-average yield (seed 002's `max(ybar, 1e-18)`): a bucket whose yield is
/// zero or negative keeps a vanishing weight instead of a negative one.
pub const YIELD_FLOOR: f64 = 1e-18;

/// A fixed-length window of each bucket's per-epoch yield (annualised), oldest overwritten.
#[derive(Debug, Clone, PartialEq)]
pub struct YieldWindow {
    values: Vec<[f64; 3]>,
    next: usize,
    filled: usize,
}

impl YieldWindow {
    /// An empty window of `len` epochs (`len >= 2`).
    pub fn new(len: usize) -> Self {
        Self {
            values: vec![[0.0; 3]; len.max(2)],
            next: 0,
            filled: 0,
        }
    }

    /// Records one epoch's yields.
    pub fn push(&mut self, yields: [f64; 3]) {
        self.values[self.next] = yields;
        self.next = (self.next + 1) % self.values.len();
        self.filled = (self.filled + 1).min(self.values.len());
    }

    /// Whether the window holds a full `len` epochs.
    pub fn full(&self) -> bool {
        self.filled == self.values.len()
    }

    /// Mean and coefficient of variation (population standard deviation over `|mean|`, 0
    /// for a constant series) of each bucket's yields in the window, in summation order
    /// of the slots (deterministic).
    pub fn moments(&self) -> ([f64; 3], [f64; 3]) {
        let n = self.filled.max(1) as f64;
        let mut mean = [0.0; 3];
        let mut cv = [0.0; 3];
        for i in 0..3 {
            let m = self.values[..self.filled].iter().map(|v| v[i]).sum::<f64>() / n;
            let var = self.values[..self.filled]
                .iter()
                .map(|v| (v[i] - m).powi(2))
                .sum::<f64>()
                / n;
            mean[i] = m;
            cv[i] = if var > 0.0 {
                var.sqrt() / m.abs().max(YIELD_FLOOR)
            } else {
                0.0
            };
        }
        (mean, cv)
    }
}

/// Seed 002's endogenous target: `w_i = y_i / (1 + r_i) / sum_j y_j / (1 + r_j)` with
/// `y_i = max(mean_i, YIELD_FLOOR)` and risk `r_i = cv_i + volatile_i` (both `>= 0`; a
/// negative or NaN risk counts as 0). Sums to 1.
pub fn endogenous_weights(mean: [f64; 3], cv: [f64; 3], volatile: [f64; 3]) -> [f64; 3] {
    let mut w = [0.0; 3];
    for i in 0..3 {
        let y = if mean[i] > YIELD_FLOOR {
            mean[i]
        } else {
            YIELD_FLOOR
        };
        let risk = cv[i] + volatile[i];
        let risk = if risk > 0.0 { risk } else { 0.0 };
        w[i] = y / (1.0 + risk);
    }
    normalise(w)
}

/// Seed 002's stochastic target: `g ~ Dirichlet(c w_fixed)` (a bucket with zero fixed
/// weight gets `g_i = 0`), then `w = (w_now + rate g) / (1 + rate)`. Sums to 1 whatever the
/// draw; its mean is a contraction of `w_now` toward `w_fixed`.
pub fn dirichlet_weights<R: Rng + ?Sized>(
    current: [f64; 3],
    fixed: [f64; 3],
    concentration: f64,
    rate: f64,
    rng: &mut R,
) -> [f64; 3] {
    let mut g = [0.0; 3];
    for i in 0..3 {
        let shape = concentration * fixed[i];
        if shape > 0.0
            && let Ok(gamma) = Gamma::new(shape, 1.0)
        {
            g[i] = gamma.sample(rng);
        }
    }
    let g = normalise(g);
    let current = normalise(current);
    normalise([
        current[0] + rate * g[0],
        current[1] + rate * g[1],
        current[2] + rate * g[2],
    ])
}

/// `w / sum(w)` for non-negative `w`; an all-zero or non-finite sum gives equal weights.
pub fn normalise(w: [f64; 3]) -> [f64; 3] {
    let w = w.map(|x| if x > 0.0 && x.is_finite() { x } else { 0.0 });
    let s: f64 = w.iter().sum();
    if s > 0.0 && s.is_finite() {
        w.map(|x| x / s)
    } else {
        [1.0 / 3.0; 3]
    }
}

/// Targets with shares `w` of `T` (`[Y, M, R]`, summing to 1) at `leverage`:
/// `alpha = w_Y`, `pmm_share = w_M / (1 - w_Y)`.
pub fn targets_from_weights(w: [f64; 3], leverage: f64) -> AllocationTargets {
    let alpha = w[0].clamp(0.0, 1.0);
    let rest = 1.0 - alpha;
    let pmm_share = if rest > 0.0 {
        (w[1] / rest).clamp(0.0, 1.0)
    } else {
        0.0
    };
    AllocationTargets {
        alpha,
        pmm_share,
        leverage,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::capital::{Buckets, SleeveParams};
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn sum(w: [f64; 3]) -> f64 {
        w.iter().sum()
    }

    #[test]
    fn equal_yields_and_risks_give_equal_targets() {
        for (y, r) in [(0.05, 0.0), (0.03, 0.4), (-0.1, 2.0), (1.0, 10.0)] {
            let w = endogenous_weights([y; 3], [r; 3], [0.0; 3]);
            for x in w {
                assert!((x - 1.0 / 3.0).abs() < 1e-15, "{w:?}");
            }
        }
    }

    #[test]
    fn raising_one_yield_raises_its_weight_and_more_risk_lowers_it() {
        let base = endogenous_weights([0.04, 0.06, 0.03], [0.2, 0.5, 0.0], [0.3, 0.0, 0.0]);
        for i in 0..3 {
            let mut y = [0.04, 0.06, 0.03];
            y[i] *= 1.5;
            let up = endogenous_weights(y, [0.2, 0.5, 0.0], [0.3, 0.0, 0.0]);
            assert!(up[i] > base[i], "bucket {i}: {up:?} vs {base:?}");
            let mut cv = [0.2, 0.5, 0.0];
            cv[i] += 1.0;
            let risky = endogenous_weights([0.04, 0.06, 0.03], cv, [0.3, 0.0, 0.0]);
            assert!(risky[i] < base[i], "bucket {i}: {risky:?} vs {base:?}");
        }
        // The closed form: w_i = (y_i / (1 + r_i)) / sum.
        let raw = [0.04 / 1.5, 0.06 / 1.5, 0.03 / 1.0];
        let s: f64 = raw.iter().sum();
        for i in 0..3 {
            assert!((base[i] - raw[i] / s).abs() < 1e-15);
        }
    }

    #[test]
    fn window_moments_match_the_closed_form() {
        let mut w = YieldWindow::new(4);
        for y in [1.0, 2.0, 3.0, 4.0, 5.0] {
            w.push([y, 2.0, -y]);
        }
        assert!(w.full());
        let (mean, cv) = w.moments();
        // Window holds 2, 3, 4, 5 (the first value was overwritten).
        assert!((mean[0] - 3.5).abs() < 1e-15);
        assert!((cv[0] - (1.25f64).sqrt() / 3.5).abs() < 1e-15);
        assert_eq!(cv[1], 0.0);
        assert!((mean[2] + 3.5).abs() < 1e-15);
    }

    #[test]
    fn dirichlet_targets_always_sum_to_one() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for _ in 0..20_000 {
            let current = [rng.random(), rng.random(), rng.random()];
            let fixed = normalise([rng.random(), rng.random::<f64>() * 0.1, rng.random()]);
            let c = 10f64.powf(4.0 * rng.random::<f64>() - 2.0);
            let w = dirichlet_weights(current, fixed, c, rng.random(), &mut rng);
            assert!((sum(w) - 1.0).abs() < 1e-12, "{w:?}");
            assert!(w.iter().all(|x| *x >= 0.0));
        }
        // A zero fixed weight never receives a perturbation.
        let w = dirichlet_weights([0.5, 0.0, 0.5], [0.5, 0.0, 0.5], 5.0, 1.0, &mut rng);
        assert_eq!(w[1], 0.0);
    }

    #[test]
    fn dirichlet_targets_average_to_the_fixed_weights_from_them() {
        // Starting at the fixed weights, E[w] = (w_fixed + rate E[g]) / (1 + rate) = w_fixed.
        let fixed = [0.6, 0.16, 0.24];
        let mut rng = ChaCha8Rng::seed_from_u64(11);
        let n = 40_000;
        let mut mean = [0.0; 3];
        for _ in 0..n {
            let w = dirichlet_weights(fixed, fixed, 50.0, 0.4, &mut rng);
            for i in 0..3 {
                mean[i] += w[i] / n as f64;
            }
        }
        // Var g_i = w(1-w)/(c+1) <= 0.25/51; the mean's standard error is below 4e-4.
        for i in 0..3 {
            assert!((mean[i] - fixed[i]).abs() < 2e-3, "{mean:?}");
        }
    }

    #[test]
    fn rebalancing_to_any_target_conserves_capital() {
        let p = SleeveParams::new(crate::config::params::example_sleeve_inputs()).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let start = AllocationTargets {
            alpha: 0.6,
            pmm_share: 0.4,
            leverage: 1.5,
        };
        let mut b = Buckets::allocate(1e8, &start);
        for _ in 0..2_000 {
            let w = if rng.random::<bool>() {
                let cur = [b.equity(), b.pmm, b.reserve];
                dirichlet_weights(cur, start.weights(), 20.0, 0.4, &mut rng)
            } else {
                endogenous_weights(
                    [rng.random(), rng.random(), rng.random()],
                    [rng.random(), rng.random(), 0.0],
                    [rng.random(), 0.0, 0.0],
                )
            };
            let t = targets_from_weights(w, 1.5);
            let tw = t.weights();
            for i in 0..3 {
                assert!((tw[i] - w[i]).abs() < 1e-12);
            }
            let t0 = b.total();
            let out = p.rebalance(&mut b, &t, 0.378, 0.2, 2e-4);
            assert!(
                (b.total() - (t0 - out.cost)).abs() <= 1e-9 * t0,
                "{t0} -> {}, cost {}",
                b.total(),
                out.cost
            );
            assert!(out.cost >= 0.0);
        }
    }
}

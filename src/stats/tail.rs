//! Tail measures: the lower-tail expected shortfall of a sample with its asymptotic
//! interval.

use super::{Interval, quantile_sorted};

/// Lower-tail expected shortfall at tail probability `alpha` (0.05 for "ES 95%"): the mean
/// of the worst `alpha` share of the sample, with the boundary value weighted by its
/// fractional share (`k = ⌊n α⌋` whole values plus `n α - k` of the next), and a normal
/// interval of half-width `z · se`.
///
/// The standard error is the asymptotic one of the empirical ES (Manistre and Hancock
/// 2005; Brazauskas et al. 2008): `se² = [Var(X | X ≤ q) + (1 - α)(ES - q)²] / (n α)`, with
/// `q` the `alpha` quantile. An empty sample gives NaN; `n α < 1` uses the smallest value.
pub fn expected_shortfall(values: &[f64], alpha: f64, z: f64) -> (f64, Interval) {
    let n = values.len();
    if n == 0 || !(alpha > 0.0 && alpha <= 1.0) {
        return (
            f64::NAN,
            Interval {
                lo: f64::NAN,
                hi: f64::NAN,
            },
        );
    }
    let mut sorted = values.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    let tail = (n as f64 * alpha).max(1.0);
    let whole = (tail.floor() as usize).min(n);
    let frac = tail - whole as f64;
    let mut sum: f64 = sorted[..whole].iter().sum();
    if frac > 0.0 && whole < n {
        sum += frac * sorted[whole];
    }
    let es = sum / tail;
    // Conditional variance of the tail values around their mean (same weights).
    let mut ss: f64 = sorted[..whole].iter().map(|x| (x - es) * (x - es)).sum();
    if frac > 0.0 && whole < n {
        ss += frac * (sorted[whole] - es) * (sorted[whole] - es);
    }
    let tail_var = if tail > 1.0 {
        ss / (tail - 1.0).max(1.0)
    } else {
        0.0
    };
    let q = quantile_sorted(&sorted, alpha);
    let var = (tail_var + (1.0 - alpha) * (es - q) * (es - q)) / tail;
    let half = z * var.max(0.0).sqrt();
    (
        es,
        Interval {
            lo: es - half,
            hi: es + half,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::Z95;

    #[test]
    fn mean_of_the_worst_share() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        let (es, ci) = expected_shortfall(&v, 0.05, Z95);
        assert_eq!(es, 3.0); // (1 + 2 + 3 + 4 + 5) / 5
        assert!(ci.lo < es && es < ci.hi);
        // Fractional boundary: 10 values, alpha 0.25 -> 2.5 values: (1 + 2 + 0.5 * 3) / 2.5.
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        let (es, _) = expected_shortfall(&v, 0.25, Z95);
        assert!((es - 4.5 / 2.5).abs() < 1e-15);
    }

    #[test]
    fn at_most_the_quantile() {
        // A deterministic scatter of shapes and sizes: ES never exceeds the quantile.
        let mut x = 0.5_f64;
        for n in [1usize, 2, 7, 20, 99, 100, 101, 1000] {
            let v: Vec<f64> = (0..n)
                .map(|_| {
                    x = (x * 3.9 * (1.0 - x)).clamp(1e-9, 1.0 - 1e-9);
                    (x - 0.5) * 10.0
                })
                .collect();
            let mut sorted = v.clone();
            sorted.sort_by(f64::total_cmp);
            for alpha in [0.01, 0.05, 0.25, 0.5, 1.0] {
                let (es, _) = expected_shortfall(&v, alpha, Z95);
                assert!(
                    es <= quantile_sorted(&sorted, alpha) + 1e-12,
                    "n {n} alpha {alpha}"
                );
                assert!(es >= sorted[0]);
            }
        }
    }

    #[test]
    fn interval_covers_the_normal_closed_form() {
        // Standard normal: ES at 5% is -φ(Φ⁻¹(0.05)) / 0.05 = -2.0627128075...
        // A fine grid of normal quantiles stands in for a large sample.
        let n = 20_000;
        let v: Vec<f64> = (0..n)
            .map(|i| crate::stats::normal_quantile((i as f64 + 0.5) / n as f64))
            .collect();
        let (es, ci) = expected_shortfall(&v, 0.05, Z95);
        assert!((es + 2.062_712_807_5).abs() < 2e-3, "es {es}");
        assert!(ci.lo < -2.062_712_807_5 && -2.062_712_807_5 < ci.hi);
    }
}

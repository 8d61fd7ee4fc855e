//! The `distributions` section: what the charts of a capital run draw, kept in the
//! scorecard so other tools can draw them too. Histograms of the per-path time-weighted
//! return and largest drawdown, and the per-epoch quantiles across paths of capital and
//! drawdown, read from the engine's mergeable sketches (`stats::sketch`, relative accuracy
//! 0.5%), so they never need the paths x epochs values and merge exactly across shards.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::engine::{EpochSketches, PathOutcome};
use crate::stats::sketch::{QuantileSketch, RELATIVE_ACCURACY};
use crate::stats::{Histogram, histogram};

/// Bins of the ROI and drawdown histograms.
const HISTOGRAM_BINS: usize = 40;

/// The quantile levels of the per-epoch series.
pub const SERIES_QUANTILES: [f64; 5] = [0.05, 0.25, 0.50, 0.75, 0.95];

/// Distributions across paths for charts (capital scenarios).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Distributions {
    /// Per-path time-weighted return over the horizon (`capital.roi_*`), share: 40 equal
    /// bins from the smallest to the largest path, counts of paths simulated (unweighted in
    /// an importance-sampled run).
    pub roi_histogram: Histogram,
    /// Per-path largest drawdown (`capital.max_drawdown_*`), share: 40 equal bins from 0 to
    /// the largest path, counts of paths simulated.
    pub max_drawdown_histogram: Histogram,
    /// Quantiles across paths at the end of each epoch; absent in an importance-sampled
    /// run (`--rare-events`), whose paths carry weights that integer-count sketches do not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epoch_series: Option<EpochSeries>,
}

/// Per-epoch quantiles across paths; element `e` of every array is the end of epoch `e`
/// (0-based), so each array has `inputs.epochs` elements.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EpochSeries {
    /// Each quantile is within this relative error of the exact quantile over the paths
    /// (R type 7, as every other quantile in the scorecard) whenever the two order
    /// statistics it lies between share a sign; values below 1e-9 in magnitude are 0.
    pub relative_accuracy: f64,
    /// Paths counted.
    pub paths: u64,
    /// Treasury capital `T` (every bucket), USD.
    pub capital_usd: EpochQuantiles,
    /// Drawdown of the time-weighted return index from its running peak, share.
    pub drawdown: EpochQuantiles,
}

/// The 5th, 25th, 50th, 75th and 95th percentiles across paths, one element per epoch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EpochQuantiles {
    pub p05: Vec<f64>,
    pub p25: Vec<f64>,
    pub p50: Vec<f64>,
    pub p75: Vec<f64>,
    pub p95: Vec<f64>,
}

impl EpochQuantiles {
    /// The series of `sketches`, one per epoch.
    fn of(sketches: &[QuantileSketch]) -> Self {
        let col = |p: f64| sketches.iter().map(|s| finite(s.quantile(p))).collect();
        Self {
            p05: col(SERIES_QUANTILES[0]),
            p25: col(SERIES_QUANTILES[1]),
            p50: col(SERIES_QUANTILES[2]),
            p75: col(SERIES_QUANTILES[3]),
            p95: col(SERIES_QUANTILES[4]),
        }
    }

    /// The arrays in the order of [`SERIES_QUANTILES`].
    pub fn bands(&self) -> [&[f64]; 5] {
        [&self.p05, &self.p25, &self.p50, &self.p75, &self.p95]
    }
}

/// JSON has no NaN or infinity: an undefined quantile (no paths) is written as 0.
fn finite(x: f64) -> f64 {
    if x.is_finite() { x } else { 0.0 }
}

/// The distributions of a capital run; `None` when no path carried capital.
pub fn distributions(
    paths: &[&PathOutcome],
    series: Option<&EpochSketches>,
) -> Option<Distributions> {
    let caps: Vec<_> = paths.iter().filter_map(|p| p.capital.as_ref()).collect();
    if caps.is_empty() {
        return None;
    }
    let roi: Vec<f64> = caps.iter().map(|c| c.roi).collect();
    let dd: Vec<f64> = caps.iter().map(|c| c.max_drawdown).collect();
    Some(Distributions {
        roi_histogram: histogram(&roi, &edges(&roi, None)),
        max_drawdown_histogram: histogram(&dd, &edges(&dd, Some(0.0))),
        epoch_series: series.filter(|s| s.paths() > 0).map(|s| EpochSeries {
            relative_accuracy: RELATIVE_ACCURACY,
            paths: s.paths(),
            capital_usd: EpochQuantiles::of(&s.capital),
            drawdown: EpochQuantiles::of(&s.drawdown),
        }),
    })
}

/// [`HISTOGRAM_BINS`] equal bins from `start` (or the smallest value) to the largest
/// value: functions of the set of values only, so they merge like everything else.
fn edges(values: &[f64], start: Option<f64>) -> Vec<f64> {
    let finite = values.iter().copied().filter(|x| x.is_finite());
    let lo = start.unwrap_or_else(|| finite.clone().fold(f64::INFINITY, f64::min));
    let hi = finite.fold(f64::NEG_INFINITY, f64::max).max(lo);
    if !lo.is_finite() {
        return vec![0.0, 0.0];
    }
    let width = (hi - lo) / HISTOGRAM_BINS as f64;
    (0..=HISTOGRAM_BINS)
        .map(|j| {
            if j == HISTOGRAM_BINS {
                hi
            } else {
                lo + width * j as f64
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::outcome::CapitalOutcome;

    fn path(roi: f64, dd: f64) -> PathOutcome {
        PathOutcome {
            capital: Some(CapitalOutcome {
                roi,
                max_drawdown: dd,
                ..CapitalOutcome::default()
            }),
            ..PathOutcome::default()
        }
    }

    #[test]
    fn histograms_count_every_path_and_span_the_values() {
        let outs: Vec<PathOutcome> = (0..101)
            .map(|i| path(-0.1 + 0.002 * i as f64, 0.001 * i as f64))
            .collect();
        let refs: Vec<&PathOutcome> = outs.iter().collect();
        let d = distributions(&refs, None).expect("capital paths");
        for h in [&d.roi_histogram, &d.max_drawdown_histogram] {
            assert_eq!(h.counts.len(), HISTOGRAM_BINS);
            assert_eq!(h.counts.iter().sum::<u64>(), 101);
            assert_eq!(h.underflow + h.overflow, 0);
        }
        assert_eq!(d.roi_histogram.edges[0], -0.1);
        assert_eq!(d.max_drawdown_histogram.edges[0], 0.0);
        assert!(d.epoch_series.is_none());
        // One value: one closed bin holds it.
        let one = [path(0.05, 0.0)];
        let d = distributions(&[&one[0]], None).expect("capital");
        assert_eq!(d.roi_histogram.counts.iter().sum::<u64>(), 1);
        assert!(distributions(&[&PathOutcome::default()], None).is_none());
    }

    #[test]
    fn epoch_series_read_the_sketches() {
        let mut s = EpochSketches::new(2);
        for i in 0..100 {
            let x = 1e6 * (1.0 + i as f64 / 100.0);
            s.add_path(&[(x, 0.0), (2.0 * x, 0.01 * i as f64)]);
        }
        let outs = [path(0.0, 0.0)];
        let d = distributions(&[&outs[0]], Some(&s)).expect("capital");
        let e = d.epoch_series.expect("series");
        assert_eq!(e.paths, 100);
        assert_eq!(e.capital_usd.p50.len(), 2);
        let exact = 1e6 * (1.0 + 49.5 / 100.0);
        assert!((e.capital_usd.p50[0] - exact).abs() <= exact * RELATIVE_ACCURACY);
        assert!((e.capital_usd.p50[1] - 2.0 * exact).abs() <= 2.0 * exact * RELATIVE_ACCURACY);
        assert_eq!(e.drawdown.p05[0], 0.0);
        let bands = e.capital_usd.bands();
        assert!(bands.windows(2).all(|w| w[0][0] <= w[1][0]));
    }
}

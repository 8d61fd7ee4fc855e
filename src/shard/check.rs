//! The checks [`super::read_partial`] runs on one part before `merge` may use it: its
//! content digest, its embedded inputs (hashed and checked like a run's), its shard
//! geometry, the exact tiling of its path range by its batches, the lengths of its
//! per-pool, per-chain and per-link arrays, and that every value is finite and in range.
//! A part that passes them is one `run --shard` could have written for those inputs.

use super::{MAX_SHARDS, PARTIAL_KIND, PartialRun, setup_from};
use crate::engine::outcome::{BatchTotals, CapitalOutcome, RoutingOutcome};
use crate::engine::{BATCH_SIZE, BatchResult, RareEvents, Setup, Shard};
use crate::error::{InputError, Result};
use crate::optimizer;

/// Checks everything one part claims; returns it when it holds.
pub(super) fn check_part(mut part: PartialRun, file: &str) -> Result<PartialRun> {
    if part.kind != PARTIAL_KIND {
        return Err(InputError::new(
            file,
            format!(
                "expected a partial run (kind `{PARTIAL_KIND}`), got kind `{}`",
                part.kind
            ),
        )
        .at("kind")
        .into());
    }
    if part.digest.is_empty() {
        return Err(InputError::new(
            file,
            "the shard has no content digest; `pmmsim run --shard K/N` writes one",
        )
        .at("digest")
        .into());
    }
    let digest = part.content_digest();
    if digest != part.digest {
        return Err(InputError::new(
            file,
            format!(
                "the content digest does not match: the file says {} but its content hashes \
                 to {digest}; it was edited or damaged after `run --shard` wrote it",
                part.digest
            ),
        )
        .at("digest")
        .hint("run that shard again")
        .into());
    }
    let setup = setup_from(&part, file)?;
    let range = geometry(&part, &setup, file)?;
    let spans = part.batches.iter().map(|b| (b.first_path, b.paths.len()));
    tiling(spans, range.clone(), "batches", file)?;
    let shape = Shape::of(&setup);
    for (b, batch) in part.batches.iter().enumerate() {
        shape.batch(batch, &format!("batches[{b}]"), file)?;
    }
    if let Some(sweep) = &part.sweep {
        let Some(grid) =
            setup.scenario.capital.as_ref().map(|spec| {
                optimizer::grid(setup.scenario.optimizer.as_ref(), spec, &setup.policy)
            })
        else {
            return Err(
                InputError::new(file, "a sweep for a scenario without capital")
                    .at("sweep")
                    .into(),
            );
        };
        let spans = sweep.iter().map(|b| (b.first_path, b.paths.len()));
        tiling(spans, range, "sweep", file)?;
        let candidates = grid.candidates.len();
        for (b, batch) in sweep.iter().enumerate() {
            for (i, path) in batch.paths.iter().enumerate() {
                let at = format!("sweep[{b}].paths[{i}]");
                if path.len() != candidates {
                    return Err(InputError::new(
                        file,
                        format!(
                            "expected {candidates} outcomes (one per candidate of the embedded \
                             optimizer grid), got {}",
                            path.len()
                        ),
                    )
                    .at(at)
                    .into());
                }
                for (c, outcome) in path.iter().enumerate() {
                    shape.capital(outcome, &format!("{at}[{c}]"), file)?;
                }
            }
        }
    }
    Ok(part)
}

/// The shard's geometry against its embedded inputs; returns its path range.
fn geometry(
    part: &PartialRun,
    setup: &Setup,
    file: &str,
) -> Result<std::ops::Range<u64>, InputError> {
    let paths = setup.scenario.monte_carlo.paths;
    if part.total_paths != paths {
        return Err(InputError::new(
            file,
            format!(
                "total_paths {} differs from the {paths} paths of the embedded inputs",
                part.total_paths
            ),
        )
        .at("total_paths"));
    }
    if part.shard_count == 0
        || part.shard_index >= part.shard_count
        || part.shard_count > MAX_SHARDS
    {
        return Err(InputError::new(
            file,
            format!(
                "expected shard K/N with 0 <= K < N <= {MAX_SHARDS}, got {}/{}",
                part.shard_index, part.shard_count
            ),
        )
        .at("shard_index"));
    }
    let shard = Shard {
        index: part.shard_index,
        count: part.shard_count,
    };
    let expected = shard.path_range(paths);
    if part.path_start != expected.start || part.path_end != expected.end {
        return Err(InputError::new(
            file,
            format!(
                "shard {}/{} of {paths} paths covers paths {}..{}, not {}..{}",
                shard.index,
                shard.count,
                expected.start,
                expected.end,
                part.path_start,
                part.path_end
            ),
        )
        .at("path_start"));
    }
    Ok(expected)
}

/// The batches (`what`: `batches` or `sweep`), given as `(first_path, paths)`, must tile
/// `range` exactly, in order, each the engine's batch of [`BATCH_SIZE`] paths (cut at
/// the range's end): no gap, no overlap, no duplicate, none missing.
fn tiling(
    spans: impl Iterator<Item = (u64, usize)>,
    range: std::ops::Range<u64>,
    what: &str,
    file: &str,
) -> Result<(), InputError> {
    let mut next = range.start;
    for (b, (first_path, len)) in spans.enumerate() {
        let at = format!("{what}[{b}]");
        if next >= range.end {
            return Err(InputError::new(
                file,
                format!(
                    "batch {b} lies past the shard's paths {}..{}: a duplicated or extra batch",
                    range.start, range.end
                ),
            )
            .at(format!("{at}.first_path")));
        }
        if first_path != next {
            return Err(InputError::new(
                file,
                format!(
                    "batch {b} starts at path {first_path}, expected {next}: the batches must \
                     tile paths {}..{} with no gap, overlap or duplicate",
                    range.start, range.end
                ),
            )
            .at(format!("{at}.first_path")));
        }
        let end = ((next / BATCH_SIZE + 1) * BATCH_SIZE).min(range.end);
        let want = end - next;
        if len as u64 != want {
            return Err(InputError::new(
                file,
                format!("batch {b} holds {len} paths, expected {want} (paths {next}..{end})"),
            )
            .at(format!("{at}.paths")));
        }
        next = end;
    }
    if next != range.end {
        return Err(InputError::new(
            file,
            format!(
                "the batches cover paths {}..{next} of the shard's {}..{}: paths are missing",
                range.start, range.start, range.end
            ),
        )
        .at(what));
    }
    Ok(())
}

/// What the embedded inputs fix about every path: array lengths, whether capital
/// outcomes exist, the horizon and the largest importance weight.
struct Shape {
    pools: usize,
    chains: usize,
    links: usize,
    capital: bool,
    epochs: u32,
    weight_bound: f64,
}

/// A value outside its range, at `at`.
fn bad(file: &str, at: &str, what: String) -> InputError {
    InputError::new(file, what).at(at)
}

/// `v` is finite and in `lo..=hi`.
fn num(file: &str, at: &str, v: f64, lo: f64, hi: f64) -> Result<(), InputError> {
    if !v.is_finite() {
        return Err(bad(file, at, format!("expected a finite number, got {v}")));
    }
    if v < lo || v > hi {
        let range = match (lo.is_finite(), hi.is_finite()) {
            (true, true) => format!("between {lo} and {hi}"),
            (true, false) => format!("at least {lo}"),
            (false, true) => format!("at most {hi}"),
            (false, false) => "finite".into(),
        };
        return Err(bad(
            file,
            at,
            format!("expected a number {range}, got {v}: no run produces it"),
        ));
    }
    Ok(())
}

const ANY: (f64, f64) = (f64::NEG_INFINITY, f64::INFINITY);
const NON_NEG: (f64, f64) = (0.0, f64::INFINITY);
/// A share, with room for rounding.
const SHARE: (f64, f64) = (0.0, 1.0 + 1e-9);

/// One per-pool, per-chain or per-link array of a batch's totals to check: its name, its
/// values, the length the deployment gives it, what one entry is, and its allowed range.
type ArrayCheck<'a> = (&'a str, &'a Vec<f64>, usize, &'a str, (f64, f64));
impl Shape {
    fn of(setup: &Setup) -> Self {
        let g = &setup.graph;
        Self {
            pools: g.pools.len(),
            chains: g.chains.len(),
            links: g.links.len(),
            capital: setup.scenario.capital.is_some(),
            epochs: setup.scenario.monte_carlo.epochs,
            weight_bound: RareEvents::DEFAULT.weight_bound(),
        }
    }

    fn len(
        &self,
        file: &str,
        at: &str,
        got: usize,
        want: usize,
        per: &str,
    ) -> Result<(), InputError> {
        if got != want {
            return Err(bad(
                file,
                at,
                format!(
                    "expected {want} values (one per {per} of the embedded deployment), got {got}"
                ),
            ));
        }
        Ok(())
    }

    fn batch(&self, batch: &BatchResult, at: &str, file: &str) -> Result<(), InputError> {
        let weighted = batch.paths.first().is_some_and(|p| p.importance.is_some());
        for (i, p) in batch.paths.iter().enumerate() {
            let at = format!("{at}.paths[{i}]");
            self.routing(&p.routing, &format!("{at}.routing"), file)?;
            match (&p.capital, self.capital) {
                (Some(c), true) => self.capital(c, &format!("{at}.capital"), file)?,
                (None, false) => {}
                (Some(_), false) => {
                    return Err(bad(
                        file,
                        &format!("{at}.capital"),
                        "capital outcomes for a scenario without capital".into(),
                    ));
                }
                (None, true) => {
                    return Err(bad(
                        file,
                        &format!("{at}.capital"),
                        "no capital outcomes, but the scenario has capital".into(),
                    ));
                }
            }
            if p.importance.is_some() != weighted {
                return Err(bad(
                    file,
                    &format!("{at}.importance"),
                    "either every path of a batch carries an importance weight or none does".into(),
                ));
            }
            if let Some(w) = p.importance {
                let at = format!("{at}.importance.weight");
                num(file, &at, w.weight, 0.0, self.weight_bound)?;
                if w.weight == 0.0 {
                    return Err(bad(file, &at, "expected a positive weight, got 0".into()));
                }
            }
        }
        if batch.totals.paths != batch.paths.len() as u64 {
            return Err(bad(
                file,
                &format!("{at}.totals.paths"),
                format!(
                    "the totals count {} paths, the batch holds {}",
                    batch.totals.paths,
                    batch.paths.len()
                ),
            ));
        }
        self.totals(&batch.totals, &format!("{at}.totals"), file)
    }

    fn routing(&self, r: &RoutingOutcome, at: &str, file: &str) -> Result<(), InputError> {
        let fields: [(&str, f64, (f64, f64)); 16] = [
            ("capture_mean", r.capture_mean, SHARE),
            ("capture_p95", r.capture_p95, SHARE),
            ("churn_mean", r.churn_mean, NON_NEG),
            ("churn_p95", r.churn_p95, NON_NEG),
            ("churn_max", r.churn_max, NON_NEG),
            ("inject_cost", r.inject_cost, ANY),
            ("withdraw_cost", r.withdraw_cost, ANY),
            ("volume", r.volume, NON_NEG),
            ("stalled", r.stalled, NON_NEG),
            ("arb_volume", r.arb_volume, NON_NEG),
            ("arb_profit", r.arb_profit, ANY),
            ("peak_dev_pre_arb_bps", r.peak_dev_pre_arb_bps, NON_NEG),
            ("peak_dev_post_arb_bps", r.peak_dev_post_arb_bps, NON_NEG),
            ("peak_dev_post_bot_bps", r.peak_dev_post_bot_bps, NON_NEG),
            ("path_concentration", r.path_concentration, SHARE),
            ("fees", r.fees, NON_NEG),
        ];
        for (name, v, (lo, hi)) in fields {
            num(file, &format!("{at}.{name}"), v, lo, hi)?;
        }
        let at = format!("{at}.chain_peak_outflow");
        self.len(file, &at, r.chain_peak_outflow.len(), self.chains, "chain")?;
        for (i, &v) in r.chain_peak_outflow.iter().enumerate() {
            num(file, &format!("{at}[{i}]"), v, 0.0, f64::INFINITY)?;
        }
        Ok(())
    }

    fn capital(&self, c: &CapitalOutcome, at: &str, file: &str) -> Result<(), InputError> {
        let fields: [(&str, f64, (f64, f64)); 8] = [
            ("roi", c.roi, ANY),
            ("capital_return", c.capital_return, ANY),
            ("capital_end", c.capital_end, ANY),
            ("redemptions", c.redemptions, NON_NEG),
            ("pnl", c.pnl, ANY),
            ("max_drawdown", c.max_drawdown, NON_NEG),
            ("min_peg", c.min_peg, NON_NEG),
            ("collateral_seized", c.collateral_seized, NON_NEG),
        ];
        for (name, v, (lo, hi)) in fields {
            num(file, &format!("{at}.{name}"), v, lo, hi)?;
        }
        for (i, &v) in c.attribution.iter().enumerate() {
            num(file, &format!("{at}.attribution[{i}]"), v, ANY.0, ANY.1)?;
        }
        let epochs = [
            ("peg_deviation_epochs", c.peg_deviation_epochs),
            ("floor_violations", c.floor_violations),
            ("floor_unrepaired", c.floor_unrepaired),
            ("breaker_epochs", c.breaker_epochs),
            ("epochs_above_max_ltv", c.epochs_above_max_ltv),
        ];
        for (name, n) in epochs {
            if n > self.epochs {
                return Err(bad(
                    file,
                    &format!("{at}.{name}"),
                    format!("{n} epochs, but the run has {} epochs", self.epochs),
                ));
            }
        }
        if let Some(e) = c.first_liquidation_epoch
            && e >= self.epochs
        {
            return Err(bad(
                file,
                &format!("{at}.first_liquidation_epoch"),
                format!("epoch {e}, but the run has epochs 0..{}", self.epochs),
            ));
        }
        Ok(())
    }

    fn totals(&self, t: &BatchTotals, at: &str, file: &str) -> Result<(), InputError> {
        let arrays: [ArrayCheck; 9] = [
            (
                "pool_net_flow",
                &t.pool_net_flow,
                self.pools,
                "pool",
                NON_NEG,
            ),
            ("pool_churn", &t.pool_churn, self.pools, "pool", NON_NEG),
            (
                "pool_peak_dev_sum",
                &t.pool_peak_dev_sum,
                self.pools,
                "pool",
                NON_NEG,
            ),
            (
                "pool_peak_dev_max",
                &t.pool_peak_dev_max,
                self.pools,
                "pool",
                NON_NEG,
            ),
            ("pool_fees", &t.pool_fees, self.pools, "pool", NON_NEG),
            ("chain_inject", &t.chain_inject, self.chains, "chain", ANY),
            (
                "chain_withdraw",
                &t.chain_withdraw,
                self.chains,
                "chain",
                ANY,
            ),
            (
                "link_peak_flow_sum",
                &t.link_peak_flow_sum,
                self.links,
                "link",
                NON_NEG,
            ),
            (
                "link_peak_flow_max",
                &t.link_peak_flow_max,
                self.links,
                "link",
                NON_NEG,
            ),
        ];
        for (name, values, want, per, (lo, hi)) in arrays {
            let at = format!("{at}.{name}");
            self.len(file, &at, values.len(), want, per)?;
            for (i, &v) in values.iter().enumerate() {
                num(file, &format!("{at}[{i}]"), v, lo, hi)?;
            }
        }
        Ok(())
    }
}

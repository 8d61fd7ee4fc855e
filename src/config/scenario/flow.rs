//! Check of the scenario's `orderFlow`: the trade size distribution, chain weights and
//! directional lanes, resolved against the checked graph into a `FlowSpec`.

use super::types::{FlowSpec, GraphSpec, LaneSpec, SizeDist};
use crate::config::check::Checker;
use crate::config::raw::{RawScenario, RawSize};
use crate::error::InputError;

fn check_size(s: &RawSize, c: &Checker) -> Result<SizeDist, InputError> {
    let need = |v: Option<f64>, key: &str| {
        v.ok_or_else(|| {
            c.error(
                &format!("orderFlow.size.{key}"),
                format!("`{key}` is required for this distribution"),
            )
        })
    };
    // `maxUsd` is an optional cap for lognormal and pareto: absent means no cap.
    let cap = |floor: f64, floor_key: &str| -> Result<f64, InputError> {
        let Some(max) = s.max_usd else {
            return Ok(f64::INFINITY);
        };
        let max = c.positive("orderFlow.size.maxUsd", max)?;
        if floor > max {
            return Err(c.error(
                "orderFlow.size",
                format!("expected {floor_key} <= maxUsd, got {floor_key} {floor} > maxUsd {max}"),
            ));
        }
        Ok(max)
    };
    Ok(
        match c.choice(
            "orderFlow.size.distribution",
            &s.distribution,
            &["uniform", "lognormal", "pareto"],
        )? {
            "uniform" => {
                let min = c.non_negative("orderFlow.size.minUsd", need(s.min_usd, "minUsd")?)?;
                let max = c.positive("orderFlow.size.maxUsd", need(s.max_usd, "maxUsd")?)?;
                if min >= max {
                    return Err(c.error("orderFlow.size", "expected minUsd < maxUsd"));
                }
                SizeDist::Uniform { min, max }
            }
            "lognormal" => {
                let median =
                    c.positive("orderFlow.size.medianUsd", need(s.median_usd, "medianUsd")?)?;
                SizeDist::LogNormal {
                    median,
                    sigma: c.range("orderFlow.size.sigma", need(s.sigma, "sigma")?, 0.0, 5.0)?,
                    cap: cap(median, "medianUsd")?,
                }
            }
            _ => {
                let scale = c.positive("orderFlow.size.minUsd", need(s.min_usd, "minUsd")?)?;
                SizeDist::Pareto {
                    scale,
                    tail: c.range(
                        "orderFlow.size.tailIndex",
                        need(s.tail_index, "tailIndex")?,
                        0.5,
                        10.0,
                    )?,
                    cap: cap(scale, "minUsd")?,
                }
            }
        },
    )
}

pub(super) fn check_flow(
    raw: &RawScenario,
    graph: &GraphSpec,
    c: &Checker,
) -> Result<FlowSpec, InputError> {
    let f = &raw.order_flow;
    let size = check_size(&f.size, c)?;
    let mut chain_weights = vec![1.0; graph.chains.len() - 1];
    for (i, w) in f.chain_weights.iter().enumerate() {
        let at = format!("orderFlow.chainWeights[{i}]");
        let Some(pos) = graph.chains[1..].iter().position(|ch| ch.id == w.chain_id) else {
            return Err(c.error(
                &format!("{at}.chainId"),
                format!("chain {} is not a spoke chain of this scenario", w.chain_id),
            ));
        };
        if let Some(j) = f.chain_weights[..i]
            .iter()
            .position(|other| other.chain_id == w.chain_id)
        {
            return Err(c.error(
                &format!("{at}.chainId"),
                format!(
                    "chain {} already has a weight at orderFlow.chainWeights[{j}]; give each \
                     chain one weight",
                    w.chain_id
                ),
            ));
        }
        chain_weights[pos] = c.non_negative(&format!("{at}.weight"), w.weight)?;
    }
    if graph.chains.len() > 1 && chain_weights.iter().sum::<f64>() <= 0.0 {
        return Err(c.error(
            "orderFlow.chainWeights",
            "at least one chain needs a positive weight",
        ));
    }
    let mut lanes = Vec::new();
    for (i, lane) in f.lanes.iter().enumerate() {
        let at = format!("orderFlow.lanes[{i}]");
        for (chain, token, key) in [
            (lane.from_chain, &lane.from_token, "from"),
            (lane.to_chain, &lane.to_token, "to"),
        ] {
            let ok = graph.chains.iter().any(|ch| {
                ch.id == chain && (ch.anchors.contains(token) || is_hub_token(graph, chain, token))
            });
            if !ok {
                return Err(c.error(
                    &format!("{at}.{key}Token"),
                    format!("`{token}` on chain {chain} is not an endpoint of this graph"),
                ));
            }
        }
        if lane.from_chain == lane.to_chain && lane.from_token == lane.to_token {
            return Err(c.error(
                &at,
                format!(
                    "the lane goes from `{}` on chain {} to itself; a lane needs two different \
                     endpoints",
                    lane.from_token, lane.from_chain
                ),
            ));
        }
        lanes.push(LaneSpec {
            from: (lane.from_chain, lane.from_token.clone()),
            to: (lane.to_chain, lane.to_token.clone()),
            share: c.range(&format!("{at}.share"), lane.share, 0.0, 1.0)?,
        });
    }
    if lanes.iter().map(|l| l.share).sum::<f64>() > 1.0 {
        return Err(c.error("orderFlow.lanes", "lane shares add up to more than 1"));
    }
    Ok(FlowSpec {
        trades_per_epoch: c.count(
            "orderFlow.tradesPerEpoch",
            f.trades_per_epoch.into(),
            0,
            100_000,
        )? as u32,
        size,
        cross_chain_share: c.range("orderFlow.crossChainShare", f.cross_chain_share, 0.0, 1.0)?,
        hub_share: c.range("orderFlow.hubShare", f.hub_share, 0.0, 1.0)?,
        chain_weights,
        lanes,
    })
}

fn is_hub_token(graph: &GraphSpec, chain: u64, token: &str) -> bool {
    chain == graph.hub && graph.denominations.iter().any(|d| token == format!("c{d}"))
}

//! The shock schedule: which shocks are active in each epoch and what they change.
//! Shocks are scenario-level (the same in every path), so the schedule is computed once
//! per run; the routing conditions it implies are built once per distinct shock set.

use crate::config::scenario::{Shock, ShockKind};
use crate::model::graph::Graph;
use crate::model::routing::Conditions;

/// What the active shocks do in one epoch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EpochShocks {
    /// Index into `ShockSchedule::conditions` (bridge outages and degradations).
    pub conditions: usize,
    /// Multiplier on the number of trades.
    pub volume_multiplier: f64,
    /// Return of the external asset added this epoch by a crash (e.g. -0.05).
    pub crash_return: f64,
    /// Sigma forced to at least this level by a sigma spike.
    pub sigma_floor: Option<f64>,
    /// Multiplier on the Hawkes baseline intensity of heavy redemptions.
    pub redemption_multiplier: f64,
}

/// Per-epoch shocks and the distinct routing conditions they produce.
#[derive(Debug, Clone)]
pub struct ShockSchedule {
    pub epochs: Vec<EpochShocks>,
    /// Distinct bridge conditions; `pool_fee` holds the design fees.
    pub conditions: Vec<Conditions>,
}

impl ShockSchedule {
    /// Builds the schedule for `epochs` epochs.
    pub fn new(shocks: &[Shock], graph: &Graph, epochs: u32) -> Self {
        let mut conditions: Vec<Conditions> = vec![Conditions::calm(graph)];
        let mut keys: Vec<Vec<usize>> = vec![Vec::new()];
        let mut out = Vec::with_capacity(epochs as usize);
        for epoch in 0..epochs {
            let active: Vec<usize> = (0..shocks.len())
                .filter(|i| shocks[*i].active(epoch))
                .collect();
            let bridge: Vec<usize> = active
                .iter()
                .copied()
                .filter(|i| {
                    matches!(
                        shocks[*i].kind,
                        ShockKind::BridgeOutage { .. } | ShockKind::BridgeDegradation { .. }
                    )
                })
                .collect();
            let id = match keys.iter().position(|k| *k == bridge) {
                Some(id) => id,
                None => {
                    conditions.push(bridge_conditions(graph, bridge.iter().map(|i| &shocks[*i])));
                    keys.push(bridge);
                    conditions.len() - 1
                }
            };
            let mut e = EpochShocks {
                conditions: id,
                volume_multiplier: 1.0,
                crash_return: 0.0,
                sigma_floor: None,
                redemption_multiplier: 1.0,
            };
            for shock in active.iter().map(|i| &shocks[*i]) {
                match shock.kind {
                    ShockKind::Volume { multiplier } => e.volume_multiplier *= multiplier,
                    ShockKind::Crash { drop } => {
                        let len = f64::from(shock.end - shock.start);
                        e.crash_return += (1.0 - drop).powf(1.0 / len) - 1.0;
                    }
                    ShockKind::SigmaSpike { sigma } => {
                        e.sigma_floor = Some(e.sigma_floor.map_or(sigma, |s: f64| s.max(sigma)))
                    }
                    ShockKind::RedemptionSpike { multiplier } => {
                        e.redemption_multiplier *= multiplier
                    }
                    _ => {}
                }
            }
            out.push(e);
        }
        Self {
            epochs: out,
            conditions,
        }
    }
}

fn bridge_conditions<'a>(graph: &Graph, shocks: impl Iterator<Item = &'a Shock>) -> Conditions {
    let mut cond = Conditions::calm(graph);
    for shock in shocks {
        let (a, b) = match shock.kind {
            ShockKind::BridgeOutage { a, b } | ShockKind::BridgeDegradation { a, b, .. } => (a, b),
            _ => continue,
        };
        let Some(link) = graph
            .links
            .iter()
            .position(|l| (l.a == a && l.b == b) || (l.a == b && l.b == a))
        else {
            continue;
        };
        match shock.kind {
            ShockKind::BridgeOutage { .. } => cond.link_down[link] = true,
            ShockKind::BridgeDegradation {
                cost_multiplier,
                latency_multiplier,
                ..
            } => {
                cond.link_cost[link] *= cost_multiplier;
                cond.link_latency[link] *= latency_multiplier;
            }
            _ => {}
        }
    }
    cond
}

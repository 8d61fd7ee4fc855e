//! Check of the scenario's `shocks`: each raw shock (a `kind` word plus the optional
//! fields of every kind) becomes a `Shock` whose `ShockKind` carries exactly the fields
//! of its kind, its bridge link checked against the graph and its window clipped to the run.

use super::types::{GraphSpec, Shock, ShockKind};
use crate::config::check::Checker;
use crate::config::raw::RawShock;
use crate::error::InputError;

fn has_link(graph: &GraphSpec, a: u64, b: u64) -> bool {
    let known = |id: u64| graph.chains.iter().any(|ch| ch.id == id);
    a != b && known(a) && known(b) && (a == graph.hub || b == graph.hub || graph.spoke_links)
}

pub(super) fn check_shock(
    s: &RawShock,
    at: &str,
    graph: &GraphSpec,
    epochs: u32,
    c: &Checker,
) -> Result<Shock, InputError> {
    if s.start_epoch >= s.end_epoch {
        return Err(c.error(
            &format!("{at}.endEpoch"),
            format!("expected endEpoch > startEpoch ({})", s.start_epoch),
        ));
    }
    let need = |v: Option<f64>, key: &str| {
        v.ok_or_else(|| {
            c.error(
                &format!("{at}.{key}"),
                format!("`{key}` is required for a {} shock", s.kind),
            )
        })
    };
    let link = || -> Result<(u64, u64), InputError> {
        let [a, b] = s.link.ok_or_else(|| {
            c.error(
                &format!("{at}.link"),
                "`link` [chainA, chainB] is required for a bridge shock",
            )
        })?;
        if !has_link(graph, a, b) {
            return Err(c.error(
                &format!("{at}.link"),
                format!("there is no bridge between chains {a} and {b} in this graph"),
            ));
        }
        Ok((a, b))
    };
    let kinds = [
        "bridgeOutage",
        "bridgeDegradation",
        "volume",
        "crash",
        "sigmaSpike",
        "redemptionSpike",
    ];
    let kind = match c.choice(&format!("{at}.kind"), &s.kind, &kinds)? {
        "bridgeOutage" => {
            let (a, b) = link()?;
            ShockKind::BridgeOutage { a, b }
        }
        "bridgeDegradation" => {
            let (a, b) = link()?;
            ShockKind::BridgeDegradation {
                a,
                b,
                cost_multiplier: c.range(
                    &format!("{at}.costMultiplier"),
                    s.cost_multiplier.unwrap_or(1.0),
                    1.0,
                    1_000.0,
                )?,
                latency_multiplier: c.range(
                    &format!("{at}.latencyMultiplier"),
                    s.latency_multiplier.unwrap_or(1.0),
                    1.0,
                    1_000.0,
                )?,
            }
        }
        "volume" => ShockKind::Volume {
            multiplier: c.range(
                &format!("{at}.multiplier"),
                need(s.multiplier, "multiplier")?,
                0.0,
                100.0,
            )?,
        },
        "crash" => ShockKind::Crash {
            drop: c.range(&format!("{at}.drop"), need(s.drop, "drop")?, 0.0, 0.99)?,
        },
        "sigmaSpike" => ShockKind::SigmaSpike {
            sigma: c.range(&format!("{at}.sigma"), need(s.sigma, "sigma")?, 0.0, 20.0)?,
        },
        "redemptionSpike" => ShockKind::RedemptionSpike {
            multiplier: c.range(
                &format!("{at}.multiplier"),
                need(s.multiplier, "multiplier")?,
                0.0,
                1_000.0,
            )?,
        },
        other => {
            return Err(c.error(
                &format!("{at}.kind"),
                format!("internal: shock kind `{other}` has no check"),
            ));
        }
    };
    Ok(Shock {
        kind,
        start: s.start_epoch,
        end: s.end_epoch.min(epochs),
    })
}

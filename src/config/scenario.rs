//! The checked scenario: `RawScenario` validated and resolved against the deployment
//! status into the graph, flow, router, shock and Monte Carlo settings the engine uses.

use super::capital::CapitalSpec;
use super::check::Checker;
use super::deployment::Deployment;
use super::policy::Policy;
use super::raw::{RawBridges, RawScenario, RawShock, RawSize};
use crate::error::InputError;

/// `design` (assumed pools) or `deployed` (pools from `deployment-status.json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphMode {
    Design,
    Deployed,
}

/// Which anchors a cW token is paired with in design mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Topology {
    HubOnly,
    FullQuote,
}

/// A chain in the graph.
#[derive(Debug, Clone, PartialEq)]
pub struct ChainSpec {
    pub id: u64,
    pub name: String,
    /// Anchor stables (empty on the hub).
    pub anchors: Vec<String>,
}

/// One of our PMM pools.
#[derive(Debug, Clone, PartialEq)]
pub struct PoolSpec {
    pub chain: u64,
    /// Base token: the cW token (or a canonical token on the hub).
    pub base: String,
    /// Quote token: the anchor.
    pub quote: String,
    /// Target inventory per side `I*`, USD.
    pub depth: f64,
    /// DODO slippage factor.
    pub k: f64,
    /// Fee, fraction of output.
    pub fee: f64,
}

/// Cost of a bridge or mint/burn link: `y = x (1 - fee) - fixed - premium * latency * x`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkCost {
    /// Fee share `beta`, fraction.
    pub fee: f64,
    /// Fixed cost `gamma`, USD.
    pub fixed: f64,
    /// Latency, hours.
    pub latency_hours: f64,
    /// Latency premium `rho`, fraction per hour.
    pub premium_per_hour: f64,
}

/// The resolved graph settings.
#[derive(Debug, Clone)]
pub struct GraphSpec {
    pub hub: u64,
    pub mode: GraphMode,
    pub topology: Topology,
    /// Hub first, then the spokes in scenario order.
    pub chains: Vec<ChainSpec>,
    pub denominations: Vec<String>,
    pub pools: Vec<PoolSpec>,
    pub spoke_links: bool,
    pub bridge: LinkCost,
    pub hub_link: LinkCost,
    /// Background AMM fee (fraction) and reserves per side (USD).
    pub amm_fee: f64,
    pub amm_depth: f64,
    /// External route cost (fraction) and fixed cost (USD).
    pub external_cost: f64,
    pub external_fixed: f64,
}

/// Trade size distribution, USD.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SizeDist {
    Uniform { min: f64, max: f64 },
    LogNormal { median: f64, sigma: f64, cap: f64 },
    Pareto { scale: f64, tail: f64, cap: f64 },
}

/// A directional lane of order flow.
#[derive(Debug, Clone, PartialEq)]
pub struct LaneSpec {
    pub from: (u64, String),
    pub to: (u64, String),
    pub share: f64,
}

/// Order flow settings.
#[derive(Debug, Clone)]
pub struct FlowSpec {
    pub trades_per_epoch: u32,
    pub size: SizeDist,
    pub cross_chain_share: f64,
    pub hub_share: f64,
    /// Weight per spoke chain, aligned with `GraphSpec::chains[1..]`.
    pub chain_weights: Vec<f64>,
    pub lanes: Vec<LaneSpec>,
}

/// Router settings.
#[derive(Debug, Clone, Copy)]
pub struct RouterSpec {
    pub max_paths: usize,
    pub chunks: usize,
    pub max_hops: usize,
    /// Largest acceptable cost, fraction of input; worse trades stall.
    pub max_cost: f64,
}

/// Arbitrage settings.
#[derive(Debug, Clone, Copy)]
pub struct ArbSpec {
    /// Deviation threshold, fraction.
    pub threshold: f64,
    pub max_fraction: f64,
}

/// Inventory bot settings.
#[derive(Debug, Clone, Copy)]
pub struct BotSpec {
    pub low_water: f64,
    pub high_water: f64,
    pub max_fraction: f64,
}

/// What a shock does.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ShockKind {
    BridgeOutage {
        a: u64,
        b: u64,
    },
    BridgeDegradation {
        a: u64,
        b: u64,
        cost_multiplier: f64,
        latency_multiplier: f64,
    },
    Volume {
        multiplier: f64,
    },
    Crash {
        drop: f64,
    },
    SigmaSpike {
        sigma: f64,
    },
    RedemptionSpike {
        multiplier: f64,
    },
}

/// A shock over epochs `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shock {
    pub kind: ShockKind,
    pub start: u32,
    pub end: u32,
}

impl Shock {
    /// Whether the shock is active in `epoch`.
    pub fn active(&self, epoch: u32) -> bool {
        epoch >= self.start && epoch < self.end
    }
}

/// Monte Carlo settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MonteCarlo {
    pub paths: u64,
    pub epochs: u32,
    pub epoch_days: f64,
    pub seed: u64,
}

impl MonteCarlo {
    /// Epoch length in years.
    pub fn dt(&self) -> f64 {
        self.epoch_days / 365.0
    }
}

/// A validated scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub graph: GraphSpec,
    pub flow: FlowSpec,
    pub router: RouterSpec,
    pub arbitrage: ArbSpec,
    pub bot: BotSpec,
    pub shocks: Vec<Shock>,
    pub monte_carlo: MonteCarlo,
    /// Routing gates use the stress churn limit.
    pub stress_profile: bool,
    /// Capital assumptions; `None` for a routing-only baseline.
    pub capital: Option<CapitalSpec>,
    /// The raw file, kept for the inputs hash.
    pub raw: RawScenario,
}

/// Upper bounds that keep a typo from asking for a year-long run.
pub const MAX_PATHS: u64 = 100_000_000;
pub const MAX_EPOCHS: u64 = 100_000;

impl Scenario {
    /// Validates `raw` (read from `file`) and resolves its graph against `deployment`.
    pub fn check(
        raw: RawScenario,
        deployment: &Deployment,
        policy: &Policy,
        file: &str,
    ) -> Result<Self, InputError> {
        let c = Checker::new(file);
        let graph = check_graph(&raw, deployment, &c)?;
        let flow = check_flow(&raw, &graph, &c)?;
        let r = &raw.router;
        let router = RouterSpec {
            max_paths: c.count("router.maxPaths", r.max_paths.into(), 1, 16)? as usize,
            chunks: c.count("router.chunks", r.chunks.into(), 1, 256)? as usize,
            max_hops: c.count("router.maxHops", r.max_hops.into(), 1, 8)? as usize,
            max_cost: c.range("router.maxCostBps", r.max_cost_bps, 0.0, 10_000.0)? / 1e4,
        };
        let a = &raw.arbitrage;
        let arbitrage = ArbSpec {
            threshold: c.range("arbitrage.thresholdBps", a.threshold_bps, 0.0, 10_000.0)? / 1e4,
            max_fraction: c.range(
                "arbitrage.maxFractionOfTarget",
                a.max_fraction_of_target,
                0.0,
                1.0,
            )?,
        };
        let b = &raw.bot;
        let bot = BotSpec {
            low_water: c.range("bot.lowWater", b.low_water, 0.0, 1.0)?,
            high_water: c.range("bot.highWater", b.high_water, 1.0, 10.0)?,
            max_fraction: c.range(
                "bot.maxFractionOfTargetPerEpoch",
                b.max_fraction_of_target_per_epoch,
                0.0,
                1.0,
            )?,
        };
        let m = &raw.monte_carlo;
        let monte_carlo = MonteCarlo {
            paths: c.count("monteCarlo.paths", m.paths, 1, MAX_PATHS)?,
            epochs: c.count("monteCarlo.epochs", m.epochs.into(), 1, MAX_EPOCHS)? as u32,
            epoch_days: c.range("monteCarlo.epochDays", m.epoch_days, 1.0 / 24.0, 365.0)?,
            seed: m.seed,
        };
        let shocks = raw
            .shocks
            .iter()
            .enumerate()
            .map(|(i, s)| check_shock(s, &format!("shocks[{i}]"), &graph, monte_carlo.epochs, &c))
            .collect::<Result<Vec<_>, _>>()?;
        let stress_profile =
            c.choice("gateProfile", &raw.gate_profile, &["normal", "stress"])? == "stress";
        if let Some(block) = &raw.optimizer {
            check_optimizer(block, policy, &c)?;
        }
        let capital = match &raw.capital_efficiency {
            Some(block) => Some(CapitalSpec::check(block, policy, monte_carlo.dt(), file)?),
            None => None,
        };
        Ok(Self {
            name: raw.name.clone(),
            description: raw.description.clone(),
            graph,
            flow,
            router,
            arbitrage,
            bot,
            shocks,
            monte_carlo,
            stress_profile,
            capital,
            raw,
        })
    }
}

fn link_cost(
    c: &Checker,
    fee_bps: f64,
    fixed: f64,
    latency: f64,
    premium_bps: f64,
    at: [&str; 4],
) -> Result<LinkCost, InputError> {
    Ok(LinkCost {
        fee: c.range(at[0], fee_bps, 0.0, 10_000.0)? / 1e4,
        fixed: c.non_negative(at[1], fixed)?,
        latency_hours: c.non_negative(at[2], latency)?,
        premium_per_hour: c.range(at[3], premium_bps, 0.0, 10_000.0)? / 1e4,
    })
}

fn check_graph(
    raw: &RawScenario,
    deployment: &Deployment,
    c: &Checker,
) -> Result<GraphSpec, InputError> {
    let mode = match c.choice("graphMode", &raw.graph_mode, &["design", "deployed"])? {
        "design" => GraphMode::Design,
        _ => GraphMode::Deployed,
    };
    let topology = match c.choice("topology", &raw.topology, &["hub_only", "full_quote"])? {
        "hub_only" => Topology::HubOnly,
        _ => Topology::FullQuote,
    };
    let hub = deployment.hub_chain_id;
    let mut ids = vec![hub];
    for (i, id) in raw.chains.iter().enumerate() {
        if deployment.chain(*id).is_none() {
            return Err(c.error(
                &format!("chains[{i}]"),
                format!("chain {id} is not in deployment-status.json"),
            ));
        }
        if ids.contains(id) {
            return Err(c.error(
                &format!("chains[{i}]"),
                format!("chain {id} is listed twice (the hub {hub} is always included)"),
            ));
        }
        ids.push(*id);
    }
    if raw.denominations.is_empty() {
        return Err(c.error(
            "denominations",
            "expected at least one denomination, e.g. [\"USDC\"]",
        ));
    }
    let chains: Vec<ChainSpec> = ids
        .iter()
        .filter_map(|id| deployment.chain(*id))
        .map(|ch| ChainSpec {
            id: ch.chain_id,
            name: ch.name.clone(),
            anchors: if ch.chain_id == hub {
                Vec::new()
            } else {
                ch.anchors.clone()
            },
        })
        .collect();
    let pools = match mode {
        GraphMode::Design => design_pools(raw, &chains, topology, c)?,
        GraphMode::Deployed => deployed_pools(&ids, deployment),
    };
    let b: &RawBridges = &raw.bridges;
    let spoke_links = c.choice("bridges.spokeLinks", &b.spoke_links, &["all", "none"])? == "all";
    let bridge = link_cost(
        c,
        b.fee_bps,
        b.fixed_cost_usd,
        b.latency_hours,
        b.latency_premium_bps_per_hour,
        [
            "bridges.feeBps",
            "bridges.fixedCostUsd",
            "bridges.latencyHours",
            "bridges.latencyPremiumBpsPerHour",
        ],
    )?;
    let hub_link = link_cost(
        c,
        b.hub_fee_bps,
        b.hub_fixed_cost_usd,
        b.hub_latency_hours,
        b.latency_premium_bps_per_hour,
        [
            "bridges.hubFeeBps",
            "bridges.hubFixedCostUsd",
            "bridges.hubLatencyHours",
            "bridges.latencyPremiumBpsPerHour",
        ],
    )?;
    Ok(GraphSpec {
        hub,
        mode,
        topology,
        chains,
        denominations: raw.denominations.clone(),
        pools,
        spoke_links,
        bridge,
        hub_link,
        amm_fee: c.range(
            "backgroundAmm.feeBps",
            raw.background_amm.fee_bps,
            0.0,
            10_000.0,
        )? / 1e4,
        amm_depth: c.positive("backgroundAmm.depthUsd", raw.background_amm.depth_usd)?,
        external_cost: c.range(
            "externalRoute.costBps",
            raw.external_route.cost_bps,
            0.0,
            10_000.0,
        )? / 1e4,
        external_fixed: c.non_negative(
            "externalRoute.fixedCostUsd",
            raw.external_route.fixed_cost_usd,
        )?,
    })
}

fn design_pools(
    raw: &RawScenario,
    chains: &[ChainSpec],
    topology: Topology,
    c: &Checker,
) -> Result<Vec<PoolSpec>, InputError> {
    let depth = c.positive("pools.depthUsd", raw.pools.depth_usd)?;
    let k = c.range("pools.k", raw.pools.k, 0.0, 1.0)?;
    let fee = c.range("pools.feeBps", raw.pools.fee_bps, 0.0, 1_000.0)? / 1e4;
    let mut pools = Vec::new();
    for chain in chains.iter().filter(|ch| !ch.anchors.is_empty()) {
        let quotes: &[String] = match topology {
            Topology::HubOnly => &chain.anchors[..1],
            Topology::FullQuote => &chain.anchors,
        };
        for denom in &raw.denominations {
            for quote in quotes {
                pools.push(PoolSpec {
                    chain: chain.id,
                    base: format!("cW{denom}"),
                    quote: quote.clone(),
                    depth,
                    k,
                    fee,
                });
            }
        }
    }
    Ok(pools)
}

fn deployed_pools(ids: &[u64], deployment: &Deployment) -> Vec<PoolSpec> {
    ids.iter()
        .filter_map(|id| deployment.chain(*id))
        .flat_map(|ch| {
            ch.pools
                .iter()
                .filter(|p| p.enabled)
                .map(move |p| PoolSpec {
                    chain: ch.chain_id,
                    base: p.base.clone(),
                    quote: p.quote.clone(),
                    depth: p.depth_usd,
                    k: p.k,
                    fee: p.fee_bps / 1e4,
                })
        })
        .collect()
}

fn check_size(s: &RawSize, c: &Checker) -> Result<SizeDist, InputError> {
    let need = |v: Option<f64>, key: &str| {
        v.ok_or_else(|| {
            c.error(
                &format!("orderFlow.size.{key}"),
                format!("`{key}` is required for this distribution"),
            )
        })
    };
    let cap_or = |v: Option<f64>| v.unwrap_or(f64::INFINITY);
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
            "lognormal" => SizeDist::LogNormal {
                median: c.positive("orderFlow.size.medianUsd", need(s.median_usd, "medianUsd")?)?,
                sigma: c.range("orderFlow.size.sigma", need(s.sigma, "sigma")?, 0.0, 5.0)?,
                cap: c.positive("orderFlow.size.maxUsd", cap_or(s.max_usd))?,
            },
            _ => SizeDist::Pareto {
                scale: c.positive("orderFlow.size.minUsd", need(s.min_usd, "minUsd")?)?,
                tail: c.range(
                    "orderFlow.size.tailIndex",
                    need(s.tail_index, "tailIndex")?,
                    0.5,
                    10.0,
                )?,
                cap: c.positive("orderFlow.size.maxUsd", cap_or(s.max_usd))?,
            },
        },
    )
}

fn check_flow(raw: &RawScenario, graph: &GraphSpec, c: &Checker) -> Result<FlowSpec, InputError> {
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

fn has_link(graph: &GraphSpec, a: u64, b: u64) -> bool {
    let known = |id: u64| graph.chains.iter().any(|ch| ch.id == id);
    a != b && known(a) && known(b) && (a == graph.hub || b == graph.hub || graph.spoke_links)
}

fn check_shock(
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
        _ => ShockKind::RedemptionSpike {
            multiplier: c.range(
                &format!("{at}.multiplier"),
                need(s.multiplier, "multiplier")?,
                0.0,
                1_000.0,
            )?,
        },
    };
    Ok(Shock {
        kind,
        start: s.start_epoch,
        end: s.end_epoch.min(epochs),
    })
}

fn check_optimizer(
    block: &super::raw::RawOptimizer,
    policy: &Policy,
    c: &Checker,
) -> Result<(), InputError> {
    if block.leverage.is_empty() {
        return Err(c.error("optimizer.leverage", "expected at least one leverage value"));
    }
    for (i, l) in block.leverage.iter().enumerate() {
        // Values above the hard limit are allowed: the optimizer rejects them with a reason.
        c.range(&format!("optimizer.leverage[{i}]"), *l, 1.0, 100.0)?;
    }
    for (i, a) in block.alpha.iter().enumerate() {
        c.range(&format!("optimizer.alpha[{i}]"), *a, 0.0, 1.0)?;
    }
    for (i, s) in block.spread_bps.iter().enumerate() {
        c.range(
            &format!("optimizer.spreadBps[{i}]"),
            *s,
            0.0,
            policy.spread.ceiling_bps,
        )?;
    }
    if let Some(paths) = block.paths {
        c.count("optimizer.paths", paths, 1, MAX_PATHS)?;
    }
    Ok(())
}

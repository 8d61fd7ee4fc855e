//! The route table compiled for the router's inner loops: every route's hops as compact
//! steps in one flat array (no pointer per route, 8 bytes a step), with the per-route
//! facts the router reads on every chunk (its span of steps, the pools and AMMs it
//! touches as a bit set, whether it is captured or reflexive). Built once per graph.

use crate::model::graph::{Graph, Hop};

/// One hop of a compiled route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    /// Our PMM pool, selling base for quote when `sell_base`.
    Pool { pool: u32, sell_base: bool },
    /// A bridge or mint/burn link, `a -> b` when `forward`.
    Link { link: u32, forward: bool },
    /// A background AMM, token `a -> b` when `forward`.
    Amm { amm: u32, forward: bool },
    /// The external route.
    External,
}

/// What the router needs to know about one route besides its steps.
#[derive(Debug, Clone, Copy)]
pub(super) struct RouteInfo {
    /// The route's steps are `steps[start..start + len]`.
    pub(super) start: u32,
    pub(super) len: u32,
    /// Passes through at least one of our pools.
    pub(super) captured: bool,
    /// Passes through more than one of our pools on one chain.
    pub(super) reflexive: bool,
    /// The stateful hops it passes through (see [`touch_mask`]).
    pub(super) touch: u128,
}

/// Every route of a graph, compiled.
#[derive(Debug, Clone)]
pub(super) struct RoutePlan {
    pub(super) steps: Vec<Step>,
    pub(super) routes: Vec<RouteInfo>,
}

impl RoutePlan {
    pub(super) fn new(graph: &Graph) -> Self {
        let mut steps = Vec::new();
        let routes = graph
            .routes
            .iter()
            .enumerate()
            .map(|(r, route)| {
                let start = steps.len() as u32;
                steps.extend(route.hops.iter().map(|hop| match *hop {
                    Hop::Pool { pool, sell_base } => Step::Pool {
                        pool: pool as u32,
                        sell_base,
                    },
                    Hop::Link { link, forward } => Step::Link {
                        link: link as u32,
                        forward,
                    },
                    Hop::Amm { amm, forward } => Step::Amm {
                        amm: amm as u32,
                        forward,
                    },
                    Hop::External => Step::External,
                }));
                RouteInfo {
                    start,
                    len: route.hops.len() as u32,
                    captured: route.pool_count > 0,
                    reflexive: route.reflexive,
                    touch: touch_mask(graph, r),
                }
            })
            .collect();
        Self { steps, routes }
    }

    /// The steps of `route`.
    #[inline(always)]
    pub(super) fn steps(&self, route: u32) -> &[Step] {
        let info = &self.routes[route as usize];
        &self.steps[info.start as usize..(info.start + info.len) as usize]
    }
}

/// The stateful hops of `route` (our pools and the background AMMs; links and the
/// external route are priced from `Conditions` alone) as a bit set: pool `p` sets bit
/// `p % 64`, AMM `a` sets bit `64 + a % 64`. Two routes whose sets are disjoint share no
/// state, so executing one cannot change the other's quote; a shared bit from wrapping
/// only costs an extra re-quote.
pub(super) fn touch_mask(graph: &Graph, route: usize) -> u128 {
    graph.routes[route]
        .hops
        .iter()
        .fold(0, |mask, hop| match *hop {
            Hop::Pool { pool, .. } => mask | 1u128 << (pool % 64),
            Hop::Amm { amm, .. } => mask | 1u128 << (64 + amm % 64),
            Hop::Link { .. } | Hop::External => mask,
        })
}

//! Seed 001's operator procedures as policy actions on one path: the redemption throttle (a
//! fee on redemptions from a schedule against drawdown or peg deviation, and a pause of
//! non-essential outflows), treasury liquidity deployment (from the documented commitments
//! only, within their amounts and after their latencies), the peg circuit breaker (no
//! liquidity added to the pools while tripped, defence-only rebalancing, with hysteresis) and
//! deleveraging (a leverage cap once triggered). The overlay (`overlay/settle.rs`) calls these
//! at fixed points of the epoch; this file holds the per-path state, the decisions and what
//! each action did and cost. It draws no random numbers.

use serde::{Deserialize, Serialize};

use crate::config::runbook::{Runbook, TreasuryDeployment};
use crate::model::allocation::normalise;

/// The per-path state of the runbook's actions.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RunbookState {
    /// The redemption fee this epoch, share of the amount redeemed.
    pub fee: f64,
    pub breaker_tripped: bool,
    pub delever_on: bool,
    /// Per deployment source: committed USD already requested (arrived or on the way).
    pub requested: Vec<f64>,
    /// Per deployment source: USD on the way and the epoch it arrives in the reserve.
    pub in_flight: Vec<(f64, u32)>,
}

/// What each action did on one path.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct RunbookTally {
    /// Entries into a charged redemption fee.
    pub throttle_triggers: u32,
    /// Epochs with a fee charged.
    pub throttle_epochs: u32,
    /// Fees withheld from redeeming holders, USD (their cost of the throttle).
    pub throttle_fees_usd: f64,
    /// Requests to the treasury's sources.
    pub deployment_triggers: u32,
    /// Treasury liquidity requested from the commitments, USD (arrived or on the way).
    pub deployment_requested_usd: f64,
    /// Treasury liquidity that arrived in the reserve, USD.
    pub deployed_usd: f64,
    /// Trips of the peg circuit breaker.
    pub breaker_triggers: u32,
    /// Epochs with the breaker tripped.
    pub breaker_epochs: u32,
    /// Rebalancing inflow to the PMM withheld while tripped, USD.
    pub breaker_withheld_usd: f64,
    /// Whether (0 or 1) the deleverage action triggered.
    pub delever_triggers: u32,
    /// Epochs with the leverage cap on.
    pub delever_epochs: u32,
    /// Unwind costs of the deleveraging the cap forced, USD.
    pub delever_cost_usd: f64,
}

impl RunbookState {
    /// The state at the start of a path.
    pub fn new(runbook: &Runbook) -> Self {
        let n = runbook
            .treasury_deployment
            .as_ref()
            .map_or(0, |d| d.sources.len());
        Self {
            requested: vec![0.0; n],
            in_flight: vec![(0.0, 0); n],
            ..Self::default()
        }
    }

    /// The epoch's decisions, from the state at the end of the last epoch: the fee, the
    /// breaker (trips above `trip`, resets at or below `reset`) and the deleverage trigger
    /// (latched for the rest of the path: resuming needs a re-run that passes the gates).
    pub fn decide(
        &mut self,
        runbook: &Runbook,
        drawdown: f64,
        peg: f64,
        ltv: f64,
        tally: &mut RunbookTally,
    ) {
        let dev = (peg - 1.0).abs();
        if let Some(t) = &runbook.redemption_throttle {
            let fee = t.fee(drawdown, dev);
            if fee > 0.0 && self.fee <= 0.0 {
                tally.throttle_triggers += 1;
            }
            self.fee = fee;
            tally.throttle_epochs += u32::from(fee > 0.0);
        }
        if let Some(b) = &runbook.peg_circuit_breaker {
            if !self.breaker_tripped && dev > b.trip_deviation {
                self.breaker_tripped = true;
                tally.breaker_triggers += 1;
            } else if self.breaker_tripped && dev <= b.reset_deviation {
                self.breaker_tripped = false;
            }
            tally.breaker_epochs += u32::from(self.breaker_tripped);
        }
        if let Some(d) = &runbook.deleverage {
            if !self.delever_on
                && (drawdown > d.trigger_drawdown || d.trigger_ltv.is_some_and(|l| ltv > l))
            {
                self.delever_on = true;
                tally.delever_triggers += 1;
            }
            tally.delever_epochs += u32::from(self.delever_on);
        }
    }

    /// The leverage target after the deleverage cap.
    pub fn cap_leverage(&self, runbook: &Runbook, leverage: f64) -> f64 {
        match &runbook.deleverage {
            Some(d) if self.delever_on => leverage.min(d.max_leverage),
            _ => leverage,
        }
    }

    /// Treasury deployment at `epoch`: first what arrives now, then a new request when the
    /// reserve `reserve` is below `multiple x floor x total`, for the shortfall net of what
    /// is on its way, drawn from the sources in order, each within what is left of its
    /// commitment; a source with no delay delivers at once. Returns the USD that arrives in
    /// the reserve this epoch.
    pub fn deploy(
        &mut self,
        d: &TreasuryDeployment,
        epoch: u32,
        reserve: f64,
        floor_amount: f64,
        tally: &mut RunbookTally,
    ) -> f64 {
        let mut arrived = 0.0;
        for slot in &mut self.in_flight {
            if slot.0 > 0.0 && slot.1 <= epoch {
                arrived += slot.0;
                slot.0 = 0.0;
            }
        }
        let on_the_way: f64 = self.in_flight.iter().map(|s| s.0).sum();
        let need = d.target_reserve_multiple * floor_amount - (reserve + arrived) - on_the_way;
        if need > 0.0 && need.is_finite() {
            let mut left = need;
            let mut asked = false;
            for (i, s) in d.sources.iter().enumerate() {
                if left <= 0.0 {
                    break;
                }
                // One request per source in flight at a time.
                if self.in_flight[i].0 > 0.0 {
                    continue;
                }
                let take = left.min(s.amount_usd - self.requested[i]);
                if take <= 0.0 {
                    continue;
                }
                self.requested[i] += take;
                tally.deployment_requested_usd += take;
                left -= take;
                asked = true;
                if s.delay_epochs == 0 {
                    arrived += take;
                } else {
                    self.in_flight[i] = (take, epoch + s.delay_epochs);
                }
            }
            tally.deployment_triggers += u32::from(asked);
        }
        tally.deployed_usd += arrived;
        arrived
    }

    /// The rebalancer's target shares `w` (`[Y, M, R]`) after the throttle's pause and the
    /// breaker, given the current shares `now`: paused, the reserve keeps at least its
    /// current share (it is not drawn to invest); tripped, the PMM gets at most its current
    /// share, the rest going to the reserve (defence only). Returns the new shares and the
    /// share withheld from the PMM.
    pub fn restrict_weights(
        &self,
        runbook: &Runbook,
        w: [f64; 3],
        now: [f64; 3],
    ) -> ([f64; 3], f64) {
        let mut w = normalise(w);
        let now = normalise(now);
        let mut withheld = 0.0;
        if self.breaker_tripped && runbook.peg_circuit_breaker.is_some() && w[1] > now[1] {
            withheld = w[1] - now[1];
            w[2] += withheld;
            w[1] = now[1];
        }
        if self.paused(runbook) && w[2] < now[2] {
            let rest = w[0] + w[1];
            let scale = if rest > 0.0 {
                (1.0 - now[2]) / rest
            } else {
                0.0
            };
            w = [w[0] * scale, w[1] * scale, now[2]];
        }
        (normalise(w), withheld)
    }

    /// Whether non-essential outflows are paused this epoch.
    pub fn paused(&self, runbook: &Runbook) -> bool {
        self.fee > 0.0
            && runbook
                .redemption_throttle
                .as_ref()
                .is_some_and(|t| t.pause_non_essential_outflows)
    }
}

/// Total committed amount of the deployment's sources, USD.
pub fn committed_usd(d: &TreasuryDeployment) -> f64 {
    d.sources.iter().map(|s| s.amount_usd).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::runbook::{
        DeploymentSource, FeeDriver, FeeTier, PegCircuitBreaker, RedemptionThrottle,
    };
    use rand::{RngExt, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    fn deployment() -> TreasuryDeployment {
        TreasuryDeployment {
            target_reserve_multiple: 1.0,
            requested: None,
            sources: vec![
                DeploymentSource {
                    chain_id: 138,
                    source: "treasury multisig".into(),
                    amount_usd: 20e6,
                    delay_epochs: 1,
                },
                DeploymentSource {
                    chain_id: 1,
                    source: "operator bridge buffer".into(),
                    amount_usd: 9e6,
                    delay_epochs: 2,
                },
                DeploymentSource {
                    chain_id: 10,
                    source: "operator bridge buffer".into(),
                    amount_usd: 2.5e6,
                    delay_epochs: 0,
                },
            ],
        }
    }

    fn runbook_with(d: TreasuryDeployment) -> Runbook {
        Runbook {
            treasury_deployment: Some(d),
            ..Runbook::default()
        }
    }

    #[test]
    fn deployment_never_exceeds_the_commitments() {
        let d = deployment();
        let rb = runbook_with(d.clone());
        let mut rng = ChaCha8Rng::seed_from_u64(5);
        for _ in 0..500 {
            let mut st = RunbookState::new(&rb);
            let mut tally = RunbookTally::default();
            let mut reserve = 5e7 * rng.random::<f64>();
            for epoch in 0..200 {
                // Reserves drained by random outflows, with occasional huge shortfalls.
                reserve = (reserve - 2e7 * rng.random::<f64>()).max(0.0);
                let floor = 6e7 * rng.random::<f64>();
                reserve += st.deploy(&d, epoch, reserve, floor, &mut tally);
                for (i, s) in d.sources.iter().enumerate() {
                    assert!(st.requested[i] <= s.amount_usd * (1.0 + 1e-12));
                }
                assert!(tally.deployed_usd <= tally.deployment_requested_usd * (1.0 + 1e-12));
                assert!(tally.deployment_requested_usd <= committed_usd(&d) * (1.0 + 1e-12));
            }
        }
    }

    #[test]
    fn deployment_arrives_after_each_sources_delay() {
        let d = deployment();
        let rb = runbook_with(d.clone());
        let mut st = RunbookState::new(&rb);
        let mut tally = RunbookTally::default();
        // Shortfall 30M: 20M from the multisig (1 epoch), 9M from chain 1 (2 epochs), 1M at
        // once from chain 10.
        let now = st.deploy(&d, 10, 0.0, 30e6, &mut tally);
        assert!((now - 1e6).abs() < 1e-6);
        assert_eq!(tally.deployment_triggers, 1);
        // Nothing more is requested while the shortfall is on its way.
        let e11 = st.deploy(&d, 11, now, 30e6, &mut tally);
        assert!((e11 - 20e6).abs() < 1e-6);
        let e12 = st.deploy(&d, 12, now + e11, 30e6, &mut tally);
        assert!((e12 - 9e6).abs() < 1e-6);
        assert_eq!(tally.deployment_triggers, 1);
        assert!((tally.deployed_usd - 30e6).abs() < 1e-6);
    }

    #[test]
    fn breaker_has_hysteresis_and_restricts_the_pmm() {
        let rb = Runbook {
            peg_circuit_breaker: Some(PegCircuitBreaker {
                trip_deviation: 0.02,
                reset_deviation: 0.005,
            }),
            ..Runbook::default()
        };
        let mut st = RunbookState::new(&rb);
        let mut t = RunbookTally::default();
        for peg in [1.0, 0.97, 0.99, 0.985, 0.97, 0.996, 0.99] {
            st.decide(&rb, 0.0, peg, 0.0, &mut t);
        }
        // Tripped at 0.97, held inside the band, reset at 0.996, not re-tripped at 0.99.
        assert_eq!(t.breaker_triggers, 1);
        assert_eq!(t.breaker_epochs, 4);
        assert!(!st.breaker_tripped);
        st.decide(&rb, 0.0, 0.95, 0.0, &mut t);
        let (w, withheld) = st.restrict_weights(&rb, [0.6, 0.16, 0.24], [0.6, 0.10, 0.30]);
        assert!((w[1] - 0.10).abs() < 1e-15 && (withheld - 0.06).abs() < 1e-15);
        assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-15);
    }

    #[test]
    fn pause_keeps_the_reserve_share() {
        let rb = Runbook {
            redemption_throttle: Some(RedemptionThrottle {
                schedule: vec![FeeTier {
                    driver: FeeDriver::Drawdown,
                    above: 0.05,
                    fee: 0.01,
                }],
                pause_non_essential_outflows: true,
            }),
            ..Runbook::default()
        };
        let mut st = RunbookState::new(&rb);
        let mut t = RunbookTally::default();
        st.decide(&rb, 0.02, 1.0, 0.0, &mut t);
        assert_eq!(st.fee, 0.0);
        let (w, _) = st.restrict_weights(&rb, [0.6, 0.16, 0.24], [0.5, 0.1, 0.4]);
        assert!((w[2] - 0.24).abs() < 1e-15);
        st.decide(&rb, 0.08, 1.0, 0.0, &mut t);
        assert_eq!((st.fee, t.throttle_triggers), (0.01, 1));
        let (w, _) = st.restrict_weights(&rb, [0.6, 0.16, 0.24], [0.5, 0.1, 0.4]);
        assert!((w[2] - 0.4).abs() < 1e-15 && (w.iter().sum::<f64>() - 1.0).abs() < 1e-15);
        assert!((w[0] / w[1] - 0.6 / 0.16).abs() < 1e-12);
    }
}

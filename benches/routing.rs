//! One router epoch (route every trade, arbitrage, bot) on the hub-only and full-quote
//! graphs; one path-epoch of the coupled routing + capital model on the deployed graph;
//! and its floor, the cost of only drawing that path-epoch's random numbers.

mod common;

use std::time::{Duration, Instant};

use common::{Stepper, setup};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// Paths stepped before measuring, so pools sit away from their starting equilibrium.
const WARM_EPOCHS: usize = 30;

fn router_epoch(c: &mut Criterion) {
    let mut g = c.benchmark_group("router_epoch");
    g.measurement_time(Duration::from_secs(4));
    for name in ["hub_only_11", "full_quote_1_56_137"] {
        let s = setup(name, 1);
        let mut stepper = Stepper::new(&s, 0);
        for _ in 0..WARM_EPOCHS {
            stepper.step();
        }
        let trades = u64::from(s.scenario.flow.trades_per_epoch);
        g.throughput(Throughput::Elements(trades));
        g.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut spent = Duration::ZERO;
                for _ in 0..iters {
                    stepper.prepare();
                    let t = Instant::now();
                    stepper.route();
                    spent += t.elapsed();
                }
                spent
            })
        });
    }
    g.finish();
}

fn path_epoch(c: &mut Criterion) {
    let name = "chain138_deployed_capital_efficiency";
    let s = setup(name, 1);
    let mut g = c.benchmark_group("path_epoch");
    g.measurement_time(Duration::from_secs(4));
    g.throughput(Throughput::Elements(1));
    let mut coupled = Stepper::new(&s, 0);
    for _ in 0..WARM_EPOCHS {
        coupled.step();
    }
    g.bench_function("coupled/chain138", |b| b.iter(|| coupled.step()));
    let mut floor = Stepper::new(&s, 0);
    g.bench_function("draws_only/chain138", |b| b.iter(|| floor.draw_only()));
    g.finish();
}

criterion_group!(benches, router_epoch, path_epoch);
criterion_main!(benches);

//! The PMM curve: DODO's integral and trade quadratic, and a pool's price and quote in
//! each regime. Throughput is in curve evaluations.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use pmmsim::model::pmm::{PmmPool, PricedPool, integrate, solve_for_trade_amount};

/// Evaluations per measured iteration.
const N: usize = 1024;

/// `N` pools of depth 1M (k = 0.02, i = 1) spread over all three regimes.
fn pools() -> Vec<PmmPool> {
    (0..N)
        .map(|j| {
            let shift = (j as f64 / N as f64 - 0.5) * 2e5;
            PmmPool::from_state(1e6 - shift, 1e6 + shift, 1e6, 1e6, 1.0, 0.02).expect("valid pool")
        })
        .collect()
}

fn sizes() -> Vec<f64> {
    (0..N).map(|j| 100.0 + 37.0 * j as f64).collect()
}

fn curve(c: &mut Criterion) {
    let sizes = sizes();
    let pools = pools();
    let mut g = c.benchmark_group("pmm");
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function("integrate", |b| {
        b.iter(|| {
            sizes
                .iter()
                .map(|x| integrate(1e6, 1e6, 1e6 - x, 1.0, 0.02))
                .sum::<f64>()
        })
    });
    g.bench_function("solve_for_trade_amount", |b| {
        b.iter(|| {
            sizes
                .iter()
                .map(|x| solve_for_trade_amount(1e6, 9e5, *x, 1.0, 0.02))
                .sum::<f64>()
        })
    });
    g.bench_function("marginal_price", |b| {
        b.iter(|| {
            black_box(&pools)
                .iter()
                .map(PmmPool::marginal_price)
                .sum::<f64>()
        })
    });
    g.bench_function("query_sell_base", |b| {
        b.iter(|| {
            black_box(&pools)
                .iter()
                .zip(&sizes)
                .map(|(p, x)| p.query_sell_base(*x))
                .sum::<f64>()
        })
    });
    g.bench_function("query_sell_quote", |b| {
        b.iter(|| {
            black_box(&pools)
                .iter()
                .zip(&sizes)
                .map(|(p, x)| p.query_sell_quote(*x))
                .sum::<f64>()
        })
    });
    // The router's cached form: targets solved once per pool state, then quoted.
    let priced: Vec<PricedPool> = pools.iter().map(PricedPool::new).collect();
    g.bench_function("priced_query_sell_base", |b| {
        b.iter(|| {
            black_box(&priced)
                .iter()
                .zip(&sizes)
                .map(|(p, x)| p.query_sell_base(*x))
                .sum::<f64>()
        })
    });
    g.bench_function("sell_base", |b| {
        b.iter(|| {
            black_box(&pools)
                .iter()
                .zip(&sizes)
                .map(|(p, x)| {
                    let mut p = *p;
                    p.sell_base(*x) + p.quote
                })
                .sum::<f64>()
        })
    });
    g.finish();
}

criterion_group!(benches, curve);
criterion_main!(benches);

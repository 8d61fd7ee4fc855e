//! DODO V2 PMM (Proactive Market Maker) curve math: DODO's "one integral and two
//! quadratics" plus a [`PmmPool`] that prices and applies trades the way DODO V2's
//! `PMMPricing` library does, including the piecewise crossing through equilibrium.
//!
//! This module is pure f64 math. It must not do I/O, draw random numbers or charge fees
//! (callers apply fees to the amounts going in or out).
//!
//! # Conventions used by every primitive
//!
//! The curve is written for one token `V` (the side that is short, balance below its
//! target `v0`) against the other token (the side that pays). `i` is always **the price
//! of one unit of `V` in units of the other token**, and the marginal price of `V` at
//! balance `v` is `i (1 - k + k (v0 / v)^2)`. Amounts of the other token are `delta`;
//! `delta / i` is the "fair" amount of `V` it would buy at price `i`.
//!
//! Note: DODO's Solidity `_SolveQuadraticFunctionForTrade` / `_SolveQuadraticFunctionForTarget`
//! take the reciprocal price ("price of the delta–V pair", i.e. `V` per unit of delta)
//! and multiply it by `delta`. Here all three primitives take the same `i` (other per
//! `V`), so `integrate` and the two solvers invert each other with the same arguments.

use super::ParamError;

/// Which side of the pool is short, derived from balances and stored targets
/// (DODO's `RState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Regime {
    /// Base is short (`quote > quote_target`); DODO's `ABOVE_ONE`. Price above `i`.
    BaseShort,
    /// Neither side holds an excess; DODO's `ONE`. Price equals `i`.
    Equilibrium,
    /// Quote is short (`base > base_target`); DODO's `BELOW_ONE`. Price below `i`.
    QuoteShort,
}

/// `1 - k + k v0² / (v1 v2)`, the average-price factor of the curve between `v2` and
/// `v1`. Returns exactly 1 for `k = 0` so drained balances (`v2 = 0`) stay finite.
#[inline(always)]
fn curve_factor(v0: f64, v1: f64, v2: f64, k: f64) -> f64 {
    if k == 0.0 {
        1.0
    } else {
        1.0 - k + k * (v0 / v1) * (v0 / v2)
    }
}

/// Integral of `(1 - k + k (v0/v)²) dv` from `v2` to `v1`, with `d = v1 - v2` passed in
/// exactly by the caller (avoids cancellation when `d` is tiny next to `v1`).
#[inline(always)]
fn integrate_fair(v0: f64, v1: f64, v2: f64, d: f64, k: f64) -> f64 {
    d * curve_factor(v0, v1, v2, k)
}

/// Amount `d = v1 - v2 >= 0` of `V` that leaves when `x` fair units of `V` (other token
/// paid in, divided by `i`) are paid: the small root of
/// `(1-k) v1 d² - [(1-k) v1² + k v0² + x v1] d + x v1² = 0`, written as
/// `2C / (B + sqrt(B² - 4AC))` so there is no cancellation for small `x`, and with the
/// discriminant expanded as a sum of non-negative terms. Covers `k = 0` (gives
/// `min(x, v1)`) and `k = 1` (gives `x v1² / (v0² + x v1)`) without special cases.
#[inline(always)]
fn trade_out_fair(v0: f64, v1: f64, x: f64, k: f64) -> f64 {
    if !(x > 0.0 && v1 > 0.0) {
        return 0.0;
    }
    let a = (1.0 - k) * v1;
    let e = if k == 0.0 { 0.0 } else { k * v0 * (v0 / v1) };
    let disc = (a - x) * (a - x) + e * (2.0 * (a + x) + e);
    2.0 * x * v1 / (a + x + e + disc.sqrt())
}

/// Target `v0 >= v1` such that the integral from `v1` up to `v0` equals `y` fair units:
/// `(v0 - v1)(1 + k (v0 - v1) / v1) = y`, root `v0 - v1 = 2y / (1 + sqrt(1 + 4ky/v1))`.
#[inline(always)]
fn target_fair(v1: f64, y: f64, k: f64) -> f64 {
    if k == 0.0 || y <= 0.0 {
        return v1 + y.max(0.0);
    }
    v1 + 2.0 * y / (1.0 + (1.0 + 4.0 * k * y / v1).sqrt())
}

/// DODO's `GeneralIntegrate`: amount of the other token worth moving `V` from `v2` up
/// to `v1` along the curve, `i (v1 - v2)(1 - k + k v0² / (v1 v2))`.
///
/// Requires `v0 >= v1 >= v2 > 0` (`v2 = 0` is allowed when `k = 0`); `i` is the price of
/// `V` in the other token, `0 <= k <= 1`. Result is in units of the other token.
#[inline]
pub fn integrate(v0: f64, v1: f64, v2: f64, i: f64, k: f64) -> f64 {
    i * integrate_fair(v0, v1, v2, v1 - v2, k)
}

/// DODO's trade quadratic: the new balance `v2 <= v1` of `V` after `delta >= 0` of the
/// other token is paid into the pool, i.e. the `v2` with `integrate(v0, v1, v2, i, k) ==
/// delta`. Sign convention: `delta` is an amount paid in (never negative); `V` only
/// moves down, further from its target `v0`.
///
/// Solves `(1-k) v2² + (k v0²/v1 - (1-k) v1 + delta/i) v2 - k v0² = 0` (positive root).
/// The root is taken as `2k v0² / (b + sqrt(disc))` when `b > 0` and
/// `(-b + sqrt(disc)) / (2(1-k))` otherwise, so neither branch cancels; `k = 1` and
/// `k = 0` (which gives `max(v1 - delta/i, 0)`, DODO's drain clamp) need no special
/// case. `delta <= 0` or `v1 <= 0` returns `v1` unchanged. For the amount that leaves,
/// prefer [`solve_for_trade_amount`], which avoids computing `v1 - v2` by subtraction.
#[inline]
pub fn solve_for_trade(v0: f64, v1: f64, delta: f64, i: f64, k: f64) -> f64 {
    if !(delta > 0.0 && v1 > 0.0) {
        return v1;
    }
    let x = delta / i;
    let kv0v0 = k * v0 * v0;
    let b = kv0v0 / v1 - (1.0 - k) * v1 + x;
    let disc = (b * b + 4.0 * (1.0 - k) * kv0v0).sqrt();
    if b > 0.0 {
        2.0 * kv0v0 / (b + disc)
    } else {
        (disc - b) / (2.0 * (1.0 - k))
    }
}

/// The amount `v1 - v2 >= 0` of `V` that leaves the pool when `delta >= 0` of the other
/// token is paid in (same equation and conventions as [`solve_for_trade`]), computed
/// directly from a cancellation-free root. Always `<= v1`; `< v1` when `k > 0`.
#[inline]
pub fn solve_for_trade_amount(v0: f64, v1: f64, delta: f64, i: f64, k: f64) -> f64 {
    trade_out_fair(v0, v1, delta / i, k).min(v1)
}

/// DODO's target quadratic: the target `v0 >= v1` such that the integral from `v1` up to
/// `v0` is worth `delta >= 0` of the other token, `i (v0 - v1)(1 - k + k v0 / v1) = delta`.
/// Stable root `v0 = v1 + 2y / (1 + sqrt(1 + 4ky/v1))` with `y = delta / i`; `k = 0`
/// gives `v1 + delta / i`. `delta <= 0` returns `v1`.
#[inline]
pub fn solve_for_target(v1: f64, delta: f64, i: f64, k: f64) -> f64 {
    target_fair(v1, delta / i, k)
}

/// A DODO V2 PMM pool. All amounts in token units; `i` is the oracle price of one base
/// in quote; `k` in `[0, 1]` is the curvature (0 = fixed price, 1 = constant product
/// around the target).
///
/// Stored targets are only authoritative for the long side; the short side's target is
/// re-derived from balances on every query (see [`PmmPool::adjusted_targets`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PmmPool {
    /// Base token balance held by the pool (base units, >= 0).
    pub base: f64,
    /// Quote token balance held by the pool (quote units, >= 0).
    pub quote: f64,
    /// Stored base target `B0` (base units); authoritative unless base is short.
    pub base_target: f64,
    /// Stored quote target `Q0` (quote units); authoritative unless quote is short.
    pub quote_target: f64,
    /// Oracle / guide price `i`: quote per base, > 0.
    pub i: f64,
    /// Curvature `k`, `0 <= k <= 1`.
    pub k: f64,
}

/// Regime and effective targets, computed once per query.
#[derive(Debug, Clone, Copy)]
struct View {
    regime: Regime,
    b0: f64,
    q0: f64,
}

/// Checks that `value` is finite and `> 0`.
fn check_positive(field: &'static str, value: f64) -> Result<(), ParamError> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(ParamError::new(
            field,
            format!("must be finite and > 0, got {value}"),
        ))
    }
}

/// Checks that `value` is finite and `>= 0`.
fn check_non_negative(field: &'static str, value: f64) -> Result<(), ParamError> {
    if value.is_finite() && value >= 0.0 {
        Ok(())
    } else {
        Err(ParamError::new(
            field,
            format!("must be finite and >= 0, got {value}"),
        ))
    }
}

/// True for a finite amount `> 0`; anything else trades nothing.
#[inline(always)]
fn is_tradable(amount: f64) -> bool {
    amount > 0.0 && amount.is_finite()
}

impl PmmPool {
    /// A pool in equilibrium (`base = base_target`, `quote = quote_target`).
    /// Errors: `k` outside `[0, 1]`, `i` not finite and > 0, targets not finite and > 0
    /// (fields `"k"`, `"i"`, `"baseTarget"`, `"quoteTarget"`).
    pub fn new(base_target: f64, quote_target: f64, i: f64, k: f64) -> Result<Self, ParamError> {
        Self::from_state(base_target, quote_target, base_target, quote_target, i, k)
    }

    /// A pool with arbitrary balances. Same checks as [`PmmPool::new`], plus balances
    /// finite and `>= 0` (fields `"base"`, `"quote"`).
    pub fn from_state(
        base: f64,
        quote: f64,
        base_target: f64,
        quote_target: f64,
        i: f64,
        k: f64,
    ) -> Result<Self, ParamError> {
        if !(0.0..=1.0).contains(&k) {
            return Err(ParamError::new("k", format!("must be in [0, 1], got {k}")));
        }
        check_positive("i", i)?;
        check_positive("baseTarget", base_target)?;
        check_positive("quoteTarget", quote_target)?;
        check_non_negative("base", base)?;
        check_non_negative("quote", quote)?;
        Ok(Self {
            base,
            quote,
            base_target,
            quote_target,
            i,
            k,
        })
    }

    /// The regime derived from balances: base short if `quote > quote_target`, else
    /// quote short if `base > base_target`, else equilibrium.
    #[inline]
    pub fn regime(&self) -> Regime {
        if self.quote > self.quote_target {
            Regime::BaseShort
        } else if self.base > self.base_target {
            Regime::QuoteShort
        } else {
            Regime::Equilibrium
        }
    }

    /// Effective `(base_target, quote_target)` (DODO V2 `adjustedTarget`).
    /// Base short: `B0` re-solved so the curve from `base` up to `B0` is worth the quote
    /// excess `quote - Q0`; quote short: mirror, with price `1/i`. Equilibrium (no excess
    /// on either side, including a deficit on both after an external withdrawal): the
    /// targets are the current balances, so the pool restarts at price `i`.
    #[inline]
    pub fn adjusted_targets(&self) -> (f64, f64) {
        let v = self.view();
        (v.b0, v.q0)
    }

    #[inline(always)]
    fn view(&self) -> View {
        let regime = self.regime();
        let (b0, q0) = match regime {
            Regime::BaseShort => {
                let y = (self.quote - self.quote_target) / self.i;
                (target_fair(self.base, y, self.k), self.quote_target)
            }
            Regime::QuoteShort => {
                let y = (self.base - self.base_target) * self.i;
                (self.base_target, target_fair(self.quote, y, self.k))
            }
            Regime::Equilibrium => (self.base, self.quote),
        };
        View { regime, b0, q0 }
    }

    /// Marginal (mid) price of base in quote: base short `i (1-k+k (B0/B)²)`, quote
    /// short `i / (1-k+k (Q0/Q)²)`, equilibrium `i` (targets adjusted).
    #[inline]
    pub fn marginal_price(&self) -> f64 {
        let v = self.view();
        match v.regime {
            Regime::BaseShort => self.i * curve_factor(v.b0, self.base, self.base, self.k),
            Regime::QuoteShort => self.i / curve_factor(v.q0, self.quote, self.quote, self.k),
            Regime::Equilibrium => self.i,
        }
    }

    /// Signed relative deviation of the marginal price from the oracle price,
    /// `marginal_price / i - 1` (> 0 when base is short).
    #[inline]
    pub fn deviation(&self) -> f64 {
        self.marginal_price() / self.i - 1.0
    }

    /// Quote paid out for `amount` base sold into the pool (no fee), without changing
    /// the pool. Non-positive or non-finite amounts give 0. The result never exceeds
    /// `quote`; it is strictly below `quote` when `k > 0` (a `k = 0` pool can be drained).
    #[inline]
    pub fn query_sell_base(&self, amount: f64) -> f64 {
        if !is_tradable(amount) {
            return 0.0;
        }
        self.sell_base_out(&self.view(), amount)
    }

    /// Base paid out for `amount` quote sold into the pool (no fee), without changing
    /// the pool. Non-positive or non-finite amounts give 0. The result never exceeds
    /// `base`; it is strictly below `base` when `k > 0`.
    #[inline]
    pub fn query_sell_quote(&self, amount: f64) -> f64 {
        if !is_tradable(amount) {
            return 0.0;
        }
        self.sell_quote_out(&self.view(), amount)
    }

    /// Sells `amount` base into the pool and returns the quote paid out (as
    /// [`PmmPool::query_sell_base`]). Balances move; targets are stored as adjusted
    /// before the trade (DODO V2 keeps the long side's target and records the short
    /// side's re-solved target).
    #[inline]
    pub fn sell_base(&mut self, amount: f64) -> f64 {
        if !is_tradable(amount) {
            return 0.0;
        }
        let v = self.view();
        let out = self.sell_base_out(&v, amount);
        self.commit(&v, amount, -out);
        out
    }

    /// Sells `amount` quote into the pool and returns the base paid out (as
    /// [`PmmPool::query_sell_quote`]). Balances and targets update as in
    /// [`PmmPool::sell_base`].
    #[inline]
    pub fn sell_quote(&mut self, amount: f64) -> f64 {
        if !is_tradable(amount) {
            return 0.0;
        }
        let v = self.view();
        let out = self.sell_quote_out(&v, amount);
        self.commit(&v, -out, amount);
        out
    }

    /// Sets balances after an external move (operator deposit or withdrawal). Stored
    /// targets are kept; the short side's target is re-derived on the next query, and a
    /// pool left with no excess on either side restarts at equilibrium at the new
    /// balances. Callers must pass finite balances `>= 0`.
    #[inline]
    pub fn set_balances(&mut self, base: f64, quote: f64) {
        debug_assert!(base >= 0.0 && quote >= 0.0, "balances must be >= 0");
        self.base = base;
        self.quote = quote;
    }

    /// Stores the pre-trade adjusted targets and moves the balances by the deltas.
    #[inline(always)]
    fn commit(&mut self, v: &View, base_delta: f64, quote_delta: f64) {
        self.base_target = v.b0;
        self.quote_target = v.q0;
        self.base = (self.base + base_delta).max(0.0);
        self.quote = (self.quote + quote_delta).max(0.0);
    }

    /// Quote out for a sale of `a > 0` base given the current view (DODO `sellBaseToken`).
    #[inline(always)]
    fn sell_base_out(&self, v: &View, a: f64) -> f64 {
        let out = if v.regime == Regime::BaseShort {
            let back = v.b0 - self.base;
            let excess = self.quote - v.q0;
            if a < back {
                let fair = integrate_fair(v.b0, self.base + a, self.base, a, self.k);
                (self.i * fair).min(excess)
            } else {
                excess + trade_out_fair(v.q0, v.q0, (a - back) * self.i, self.k)
            }
        } else {
            trade_out_fair(v.q0, self.quote, a * self.i, self.k)
        };
        out.min(self.quote)
    }

    /// Base out for a sale of `a > 0` quote given the current view (DODO `sellQuoteToken`).
    #[inline(always)]
    fn sell_quote_out(&self, v: &View, a: f64) -> f64 {
        let out = if v.regime == Regime::QuoteShort {
            let back = v.q0 - self.quote;
            let excess = self.base - v.b0;
            if a < back {
                let fair = integrate_fair(v.q0, self.quote + a, self.quote, a, self.k);
                (fair / self.i).min(excess)
            } else {
                excess + trade_out_fair(v.b0, v.b0, (a - back) / self.i, self.k)
            }
        } else {
            trade_out_fair(v.b0, self.base, a / self.i, self.k)
        };
        out.min(self.base)
    }
}

/// A pool together with its regime and effective targets, computed once, for pricing
/// many trades against the same balances (a router re-quoting routes, a bisection
/// probing trade sizes). Every method returns exactly what the pool's own method of the
/// same name returns, bit for bit: it runs the same arithmetic minus the repeated
/// target solve.
#[derive(Debug, Clone, Copy)]
pub struct PricedPool {
    pool: PmmPool,
    view: View,
}

impl PricedPool {
    /// Prices `pool` at its current balances.
    #[inline]
    pub fn new(pool: &PmmPool) -> Self {
        Self {
            pool: *pool,
            view: pool.view(),
        }
    }

    /// As [`PmmPool::query_sell_base`].
    #[inline]
    pub fn query_sell_base(&self, amount: f64) -> f64 {
        if !is_tradable(amount) {
            return 0.0;
        }
        self.pool.sell_base_out(&self.view, amount)
    }

    /// As [`PmmPool::query_sell_quote`].
    #[inline]
    pub fn query_sell_quote(&self, amount: f64) -> f64 {
        if !is_tradable(amount) {
            return 0.0;
        }
        self.pool.sell_quote_out(&self.view, amount)
    }

    /// The pool after [`PmmPool::sell_base`]`(amount)`, and the quote paid out.
    #[inline]
    pub fn sell_base(&self, amount: f64) -> (PmmPool, f64) {
        let mut p = self.pool;
        if !is_tradable(amount) {
            return (p, 0.0);
        }
        let out = p.sell_base_out(&self.view, amount);
        p.commit(&self.view, amount, -out);
        (p, out)
    }

    /// The pool after [`PmmPool::sell_quote`]`(amount)`, and the base paid out.
    #[inline]
    pub fn sell_quote(&self, amount: f64) -> (PmmPool, f64) {
        let mut p = self.pool;
        if !is_tradable(amount) {
            return (p, 0.0);
        }
        let out = p.sell_quote_out(&self.view, amount);
        p.commit(&self.view, -out, amount);
        (p, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KS: [f64; 5] = [0.01, 0.1, 0.5, 0.9, 1.0];
    const SIZES: [f64; 9] = [1e-3, 0.37, 2.0, 7.5, 13.0, 29.0, 61.0, 150.0, 420.0];

    fn rel(a: f64, b: f64) -> f64 {
        (a - b).abs() / b.abs().max(1e-300)
    }

    /// States covering all three regimes: (base, quote) with targets 100 / 200, i = 2.
    fn states(k: f64) -> Vec<PmmPool> {
        let balances = [
            (100.0, 200.0),
            (90.0, 220.0),
            (60.0, 300.0),
            (110.0, 180.0),
            (170.0, 70.0),
        ];
        balances
            .iter()
            .map(|&(b, q)| PmmPool::from_state(b, q, 100.0, 200.0, 2.0, k).unwrap())
            .collect()
    }

    #[test]
    fn dodo_worked_example_k0() {
        let mut p = PmmPool::from_state(90.0, 220.0, 100.0, 200.0, 2.0, 0.0).unwrap();
        assert_eq!(p.regime(), Regime::BaseShort);
        assert_eq!(p.adjusted_targets(), (100.0, 200.0));
        let out = p.sell_base(10.0);
        assert!(rel(out, 20.0) < 1e-9, "out {out}");
        assert_eq!((p.base, p.quote), (100.0, 200.0));
        assert_eq!(p.regime(), Regime::Equilibrium);
        assert_eq!(p.marginal_price(), 2.0);
    }

    #[test]
    fn dodo_worked_example_k_half() {
        let mut p = PmmPool::from_state(90.0, 220.0, 100.0, 200.0, 2.0, 0.5).unwrap();
        // 2 (B0 - 90)(0.5 + 0.5 B0/90) = 20  =>  B0² = 90² + 1800 = 9900.
        let (b0, q0) = p.adjusted_targets();
        assert!(rel(b0, 9900f64.sqrt()) < 1e-13, "b0 {b0}");
        assert_eq!(q0, 200.0);
        let out = p.sell_base(b0 - 90.0);
        assert!(rel(out, 20.0) < 1e-9, "out {out}");
        assert_eq!(p.quote, 200.0);
        assert!(rel(p.base, b0) < 1e-15);
        assert_eq!(p.regime(), Regime::Equilibrium);
        assert!(rel(p.marginal_price(), 2.0) < 1e-12);
    }

    #[test]
    fn quote_short_mirror_example_k0() {
        // Quote short: Q0 = 180 + 2 * (110 - 100) = 200; selling 20 quote returns 10 base.
        let mut p = PmmPool::from_state(110.0, 180.0, 100.0, 200.0, 2.0, 0.0).unwrap();
        assert_eq!(p.regime(), Regime::QuoteShort);
        assert_eq!(p.adjusted_targets(), (100.0, 200.0));
        assert!(rel(p.sell_quote(20.0), 10.0) < 1e-12);
        assert_eq!(
            (p.base, p.quote, p.regime()),
            (100.0, 200.0, Regime::Equilibrium)
        );
    }

    #[test]
    fn crossing_equilibrium_continues_on_other_side() {
        // k = 0.5 from equilibrium 100/200: sell 30 base -> curve from Q0=200 with x=60.
        let p = PmmPool::from_state(90.0, 220.0, 100.0, 200.0, 2.0, 0.5).unwrap();
        let b0 = 9900f64.sqrt();
        let rest = 30.0;
        let x = rest * 2.0;
        // From equilibrium at Q0 = 200: d (0.5 + 0.5 * 200² / (200 (200 - d))) = x.
        let d = solve_quadratic_small_root(
            0.5 * 200.0,
            -(0.5 * 200.0 * 200.0 + 0.5 * 200.0 * 200.0 + x * 200.0),
            x * 200.0 * 200.0,
        );
        let got = p.query_sell_base(b0 - 90.0 + rest);
        assert!(rel(got, 20.0 + d) < 1e-12, "got {got} want {}", 20.0 + d);
        assert!(rel(d * (0.5 + 0.5 * 200.0 / (200.0 - d)), x) < 1e-12);
    }

    fn solve_quadratic_small_root(a: f64, b: f64, c: f64) -> f64 {
        (-b - (b * b - 4.0 * a * c).sqrt()) / (2.0 * a)
    }

    #[test]
    fn k1_is_constant_product_when_base_short() {
        let p = PmmPool::from_state(80.0, 260.0, 100.0, 200.0, 2.0, 1.0).unwrap();
        let (b0, _) = p.adjusted_targets();
        // k = 1: 2 (B0 - 80) B0 / 80 = 60  =>  B0² - 80 B0 - 2400 = 0.
        assert!(rel(b0, 40.0 + (1600.0f64 + 2400.0).sqrt()) < 1e-13);
        let c = 2.0 * b0 * b0; // invariant B * Q' with virtual quote Q' = C / B
        for x in [0.5, 5.0, 15.0] {
            let want = c / 80.0 - c / (80.0 + x);
            assert!(rel(p.query_sell_base(x), want) < 1e-12, "x {x}");
        }
        for y in [1.0, 30.0, 500.0] {
            let want = 80.0 - c / (c / 80.0 + y);
            assert!(rel(p.query_sell_quote(y), want) < 1e-12, "y {y}");
        }
    }

    #[test]
    fn small_trade_slope_matches_marginal_price() {
        for k in [0.0, 0.01, 0.1, 0.5, 0.9, 1.0] {
            for p in states(k) {
                let m = p.marginal_price();
                let h = 1e-7 * p.base.min(p.quote);
                let sell = p.query_sell_base(h) / h;
                let buy = h / p.query_sell_quote(h);
                assert!(rel(sell, m) < 1e-6, "k {k} {p:?}: sell {sell} m {m}");
                assert!(rel(buy, m) < 1e-6, "k {k} {p:?}: buy {buy} m {m}");
                assert!(sell <= m * (1.0 + 1e-12) && buy >= m * (1.0 - 1e-12));
            }
        }
    }

    #[test]
    fn marginal_price_closed_forms() {
        let p = PmmPool::from_state(110.0, 180.0, 100.0, 200.0, 2.0, 0.5).unwrap();
        let q0 = p.adjusted_targets().1;
        // 0.5 (q0 - 180)(1 + q0/180) = 20  =>  q0² = 180² + 7200.
        assert!(rel(q0, (32400.0f64 + 7200.0).sqrt()) < 1e-13);
        let want = 2.0 / (0.5 + 0.5 * (q0 / 180.0).powi(2));
        assert!(rel(p.marginal_price(), want) < 1e-14);
        assert!(rel(p.deviation(), want / 2.0 - 1.0) < 1e-12);
        assert!(p.deviation() < 0.0);
    }

    /// Selling and buying back retraces the curve, so in real arithmetic the trader gets
    /// exactly `a` back. In f64 the balances absorb rounding of a few ulps, so allow a
    /// gain of at most `1e-14` of the pool's size (and no relative loss beyond 1e-9).
    #[test]
    fn round_trips_never_profit() {
        for k in KS {
            for start in states(k) {
                let slack = 1e-14 * (start.base + start.quote);
                for a in SIZES {
                    let mut p = start;
                    let q = p.sell_base(a);
                    let back = p.sell_quote(q);
                    assert!(back <= a + slack, "k {k} a {a}: {back} > {a}");
                    assert!(back >= a * (1.0 - 1e-9), "k {k} a {a}: path lost {back}");
                    let mut p = start;
                    let b = p.sell_quote(a);
                    let back = p.sell_base(b);
                    assert!(back <= a + slack, "k {k} a {a}: {back} > {a}");
                    assert!(back >= a * (1.0 - 1e-9), "k {k} a {a}: path lost {back}");
                }
            }
        }
    }

    #[test]
    fn output_monotone_concave_and_bounded() {
        for k in [0.0, 0.01, 0.1, 0.5, 0.9, 1.0] {
            for p in states(k) {
                check_shape(|a| p.query_sell_base(a), p.quote, k);
                check_shape(|a| p.query_sell_quote(a), p.base, k);
            }
        }
    }

    fn check_shape(f: impl Fn(f64) -> f64, balance: f64, k: f64) {
        let step = 0.25;
        let outs: Vec<f64> = (0..4000).map(|n| f(n as f64 * step)).collect();
        for w in outs.windows(3) {
            let tol = 1e-9 * w[2].max(1.0);
            assert!(w[1] >= w[0] - tol, "k {k}: not monotone {w:?}");
            assert!(w[2] - w[1] <= w[1] - w[0] + tol, "k {k}: not concave {w:?}");
        }
        let last = outs[outs.len() - 1];
        assert!(
            last <= balance && (k == 0.0 || last < balance),
            "k {k}: {last} vs {balance}"
        );
        assert!(outs[1] > 0.0);
    }

    #[test]
    fn primitives_invert_each_other() {
        for k in [0.0, 0.01, 0.5, 1.0] {
            for (v0, v1, v2) in [
                (100.0, 90.0, 60.0),
                (200.0, 200.0, 150.0),
                (50.0, 30.0, 29.999),
            ] {
                let i = 1.7;
                let delta = integrate(v0, v1, v2, i, k);
                assert!(
                    rel(solve_for_trade(v0, v1, delta, i, k), v2) < 1e-12,
                    "k {k}"
                );
                let d = solve_for_trade_amount(v0, v1, delta, i, k);
                assert!(rel(d, v1 - v2) < 1e-9, "k {k}: {d}");
                let up = integrate(v0, v0, v1, i, k);
                assert!(rel(solve_for_target(v1, up, i, k), v0) < 1e-12, "k {k}");
            }
        }
    }

    #[test]
    fn primitive_special_cases() {
        // k = 0 is linear with DODO's drain clamp; k = 1 is x v1² / (v0² + x v1).
        assert_eq!(solve_for_trade(100.0, 80.0, 20.0, 2.0, 0.0), 70.0);
        assert_eq!(solve_for_trade(100.0, 80.0, 500.0, 2.0, 0.0), 0.0);
        assert_eq!(solve_for_trade_amount(100.0, 80.0, 500.0, 2.0, 0.0), 80.0);
        let want = 10.0 * 6400.0 / (10000.0 + 10.0 * 80.0);
        assert!(rel(solve_for_trade_amount(100.0, 80.0, 20.0, 2.0, 1.0), want) < 1e-14);
        assert!(rel(solve_for_trade(100.0, 80.0, 20.0, 2.0, 1.0), 80.0 - want) < 1e-14);
        assert_eq!(solve_for_target(80.0, 20.0, 2.0, 0.0), 90.0);
        // Tiny trades keep full relative precision (no cancellation).
        let d = solve_for_trade_amount(1e6, 1e6, 1e-6, 1.0, 0.5);
        assert!(rel(d, 1e-6) < 1e-9, "{d}");
    }

    #[test]
    fn bad_parameters_are_errors() {
        let e = PmmPool::new(100.0, 200.0, 2.0, 1.5).unwrap_err();
        assert_eq!(e.field, "k");
        assert_eq!(PmmPool::new(100.0, 200.0, 0.0, 0.5).unwrap_err().field, "i");
        assert_eq!(
            PmmPool::new(100.0, 200.0, 2.0, f64::NAN).unwrap_err().field,
            "k"
        );
        assert_eq!(
            PmmPool::new(100.0, 200.0, f64::NAN, 0.5).unwrap_err().field,
            "i"
        );
        assert_eq!(
            PmmPool::new(f64::NAN, 200.0, 2.0, 0.5).unwrap_err().field,
            "baseTarget"
        );
        assert_eq!(
            PmmPool::new(100.0, -1.0, 2.0, 0.5).unwrap_err().field,
            "quoteTarget"
        );
        let e = PmmPool::from_state(-1.0, 200.0, 100.0, 200.0, 2.0, 0.5).unwrap_err();
        assert_eq!(e.field, "base");
    }

    #[test]
    fn degenerate_amounts_and_drained_k0_pool() {
        let mut p = PmmPool::new(100.0, 200.0, 2.0, 0.0).unwrap();
        assert_eq!(p.query_sell_base(f64::NAN), 0.0);
        assert_eq!(p.sell_quote(-3.0), 0.0);
        assert_eq!(p.sell_quote(1e6), 100.0);
        assert_eq!(p.base, 0.0);
        assert_eq!(p.marginal_price(), 2.0);
        assert!(rel(p.sell_base(10.0), 20.0) < 1e-15);
    }

    #[test]
    fn set_balances_rederives_short_target() {
        let mut p = PmmPool::new(100.0, 200.0, 2.0, 0.0).unwrap();
        p.set_balances(100.0, 240.0);
        assert_eq!(p.regime(), Regime::BaseShort);
        assert_eq!(p.adjusted_targets(), (120.0, 200.0));
        p.set_balances(80.0, 150.0);
        assert_eq!(p.regime(), Regime::Equilibrium);
        assert_eq!(p.adjusted_targets(), (80.0, 150.0));
    }

    #[test]
    fn priced_pool_matches_the_pool_bit_for_bit() {
        for k in [0.0, 0.02, 0.5, 1.0] {
            for pool in states(k) {
                let priced = PricedPool::new(&pool);
                for a in SIZES.iter().chain(&[0.0, -1.0, f64::NAN, 1e9]) {
                    let a = *a;
                    assert_eq!(
                        priced.query_sell_base(a).to_bits(),
                        pool.query_sell_base(a).to_bits()
                    );
                    assert_eq!(
                        priced.query_sell_quote(a).to_bits(),
                        pool.query_sell_quote(a).to_bits()
                    );
                    let (mut b, mut q) = (pool, pool);
                    let (out_b, out_q) = (b.sell_base(a), q.sell_quote(a));
                    assert_eq!(priced.sell_base(a), (b, out_b));
                    assert_eq!(priced.sell_quote(a), (q, out_q));
                }
            }
        }
    }
}

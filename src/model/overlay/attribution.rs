//! The PnL attribution terms. The overlay books every change of treasury capital `T`
//! under one [`Term`], so `T_end - T_0` is the sum of a path's [`Attribution`]. [`TERMS`]
//! lists the terms' scorecard keys in the same order as the attribution's slots.

/// Change of `T` by term, USD, summed over a path's epochs; slot `term.index()` holds
/// `term` (signed: drags and costs are negative).
pub type Attribution = [f64; Term::COUNT];

/// One attribution term; its discriminant is its slot in an [`Attribution`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(usize)]
pub enum Term {
    /// Sleeve yield net of borrowing interest, plus the reserve's yield.
    Yield,
    /// Market return of the sleeve's collateral.
    CollateralMarket,
    /// Fees and value change of the PMM inventory (after its drags).
    MarketMaking,
    /// Volatility drag on the PMM inventory.
    VolatilityDrag,
    /// The inventory bot's intervention cost.
    InterventionDrag,
    /// Redemptions paid to holders at par: an external flow that shrinks assets and
    /// liabilities alike, kept out of the time-weighted return.
    Redemptions,
    /// Liquidation penalties and the costs of deleveraging, unwinding, floor repair and
    /// rebalancing.
    UnwindAndLiquidationCosts,
}

impl Term {
    /// Number of terms.
    pub const COUNT: usize = 7;

    /// Every term, in slot order.
    pub const ALL: [Term; Term::COUNT] = [
        Term::Yield,
        Term::CollateralMarket,
        Term::MarketMaking,
        Term::VolatilityDrag,
        Term::InterventionDrag,
        Term::Redemptions,
        Term::UnwindAndLiquidationCosts,
    ];

    /// The term's key in scorecards (`pnl_attribution[].term`).
    pub const fn key(self) -> &'static str {
        match self {
            Term::Yield => "yield",
            Term::CollateralMarket => "collateral_market",
            Term::MarketMaking => "market_making",
            Term::VolatilityDrag => "volatility_drag",
            Term::InterventionDrag => "intervention_drag",
            Term::Redemptions => "redemptions_paid",
            Term::UnwindAndLiquidationCosts => "unwind_and_liquidation_costs",
        }
    }

    /// The term's slot in an [`Attribution`].
    pub const fn index(self) -> usize {
        self as usize
    }
}

/// The terms' keys in slot order (`TERMS[i]` names `Attribution` slot `i`); checked at
/// compile time against [`Term::ALL`].
pub const TERMS: [&str; Term::COUNT] = {
    let mut keys = [""; Term::COUNT];
    let mut i = 0;
    while i < Term::COUNT {
        assert!(
            Term::ALL[i].index() == i,
            "Term::ALL must list the terms in slot order"
        );
        keys[i] = Term::ALL[i].key();
        i += 1;
    }
    keys
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_the_scorecard_keys_in_slot_order() {
        assert_eq!(
            TERMS,
            [
                "yield",
                "collateral_market",
                "market_making",
                "volatility_drag",
                "intervention_drag",
                "redemptions_paid",
                "unwind_and_liquidation_costs",
            ]
        );
        for (i, term) in Term::ALL.into_iter().enumerate() {
            assert_eq!(term.index(), i);
            assert_eq!(TERMS[i], term.key());
        }
    }
}

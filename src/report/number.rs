//! Readable numbers for the human reports (table, Markdown, HTML): a value is rounded to
//! its uncertainty (two significant digits of the standard error), shares and returns are
//! percentages, money is USD with thousands separators or an SI suffix (`$505.1M`), every
//! cell of a column uses one [`Notation`], and an undefined error prints `n/a`. JSON,
//! CSV and Prometheus keep full precision and never come here.
//!
//! The API: pick a [`Kind`] (from a metric's unit or name), make a [`Notation`] for a
//! cell or a whole column, then print with [`Notation::value`], [`Notation::with_error`],
//! [`Notation::error`] or [`Notation::interval`].

/// What a number measures, which decides how it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A plain quantity (bps, epochs, a score, a ratio): thousands separators, no suffix.
    Plain,
    /// A share or a return, stored as a fraction: printed times 100 with `%`.
    Percent,
    /// Money in USD: `$` and thousands separators, or an SI suffix for a large column.
    Usd,
}

impl Kind {
    /// The kind of a catalog unit: `share ...` and `over the horizon` (a return) are
    /// percentages, `USD ...` is money, anything else is plain.
    pub fn of_unit(unit: &str) -> Self {
        if unit.starts_with("share") || unit == "over the horizon" {
            Kind::Percent
        } else if unit.starts_with("USD") {
            Kind::Usd
        } else {
            Kind::Plain
        }
    }

    /// The kind of a metric known only by its name (a gate's metric, a diff row):
    /// returns, probabilities, frequencies, drawdowns and capture shares are percentages;
    /// costs, volumes, fees, PnL and capital are money.
    pub fn of_metric(name: &str) -> Self {
        // A ratio of two figures (`intervention_cost_total at 2x volume / at 1x`) is a
        // plain number whatever its figures are.
        if name.contains(" / ") {
            return Kind::Plain;
        }
        let n = name.rsplit('.').next().unwrap_or(name);
        let percent = n.starts_with("roi_")
            || n.starts_with("capture_")
            || n.starts_with("max_drawdown")
            || n.starts_with("capital_return")
            || n.ends_with("_probability")
            || n.ends_with("_frequency")
            || n.contains("share");
        let usd = n.contains("_usd")
            || n.starts_with("intervention_cost")
            || n.starts_with("volume_")
            || n.starts_with("fees_")
            || n.starts_with("arb_volume")
            || n.starts_with("arb_profit")
            || n.starts_with("stalled_volume")
            || n.starts_with("pnl_")
            || n.starts_with("capital_end");
        if percent {
            Kind::Percent
        } else if usd {
            Kind::Usd
        } else {
            Kind::Plain
        }
    }
}

/// The SI suffix a money column is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scale {
    One,
    Million,
    Billion,
    Trillion,
}

impl Scale {
    fn factor(self) -> f64 {
        match self {
            Scale::One => 1.0,
            Scale::Million => 1e6,
            Scale::Billion => 1e9,
            Scale::Trillion => 1e12,
        }
    }

    fn suffix(self) -> &'static str {
        match self {
            Scale::One => "",
            Scale::Million => "M",
            Scale::Billion => "B",
            Scale::Trillion => "T",
        }
    }

    /// The scale for numbers up to `largest` in magnitude: a suffix from a million up.
    fn for_magnitude(largest: f64) -> Self {
        if largest >= 1e12 {
            Scale::Trillion
        } else if largest >= 1e9 {
            Scale::Billion
        } else if largest >= 1e6 {
            Scale::Million
        } else {
            Scale::One
        }
    }
}

/// Significant digits of a value printed without an error.
const VALUE_DIGITS: i32 = 4;
/// Significant digits of a percentage printed without an error.
const PERCENT_DIGITS: i32 = 3;
/// Significant digits kept of a standard error.
const ERROR_DIGITS: i32 = 2;
/// Most decimals a fixed-point number is printed with; smaller plain numbers use `e`.
const MAX_DECIMALS: i32 = 8;

/// How the cells of one column (or one metric row) are written: one kind, one scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Notation {
    kind: Kind,
    scale: Scale,
    /// Decimals of a value without an error in a scaled money column: four significant
    /// digits of the column's largest number, so the column's decimals line up.
    scaled_decimals: i32,
}

impl Notation {
    /// A notation for one number (its own column): money from a million up gets a suffix.
    pub fn of(kind: Kind, v: f64) -> Self {
        Self::for_column(kind, [v])
    }

    /// One notation for every cell of a column: money is scaled by the column's largest
    /// finite magnitude, so `$450,000` and `$1,000,000` never meet `$1.0M` in one column.
    pub fn for_column(kind: Kind, values: impl IntoIterator<Item = f64>) -> Self {
        let largest = values
            .into_iter()
            .filter(|v| v.is_finite())
            .fold(0.0_f64, |m, v| m.max(v.abs()));
        let scale = match kind {
            Kind::Usd => Scale::for_magnitude(largest),
            Kind::Plain | Kind::Percent => Scale::One,
        };
        let scaled_decimals = if largest > 0.0 {
            (VALUE_DIGITS - 1 - magnitude(largest / scale.factor())).max(0)
        } else {
            0
        };
        Self {
            kind,
            scale,
            scaled_decimals,
        }
    }

    /// The number in this notation's units (percent points, millions of USD, ...).
    fn scaled(&self, v: f64) -> f64 {
        match self.kind {
            Kind::Percent => v * 100.0,
            Kind::Usd => v / self.scale.factor(),
            Kind::Plain => v,
        }
    }

    /// `$`, `%` and the suffix around a formatted magnitude `body` of sign `negative`.
    fn dress(&self, negative: bool, body: &str) -> String {
        let sign = if negative { "-" } else { "" };
        match self.kind {
            Kind::Usd => format!("{sign}${body}{}", self.scale.suffix()),
            Kind::Percent => format!("{sign}{body}%"),
            Kind::Plain => format!("{sign}{body}"),
        }
    }

    /// A value with no error: four significant digits (three for a percentage), a whole
    /// plain number whole, money in whole dollars from $1,000 up and with the column's
    /// decimals when scaled. `n/a` for NaN, `inf`/`-inf` for infinities.
    pub fn value(&self, v: f64) -> String {
        if let Some(text) = non_finite(v) {
            return text;
        }
        if v == 0.0 {
            return self.dress(false, "0");
        }
        let s = self.scaled(v);
        let a = s.abs();
        if self.kind == Kind::Plain && s.fract() == 0.0 && a < 1e15 {
            // A whole number (a threshold, a count of epochs) prints whole.
            return self.dress(s < 0.0, &fixed(a, 0));
        }
        let digits = match self.kind {
            Kind::Percent => PERCENT_DIGITS,
            _ => VALUE_DIGITS,
        };
        let mut decimals = (digits - 1 - magnitude(a)).max(0);
        if self.kind == Kind::Usd {
            decimals = match self.scale {
                Scale::One if a >= 1000.0 => 0,
                Scale::One => decimals.min(2),
                _ => self.scaled_decimals,
            };
        }
        if decimals > MAX_DECIMALS && self.kind == Kind::Plain {
            return format!("{v:.*e}", (VALUE_DIGITS - 1) as usize);
        }
        let body = fixed(a, decimals.min(MAX_DECIMALS));
        self.dress(s < 0.0 && body_is_nonzero(&body), &body)
    }

    /// `value ± error`, both rounded to the error's second significant digit
    /// (`61.71 ± 0.88`, `$508.20M ± 0.62M`, `5.48% ± 0.40%`). An error of `None` is
    /// undefined (fewer than two paths) and prints `± n/a`; an error of 0 prints `± 0`.
    pub fn with_error(&self, v: f64, se: Option<f64>) -> String {
        match se.filter(|e| e.is_finite() && *e > 0.0) {
            Some(e) => {
                let decimals = self.error_decimals(e);
                format!(
                    "{} ± {}",
                    self.rounded(v, decimals),
                    self.bare(self.scaled(e), decimals)
                )
            }
            None => format!("{} {}", self.value(v), self.error(se)),
        }
    }

    /// The value of `v ± se` without the error (for a report with a separate error
    /// column): rounded to the error's second significant digit when it has one.
    pub fn value_at_error(&self, v: f64, se: Option<f64>) -> String {
        match se.filter(|e| e.is_finite() && *e > 0.0) {
            Some(e) => self.rounded(v, self.error_decimals(e)),
            None => self.value(v),
        }
    }

    /// The error alone: `± 0.88`, `± 0.62M`, `± 0.40%`, `± 0`, or `± n/a` when undefined.
    pub fn error(&self, se: Option<f64>) -> String {
        match se {
            None => "± n/a".into(),
            Some(e) if e.is_nan() => "± n/a".into(),
            Some(0.0) => "± 0".into(),
            Some(e) if e.is_infinite() => "± inf".into(),
            Some(e) => {
                let decimals = self.error_decimals(e);
                format!("± {}", self.bare(self.scaled(e), decimals))
            }
        }
    }

    /// An interval `[lo, hi]`, each end written as a value of this notation.
    pub fn interval(&self, lo: f64, hi: f64) -> String {
        format!("[{}, {}]", self.value(lo), self.value(hi))
    }

    /// Decimals (negative: tens, hundreds, ...) that keep two significant digits of `e`.
    fn error_decimals(&self, e: f64) -> i32 {
        (ERROR_DIGITS - 1 - magnitude(self.scaled(e))).min(MAX_DECIMALS)
    }

    /// `v` in this notation rounded at `decimals`.
    fn rounded(&self, v: f64, decimals: i32) -> String {
        if let Some(text) = non_finite(v) {
            return text;
        }
        let s = self.scaled(v);
        let body = fixed(round_at(s.abs(), decimals), decimals.max(0));
        self.dress(s < 0.0 && body_is_nonzero(&body), &body)
    }

    /// A magnitude with the unit's suffix but no `$` (the error after a `±`).
    fn bare(&self, scaled: f64, decimals: i32) -> String {
        let body = fixed(round_at(scaled.abs(), decimals), decimals.max(0));
        match self.kind {
            Kind::Usd => format!("{body}{}", self.scale.suffix()),
            Kind::Percent => format!("{body}%"),
            Kind::Plain => body,
        }
    }
}

/// A value in the notation of its unit, alone in its column (a shortcut for one cell).
pub fn value(kind: Kind, v: f64) -> String {
    Notation::of(kind, v).value(v)
}

/// `v ± se` in the notation of its unit, alone in its column.
pub fn with_error(kind: Kind, v: f64, se: Option<f64>) -> String {
    Notation::of(kind, v).with_error(v, se)
}

/// An exact count with thousands separators: `1,234`.
pub fn count(n: u64) -> String {
    fixed(n as f64, 0)
}

/// The error of an estimate from `paths` paths: `None` (undefined) below two paths.
pub fn error_of(se: f64, paths: u64) -> Option<f64> {
    (paths >= 2).then_some(se)
}

/// The text of a NaN or an infinity, `None` for a finite number.
fn non_finite(v: f64) -> Option<String> {
    if v.is_nan() {
        Some("n/a".into())
    } else if v.is_infinite() {
        Some(if v > 0.0 { "inf" } else { "-inf" }.into())
    } else {
        None
    }
}

/// The decimal exponent of `a > 0` (`floor(log10 a)`), exact at powers of ten.
fn magnitude(a: f64) -> i32 {
    let mut m = a.log10().floor() as i32;
    // log10 can land a hair below an exact power of ten.
    if 10f64.powi(m + 1) <= a {
        m += 1;
    }
    m
}

/// `a` rounded to a multiple of `10^-decimals` (to tens, hundreds, ... when negative).
fn round_at(a: f64, decimals: i32) -> f64 {
    if decimals >= 0 {
        a
    } else {
        let unit = 10f64.powi(-decimals);
        (a / unit).round() * unit
    }
}

/// `a >= 0` in fixed point with `decimals` decimals and a `,` every three integer digits.
fn fixed(a: f64, decimals: i32) -> String {
    let text = format!("{a:.*}", decimals.max(0) as usize);
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text.as_str(), None),
    };
    let mut grouped = String::with_capacity(int.len() + int.len() / 3);
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    match frac {
        Some(f) => format!("{grouped}.{f}"),
        None => grouped,
    }
}

/// Whether a formatted magnitude is not all zeros (`-0.00` prints as `0.00`).
fn body_is_nonzero(body: &str) -> bool {
    body.chars().any(|c| c.is_ascii_digit() && c != '0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issue_cases() {
        // 5.082e8 ± 618623.1: one notation in the cell, the error's two digits.
        assert_eq!(
            with_error(Kind::Usd, 5.082e8, Some(618_623.1)),
            "$508.20M ± 0.62M"
        );
        // 61.706 ± 0.88472: the value gets no more digits than the error.
        assert_eq!(
            with_error(Kind::Plain, 61.706, Some(0.88472)),
            "61.71 ± 0.88"
        );
        // 0.05483 as a percentage.
        assert_eq!(value(Kind::Percent, 0.05483), "5.48%");
        assert_eq!(
            with_error(Kind::Percent, 0.05483, Some(0.00395)),
            "5.48% ± 0.40%"
        );
        // Money with an SI suffix, and with thousands separators.
        assert_eq!(value(Kind::Usd, 505_123_456.0), "$505.1M");
        assert_eq!(value(Kind::Usd, 450_000.0), "$450,000");
        // ± at one path is undefined, not 0.
        assert_eq!(
            with_error(Kind::Plain, 3.2, error_of(0.0, 1)),
            "3.200 ± n/a"
        );
        assert_eq!(with_error(Kind::Plain, 3.2, error_of(0.0, 2)), "3.200 ± 0");
    }

    #[test]
    fn one_notation_per_column() {
        let column = [450_000.0, 1_000_000.0, 2_500_000.0];
        let n = Notation::for_column(Kind::Usd, column);
        let cells: Vec<String> = column.iter().map(|v| n.value(*v)).collect();
        assert_eq!(cells, ["$0.450M", "$1.000M", "$2.500M"]);
        assert!(cells.iter().all(|c| c.ends_with('M') && !c.contains('e')));
        let small = Notation::for_column(Kind::Usd, [12.5, 98_765.4]);
        assert_eq!(small.value(98_765.4), "$98,765");
        assert_eq!(small.value(12.5), "$12.50");
    }

    #[test]
    fn rounding_to_the_error() {
        // An error of tens of thousands rounds the value to thousands (two digits of it).
        let n = Notation::of(Kind::Usd, 999_999.0);
        assert_eq!(
            n.with_error(13_840_123.0, Some(214_190.4)),
            "$13,840,000 ± 210,000"
        );
        assert_eq!(with_error(Kind::Usd, 2.676, Some(1.923)), "$2.7 ± 1.9");
        // An error of exactly a power of ten keeps two digits.
        assert_eq!(with_error(Kind::Plain, 12.345, Some(1.0)), "12.3 ± 1.0");
        assert_eq!(
            with_error(Kind::Plain, 12.345, Some(0.099)),
            "12.345 ± 0.099"
        );
        // A negative value, and one that rounds to zero keeps no minus sign.
        assert_eq!(
            with_error(Kind::Percent, -0.00294, Some(0.00395)),
            "-0.29% ± 0.40%"
        );
        assert_eq!(with_error(Kind::Plain, -0.001, Some(0.5)), "0.00 ± 0.50");
        assert_eq!(Notation::of(Kind::Plain, 1.0).error(Some(0.0)), "± 0");
        assert_eq!(Notation::of(Kind::Plain, 1.0).error(None), "± n/a");
        let n = Notation::of(Kind::Plain, 61.706);
        assert_eq!(n.value_at_error(61.706, Some(0.88472)), "61.71");
        assert_eq!(n.error(Some(0.88472)), "± 0.88");
    }

    #[test]
    fn values_without_an_error() {
        assert_eq!(value(Kind::Plain, 0.0), "0");
        assert_eq!(value(Kind::Percent, 0.0), "0%");
        assert_eq!(value(Kind::Plain, 40.0), "40");
        assert_eq!(value(Kind::Plain, 38.381), "38.38");
        assert_eq!(value(Kind::Plain, 1_234_567.0), "1,234,567");
        assert_eq!(value(Kind::Percent, 0.0012345), "0.123%");
        assert_eq!(value(Kind::Percent, 1.0), "100%");
        assert_eq!(value(Kind::Plain, 1.5e-9), "1.500e-9");
        assert_eq!(value(Kind::Plain, f64::INFINITY), "inf");
        assert_eq!(value(Kind::Plain, f64::NEG_INFINITY), "-inf");
        assert_eq!(value(Kind::Plain, f64::NAN), "n/a");
        assert_eq!(value(Kind::Usd, -2_500_000_000.0), "-$2.500B");
        assert_eq!(
            Notation::of(Kind::Percent, 0.2).interval(0.18949, 0.21002),
            "[18.9%, 21.0%]"
        );
    }

    #[test]
    fn kinds_from_units_and_names() {
        assert_eq!(Kind::of_unit("share of volume"), Kind::Percent);
        assert_eq!(Kind::of_unit("over the horizon"), Kind::Percent);
        assert_eq!(Kind::of_unit("USD per path"), Kind::Usd);
        assert_eq!(Kind::of_unit("bps"), Kind::Plain);
        assert_eq!(Kind::of_metric("roi_p05"), Kind::Percent);
        assert_eq!(Kind::of_metric("liquidation_probability"), Kind::Percent);
        assert_eq!(Kind::of_metric("capital.max_drawdown_p95"), Kind::Percent);
        assert_eq!(Kind::of_metric("routing.volume_total"), Kind::Usd);
        assert_eq!(
            Kind::of_metric("intervention_cost_total at 2x volume / at 1x"),
            Kind::Plain
        );
        assert_eq!(
            Kind::of_metric("peak_deviation_bps_post_bot_p95"),
            Kind::Plain
        );
        assert_eq!(Kind::of_metric("churn_mean"), Kind::Plain);
    }

    #[test]
    fn magnitudes_at_powers_of_ten() {
        assert_eq!(magnitude(1000.0), 3);
        assert_eq!(magnitude(999.999), 2);
        assert_eq!(magnitude(0.001), -3);
        assert_eq!(fixed(1234567.891, 2), "1,234,567.89");
        assert_eq!(fixed(999.0, 0), "999");
        assert_eq!(count(47), "47");
        assert_eq!(count(1_234_567), "1,234,567");
    }
}

//! Hand-built SVG charts for the HTML report: a plot area with a title, axis labels,
//! ticks at round numbers and an `id`, and the few marks the report draws (bands, lines,
//! bars, points with interval whiskers, a dashed marker line). Text is plain `<text>`
//! in the page's generic font, so nothing depends on system fonts, scripts or the
//! network. Pure string building: it reads no scorecard.

use std::fmt::Write as _;

/// Plot size in SVG user units, and the margins around the plot area.
const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 300.0;
const LEFT: f64 = 78.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 30.0;
const BOTTOM: f64 = 46.0;

/// Escapes `&`, `<`, `>` and quotes for HTML text and attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Round tick values covering `[lo, hi]`: steps of 1, 2 or 5 times a power of ten.
pub fn ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return vec![lo];
    }
    let raw = (hi - lo) / target.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// A chart in progress: axes fixed by the data ranges, marks appended in order.
pub struct Chart {
    id: String,
    x: (f64, f64),
    y: (f64, f64),
    marks: String,
    axes: String,
}

impl Chart {
    /// A chart `id` over `x` and `y` ranges (widened when empty), with its title and axis
    /// labels; `fx` and `fy` write the tick labels.
    pub fn new(
        id: &str,
        title: &str,
        (x_label, y_label): (&str, &str),
        x: (f64, f64),
        y: (f64, f64),
        (fx, fy): (&dyn Fn(f64) -> String, &dyn Fn(f64) -> String),
    ) -> Self {
        let widen = |(lo, hi): (f64, f64)| {
            let (lo, hi) = if lo.is_finite() && hi.is_finite() {
                (lo, hi)
            } else {
                (0.0, 1.0)
            };
            if hi > lo {
                (lo, hi)
            } else {
                let pad = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
                (lo - pad, hi + pad)
            }
        };
        let mut c = Self {
            id: id.to_string(),
            x: widen(x),
            y: widen(y),
            marks: String::new(),
            axes: String::new(),
        };
        c.draw_axes(title, x_label, y_label, fx, fy);
        c
    }

    fn px(&self, x: f64) -> f64 {
        LEFT + (x - self.x.0) / (self.x.1 - self.x.0) * (WIDTH - LEFT - RIGHT)
    }

    fn py(&self, y: f64) -> f64 {
        HEIGHT - BOTTOM - (y - self.y.0) / (self.y.1 - self.y.0) * (HEIGHT - TOP - BOTTOM)
    }

    fn draw_axes(
        &mut self,
        title: &str,
        x_label: &str,
        y_label: &str,
        fx: &dyn Fn(f64) -> String,
        fy: &dyn Fn(f64) -> String,
    ) {
        let (x0, x1, y0, y1) = (LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM);
        let mut a = String::new();
        let _ = write!(
            a,
            r#"<text class="title" x="{}" y="18" text-anchor="middle">{}</text>"#,
            WIDTH / 2.0,
            escape(title)
        );
        for t in ticks(self.y.0, self.y.1, 5) {
            let y = self.py(t);
            let _ = write!(
                a,
                r#"<line class="grid" x1="{x0}" y1="{y:.1}" x2="{x1}" y2="{y:.1}"/><text class="tick" x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
                x0 - 6.0,
                y + 4.0,
                escape(&fy(t))
            );
        }
        for t in ticks(self.x.0, self.x.1, 8) {
            let x = self.px(t);
            let _ = write!(
                a,
                r#"<line class="axis" x1="{x:.1}" y1="{y1}" x2="{x:.1}" y2="{}"/><text class="tick" x="{x:.1}" y="{}" text-anchor="middle">{}</text>"#,
                y1 + 4.0,
                y1 + 16.0,
                escape(&fx(t))
            );
        }
        let _ = write!(
            a,
            r#"<line class="axis" x1="{x0}" y1="{y1}" x2="{x1}" y2="{y1}"/><line class="axis" x1="{x0}" y1="{y0}" x2="{x0}" y2="{y1}"/><text class="label" x="{}" y="{}" text-anchor="middle">{}</text><text class="label" transform="translate(14 {}) rotate(-90)" text-anchor="middle">{}</text>"#,
            (x0 + x1) / 2.0,
            HEIGHT - 8.0,
            escape(x_label),
            (y0 + y1) / 2.0,
            escape(y_label)
        );
        self.axes = a;
    }

    /// A filled band between `lo` and `hi` over `xs`.
    pub fn band(&mut self, xs: &[f64], lo: &[f64], hi: &[f64], class: &str) {
        let mut d = String::new();
        for (i, (x, y)) in xs.iter().zip(hi).enumerate() {
            let _ = write!(
                d,
                "{}{:.1},{:.1}",
                if i == 0 { "M" } else { " L" },
                self.px(*x),
                self.py(*y)
            );
        }
        for (x, y) in xs.iter().zip(lo).rev() {
            let _ = write!(d, " L{:.1},{:.1}", self.px(*x), self.py(*y));
        }
        let _ = write!(self.marks, r#"<path class="{class}" d="{d} Z"/>"#);
    }

    /// A polyline through `(xs, ys)`.
    pub fn line(&mut self, xs: &[f64], ys: &[f64], class: &str) {
        let points: Vec<String> = xs
            .iter()
            .zip(ys)
            .map(|(x, y)| format!("{:.1},{:.1}", self.px(*x), self.py(*y)))
            .collect();
        let _ = write!(
            self.marks,
            r#"<polyline class="{class}" points="{}"/>"#,
            points.join(" ")
        );
    }

    /// A bar from `(x0, base)` to `(x1, top)`, with a tooltip.
    pub fn bar(&mut self, (x0, x1): (f64, f64), (base, top): (f64, f64), class: &str, tip: &str) {
        let (a, b) = (self.px(x0), self.px(x1));
        let (c, d) = (self.py(base), self.py(top));
        let _ = write!(
            self.marks,
            r#"<rect class="{class}" x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}"><title>{}</title></rect>"#,
            a.min(b),
            c.min(d),
            (b - a).abs().max(0.5),
            (d - c).abs().max(0.5),
            escape(tip)
        );
    }

    /// A point at `(x, y)` with a vertical whisker from `lo` to `hi`.
    pub fn point(&mut self, x: f64, y: f64, (lo, hi): (f64, f64), class: &str, tip: &str) {
        let (px, py) = (self.px(x), self.py(y));
        let _ = write!(
            self.marks,
            r#"<line class="whisker" x1="{px:.1}" y1="{:.1}" x2="{px:.1}" y2="{:.1}"/><circle class="{class}" cx="{px:.1}" cy="{py:.1}" r="4"><title>{}</title></circle>"#,
            self.py(lo),
            self.py(hi),
            escape(tip)
        );
    }

    /// A dashed vertical marker at `x` with a label.
    pub fn marker(&mut self, x: f64, label: &str) {
        let px = self.px(x);
        let _ = write!(
            self.marks,
            r#"<line class="marker" x1="{px:.1}" y1="{TOP}" x2="{px:.1}" y2="{}"/><text class="tick" x="{:.1}" y="{}">{}</text>"#,
            HEIGHT - BOTTOM,
            px + 4.0,
            HEIGHT - BOTTOM - 8.0,
            escape(label)
        );
    }

    /// A text note inside the plot area, top left.
    pub fn legend(&mut self, lines: &[&str]) {
        for (i, l) in lines.iter().enumerate() {
            let _ = write!(
                self.marks,
                r#"<text class="legend" x="{}" y="{}">{}</text>"#,
                LEFT + 8.0,
                TOP + 14.0 + 13.0 * i as f64,
                escape(l)
            );
        }
    }

    /// The finished `<svg>` element.
    pub fn finish(self) -> String {
        format!(
            r#"<svg id="{id}-svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-labelledby="{id}-title"><g class="axes">{}</g><g class="marks">{}</g></svg>"#,
            self.axes,
            self.marks,
            id = escape(&self.id)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_inside_the_range() {
        assert_eq!(ticks(0.0, 10.0, 5), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        let t = ticks(2.4e8, 3.1e8, 5);
        assert!(t.iter().all(|v| (2.4e8..=3.1e8).contains(v)));
        assert_eq!(t[1] - t[0], 2e7);
        assert_eq!(ticks(1.0, 1.0, 5), vec![1.0]);
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape(r#"a<b & "c""#), "a&lt;b &amp; &quot;c&quot;");
    }
}

//! SVG figures, written by a small hand-rolled writer: the coefficient path against
//! `log10(alpha)` with the chosen alphas marked, and the CV curve with its error bars.
//!
//! A plotting crate was not used: the figures are a few polylines, and writing SVG elements
//! directly needs no font files (text is left to the viewer's `sans-serif`), no system
//! libraries and no extra dependencies.

use std::fmt::Write as _;

/// One curve: `(x, y)` points and a label.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The legend label.
    pub label: String,
    /// The points (non-finite ones are skipped).
    pub points: Vec<(f64, f64)>,
    /// Symmetric error bars (same length as `points`), if any.
    pub error: Option<Vec<f64>>,
}

/// A vertical marker line at `x`, labelled.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    /// Its label (e.g. `lambda_min`).
    pub label: String,
    /// Position on the x axis.
    pub x: f64,
}

/// A line chart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Chart {
    /// Title at the top.
    pub title: String,
    /// Label of the x axis.
    pub x_label: String,
    /// Label of the y axis.
    pub y_label: String,
    /// The curves.
    pub series: Vec<Series>,
    /// Vertical markers.
    pub markers: Vec<Marker>,
}

const W: f64 = 800.0;
const H: f64 = 500.0;
const LEFT: f64 = 80.0;
const RIGHT: f64 = 170.0;
const TOP: f64 = 50.0;
const BOTTOM: f64 = 60.0;
const COLORS: [&str; 10] = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf",
];

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// "Nice" tick positions covering `[lo, hi]` (about 5).
fn ticks(lo: f64, hi: f64) -> Vec<f64> {
    let span = hi - lo;
    if !(span.is_finite() && span > 0.0) {
        return vec![lo];
    }
    let raw = span / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| span / s <= 6.0)
        .unwrap_or(10.0 * mag);
    let mut t = (lo / step).ceil() * step;
    let mut out = Vec::new();
    while t <= hi + 1e-9 * span && out.len() < 20 {
        out.push(if t.abs() < 1e-12 * span { 0.0 } else { t });
        t += step;
    }
    out
}

fn fmt_tick(v: f64) -> String {
    if v == 0.0 {
        "0".into()
    } else if v.abs() >= 1e4 || v.abs() < 1e-3 {
        format!("{v:.1e}")
    } else {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

impl Chart {
    /// The SVG document.
    pub fn to_svg(&self) -> String {
        let pts = self
            .series
            .iter()
            .flat_map(|s| {
                s.points.iter().enumerate().flat_map(move |(i, &(x, y))| {
                    let e = s
                        .error
                        .as_ref()
                        .and_then(|e| e.get(i))
                        .copied()
                        .unwrap_or(0.0);
                    [(x, y - e), (x, y + e)]
                })
            })
            .chain(self.markers.iter().map(|m| (m.x, f64::NAN)))
            .filter(|(x, _)| x.is_finite());
        let (mut x0, mut x1, mut y0, mut y1) = (
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        );
        for (x, y) in pts {
            x0 = x0.min(x);
            x1 = x1.max(x);
            if y.is_finite() {
                y0 = y0.min(y);
                y1 = y1.max(y);
            }
        }
        if !(x0.is_finite() && x1.is_finite()) {
            (x0, x1) = (0.0, 1.0);
        }
        if !(y0.is_finite() && y1.is_finite()) {
            (y0, y1) = (0.0, 1.0);
        }
        if x1 - x0 <= 0.0 {
            (x0, x1) = (x0 - 0.5, x1 + 0.5);
        }
        if y1 - y0 <= 0.0 {
            (y0, y1) = (y0 - 0.5, y1 + 0.5);
        }
        let pad = 0.05 * (y1 - y0);
        let (y0, y1) = (y0 - pad, y1 + pad);
        let pw = W - LEFT - RIGHT;
        let ph = H - TOP - BOTTOM;
        let sx = |x: f64| LEFT + (x - x0) / (x1 - x0) * pw;
        let sy = |y: f64| TOP + (y1 - y) / (y1 - y0) * ph;

        let mut s = String::new();
        let _ = writeln!(
            s,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" font-family="sans-serif" font-size="12">"#
        );
        let _ = writeln!(s, r#"<rect width="{W}" height="{H}" fill="white"/>"#);
        let _ = writeln!(
            s,
            r#"<text x="{}" y="28" text-anchor="middle" font-size="15">{}</text>"#,
            LEFT + pw / 2.0,
            esc(&self.title)
        );
        // axes and ticks
        let _ = writeln!(
            s,
            r#"<g id="axes" stroke="black" fill="none"><rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}"/></g>"#
        );
        let _ = writeln!(s, r##"<g id="ticks" font-size="11" fill="#333">"##);
        for t in ticks(x0, x1) {
            let _ = writeln!(
                s,
                r#"<line x1="{0:.2}" y1="{1}" x2="{0:.2}" y2="{2}" stroke="black"/><text x="{0:.2}" y="{3}" text-anchor="middle">{4}</text>"#,
                sx(t),
                TOP + ph,
                TOP + ph + 5.0,
                TOP + ph + 18.0,
                fmt_tick(t)
            );
        }
        for t in ticks(y0, y1) {
            let _ = writeln!(
                s,
                r#"<line x1="{0}" y1="{1:.2}" x2="{2}" y2="{1:.2}" stroke="black"/><text x="{3}" y="{4:.2}" text-anchor="end">{5}</text>"#,
                LEFT - 5.0,
                sy(t),
                LEFT,
                LEFT - 8.0,
                sy(t) + 4.0,
                fmt_tick(t)
            );
        }
        let _ = writeln!(s, "</g>");
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" text-anchor="middle">{}</text>"#,
            LEFT + pw / 2.0,
            H - 15.0,
            esc(&self.x_label)
        );
        let _ = writeln!(
            s,
            r#"<text x="20" y="{0}" text-anchor="middle" transform="rotate(-90 20 {0})">{1}</text>"#,
            TOP + ph / 2.0,
            esc(&self.y_label)
        );
        // markers
        for (i, m) in self.markers.iter().enumerate() {
            if !m.x.is_finite() {
                continue;
            }
            let _ = writeln!(
                s,
                r##"<g class="marker"><line x1="{0:.2}" y1="{1}" x2="{0:.2}" y2="{2}" stroke="#555" stroke-dasharray="5,4"/><text x="{3:.2}" y="{4}" font-size="11" fill="#555">{5}</text></g>"##,
                sx(m.x),
                TOP,
                TOP + ph,
                sx(m.x) + 3.0,
                TOP + 12.0 + 13.0 * i as f64,
                esc(&m.label)
            );
        }
        // series
        for (i, ser) in self.series.iter().enumerate() {
            let color = COLORS[i % COLORS.len()];
            let mut d = String::new();
            for &(x, y) in ser
                .points
                .iter()
                .filter(|(x, y)| x.is_finite() && y.is_finite())
            {
                let _ = write!(
                    d,
                    "{}{:.2},{:.2}",
                    if d.is_empty() { "M" } else { " L" },
                    sx(x),
                    sy(y)
                );
            }
            let _ = writeln!(
                s,
                r#"<g class="series" data-label="{}"><path d="{d}" fill="none" stroke="{color}" stroke-width="1.8"/>"#,
                esc(&ser.label)
            );
            if let Some(err) = &ser.error {
                for (&(x, y), &e) in ser.points.iter().zip(err) {
                    if !(x.is_finite() && y.is_finite() && e.is_finite()) {
                        continue;
                    }
                    let _ = writeln!(
                        s,
                        r#"<line class="errorbar" x1="{0:.2}" y1="{1:.2}" x2="{0:.2}" y2="{2:.2}" stroke="{color}" stroke-opacity="0.5"/>"#,
                        sx(x),
                        sy(y - e),
                        sy(y + e)
                    );
                }
            }
            let _ = writeln!(s, "</g>");
            // legend
            let ly = TOP + 10.0 + 16.0 * i as f64;
            if ly < H - BOTTOM {
                let _ = writeln!(
                    s,
                    r#"<line x1="{0}" y1="{1:.1}" x2="{2}" y2="{1:.1}" stroke="{color}" stroke-width="2"/><text x="{3}" y="{4:.1}">{5}</text>"#,
                    W - RIGHT + 12.0,
                    ly,
                    W - RIGHT + 32.0,
                    W - RIGHT + 37.0,
                    ly + 4.0,
                    esc(&ser.label)
                );
            }
        }
        let _ = writeln!(s, "</svg>");
        s
    }
}

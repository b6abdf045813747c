//! Small bar charts drawn on the server as SVG (no script, readable by screen readers through
//! their title and the figures printed beside each bar).

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A horizontal bar chart: one row per (label, value, shown value).
pub fn bars(title: &str, rows: &[(String, Decimal, String)]) -> String {
    const ROW: u32 = 28;
    const LABEL: f64 = 150.0;
    const BAR: f64 = 200.0;
    let height = ROW * (rows.len().max(1) as u32) + 8;
    let max = rows
        .iter()
        .map(|(_, v, _)| *v)
        .max()
        .unwrap_or(Decimal::ZERO);
    let mut out = format!(
        "<svg role=\"img\" aria-label=\"{}\" viewBox=\"0 0 460 {height}\" width=\"100%\" \
         preserveAspectRatio=\"xMinYMin meet\"><title>{}</title>",
        escape(title),
        escape(title)
    );
    if rows.is_empty() {
        out.push_str("<text x=\"0\" y=\"20\">Aucune donnée sur la période</text>");
    }
    for (i, (label, value, shown)) in rows.iter().enumerate() {
        let y = i as u32 * ROW + 4;
        // Display only: the figure itself is printed exactly beside the bar.
        let ratio = if max.is_zero() {
            0.0
        } else {
            (*value / max).to_f64().unwrap_or(0.0)
        };
        let w = (ratio * BAR).max(if value.is_zero() { 0.0 } else { 2.0 });
        out.push_str(&format!(
            "<text x=\"0\" y=\"{}\">{}</text><rect x=\"{LABEL}\" y=\"{y}\" width=\"{w:.1}\" \
             height=\"18\" fill=\"#1f4e8c\" rx=\"2\"></rect><text x=\"{:.1}\" y=\"{}\">{}</text>",
            y + 14,
            escape(label),
            LABEL + w + 6.0,
            y + 14,
            escape(shown)
        ));
    }
    out.push_str("</svg>");
    out
}

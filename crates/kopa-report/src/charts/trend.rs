//! One indicator's way from its baseline to its target: the planned path as a dashed line,
//! the measurements as a solid line of triangles, the baseline a circle and the target a
//! square, each said in the legend.

use chrono::{Datelike, NaiveDate};

use super::{TEXT_SIZE, escape, open, text};

#[derive(Clone, Copy)]
pub struct TrendPoint {
    pub on: NaiveDate,
    pub value: f64,
}

pub struct Trend<'a> {
    pub title: String,
    pub description: String,
    pub unit: String,
    pub baseline: Option<TrendPoint>,
    pub target: Option<TrendPoint>,
    pub measured: &'a [TrendPoint],
    pub baseline_label: String,
    pub target_label: String,
    pub measured_label: String,
    pub planned_label: String,
}

const WIDTH: f64 = 560.0;
const HEIGHT: f64 = 230.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const PLOT_HEIGHT: f64 = 140.0;

/// A number as short as it can be written.
fn short(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

impl Trend<'_> {
    pub fn svg(&self) -> String {
        let mut out = open(WIDTH, HEIGHT, &self.title, &self.description);
        let points: Vec<TrendPoint> = self
            .baseline
            .iter()
            .chain(self.target.iter())
            .chain(self.measured.iter())
            .copied()
            .collect();
        let (Some(first), Some(last)) = (points.iter().map(|p| p.on).min(), points.iter().map(|p| p.on).max()) else {
            out.push_str("</svg>");
            return out;
        };
        let top_value = points.iter().map(|p| p.value).fold(0.0_f64, f64::max).max(1.0) * 1.1;
        let low_value = points.iter().map(|p| p.value).fold(0.0_f64, f64::min);
        let span_days = (last - first).num_days().max(1) as f64;
        let plot_width = WIDTH - LEFT - RIGHT;
        let x = |d: NaiveDate| LEFT + 10.0 + (d - first).num_days() as f64 / span_days * (plot_width - 20.0);
        let y = |v: f64| TOP + PLOT_HEIGHT - (v - low_value) / (top_value - low_value) * PLOT_HEIGHT;
        let bottom = TOP + PLOT_HEIGHT;

        // Axes, the value scale with its unit, and the years.
        out.push_str(&format!(
            r##"<path d="M {LEFT} {TOP} V {bottom} H {:.1}" fill="none" stroke="#000000" stroke-width="1"/>"##,
            WIDTH - RIGHT
        ));
        for value in [low_value, (low_value + top_value / 1.1) / 2.0, top_value / 1.1] {
            let at = y(value);
            out.push_str(&format!(
                r##"<line x1="{LEFT}" y1="{at:.1}" x2="{:.1}" y2="{at:.1}" stroke="#cccccc" stroke-width="0.5"/>"##,
                WIDTH - RIGHT
            ));
            out.push_str(&text(LEFT - 6.0, at + 4.0, "end", TEXT_SIZE, "normal", &short(value)));
        }
        out.push_str(&text(4.0, TOP - 4.0 + 10.0, "start", TEXT_SIZE, "bold", &self.unit));
        for year in first.year()..=last.year() {
            let on = NaiveDate::from_ymd_opt(year, 7, 1).unwrap_or(first).clamp(first, last);
            out.push_str(&text(
                x(on),
                bottom + 14.0,
                "middle",
                TEXT_SIZE,
                "normal",
                &year.to_string(),
            ));
        }

        if let (Some(b), Some(t)) = (self.baseline, self.target) {
            out.push_str(&format!(
                r##"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#000000" stroke-width="1.2" stroke-dasharray="6 4"/>"##,
                x(b.on),
                y(b.value),
                x(t.on),
                y(t.value)
            ));
        }
        let mut path: Vec<TrendPoint> = self.baseline.iter().copied().collect();
        path.extend(self.measured.iter().copied());
        if path.len() > 1 {
            let d: Vec<String> = path
                .iter()
                .map(|p| format!("{:.1} {:.1}", x(p.on), y(p.value)))
                .collect();
            out.push_str(&format!(
                r##"<path d="M {}" fill="none" stroke="#000000" stroke-width="2"/>"##,
                d.join(" L ")
            ));
        }
        for p in self.measured {
            let (cx, cy) = (x(p.on), y(p.value));
            out.push_str(&format!(
                r##"<path d="M {cx:.1} {:.1} L {:.1} {:.1} L {:.1} {:.1} Z" fill="#000000"><title>{} ({})</title></path>"##,
                cy - 6.0,
                cx + 5.5,
                cy + 4.0,
                cx - 5.5,
                cy + 4.0,
                escape(&short(p.value)),
                p.on
            ));
        }
        if let Some(b) = self.baseline {
            out.push_str(&format!(
                r##"<circle cx="{:.1}" cy="{:.1}" r="5" fill="#ffffff" stroke="#000000" stroke-width="1.5"><title>{} {} ({})</title></circle>"##,
                x(b.on),
                y(b.value),
                escape(&self.baseline_label),
                short(b.value),
                b.on
            ));
        }
        if let Some(t) = self.target {
            out.push_str(&format!(
                r##"<rect x="{:.1}" y="{:.1}" width="10" height="10" fill="#ffffff" stroke="#000000" stroke-width="1.5"><title>{} {} ({})</title></rect>"##,
                x(t.on) - 5.0,
                y(t.value) - 5.0,
                escape(&self.target_label),
                short(t.value),
                t.on
            ));
        }

        // The legend, in words beside each sign.
        let ly = HEIGHT - 22.0;
        out.push_str(&format!(
            r##"<circle cx="{LEFT}" cy="{:.1}" r="5" fill="#ffffff" stroke="#000000" stroke-width="1.5"/>"##,
            ly - 4.0
        ));
        out.push_str(&text(
            LEFT + 9.0,
            ly,
            "start",
            TEXT_SIZE,
            "normal",
            &self.baseline_label,
        ));
        out.push_str(&format!(
            r##"<rect x="{:.1}" y="{:.1}" width="10" height="10" fill="#ffffff" stroke="#000000" stroke-width="1.5"/>"##,
            LEFT + 120.0,
            ly - 9.0
        ));
        out.push_str(&text(
            LEFT + 135.0,
            ly,
            "start",
            TEXT_SIZE,
            "normal",
            &self.target_label,
        ));
        out.push_str(&format!(
            r##"<path d="M {:.1} {:.1} L {:.1} {:.1} L {:.1} {:.1} Z" fill="#000000"/>"##,
            LEFT + 250.0,
            ly - 10.0,
            LEFT + 255.5,
            ly,
            LEFT + 244.5,
            ly
        ));
        out.push_str(&text(
            LEFT + 261.0,
            ly,
            "start",
            TEXT_SIZE,
            "normal",
            &self.measured_label,
        ));
        out.push_str(&format!(
            r##"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#000000" stroke-width="1.2" stroke-dasharray="6 4"/>"##,
            LEFT + 370.0,
            ly - 4.0,
            LEFT + 396.0,
            ly - 4.0
        ));
        out.push_str(&text(
            LEFT + 401.0,
            ly,
            "start",
            TEXT_SIZE,
            "normal",
            &self.planned_label,
        ));
        out.push_str("</svg>");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn baseline_target_and_measurements_each_have_their_sign() {
        let at = |d: &str, v| TrendPoint {
            on: d.parse().unwrap(),
            value: v,
        };
        let measured = [at("2021-09-01", 6.0), at("2022-09-01", 8.5)];
        let svg = Trend {
            title: "I3".into(),
            description: "d".into(),
            unit: "%".into(),
            baseline: Some(at("2020-09-01", 4.0)),
            target: Some(at("2023-09-01", 12.0)),
            measured: &measured,
            baseline_label: "baseline".into(),
            target_label: "target".into(),
            measured_label: "measured".into(),
            planned_label: "planned".into(),
        }
        .svg();
        assert_eq!(svg.matches("<circle").count(), 2, "the baseline and its legend");
        assert!(svg.contains("<title>baseline 4 (2020-09-01)</title>"));
        assert!(svg.contains("<title>target 12 (2023-09-01)</title>"));
        assert!(svg.contains("<title>8.5 (2022-09-01)</title>"));
        assert_eq!(
            svg.matches("stroke-dasharray=\"6 4\"").count(),
            2,
            "the planned path and its legend"
        );
        for year in 2020..=2023 {
            assert!(svg.contains(&format!(">{year}</text>")));
        }
    }
}

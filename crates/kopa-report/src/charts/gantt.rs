//! A Gantt chart: one bar per action over a time axis of years and quarters, and one row per
//! milestone with a diamond on its date, filled when done and hollow while open.

use chrono::{Datelike, NaiveDate};

use super::{TEXT_SIZE, escape, letters_in, open, text, wrap};

pub struct Bar {
    pub label: String,
    pub starts: NaiveDate,
    pub ends: NaiveDate,
}

pub struct Mark {
    pub label: String,
    pub on: NaiveDate,
    pub done: bool,
}

pub struct Gantt<'a> {
    pub title: String,
    pub description: String,
    pub bars: &'a [Bar],
    pub marks: &'a [Mark],
    /// Says what a filled and a hollow diamond mean.
    pub legend_done: String,
    pub legend_open: String,
}

const LABEL_WIDTH: f64 = 300.0;
const CHART_WIDTH: f64 = 480.0;
const ROW: f64 = 20.0;
const TOP: f64 = 34.0;
const LINE: f64 = 14.0;

impl Gantt<'_> {
    /// The years the chart spans: from the first date's year to the year after the last.
    fn span(&self) -> Option<(NaiveDate, NaiveDate)> {
        let dates = self
            .bars
            .iter()
            .flat_map(|b| [b.starts, b.ends])
            .chain(self.marks.iter().map(|m| m.on));
        let (first, last) = dates.fold(None, |acc: Option<(NaiveDate, NaiveDate)>, d| match acc {
            None => Some((d, d)),
            Some((a, b)) => Some((a.min(d), b.max(d))),
        })?;
        let from = NaiveDate::from_ymd_opt(first.year(), 1, 1)?;
        let to = NaiveDate::from_ymd_opt(last.year() + 1, 1, 1)?;
        Some((from, to))
    }

    pub fn svg(&self) -> String {
        // Each label in full, wrapped; a row is as tall as its label.
        let labels: Vec<Vec<String>> = (self.bars.iter().map(|b| &b.label))
            .chain(self.marks.iter().map(|m| &m.label))
            .map(|label| wrap(label, letters_in(LABEL_WIDTH - 12.0)))
            .collect();
        let mut tops = Vec::with_capacity(labels.len() + 1);
        let mut y = TOP;
        for lines in &labels {
            tops.push(y);
            y += ROW.max(lines.len() as f64 * LINE + 6.0);
        }
        let bottom = y;
        let height = bottom + 40.0;
        let width = LABEL_WIDTH + CHART_WIDTH + 20.0;
        let mut out = open(width, height, &self.title, &self.description);
        let Some((from, to)) = self.span() else {
            out.push_str("</svg>");
            return out;
        };
        let days = (to - from).num_days().max(1) as f64;
        let x = |d: NaiveDate| LABEL_WIDTH + (d - from).num_days() as f64 / days * CHART_WIDTH;
        let label = |out: &mut String, row: usize| {
            for (n, line) in labels[row].iter().enumerate() {
                out.push_str(&text(
                    4.0,
                    tops[row] + 14.0 + n as f64 * LINE,
                    "start",
                    TEXT_SIZE,
                    "normal",
                    line,
                ));
            }
        };

        // Quarters as faint lines, years as solid ones with their number.
        let mut year = from.year();
        while let Some(start) = NaiveDate::from_ymd_opt(year, 1, 1).filter(|d| *d < to) {
            for month in [4, 7, 10] {
                if let Some(q) = NaiveDate::from_ymd_opt(year, month, 1) {
                    out.push_str(&format!(
                        r##"<line x1="{0:.1}" y1="{TOP}" x2="{0:.1}" y2="{bottom}" stroke="#bbbbbb" stroke-width="0.5" stroke-dasharray="2 2"/>"##,
                        x(q)
                    ));
                }
            }
            out.push_str(&format!(
                r##"<line x1="{0:.1}" y1="{1}" x2="{0:.1}" y2="{bottom}" stroke="#000000" stroke-width="0.8"/>"##,
                x(start),
                TOP - 14.0
            ));
            let next = NaiveDate::from_ymd_opt(year + 1, 1, 1).unwrap_or(to);
            out.push_str(&text(
                (x(start) + x(next.min(to))) / 2.0,
                TOP - 6.0,
                "middle",
                12.0,
                "bold",
                &year.to_string(),
            ));
            year += 1;
        }
        out.push_str(&format!(
            r##"<line x1="{0:.1}" y1="{1}" x2="{0:.1}" y2="{bottom}" stroke="#000000" stroke-width="0.8"/>"##,
            x(to),
            TOP - 14.0
        ));

        for (i, bar) in self.bars.iter().enumerate() {
            let y = tops[i];
            label(&mut out, i);
            let (x0, x1) = (x(bar.starts), x(bar.ends).max(x(bar.starts) + 2.0));
            out.push_str(&format!(
                r##"<rect x="{x0:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="#d0d0d0" stroke="#000000" stroke-width="0.8"><title>{}</title></rect>"##,
                y + 4.0,
                x1 - x0,
                ROW - 8.0,
                escape(&format!("{}: {} – {}", bar.label, bar.starts, bar.ends))
            ));
        }
        for (i, mark) in self.marks.iter().enumerate() {
            let row = self.bars.len() + i;
            let y = tops[row];
            label(&mut out, row);
            let (cx, cy) = (x(mark.on), y + ROW / 2.0);
            let fill = if mark.done { "#000000" } else { "#ffffff" };
            out.push_str(&format!(
                r##"<path d="M {cx:.1} {:.1} L {:.1} {cy:.1} L {cx:.1} {:.1} L {:.1} {cy:.1} Z" fill="{fill}" stroke="#000000" stroke-width="1.2"><title>{}</title></path>"##,
                cy - 6.0,
                cx + 6.0,
                cy + 6.0,
                cx - 6.0,
                escape(&format!("{}: {}", mark.label, mark.on))
            ));
        }
        // The legend says what the diamonds mean, in words.
        let y = bottom + 24.0;
        out.push_str(&format!(
            r##"<path d="M 10 {0:.1} L 16 {1:.1} L 10 {2:.1} L 4 {1:.1} Z" fill="#000000" stroke="#000000"/>"##,
            y - 10.0,
            y - 4.0,
            y + 2.0
        ));
        out.push_str(&text(22.0, y, "start", TEXT_SIZE, "normal", &self.legend_done));
        out.push_str(&format!(
            r##"<path d="M 250 {0:.1} L 256 {1:.1} L 250 {2:.1} L 244 {1:.1} Z" fill="#ffffff" stroke="#000000" stroke-width="1.2"/>"##,
            y - 10.0,
            y - 4.0,
            y + 2.0
        ));
        out.push_str(&text(262.0, y, "start", TEXT_SIZE, "normal", &self.legend_open));
        out.push_str("</svg>");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn bars_and_milestones_lie_on_a_shared_time_axis() {
        let bars = [Bar {
            label: "A1 Gājēju pāreja".into(),
            starts: day("2021-01-01"),
            ends: day("2021-12-31"),
        }];
        let marks = [Mark {
            label: "IAP roadmap".into(),
            on: day("2020-12-31"),
            done: false,
        }];
        let svg = Gantt {
            title: "Actions & milestones".into(),
            description: "d".into(),
            bars: &bars,
            marks: &marks,
            legend_done: "done".into(),
            legend_open: "open".into(),
        }
        .svg();
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("Actions &amp; milestones"));
        for year in ["2020", "2021"] {
            assert!(svg.contains(&format!(">{year}</text>")), "{year}");
        }
        // 2020 and 2021 span 731 days over the chart's width: 2021 starts 366/731 along it.
        let start = LABEL_WIDTH + 366.0 / 731.0 * CHART_WIDTH;
        assert!(svg.contains(&format!("<rect x=\"{start:.1}\"")), "{svg}");
        assert!(svg.contains("fill=\"#ffffff\" stroke=\"#000000\" stroke-width=\"1.2\"><title>IAP roadmap"));
    }

    #[test]
    fn a_long_label_is_wrapped_whole_and_its_row_grows() {
        let long = "Ceļvedis: rīcības plāna melnraksts apspriests ar iedzīvotājiem, uzņēmējiem un \
                    pašvaldības iestādēm visos trīs pagastos";
        let marks = [Mark {
            label: long.into(),
            on: day("2021-06-01"),
            done: true,
        }];
        let svg = Gantt {
            title: "t".into(),
            description: "d".into(),
            bars: &[],
            marks: &marks,
            legend_done: "done".into(),
            legend_open: "open".into(),
        }
        .svg();
        assert!(!svg.contains('…'), "nothing is cut");
        let lines = wrap(long, letters_in(LABEL_WIDTH - 12.0));
        assert!(lines.len() > 1);
        for line in &lines {
            assert!(svg.contains(&format!(">{}</text>", escape(line))), "{line:?}");
        }
    }
}

//! The risk heat map: likelihood across, impact up, each cell with its score written in its
//! corner and the risks that fall in it named inside. Greys deepen with the score, but the
//! number says it.

use super::{TEXT_SIZE, open, text};

pub struct Placed {
    pub label: String,
    pub likelihood: u8,
    pub impact: u8,
}

pub struct HeatMap<'a> {
    pub title: String,
    pub description: String,
    pub risks: &'a [Placed],
    pub likelihood_label: String,
    pub impact_label: String,
}

const CELL: f64 = 92.0;
const LEFT: f64 = 64.0;
const TOP: f64 = 12.0;

fn grey(score: u8) -> &'static str {
    match score {
        0..=4 => "#ffffff",
        5..=9 => "#ebebeb",
        10..=14 => "#d2d2d2",
        _ => "#b4b4b4",
    }
}

impl HeatMap<'_> {
    pub fn svg(&self) -> String {
        let size = CELL * 5.0;
        let mut out = open(LEFT + size + 16.0, TOP + size + 56.0, &self.title, &self.description);
        for impact in 1..=5u8 {
            for likelihood in 1..=5u8 {
                let x = LEFT + CELL * f64::from(likelihood - 1);
                let y = TOP + CELL * f64::from(5 - impact);
                let score = likelihood * impact;
                out.push_str(&format!(
                    r##"<rect x="{x:.1}" y="{y:.1}" width="{CELL}" height="{CELL}" fill="{}" stroke="#000000" stroke-width="0.8"/>"##,
                    grey(score)
                ));
                out.push_str(&text(
                    x + CELL - 5.0,
                    y + 14.0,
                    "end",
                    TEXT_SIZE,
                    "normal",
                    &format!("{score}"),
                ));
                let here: Vec<&str> = self
                    .risks
                    .iter()
                    .filter(|r| r.likelihood == likelihood && r.impact == impact)
                    .map(|r| r.label.as_str())
                    .collect();
                for (line, names) in here.chunks(3).enumerate().take(4) {
                    out.push_str(&text(
                        x + CELL / 2.0,
                        y + 34.0 + 16.0 * line as f64,
                        "middle",
                        13.0,
                        "bold",
                        &names.join(" "),
                    ));
                }
            }
        }
        for n in 1..=5u8 {
            let centre = CELL * (f64::from(n) - 0.5);
            out.push_str(&text(
                LEFT + centre,
                TOP + size + 16.0,
                "middle",
                12.0,
                "normal",
                &n.to_string(),
            ));
            out.push_str(&text(
                LEFT - 8.0,
                TOP + size - centre + 4.0,
                "end",
                12.0,
                "normal",
                &n.to_string(),
            ));
        }
        out.push_str(&text(
            LEFT + size / 2.0,
            TOP + size + 40.0,
            "middle",
            12.0,
            "bold",
            &self.likelihood_label,
        ));
        out.push_str(&format!(
            r##"<g transform="translate(18 {:.1}) rotate(-90)">{}</g>"##,
            TOP + size / 2.0,
            text(0.0, 0.0, "middle", 12.0, "bold", &self.impact_label)
        ));
        out.push_str("</svg>");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn risks_sit_in_the_cell_of_their_scores() {
        let risks = [
            Placed {
                label: "R1".into(),
                likelihood: 2,
                impact: 4,
            },
            Placed {
                label: "R2".into(),
                likelihood: 2,
                impact: 4,
            },
        ];
        let svg = HeatMap {
            title: "Risks".into(),
            description: "d".into(),
            risks: &risks,
            likelihood_label: "Likelihood".into(),
            impact_label: "Impact".into(),
        }
        .svg();
        // Likelihood 2 is the second column, impact 4 the second row from the top.
        let (x, y) = (LEFT + CELL * 1.5, TOP + CELL + 34.0);
        assert!(svg.contains(&format!(r##"<text x="{x:.1}" y="{y:.1}" text-anchor="middle" font-size="13" font-weight="bold" fill="#000000">R1 R2</text>"##)), "{svg}");
        assert_eq!(svg.matches("<rect").count(), 26, "the background and 25 cells");
    }
}

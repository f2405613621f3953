//! The problem tree: the causes below, the core problem in the middle, the effects above,
//! arrows showing what leads to what. The core problem's box is drawn heavier.

use super::{TEXT_SIZE, WIDEST, letters_in, open, text, wrap};

pub struct ProblemTree<'a> {
    pub title: String,
    pub description: String,
    pub core: String,
    pub causes: &'a [String],
    pub effects: &'a [String],
    pub causes_label: String,
    pub effects_label: String,
}

const WIDTH: f64 = WIDEST;
const MARGIN: f64 = 12.0;
const GAP: f64 = 12.0;
const PER_ROW: usize = 4;
const LINE: f64 = 14.0;

/// One boxed text with its centre on top and at the bottom, for the arrows.
struct Placed {
    x: f64,
    y: f64,
    width: f64,
}

fn layout(count: usize, top: f64, box_height: f64) -> Vec<Placed> {
    let mut placed = Vec::new();
    for row_start in (0..count).step_by(PER_ROW) {
        let in_row = (count - row_start).min(PER_ROW);
        let width = (WIDTH - 2.0 * MARGIN - GAP * (in_row as f64 - 1.0)) / in_row as f64;
        let y = top + (row_start / PER_ROW) as f64 * (box_height + GAP);
        for i in 0..in_row {
            placed.push(Placed {
                x: MARGIN + i as f64 * (width + GAP),
                y,
                width,
            });
        }
    }
    placed
}

fn rows(count: usize) -> f64 {
    count.div_ceil(PER_ROW) as f64
}

/// The width of the narrowest box, in a full row.
const NARROWEST: f64 = (WIDTH - 2.0 * MARGIN - GAP * (PER_ROW as f64 - 1.0)) / PER_ROW as f64;

/// The lines of a box's text; the core problem's box is twice as wide.
fn lines_of(content: &str, width: f64) -> Vec<String> {
    wrap(content, letters_in(width - 12.0))
}

fn boxed(out: &mut String, at: &Placed, box_height: f64, content: &str, heavy: bool) {
    let (stroke, weight) = if heavy { ("2.5", "bold") } else { ("1", "normal") };
    out.push_str(&format!(
        r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{box_height:.1}" rx="4" fill="#ffffff" stroke="#000000" stroke-width="{stroke}"/>"##,
        at.x, at.y, at.width
    ));
    let lines = lines_of(content, at.width);
    let first = at.y + box_height / 2.0 - (lines.len() as f64 - 1.0) * LINE / 2.0 + 4.0;
    for (i, line) in lines.iter().enumerate() {
        out.push_str(&text(
            at.x + at.width / 2.0,
            first + i as f64 * LINE,
            "middle",
            TEXT_SIZE,
            weight,
            line,
        ));
    }
}

fn arrow(out: &mut String, x1: f64, y1: f64, x2: f64, y2: f64) {
    out.push_str(&format!(
        r##"<line x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="#000000" stroke-width="1" marker-end="url(#arrow)"/>"##
    ));
}

impl ProblemTree<'_> {
    pub fn svg(&self) -> String {
        // Every box is as tall as the longest text needs, so none is cut.
        let most_lines = (self.causes.iter().chain(self.effects))
            .map(|c| lines_of(c, NARROWEST).len())
            .chain([lines_of(&self.core, WIDTH / 2.0).len()])
            .max()
            .unwrap_or(1);
        let box_height = (most_lines as f64 * LINE + 18.0).max(46.0);
        let heading = 20.0;
        let effects_top = heading;
        let core_top = effects_top + rows(self.effects.len()) * (box_height + GAP) + 30.0;
        let causes_top = core_top + box_height + 30.0 + heading;
        let height = causes_top + rows(self.causes.len()).max(1.0) * (box_height + GAP) + MARGIN;
        let mut out = open(WIDTH, height, &self.title, &self.description);
        out.push_str(
            r##"<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto"><path d="M 0 0 L 10 5 L 0 10 Z" fill="#000000"/></marker></defs>"##,
        );
        out.push_str(&text(
            MARGIN,
            effects_top - 6.0,
            "start",
            12.0,
            "bold",
            &self.effects_label,
        ));
        out.push_str(&text(
            MARGIN,
            causes_top - 6.0,
            "start",
            12.0,
            "bold",
            &self.causes_label,
        ));

        let core = Placed {
            x: WIDTH / 4.0,
            y: core_top,
            width: WIDTH / 2.0,
        };
        let core_centre = core.x + core.width / 2.0;
        for (at, effect) in layout(self.effects.len(), effects_top, box_height)
            .iter()
            .zip(self.effects)
        {
            arrow(&mut out, core_centre, core.y, at.x + at.width / 2.0, at.y + box_height);
            boxed(&mut out, at, box_height, effect, false);
        }
        for (at, cause) in layout(self.causes.len(), causes_top, box_height)
            .iter()
            .zip(self.causes)
        {
            arrow(&mut out, at.x + at.width / 2.0, at.y, core_centre, core.y + box_height);
            boxed(&mut out, at, box_height, cause, false);
        }
        boxed(&mut out, &core, box_height, &self.core, true);
        out.push_str("</svg>");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn causes_lead_to_the_core_problem_and_it_to_the_effects() {
        let causes: Vec<String> = (1..=5).map(|i| format!("Cēlonis {i}")).collect();
        let effects = vec!["Sekas".to_owned()];
        let svg = ProblemTree {
            title: "Problēmu koks".into(),
            description: "d".into(),
            core: "Braukt ar velosipēdu ir nedroši".into(),
            causes: &causes,
            effects: &effects,
            causes_label: "Cēloņi".into(),
            effects_label: "Sekas".into(),
        }
        .svg();
        assert_eq!(svg.matches("marker-end").count(), 6, "one arrow per cause and effect");
        assert!(svg.contains("stroke-width=\"2.5\""), "the core problem stands out");
        assert!(svg.contains(">Cēlonis 5</text>"), "a fifth cause goes to a second row");
        assert_eq!(
            svg.matches("<rect").count(),
            8,
            "background, core, five causes, one effect"
        );
    }
}

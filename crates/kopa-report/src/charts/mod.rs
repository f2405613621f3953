//! Pictures drawn as SVG on the server: the same text goes into a page, a PDF and a Word
//! document. Every picture is legible in black and white: shapes, line styles and words carry
//! the meaning, and greys only repeat it.

mod gantt;
mod heat_map;
mod tree;
mod trend;

pub use gantt::{Bar, Gantt, Mark};
pub use heat_map::{HeatMap, Placed};
pub use tree::ProblemTree;
pub use trend::{Trend, TrendPoint};

/// The fonts named in every picture: the printed ones first, then what browsers have.
pub const FONT_FAMILY: &str = "Libertinus Serif, Georgia, 'Times New Roman', serif";

/// Text made safe inside SVG elements and attributes.
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

/// Breaks `text` into lines of at most `width` characters at spaces; a word longer than a
/// line keeps its own line. Nothing is left out: a picture grows to hold its words.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// How many letters of the least text size fit in `width` drawing units.
fn letters_in(width: f64) -> usize {
    (width / LETTER).max(8.0) as usize
}

/// Every picture prints at one scale, a drawing unit to 0.6 pt, so that text of 12 units, the
/// least any picture uses, is 7.2 pt on paper wherever it stands; no picture is wider than
/// [`WIDEST`] units, the width of the page's text.
pub const PRINT_SCALE: f64 = 0.6;
pub const WIDEST: f64 = 800.0;
/// The least text size in a picture, in drawing units, and about how wide its letters are.
const TEXT_SIZE: f64 = 12.0;
const LETTER: f64 = 6.6;

/// The opening of a picture with its accessible name and description, sized for print.
fn open(width: f64, height: f64, title: &str, description: &str) -> String {
    debug_assert!(width <= WIDEST, "a picture {width} units wide would not fit the page");
    let (print_width, print_height) = (width * PRINT_SCALE, height * PRINT_SCALE);
    // Named by a label, not by ids, so that many pictures can share a page.
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{print_width:.1}pt" height="{print_height:.1}pt" role="img" aria-label="{}" font-family="{FONT_FAMILY}" font-size="12"><title>{}</title><desc>{}</desc><rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>"##,
        escape(&format!("{title}. {description}")),
        escape(title),
        escape(description)
    )
}

/// Text at a place; `anchor` is start, middle or end.
fn text(x: f64, y: f64, anchor: &str, size: f64, weight: &str, content: &str) -> String {
    format!(
        r##"<text x="{x:.1}" y="{y:.1}" text-anchor="{anchor}" font-size="{size}" font-weight="{weight}" fill="#000000">{}</text>"##,
        escape(content)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_wrapped_at_spaces() {
        assert_eq!(escape("A<B & \"C\""), "A&lt;B &amp; &quot;C&quot;");
        assert_eq!(wrap("Ķekava Baloži Baldone", 13), ["Ķekava Baloži", "Baldone"]);
        assert_eq!(wrap("one two three four", 7), ["one two", "three", "four"]);
        assert_eq!(
            wrap("Velosipēdu novads", 8),
            ["Velosipēdu", "novads"],
            "a long word keeps its line"
        );
    }
}

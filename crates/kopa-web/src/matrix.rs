//! The power/interest matrix as an inline SVG picture. Quadrants carry their strategy as
//! text and each stakeholder a number keyed to the table beside it, so nothing depends on
//! colour.

use crate::pages::Chrome;

/// One assessed stakeholder to place.
pub struct MatrixPoint {
    pub number: usize,
    pub name: String,
    pub power: i64,
    pub interest: i64,
    pub strategy: String,
    pub note: Option<String>,
}

/// A point with its place in the picture.
pub struct PlacedPoint {
    pub point: MatrixPoint,
    pub x: i64,
    pub y: i64,
}

pub struct QuadrantLabel {
    pub x: i64,
    pub y: i64,
    pub anchor: &'static str,
    pub text: String,
}

pub struct StakeholderMatrix {
    pub points: Vec<PlacedPoint>,
    pub quadrants: Vec<QuadrantLabel>,
    pub power_label: String,
    pub interest_label: String,
}

pub const LEFT: i64 = 70;
pub const TOP: i64 = 20;
pub const CELL: i64 = 84;
/// Slots inside a cell, so several stakeholders with the same scores stay readable.
const SLOTS: [(i64, i64); 9] = [
    (0, 0),
    (-26, -26),
    (26, 26),
    (26, -26),
    (-26, 26),
    (0, -26),
    (0, 26),
    (-26, 0),
    (26, 0),
];

impl StakeholderMatrix {
    pub fn layout(points: Vec<MatrixPoint>, page: &Chrome) -> StakeholderMatrix {
        let mut used = std::collections::HashMap::<(i64, i64), usize>::new();
        let points = points
            .into_iter()
            .map(|point| {
                let column = point.interest.clamp(1, 5) - 1;
                let row = 5 - point.power.clamp(1, 5);
                let slot = used.entry((column, row)).or_insert(0);
                let (dx, dy) = SLOTS[*slot % SLOTS.len()];
                *slot += 1;
                let x = LEFT + column * CELL + CELL / 2 + dx;
                let y = TOP + row * CELL + CELL / 2 + dy;
                PlacedPoint { point, x, y }
            })
            .collect();
        let right = LEFT + 5 * CELL - 6;
        let bottom = TOP + 5 * CELL - 8;
        let quadrants = vec![
            QuadrantLabel {
                x: LEFT + 6,
                y: TOP + 16,
                anchor: "start",
                text: page.t("strategy-keep_satisfied"),
            },
            QuadrantLabel {
                x: right,
                y: TOP + 16,
                anchor: "end",
                text: page.t("strategy-manage_closely"),
            },
            QuadrantLabel {
                x: LEFT + 6,
                y: bottom,
                anchor: "start",
                text: page.t("strategy-monitor"),
            },
            QuadrantLabel {
                x: right,
                y: bottom,
                anchor: "end",
                text: page.t("strategy-keep_informed"),
            },
        ];
        StakeholderMatrix {
            points,
            quadrants,
            power_label: page.t("stakeholder-power"),
            interest_label: page.t("stakeholder-interest"),
        }
    }

    pub fn width(&self) -> i64 {
        LEFT + 5 * CELL + 20
    }

    pub fn height(&self) -> i64 {
        TOP + 5 * CELL + 60
    }

    /// Grid line positions, 0 to 5 cells.
    pub fn lines(&self) -> Vec<i64> {
        (0..=5).collect()
    }

    pub fn x_at(&self, cells: impl std::borrow::Borrow<i64>) -> i64 {
        LEFT + cells.borrow() * CELL
    }

    pub fn y_at(&self, cells: impl std::borrow::Borrow<i64>) -> i64 {
        TOP + cells.borrow() * CELL
    }

    /// The boundary between low (1–2) and high (3–5).
    pub fn split_x(&self) -> i64 {
        LEFT + 2 * CELL
    }

    pub fn split_y(&self) -> i64 {
        TOP + 3 * CELL
    }

    pub fn bottom(&self) -> i64 {
        TOP + 5 * CELL
    }

    pub fn right(&self) -> i64 {
        LEFT + 5 * CELL
    }
}

//! Ideas from members and residents: a title, a text, and optionally a place on the map (a
//! point, a line or an area). Others comment in threads and support an idea once each.
//! Coordinators moderate: they hide an idea with a public reason, merge duplicates, or answer
//! officially.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::code_enum;
use crate::initiative::InitiativeStatus;
use crate::validation::Invalid;

/// Most vertices a drawn line or area may have.
pub const MAX_PLACE_POINTS: usize = 500;

code_enum! {
    /// Where an idea stands with the moderators.
    IdeaStatus {
        Open => "open",
        Hidden => "hidden",
        Merged => "merged",
    }
}

/// What a place covers: a point, a line of some length, or an area of some size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Extent {
    Point,
    Line { metres: f64 },
    Area { square_metres: f64 },
}

/// A place drawn on the map, in WGS 84 longitude/latitude, written as a GeoJSON geometry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "type", content = "coordinates")]
pub enum Place {
    Point([f64; 2]),
    LineString(Vec<[f64; 2]>),
    /// One ring, closed (first point repeated last).
    Polygon(Vec<Vec<[f64; 2]>>),
}

impl Place {
    /// Reads what a form or the API sends: GeoJSON geometry from the map, or "lat, lon" typed
    /// by hand (either comma or space between). Returns the Fluent key of what is wrong.
    pub fn parse(text: &str) -> Result<Place, &'static str> {
        let text = text.trim();
        let place = if text.starts_with('{') {
            serde_json::from_str::<Place>(text).map_err(|_| "error-place-format")?
        } else {
            let numbers: Vec<f64> = text
                .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
                .filter(|part| !part.is_empty())
                .map(|part| part.parse::<f64>())
                .collect::<Result<_, _>>()
                .map_err(|_| "error-place-format")?;
            let [lat, lon] = numbers[..] else {
                return Err("error-place-format");
            };
            Place::Point([lon, lat])
        };
        place.checked()
    }

    /// Every position in range, enough of them, not too many; an area's ring closed.
    fn checked(self) -> Result<Place, &'static str> {
        let in_range = |p: &[f64; 2]| {
            p[0].is_finite() && p[1].is_finite() && (-180.0..=180.0).contains(&p[0]) && (-90.0..=90.0).contains(&p[1])
        };
        match self {
            Place::Point(p) => in_range(&p).then_some(Place::Point(p)).ok_or("error-place-range"),
            Place::LineString(points) => {
                if points.len() < 2 {
                    return Err("error-place-too-few");
                }
                if points.len() > MAX_PLACE_POINTS {
                    return Err("error-place-too-many");
                }
                if !points.iter().all(in_range) {
                    return Err("error-place-range");
                }
                Ok(Place::LineString(points))
            }
            Place::Polygon(rings) => {
                let [ring] = &rings[..] else {
                    return Err("error-place-format");
                };
                let mut ring = ring.clone();
                if ring.first() != ring.last() {
                    ring.push(ring[0]);
                }
                let mut distinct = ring.clone();
                distinct.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
                distinct.dedup();
                if distinct.len() < 3 {
                    return Err("error-place-too-few");
                }
                if ring.len() > MAX_PLACE_POINTS {
                    return Err("error-place-too-many");
                }
                if !ring.iter().all(in_range) {
                    return Err("error-place-range");
                }
                Ok(Place::Polygon(vec![ring]))
            }
        }
    }

    /// As GeoJSON text, for storage and the map.
    pub fn to_geojson(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// How big the place is on the ground, for saying it in words.
    pub fn extent(&self) -> Extent {
        use geo::{ChamberlainDuquetteArea, Haversine, Length, LineString, Polygon};
        let line = |points: &[[f64; 2]]| LineString::from(points.iter().map(|p| (p[0], p[1])).collect::<Vec<_>>());
        match self {
            Place::Point(_) => Extent::Point,
            Place::LineString(points) => Extent::Line {
                metres: Haversine.length(&line(points)),
            },
            Place::Polygon(rings) => Extent::Area {
                square_metres: Polygon::new(line(&rings[0]), vec![]).chamberlain_duquette_unsigned_area(),
            },
        }
    }

    /// A point to put a marker on: the point itself, or the middle of the vertices.
    pub fn marker(&self) -> [f64; 2] {
        let points: Vec<[f64; 2]> = match self {
            Place::Point(p) => return *p,
            Place::LineString(points) => points.clone(),
            Place::Polygon(rings) => rings[0][..rings[0].len() - 1].to_vec(),
        };
        let n = points.len() as f64;
        [
            points.iter().map(|p| p[0]).sum::<f64>() / n,
            points.iter().map(|p| p[1]).sum::<f64>() / n,
        ]
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Idea {
    pub id: i64,
    pub workspace_id: i64,
    pub title: String,
    pub body: String,
    pub place: Option<Place>,
    pub author_user_id: Option<i64>,
    /// The author's public name.
    pub author_name: String,
    pub created_at: DateTime<Utc>,
    pub status: IdeaStatus,
    /// Why moderators hid it, shown in its place.
    pub hidden_reason: Option<String>,
    /// The idea it was merged into.
    pub merged_into: Option<i64>,
    /// The municipality's official answer.
    pub answer: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    pub supporters: i64,
    pub comments: i64,
    /// Invented to show a feature; never a record.
    pub is_example: bool,
    /// The initiative it became: from then on, the idea moves as that initiative does.
    pub became: Option<Became>,
}

/// The initiative an idea became, and where it stands.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Became {
    pub initiative_id: i64,
    pub title: String,
    pub status: InitiativeStatus,
}

/// A new idea as typed into a form or sent to the API.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct IdeaInput {
    pub title: String,
    pub body: String,
    /// GeoJSON geometry, or "lat, lon"; empty for no place.
    #[serde(default)]
    pub place: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewIdea {
    pub title: String,
    pub body: String,
    pub place: Option<Place>,
    pub is_example: bool,
    /// When it was proposed, for ideas carried over from earlier minutes; otherwise now.
    pub proposed_at: Option<DateTime<Utc>>,
}

impl IdeaInput {
    pub fn validate(&self) -> Result<NewIdea, Invalid> {
        let mut invalid = Invalid::new();
        let title = invalid.required_text("title", &self.title, 200);
        let body = invalid.required_text("body", &self.body, 5000);
        let place = match self.place.trim() {
            "" => None,
            text => match Place::parse(text) {
                Ok(place) => Some(place),
                Err(message) => {
                    invalid.add("place", message);
                    None
                }
            },
        };
        invalid.into_result()?;
        Ok(NewIdea {
            title,
            body,
            place,
            is_example: false,
            proposed_at: None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Comment {
    pub id: i64,
    pub idea_id: i64,
    /// The comment it answers, for threads.
    pub parent_id: Option<i64>,
    pub author_user_id: Option<i64>,
    pub author_name: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct CommentInput {
    pub body: String,
    /// Empty for a comment on the idea itself.
    #[serde(default, deserialize_with = "crate::validation::lenient::text")]
    pub parent_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewComment {
    pub body: String,
    pub parent_id: Option<i64>,
}

impl CommentInput {
    pub fn validate(&self) -> Result<NewComment, Invalid> {
        let mut invalid = Invalid::new();
        let body = invalid.required_text("body", &self.body, 2000);
        let parent_id = match self.parent_id.trim() {
            "" => None,
            id => match id.parse::<i64>() {
                Ok(id) => Some(id),
                Err(_) => {
                    invalid.add("parent_id", "error-unknown");
                    None
                }
            },
        };
        invalid.into_result()?;
        Ok(NewComment { body, parent_id })
    }
}

/// A moderator's decision on an idea.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Moderation {
    /// Hidden from the public, with the reason shown in its place.
    Hide { reason: String },
    /// Shown again.
    Restore,
    /// A duplicate: its supporters and comments count for the other idea.
    Merge { into: i64 },
    /// The municipality's answer, shown with the idea.
    Answer { text: String },
}

/// What a moderator sends: one action and its text or target.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ModerationInput {
    /// `hide`, `restore`, `merge` or `answer`.
    pub action: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default, deserialize_with = "crate::validation::lenient::text")]
    pub into: String,
    #[serde(default)]
    pub answer: String,
}

impl ModerationInput {
    pub fn validate(&self) -> Result<Moderation, Invalid> {
        let mut invalid = Invalid::new();
        let moderation = match self.action.trim() {
            "hide" => Moderation::Hide {
                reason: invalid.required_text("reason", &self.reason, 500),
            },
            "restore" => Moderation::Restore,
            "merge" => match self.into.trim().parse::<i64>() {
                Ok(into) => Moderation::Merge { into },
                Err(_) => {
                    invalid.add("into", "error-unknown");
                    Moderation::Restore
                }
            },
            "answer" => Moderation::Answer {
                text: invalid.required_text("answer", &self.answer, 5000),
            },
            _ => {
                invalid.add("action", "error-choice");
                Moderation::Restore
            }
        };
        invalid.into_result()?;
        Ok(moderation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_place_says_how_long_or_large_it_is() {
        assert_eq!(Place::parse("56.97, 24.22").unwrap().extent(), Extent::Point);
        // 0.01° of latitude is about 1.11 km anywhere.
        let line = Place::parse(r#"{"type":"LineString","coordinates":[[24.22,56.97],[24.22,56.98]]}"#).unwrap();
        let Extent::Line { metres } = line.extent() else {
            panic!("a line")
        };
        assert!((metres - 1112.0).abs() < 5.0, "{metres}");
        // About 100 m × 100 m at Ķekava's latitude: one hectare.
        let (dlat, dlon) = (100.0 / 111_195.0, 100.0 / (111_195.0 * 56.97_f64.to_radians().cos()));
        let ring = [
            [24.22, 56.97],
            [24.22 + dlon, 56.97],
            [24.22 + dlon, 56.97 + dlat],
            [24.22, 56.97 + dlat],
            [24.22, 56.97],
        ];
        let area = Place::Polygon(vec![ring.to_vec()]);
        let Extent::Area { square_metres } = area.extent() else {
            panic!("an area")
        };
        assert!((square_metres - 10_000.0).abs() < 100.0, "{square_metres}");
    }

    #[test]
    fn a_place_is_typed_as_lat_lon_or_drawn_as_geojson() {
        assert_eq!(Place::parse("56.8260, 24.2310"), Ok(Place::Point([24.231, 56.826])));
        assert_eq!(Place::parse("56.8260 24.2310"), Ok(Place::Point([24.231, 56.826])));
        let line = Place::parse(r#"{"type":"LineString","coordinates":[[24.23,56.82],[24.24,56.83]]}"#).unwrap();
        assert_eq!(line.marker(), [24.235, 56.825]);
        // An area's ring is closed for the author.
        let area =
            Place::parse(r#"{"type":"Polygon","coordinates":[[[24.23,56.82],[24.24,56.82],[24.24,56.83]]]}"#).unwrap();
        let Place::Polygon(rings) = &area else {
            panic!("an area")
        };
        assert_eq!(rings[0].len(), 4);
        assert_eq!(rings[0][0], rings[0][3]);
        assert_eq!(Place::parse(&area.to_geojson()), Ok(area));
    }

    #[test]
    fn bad_places_say_what_is_wrong() {
        assert_eq!(Place::parse("Ķekava"), Err("error-place-format"));
        assert_eq!(Place::parse("56.8"), Err("error-place-format"));
        assert_eq!(Place::parse("96.8, 24.2"), Err("error-place-range"));
        assert_eq!(
            Place::parse(r#"{"type":"LineString","coordinates":[[24.23,56.82]]}"#),
            Err("error-place-too-few")
        );
        assert_eq!(
            Place::parse(r#"{"type":"Polygon","coordinates":[[[24.23,56.82],[24.24,56.82],[24.23,56.82]]]}"#),
            Err("error-place-too-few")
        );
        assert_eq!(Place::parse(r#"{"type":"Circle"}"#), Err("error-place-format"));
        let many: Vec<String> = (0..501).map(|i| format!("[24.{i:03},56.8]")).collect();
        let long = format!(r#"{{"type":"LineString","coordinates":[{}]}}"#, many.join(","));
        assert_eq!(Place::parse(&long), Err("error-place-too-many"));
    }

    #[test]
    fn an_idea_needs_a_title_and_a_text_and_names_a_bad_place() {
        let input = IdeaInput {
            title: " ".into(),
            body: "Gājēju pāreja pie skolas".into(),
            place: "nowhere".into(),
        };
        let invalid = input.validate().unwrap_err();
        assert_eq!(invalid.message_for("title"), Some("error-required"));
        assert_eq!(invalid.message_for("place"), Some("error-place-format"));
        assert_eq!(invalid.message_for("body"), None);
    }

    #[test]
    fn moderation_needs_its_reason_target_or_answer() {
        let hide = ModerationInput {
            action: "hide".into(),
            ..Default::default()
        };
        assert_eq!(
            hide.validate().unwrap_err().message_for("reason"),
            Some("error-required")
        );
        let merge = ModerationInput {
            action: "merge".into(),
            into: "7".into(),
            ..Default::default()
        };
        assert_eq!(merge.validate(), Ok(Moderation::Merge { into: 7 }));
        let unknown = ModerationInput {
            action: "delete".into(),
            ..Default::default()
        };
        assert_eq!(
            unknown.validate().unwrap_err().message_for("action"),
            Some("error-choice")
        );
    }
}

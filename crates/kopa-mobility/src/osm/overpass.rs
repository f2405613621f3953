//! Overpass API JSON (`[out:json]`), as a query for a named area returns it.

use std::io::Read;
use std::path::Path;

use serde::Deserialize;

use super::{ImportError, Member, MemberKind, OsmData, Relation, Tags, Way};

#[derive(Deserialize)]
struct Document {
    elements: Vec<Element>,
    osm3s: Option<DatabaseState>,
}

/// The state of the database an answer was drawn from.
#[derive(Deserialize)]
struct DatabaseState {
    timestamp_osm_base: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum Element {
    Node {
        id: i64,
        lat: Option<f64>,
        lon: Option<f64>,
        #[serde(default)]
        tags: std::collections::BTreeMap<String, String>,
    },
    Way {
        id: i64,
        #[serde(default)]
        nodes: Vec<i64>,
        #[serde(default)]
        tags: std::collections::BTreeMap<String, String>,
    },
    Relation {
        id: i64,
        #[serde(default)]
        members: Vec<JsonMember>,
        #[serde(default)]
        tags: std::collections::BTreeMap<String, String>,
    },
    #[serde(other)]
    Other,
}

#[derive(Deserialize)]
struct JsonMember {
    #[serde(rename = "type")]
    kind: String,
    #[serde(rename = "ref")]
    id: i64,
    #[serde(default)]
    role: String,
}

pub fn read(path: &Path, reader: impl Read) -> Result<OsmData, ImportError> {
    let document: Document = serde_json::from_reader(reader).map_err(|e| ImportError::BadOverpass {
        path: path.to_owned(),
        detail: e.to_string(),
    })?;
    let mut data = OsmData {
        as_of: document.osm3s.and_then(|state| state.timestamp_osm_base),
        ..OsmData::default()
    };
    for element in document.elements {
        match element {
            Element::Node { id, lat, lon, tags } => {
                let (Some(lat), Some(lon)) = (lat, lon) else {
                    return Err(ImportError::BadCoordinate {
                        path: path.to_owned(),
                        node: id,
                        detail: "lat or lon is missing".into(),
                    });
                };
                data.add_node(path, id, lat, lon, tags.into_iter().collect())?;
            }
            Element::Way { id, nodes, tags } => data.ways.push(Way {
                id,
                nodes,
                tags: tags.into_iter().collect(),
            }),
            Element::Relation { id, members, tags } => {
                let members = members
                    .into_iter()
                    .filter_map(|m| {
                        let kind = match m.kind.as_str() {
                            "node" => MemberKind::Node,
                            "way" => MemberKind::Way,
                            "relation" => MemberKind::Relation,
                            _ => return None,
                        };
                        Some(Member {
                            kind,
                            id: m.id,
                            role: m.role,
                        })
                    })
                    .collect();
                data.relations.push(Relation {
                    id,
                    members,
                    tags: tags.into_iter().collect::<Tags>(),
                });
            }
            Element::Other => {}
        }
    }
    Ok(data)
}

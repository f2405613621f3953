//! OSM XML, as the editing API and osmium write it.

use std::io::BufRead;
use std::path::Path;

use quick_xml::events::{BytesStart, Event};

use super::{ImportError, Member, MemberKind, OsmData, Relation, Tags, Way};

/// The element whose children (tags, node references, members) are being read.
enum Open {
    None,
    Node { id: i64, lat: f64, lon: f64, tags: Tags },
    Way(Way),
    Relation(Relation),
}

fn attributes(element: &BytesStart<'_>) -> Result<Vec<(String, String)>, String> {
    element
        .attributes()
        .map(|attribute| {
            let attribute = attribute.map_err(|e| e.to_string())?;
            let key = String::from_utf8_lossy(attribute.key.as_ref()).into_owned();
            let value = attribute.unescape_value().map_err(|e| e.to_string())?.into_owned();
            Ok((key, value))
        })
        .collect()
}

fn attribute<'a>(attributes: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attributes.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

pub fn read(path: &Path, source: impl BufRead) -> Result<OsmData, ImportError> {
    let mut reader = quick_xml::Reader::from_reader(source);
    let mut data = OsmData::default();
    let mut buffer = Vec::new();
    let mut open = Open::None;
    let mut saw_osm = false;
    let mut database_state = None;
    loop {
        let position = reader.buffer_position();
        let bad = |detail: String| ImportError::BadXml {
            path: path.to_owned(),
            position,
            detail,
        };
        let event = reader.read_event_into(&mut buffer).map_err(|e| match e {
            quick_xml::Error::Io(io) => ImportError::Unreadable {
                path: path.to_owned(),
                source: std::io::Error::new(io.kind(), io.to_string()),
            },
            other => bad(other.to_string()),
        })?;
        let (element, closes) = match &event {
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            Event::End(e) => {
                if matches!(e.name().as_ref(), b"node" | b"way" | b"relation") {
                    finish(path, &mut data, std::mem::replace(&mut open, Open::None))?;
                }
                buffer.clear();
                continue;
            }
            Event::Eof => break,
            _ => (None, false),
        };
        if let Some(element) = element {
            let attrs = attributes(&element).map_err(bad)?;
            let number = |name: &str| -> Result<i64, ImportError> {
                attribute(&attrs, name).and_then(|v| v.parse().ok()).ok_or_else(|| {
                    bad(format!(
                        "<{}> needs a numeric {name}",
                        String::from_utf8_lossy(element.name().as_ref())
                    ))
                })
            };
            let time =
                |name: &str| attribute(&attrs, name).and_then(|t| t.parse::<chrono::DateTime<chrono::Utc>>().ok());
            if matches!(element.name().as_ref(), b"node" | b"way" | b"relation") {
                data.edited_at(time("timestamp"));
            }
            match element.name().as_ref() {
                b"osm" => saw_osm = true,
                b"meta" => database_state = time("osm_base"),
                b"node" => {
                    let id = number("id")?;
                    let coordinate = |name: &str| -> Result<f64, ImportError> {
                        attribute(&attrs, name)
                            .and_then(|v| v.parse().ok())
                            .ok_or_else(|| ImportError::BadCoordinate {
                                path: path.to_owned(),
                                node: id,
                                detail: format!("{name} is missing or not a number"),
                            })
                    };
                    open = Open::Node {
                        id,
                        lat: coordinate("lat")?,
                        lon: coordinate("lon")?,
                        tags: Tags::default(),
                    };
                }
                b"way" => {
                    open = Open::Way(Way {
                        id: number("id")?,
                        nodes: Vec::new(),
                        tags: Tags::default(),
                    })
                }
                b"relation" => {
                    open = Open::Relation(Relation {
                        id: number("id")?,
                        members: Vec::new(),
                        tags: Tags::default(),
                    })
                }
                b"tag" => {
                    let (Some(k), Some(v)) = (attribute(&attrs, "k"), attribute(&attrs, "v")) else {
                        return Err(bad("<tag> needs k and v".into()));
                    };
                    match &mut open {
                        Open::Node { tags, .. } => tags.insert(k, v),
                        Open::Way(way) => way.tags.insert(k, v),
                        Open::Relation(relation) => relation.tags.insert(k, v),
                        Open::None => {}
                    }
                }
                b"nd" => {
                    if let Open::Way(way) = &mut open {
                        way.nodes.push(number("ref")?);
                    }
                }
                b"member" => {
                    if let Open::Relation(relation) = &mut open {
                        let kind = match attribute(&attrs, "type") {
                            Some("node") => MemberKind::Node,
                            Some("way") => MemberKind::Way,
                            Some("relation") => MemberKind::Relation,
                            other => return Err(bad(format!("unknown member type {other:?}"))),
                        };
                        let role = attribute(&attrs, "role").unwrap_or_default().to_owned();
                        relation.members.push(Member {
                            kind,
                            id: number("ref")?,
                            role,
                        });
                    }
                }
                _ => {}
            }
            if closes && matches!(element.name().as_ref(), b"node" | b"way" | b"relation") {
                finish(path, &mut data, std::mem::replace(&mut open, Open::None))?;
            }
        }
        buffer.clear();
    }
    if database_state.is_some() {
        data.as_of = database_state;
    }
    if !saw_osm {
        return Err(ImportError::BadXml {
            path: path.to_owned(),
            position: 0,
            detail: "there is no <osm> element".into(),
        });
    }
    Ok(data)
}

fn finish(path: &Path, data: &mut OsmData, element: Open) -> Result<(), ImportError> {
    match element {
        Open::Node { id, lat, lon, tags } => data.add_node(path, id, lat, lon, tags),
        Open::Way(way) => {
            data.ways.push(way);
            Ok(())
        }
        Open::Relation(relation) => {
            data.relations.push(relation);
            Ok(())
        }
        Open::None => Ok(()),
    }
}

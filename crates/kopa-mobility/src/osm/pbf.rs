//! OSM PBF, the compact binary format of full extracts.

use std::io::Read;
use std::path::Path;

use osmpbf::{Element, ElementReader, RelMemberType};

use super::{ImportError, Member, MemberKind, OsmData, Relation, Tags, Way};

pub fn read(path: &Path, source: impl Read + Send) -> Result<OsmData, ImportError> {
    let bad = |detail: String| ImportError::BadPbf {
        path: path.to_owned(),
        detail,
    };
    let reader = ElementReader::new(source);
    let mut data = OsmData::default();
    let mut first_error: Option<ImportError> = None;
    reader
        .for_each(|element| {
            if first_error.is_some() {
                return;
            }
            let edited = match &element {
                Element::Node(node) => node.info().milli_timestamp(),
                Element::DenseNode(node) => node.info().map(|info| info.milli_timestamp()),
                Element::Way(way) => way.info().milli_timestamp(),
                Element::Relation(relation) => relation.info().milli_timestamp(),
            };
            data.edited_at(edited.and_then(chrono::DateTime::from_timestamp_millis));
            let outcome = match element {
                Element::Node(node) => data.add_node(path, node.id(), node.lat(), node.lon(), node.tags().collect()),
                Element::DenseNode(node) => {
                    data.add_node(path, node.id(), node.lat(), node.lon(), node.tags().collect())
                }
                Element::Way(way) => {
                    data.ways.push(Way {
                        id: way.id(),
                        nodes: way.refs().collect(),
                        tags: way.tags().collect(),
                    });
                    Ok(())
                }
                Element::Relation(relation) => {
                    let members = relation
                        .members()
                        .map(|m| Member {
                            kind: match m.member_type {
                                RelMemberType::Node => MemberKind::Node,
                                RelMemberType::Way => MemberKind::Way,
                                RelMemberType::Relation => MemberKind::Relation,
                            },
                            id: m.member_id,
                            role: m.role().unwrap_or_default().to_owned(),
                        })
                        .collect();
                    let tags: Tags = relation.tags().collect();
                    data.relations.push(Relation {
                        id: relation.id(),
                        members,
                        tags,
                    });
                    Ok(())
                }
            };
            if let Err(error) = outcome {
                first_error = Some(error);
            }
        })
        .map_err(|e| bad(e.to_string()))?;
    match first_error {
        Some(error) => Err(error),
        None => Ok(data),
    }
}

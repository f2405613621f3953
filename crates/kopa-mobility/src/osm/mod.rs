//! OpenStreetMap input: PBF, XML (plain or gzip) and Overpass API JSON, read into one model.
//! Every way keeps its tags and node references; nodes keep their position, and their tags
//! when they have any (crossings, signals, stop signs).

mod area;
mod overpass;
mod pbf;
mod xml;

pub(crate) use area::outline;
pub use area::{Area, AreaError};

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A map keyed by OSM id. foldhash is several times faster than the standard hasher on the
/// millions of lookups an analysis makes, and its per-map random seed keeps an uploaded
/// file's ids from being chosen to collide.
pub type IdMap<V> = HashMap<i64, V, foldhash::fast::RandomState>;

/// Key/value tags, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tags(Vec<(String, String)>);

impl Tags {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    /// Whether `key` has one of `values`.
    pub fn is(&self, key: &str, values: &[&str]) -> bool {
        self.get(key).is_some_and(|v| values.contains(&v))
    }

    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<String>) {
        self.0.push((key.into(), value.into()));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Tags {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Tags {
        Tags(iter.into_iter().map(|(k, v)| (k.into(), v.into())).collect())
    }
}

/// A position in WGS 84 degrees.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Coord {
    pub lat: f64,
    pub lon: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Way {
    pub id: i64,
    pub nodes: Vec<i64>,
    pub tags: Tags,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberKind {
    Node,
    Way,
    Relation,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub kind: MemberKind,
    pub id: i64,
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub id: i64,
    pub members: Vec<Member>,
    pub tags: Tags,
}

/// One extract, whatever format it came in.
#[derive(Debug, Default)]
pub struct OsmData {
    pub coords: IdMap<Coord>,
    /// Only the nodes that have tags.
    pub node_tags: IdMap<Tags>,
    pub ways: Vec<Way>,
    pub relations: Vec<Relation>,
    /// Streets that ran past the edge of the extract and were cut there.
    pub cut_at_edge: Vec<CutWay>,
    /// Node ids given more than once; the last position given is kept.
    pub duplicate_nodes: Vec<i64>,
    /// When the data was current: the database state an Overpass answer names, or else the
    /// newest edit among its elements, where the file records them.
    pub as_of: Option<chrono::DateTime<chrono::Utc>>,
}

/// A street that referred to nodes the extract does not hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CutWay {
    pub way: i64,
    /// The first node it referred to that is missing.
    pub missing_node: i64,
}

/// What to do with streets whose nodes are not all in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Completeness {
    /// Keep the parts inside the extract and report the cut: real extracts clipped to a
    /// boundary end like this.
    #[default]
    CutAtEdge,
    /// Refuse the file, naming the first such way and node.
    Strict,
}

/// What was wrong with an input file. Each message names the file and the problem.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {path}: {source}")]
    Unreadable { path: PathBuf, source: std::io::Error },
    #[error("{path} is not a PBF file, or it is truncated or corrupt: {detail}")]
    BadPbf { path: PathBuf, detail: String },
    #[error("{path} is not valid OSM XML (at byte {position}): {detail}")]
    BadXml {
        path: PathBuf,
        position: u64,
        detail: String,
    },
    #[error("{path} is not Overpass API JSON: {detail}")]
    BadOverpass { path: PathBuf, detail: String },
    #[error("{path}: node {node} has coordinates out of range (lat {lat}, lon {lon})")]
    CoordinateOutOfRange {
        path: PathBuf,
        node: i64,
        lat: f64,
        lon: f64,
    },
    #[error("{path}: node {node} has no valid coordinates ({detail})")]
    BadCoordinate { path: PathBuf, node: i64, detail: String },
    #[error(
        "{path}: way {way} refers to node {node}, which is not in the file; export complete ways (e.g. osmium extract --strategy complete_ways)"
    )]
    MissingNode { path: PathBuf, way: i64, node: i64 },
    #[error("{path} holds no streets: it is empty or covers no roads")]
    Empty { path: PathBuf },
    #[error("cannot tell the format of {path}: expected .osm.pbf, .osm, .osm.gz, .xml or Overpass .json")]
    UnknownFormat { path: PathBuf },
}

/// The formats read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pbf,
    Xml,
    XmlGzip,
    OverpassJson,
}

impl Format {
    /// From the file name, and failing that from the first bytes.
    pub fn detect(path: &Path, head: &[u8]) -> Option<Format> {
        let name = path.file_name()?.to_string_lossy().to_lowercase();
        if name.ends_with(".pbf") {
            return Some(Format::Pbf);
        }
        if name.ends_with(".osm.gz") || name.ends_with(".xml.gz") || head.starts_with(&[0x1f, 0x8b]) {
            return Some(Format::XmlGzip);
        }
        let text = String::from_utf8_lossy(head);
        let trimmed = text.trim_start();
        if name.ends_with(".json") || trimmed.starts_with('{') {
            return Some(Format::OverpassJson);
        }
        if name.ends_with(".osm") || name.ends_with(".xml") || trimmed.starts_with('<') {
            return Some(Format::Xml);
        }
        // A PBF file starts with a 4-byte header length, then a blob header naming "OSMHeader".
        (head.get(6..15) == Some(b"OSMHeader".as_slice())).then_some(Format::Pbf)
    }
}

impl OsmData {
    /// Reads an extract in any supported format, and checks it.
    pub fn load(path: &Path) -> Result<OsmData, ImportError> {
        OsmData::load_with(path, Completeness::default())
    }

    pub fn load_with(path: &Path, completeness: Completeness) -> Result<OsmData, ImportError> {
        let unreadable = |source| ImportError::Unreadable {
            path: path.to_owned(),
            source,
        };
        let mut file = std::io::BufReader::new(std::fs::File::open(path).map_err(unreadable)?);
        let head = std::io::BufRead::fill_buf(&mut file).map_err(unreadable)?;
        let format = Format::detect(path, &head[..head.len().min(64)])
            .ok_or_else(|| ImportError::UnknownFormat { path: path.to_owned() })?;
        OsmData::read(path, format, file, completeness)
    }

    /// Reads an extract held in memory; `name` gives the format and names it in errors.
    pub fn from_bytes(name: &Path, bytes: &[u8], completeness: Completeness) -> Result<OsmData, ImportError> {
        let format = Format::detect(name, &bytes[..bytes.len().min(64)])
            .ok_or_else(|| ImportError::UnknownFormat { path: name.to_owned() })?;
        OsmData::read(name, format, bytes, completeness)
    }

    fn read(
        path: &Path,
        format: Format,
        source: impl std::io::BufRead + Send,
        completeness: Completeness,
    ) -> Result<OsmData, ImportError> {
        let mut data = match format {
            Format::Pbf => pbf::read(path, source)?,
            Format::Xml => xml::read(path, source)?,
            Format::XmlGzip => xml::read(
                path,
                std::io::BufReader::new(flate2::bufread::MultiGzDecoder::new(source)),
            )?,
            Format::OverpassJson => overpass::read(path, source)?,
        };
        data.check(path, completeness)?;
        Ok(data)
    }

    /// Takes an element's edit time into [`OsmData::as_of`].
    pub(crate) fn edited_at(&mut self, at: Option<chrono::DateTime<chrono::Utc>>) {
        if at > self.as_of {
            self.as_of = at;
        }
    }

    pub(crate) fn add_node(&mut self, path: &Path, id: i64, lat: f64, lon: f64, tags: Tags) -> Result<(), ImportError> {
        if !lat.is_finite() || !lon.is_finite() || !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            return Err(ImportError::CoordinateOutOfRange {
                path: path.to_owned(),
                node: id,
                lat,
                lon,
            });
        }
        if self.coords.insert(id, Coord { lat, lon }).is_some() {
            self.duplicate_nodes.push(id);
        }
        if !tags.is_empty() {
            self.node_tags.insert(id, tags);
        }
        Ok(())
    }

    /// Streets must have their nodes (or be cut to those they have), and there must be streets.
    fn check(&mut self, path: &Path, completeness: Completeness) -> Result<(), ImportError> {
        if completeness == Completeness::Strict
            && let Some((way, node)) = self
                .ways
                .iter()
                .filter(|w| w.tags.get("highway").is_some())
                .find_map(|w| {
                    w.nodes
                        .iter()
                        .find(|n| !self.coords.contains_key(n))
                        .map(|node| (w.id, *node))
                })
        {
            return Err(ImportError::MissingNode {
                path: path.to_owned(),
                way,
                node,
            });
        }
        self.cut_to_present_nodes();
        if !self.has_streets() {
            return Err(ImportError::Empty { path: path.to_owned() });
        }
        Ok(())
    }

    /// Cuts each street that refers to nodes not held into the runs of nodes that are, and
    /// records the cut.
    fn cut_to_present_nodes(&mut self) {
        let mut kept = Vec::with_capacity(self.ways.len());
        for way in std::mem::take(&mut self.ways) {
            let missing = way.nodes.iter().find(|n| !self.coords.contains_key(n)).copied();
            match (missing, way.tags.get("highway").is_some()) {
                (Some(node), true) => {
                    self.cut_at_edge.push(CutWay {
                        way: way.id,
                        missing_node: node,
                    });
                    for run in way
                        .nodes
                        .split(|n| !self.coords.contains_key(n))
                        .filter(|run| run.len() >= 2)
                    {
                        kept.push(Way {
                            id: way.id,
                            nodes: run.to_vec(),
                            tags: way.tags.clone(),
                        });
                    }
                }
                _ => kept.push(way),
            }
        }
        self.ways = kept;
    }

    fn has_streets(&self) -> bool {
        self.ways
            .iter()
            .any(|w| w.tags.get("highway").is_some() && w.nodes.len() >= 2)
    }

    pub fn coord(&self, node: i64) -> Option<Coord> {
        self.coords.get(&node).copied()
    }

    /// The longitude/latitude of each of `nodes` the extract holds, in order: a way as a map
    /// draws it.
    pub fn positions(&self, nodes: &[i64]) -> Vec<[f64; 2]> {
        nodes
            .iter()
            .filter_map(|n| self.coord(*n))
            .map(|c| [c.lon, c.lat])
            .collect()
    }

    pub fn tags_of_node(&self, node: i64) -> Option<&Tags> {
        self.node_tags.get(&node)
    }
}

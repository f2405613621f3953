//! Any bytes given as `fuzz.osm.gz` are read or refused with an error, never a panic; what is read
//! builds a street graph.
#![no_main]

use std::path::Path;

use kopa_mobility::graph::StreetGraph;
use kopa_mobility::osm::{Completeness, OsmData};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(osm) = OsmData::from_bytes(Path::new("fuzz.osm.gz"), data, Completeness::CutAtEdge) {
        StreetGraph::build(&osm);
    }
});

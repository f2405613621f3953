//! Any text as an area file is read or refused with an error, never a panic.
#![no_main]

use std::path::Path;

use kopa_mobility::osm::Area;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = Area::parse_geojson(Path::new("fuzz.geojson"), text);
});

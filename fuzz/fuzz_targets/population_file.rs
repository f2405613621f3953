//! Any text as a population file, CSV or GeoJSON, is read or refused with an error, never a
//! panic; what is read is summed into zones.
#![no_main]

use std::path::Path;

use kopa_mobility::population::{parse_places, zones};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (bool, &str)| {
    let (geojson, text) = input;
    let name = if geojson { "fuzz.geojson" } else { "fuzz.csv" };
    if let Ok(places) = parse_places(Path::new(name), text) {
        zones(&places, 1000.0, 250.0);
    }
});

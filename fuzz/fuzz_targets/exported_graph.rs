//! Any bytes as an exported graph table are read or refused with an error, never a panic.
#![no_main]

use kopa_mobility::exported::read_graph_csv;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = read_graph_csv(data);
});

//! The engine's side of the peer benchmark (`bench/peers.sh`): loads the `graph.csv` that
//! `kopa network analyse` writes, counts from every vertex the vertices within 2680 m on all
//! edges and on low-stress edges, and those that pass the 1.25 detour test, and prints the
//! counts with the time the searches took, as JSON.
//!
//!     cargo run --release -p kopa-mobility --example reach -- graph.csv [--lower-bound]
//!
//! `--lower-bound` instead runs the physical floor: one bounded Dijkstra per origin, on all
//! edges, over the compact arrays, on one core.

use std::time::Instant;

use kopa_mobility::connectivity::{BoundedSearch, count_pairs};
use kopa_mobility::exported::{BOUND_CM, read_graph_csv};

fn main() -> std::process::ExitCode {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = arguments.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: reach GRAPH.csv [--lower-bound]");
        return std::process::ExitCode::from(2);
    };
    let file = match std::fs::File::open(path) {
        Ok(file) => std::io::BufReader::new(file),
        Err(error) => {
            eprintln!("cannot read {path}: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let exported = match read_graph_csv(file) {
        Ok(exported) => exported,
        Err(error) => {
            eprintln!("{path}: {error}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let (all, low) = (&exported.all, &exported.low_stress);
    if arguments.iter().any(|a| a == "--lower-bound") {
        let started = Instant::now();
        let mut search = BoundedSearch::new(all.vertex_count());
        let mut reachable = 0u64;
        for origin in 0..all.vertex_count() as u32 {
            reachable += search.run(all, origin, BOUND_CM, |_| true).len() as u64 - 1;
        }
        let seconds = started.elapsed().as_secs_f64();
        println!(r#"{{"tool": "lower bound", "threads": 1, "seconds": {seconds:.4}, "reachable": {reachable}}}"#);
    } else {
        let started = Instant::now();
        let counts = count_pairs(all, low, BOUND_CM, 1.25);
        let seconds = started.elapsed().as_secs_f64();
        println!(
            r#"{{"tool": "kopa", "threads": {}, "seconds": {seconds:.4}, "reachable": {}, "low_stress_reachable": {}, "connected": {}}}"#,
            rayon::current_num_threads(),
            counts.reachable,
            counts.low_stress_reachable,
            counts.connected
        );
    }
    std::process::ExitCode::SUCCESS
}

//! The street graph as a plain table, so that other tools (pgRouting, networkx, scipy) can do
//! exactly the engine's work on exactly its graph: one row per directed pair of vertices, with
//! the shortest edge between them and the shortest low-stress one. Lengths are whole
//! centimetres, so every tool sums them exactly and all agree to the pair.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};

use crate::ATTRIBUTION;
use crate::analysis::Analysis;
use crate::graph::{Adjacency, Edge};

/// Vertex numbers are dense from 0; a table naming more is refused rather than allocated.
pub const MAX_VERTICES: u32 = 1 << 26;

/// BNA's distance bound in the table's unit.
pub const BOUND_CM: f32 = 268_000.0;

/// Writes `source,target,length_cm,low_stress_length_cm` (the last empty where no low-stress
/// edge joins the pair), sorted, without loops, no length under 1 cm.
pub fn write_graph_csv(analysis: &Analysis, out: &mut impl Write) -> std::io::Result<()> {
    let mut pairs: BTreeMap<(u32, u32), (u32, Option<u32>)> = BTreeMap::new();
    let centimetres = |edge: &Edge| ((f64::from(edge.length_m) * 100.0).round() as u32).max(1);
    // At least a centimetre, above: some tools read a zero as no edge at all.
    for (adjacency, low) in [
        (&analysis.graph.adjacency, false),
        (&analysis.low_stress_adjacency, true),
    ] {
        for source in 0..adjacency.vertex_count() as u32 {
            for edge in adjacency.edges_from(source).iter().filter(|e| e.target != source) {
                let length = centimetres(edge);
                let entry = pairs.entry((source, edge.target)).or_insert((length, None));
                if low {
                    entry.1 = Some(entry.1.map_or(length, |l| l.min(length)));
                } else {
                    entry.0 = entry.0.min(length);
                }
            }
        }
    }
    writeln!(out, "# {ATTRIBUTION}")?;
    writeln!(out, "source,target,length_cm,low_stress_length_cm")?;
    for ((source, target), (length, low)) in pairs {
        match low {
            Some(low) => writeln!(out, "{source},{target},{length},{low}")?,
            None => writeln!(out, "{source},{target},{length},")?,
        }
    }
    Ok(())
}

/// A table read back: the edges for all riding and the low-stress ones, over the same
/// vertices.
pub struct ExportedGraph {
    pub all: Adjacency,
    pub low_stress: Adjacency,
}

/// Reads a table written by [`write_graph_csv`], naming the line of anything wrong.
pub fn read_graph_csv(input: impl BufRead) -> Result<ExportedGraph, String> {
    let (mut all, mut low) = (Vec::new(), Vec::new());
    let mut vertices = 0u32;
    for (index, line) in input.lines().enumerate() {
        let line = line.map_err(|e| format!("line {}: {e}", index + 1))?;
        if line.starts_with('#') || line.starts_with("source") || line.trim().is_empty() {
            continue;
        }
        let bad = || {
            format!(
                "line {}: expected source,target,length_cm,low_stress_length_cm",
                index + 1
            )
        };
        let fields: Vec<&str> = line.split(',').collect();
        let [source, target, length, low_length] = fields[..] else {
            return Err(bad());
        };
        let number = |text: &str| text.trim().parse::<u32>().map_err(|_| bad());
        let (source, target, length) = (number(source)?, number(target)?, number(length)?);
        if source.max(target) >= MAX_VERTICES {
            return Err(format!(
                "line {}: vertex {} is beyond the {MAX_VERTICES} vertices a table may hold",
                index + 1,
                source.max(target)
            ));
        }
        vertices = vertices.max(source.max(target) + 1);
        let edge = |length: u32| Edge {
            target,
            segment: index as u32,
            forward: true,
            length_m: length as f32,
        };
        all.push((source, edge(length)));
        if !low_length.trim().is_empty() {
            low.push((source, edge(number(low_length)?)));
        }
    }
    let vertices = vertices as usize;
    Ok(ExportedGraph {
        all: Adjacency::new(vertices, all),
        low_stress: Adjacency::new(vertices, low),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_become_edges_for_all_and_for_low_stress_riding() {
        let table = "# © OpenStreetMap contributors\nsource,target,length_cm,low_stress_length_cm\n0,1,1500,1500\n1,0,1500,\n1,2,700,900\n";
        let exported = read_graph_csv(table.as_bytes()).unwrap();
        assert_eq!(exported.all.vertex_count(), 3);
        assert_eq!(exported.all.edges.len(), 3);
        assert_eq!(exported.low_stress.edges.len(), 2);
        let low_from_1: Vec<(u32, f32)> = exported
            .low_stress
            .edges_from(1)
            .iter()
            .map(|e| (e.target, e.length_m))
            .collect();
        assert_eq!(low_from_1, [(2, 900.0)]);
        let error = read_graph_csv("0,1,x,\n".as_bytes()).err().unwrap();
        assert_eq!(error, "line 1: expected source,target,length_cm,low_stress_length_cm");
        let huge = read_graph_csv("0,4294967295,1,\n".as_bytes()).err().unwrap();
        assert!(huge.starts_with("line 1: vertex 4294967295 is beyond"), "{huge}");
    }
}

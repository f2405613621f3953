//! The `kopa` binary as a person runs it.

use std::process::Command;

fn kopa() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kopa"))
}

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../kopa-mobility/tests/fixtures")
        .join(name)
}

#[test]
fn network_analyse_writes_the_summary_and_the_layer() {
    let out = tempfile::tempdir().unwrap();
    let run = kopa()
        .args(["network", "analyse"])
        .arg(fixture("contraflow.osm"))
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{stdout}{}", String::from_utf8_lossy(&run.stderr));
    assert!(stdout.contains("LTS 1:"), "{stdout}");
    assert!(stdout.contains("© OpenStreetMap contributors"));
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["segments"], 3);
    assert_eq!(summary["profile"], "Latvia");
    assert!(out.path().join("segments.geojson").is_file());
}

#[test]
fn network_analyse_names_the_problem_with_a_bad_file() {
    let out = tempfile::tempdir().unwrap();
    let run = kopa()
        .args(["network", "analyse"])
        .arg(fixture("out_of_range.osm"))
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("node 2 has coordinates out of range"), "{stderr}");
    assert!(!stderr.contains("panicked"));
}

#[test]
fn audit_verify_reports_an_intact_chain() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("kopa.sqlite");
    let migrate = kopa().arg("--database").arg(&database).arg("migrate").output().unwrap();
    assert!(migrate.status.success());
    let verify = kopa()
        .arg("--database")
        .arg(&database)
        .args(["audit", "verify"])
        .output()
        .unwrap();
    assert!(verify.status.success());
    assert!(String::from_utf8_lossy(&verify.stdout).contains("The audit chain is intact: 0 events checked."));
}

#[test]
fn network_analyse_places_the_population_in_zones() {
    let out = tempfile::tempdir().unwrap();
    let run = kopa()
        .args(["network", "analyse"])
        .arg(fixture("homes.osm"))
        .args(["--population", "30", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let csv = std::fs::read_to_string(out.path().join("zones.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "# © OpenStreetMap contributors");
    assert_eq!(lines.len(), 3);
    assert!(lines[2].ends_with(",30.0"), "{csv}");
    let refused = kopa()
        .args(["network", "analyse"])
        .arg(fixture("homes.osm"))
        .args(["--population=-5", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--population must be a positive number"));
}

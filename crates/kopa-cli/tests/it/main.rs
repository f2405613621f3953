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
    assert_eq!(lines.len(), 3, "one zone holds both homes: {csv}");
    let population = lines[1].split(',').position(|c| c == "population").unwrap();
    assert_eq!(lines[2].split(',').nth(population), Some("30.0"), "{csv}");
    let refused = kopa()
        .args(["network", "analyse"])
        .arg(fixture("homes.osm"))
        .args(["--population=-5", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--population must be a positive number"));
}

#[test]
fn network_analyse_scores_the_village_and_writes_every_layer() {
    let out = tempfile::tempdir().unwrap();
    let run = kopa()
        .args(["network", "analyse"])
        .arg(fixture("village_main_road.osm"))
        .args(["--population", "100", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{stdout}{}", String::from_utf8_lossy(&run.stderr));
    // Worked out by hand in the engine's tests: (34.3 + 91.4) / 2.
    assert!(
        stdout.contains("Low-stress connectivity score: 62.9 of 100"),
        "{stdout}"
    );
    assert!(stdout.contains("people          80.0"), "{stdout}");
    assert!(stdout.contains("node 3 at 56.80500, 24.20500: LTS 3"), "{stdout}");
    for name in [
        "summary.json",
        "results.json",
        "segments.geojson",
        "zones.geojson",
        "islands.geojson",
        "crossings.geojson",
        "destinations.geojson",
        "segments.csv",
        "zones.csv",
        "islands.csv",
        "crossings.csv",
        "destinations.csv",
        "scores.csv",
    ] {
        let text = std::fs::read_to_string(out.path().join(name)).unwrap();
        assert!(
            text.contains("© OpenStreetMap contributors"),
            "{name} carries the attribution"
        );
        if name.ends_with(".geojson") {
            let layer: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(layer["type"], "FeatureCollection", "{name}");
            assert!(!layer["features"].as_array().unwrap().is_empty(), "{name}");
        }
    }
    let results: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("results.json")).unwrap()).unwrap();
    assert_eq!(results["format"], "kopa-network-results");
    assert_eq!(results["version"], 1);
    assert_eq!(results["summary"]["connectivity"]["score"], 62.9);
    assert_eq!(results["segments"].as_array().unwrap().len(), 4);
    assert_eq!(results["zones"].as_array().unwrap().len(), 2);
    assert_eq!(results["islands"].as_array().unwrap().len(), 2);
    assert_eq!(results["crossings"][0]["lts"], 3);
    assert_eq!(results["crossings"][0]["barrier"], true);
    assert_eq!(results["destinations"][0]["name"], "Austrumu skola");
    assert_eq!(results["profile"]["connectivity"]["bound_m"], 2680.0);
    let zones: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("zones.geojson")).unwrap()).unwrap();
    let ring = zones["features"][0]["geometry"]["coordinates"][0].as_array().unwrap();
    assert_eq!(ring.len(), 5, "a closed square");
}

#[test]
fn network_analyse_refuses_a_bad_profile_or_zone_size_by_name() {
    let out = tempfile::tempdir().unwrap();
    let profile = out.path().join("profile.toml");
    std::fs::write(&profile, "name = \"Nowhere\"\n").unwrap();
    let cases: [(Vec<std::ffi::OsString>, &str); 3] = [
        (
            vec!["--profile".into(), profile.clone().into_os_string()],
            "the country profile is not valid",
        ),
        (
            vec!["--profile".into(), out.path().join("missing.toml").into_os_string()],
            "reading the profile",
        ),
        (
            vec!["--zone-size".into(), "5".into()],
            "--zone-size must be at least 10 metres",
        ),
    ];
    for (arguments, message) in cases {
        let run = kopa()
            .args(["network", "analyse"])
            .arg(fixture("village_main_road.osm"))
            .args(arguments)
            .arg("--out")
            .arg(out.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains(message), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn network_analyse_clips_to_a_named_boundary_or_says_which_there_are() {
    let out = tempfile::tempdir().unwrap();
    let run = kopa()
        .args(["network", "analyse"])
        .arg(fixture("boundary.osm"))
        .args(["--area", "Ķekavas pagasts", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["segments"], 1, "only the part of Skolas iela inside");

    let unknown = kopa()
        .args(["network", "analyse"])
        .arg(fixture("boundary.osm"))
        .args(["--area", "Rīga", "--out"])
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(
        stderr.contains("no boundary named \"Rīga\"; boundaries it has: Ķekavas pagasts"),
        "{stderr}"
    );
}

#[test]
fn network_analyse_takes_residents_from_a_file() {
    let out = tempfile::tempdir().unwrap();
    let run = kopa()
        .args(["network", "analyse"])
        .arg(fixture("village_main_road.osm"))
        .arg("--population-file")
        .arg(fixture("village_people.csv"))
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    // West: 30 of 100 by low stress (people 0.533), no school. East: 70 of 100 (0.88) and its
    // school. (30 × 100 × 15 × 0.533 / 35 + 70 × 100 × (15 × 0.88 + 20) / 35) / 100 = 73.3.
    assert!(
        stdout.contains("Low-stress connectivity score: 73.3 of 100"),
        "{stdout}"
    );
    assert!(stdout.contains("People: 100 in 2 zones"), "{stdout}");

    let bad = out.path().join("bad.csv");
    std::fs::write(&bad, "lat,lon,population\n56.8,24.2,-1\n").unwrap();
    let refused = kopa()
        .args(["network", "analyse"])
        .arg(fixture("village_main_road.osm"))
        .arg("--population-file")
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("line 2: population -1 is not a count of people"),
        "{stderr}"
    );
}

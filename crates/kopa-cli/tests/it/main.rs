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

    // Another built-in profile by name, or a file with only what differs from the defaults.
    let file = out.path().join("testland.toml");
    std::fs::write(
        &file,
        "name = \"Testland\"\ncountry = \"TL\"\n[speeds]\nurban = 40\nrural = 70\nliving_street = 10\n",
    )
    .unwrap();
    for (profile, name) in [
        ("Liechtenstein".into(), "Liechtenstein"),
        (file.into_os_string(), "Testland"),
    ] {
        let run = kopa()
            .args(["network", "analyse"])
            .arg(fixture("contraflow.osm"))
            .arg("--profile")
            .arg(profile)
            .arg("--out")
            .arg(out.path())
            .output()
            .unwrap();
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        let summary: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.path().join("summary.json")).unwrap()).unwrap();
        assert_eq!(summary["profile"], name);
    }
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

/// A SQLite file with the demo loaded, as `kopa demo` would leave it.
fn demo_database(dir: &std::path::Path) -> std::path::PathBuf {
    let database = dir.join("kopa.sqlite");
    let url = database.display().to_string();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = kopa_store::Store::open(&url).await.unwrap();
        kopa_demo::load(&store).await.unwrap();
    });
    database
}

#[test]
fn map_import_draws_the_base_map_from_an_extract_or_names_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let database = demo_database(dir.path());
    let import = |args: &[&str], file: &str| {
        kopa()
            .arg("--database")
            .arg(&database)
            .args(["map", "import"])
            .arg(args[0])
            .arg(fixture(file))
            .args(&args[1..])
            .output()
            .unwrap()
    };
    let run = import(&["kekava", "--area", "ķekavas pagasts"], "boundary.osm");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{stdout}{}", String::from_utf8_lossy(&run.stderr));
    assert!(stdout.contains("Drew the base map of Ķekavas novads"), "{stdout}");
    let backdrop = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = kopa_store::Store::open(&database.display().to_string()).await.unwrap();
        let ws = store.workspace_by_slug("kekava").await.unwrap().unwrap().id;
        store.backdrop(ws).await.unwrap().unwrap()
    });
    assert_eq!(backdrop.attribution, "© OpenStreetMap contributors");
    assert!(backdrop.find_street("skolas iela").is_some(), "streets inside are kept");
    assert!(backdrop.find_street("Ārējā iela").is_none(), "streets outside are not");

    let nowhere = import(&["nowhere"], "boundary.osm");
    assert_eq!(nowhere.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&nowhere.stderr).contains("there is no workspace \"nowhere\""));
    let broken = import(&["kekava"], "out_of_range.osm");
    let stderr = String::from_utf8_lossy(&broken.stderr);
    assert_eq!(broken.status.code(), Some(1));
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

/// The demo's log checked with a witness file, which keeps its head; then its last 50 events
/// and the database's own checkpoints are deleted, and the witness tells.
#[test]
fn audit_verify_keeps_the_head_outside_and_notices_deleted_last_events() {
    let dir = tempfile::tempdir().unwrap();
    let database = demo_database(dir.path());
    let witness = dir.path().join("audit-heads.txt");
    let verify = |extra: &[&str]| {
        kopa()
            .arg("--database")
            .arg(&database)
            .args(["audit", "verify", "--witness"])
            .arg(&witness)
            .args(extra)
            .output()
            .unwrap()
    };
    let first = verify(&[]);
    let stdout = String::from_utf8_lossy(&first.stdout).into_owned();
    assert!(first.status.success(), "{stdout}");
    assert!(stdout.contains("The audit chain is intact"), "{stdout}");
    let head = stdout
        .lines()
        .find_map(|line| line.strip_prefix("Its head is "))
        .expect("the head printed")
        .to_owned();
    let kept = std::fs::read_to_string(&witness).unwrap();
    assert!(kept.starts_with(&head), "{kept}");
    let seq: i64 = head.split(':').next().unwrap().parse().unwrap();

    let again = verify(&[]);
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(
        stdout.contains(&format!("every event up to {seq} is as it was seen")),
        "{stdout}"
    );

    let url = database.display().to_string();
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let sql = format!("DELETE FROM audit_events WHERE seq > {}", seq - 50);
        kopa_store::testing::execute_raw(&url, &sql).await;
        kopa_store::testing::execute_raw(&url, "DELETE FROM audit_checkpoints").await;
    });
    let after = verify(&[]);
    let stdout = String::from_utf8_lossy(&after.stdout);
    assert_eq!(after.status.code(), Some(2), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "the chain ends before event {}, yet event {seq} was seen before",
            seq - 49
        )),
        "{stdout}"
    );
    // A head from a printout or a pack, without the witness file, tells as much.
    let by_hand = kopa()
        .arg("--database")
        .arg(&database)
        .args(["audit", "verify", "--head", &head])
        .output()
        .unwrap();
    assert_eq!(by_hand.status.code(), Some(2));
    // A damaged witness is named, not ignored.
    std::fs::write(&witness, "not a head\n").unwrap();
    let damaged = verify(&[]);
    assert_eq!(damaged.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&damaged.stderr).contains("line 1 of the witness file"));
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
        "candidates.geojson",
        "candidates.csv",
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
    assert_eq!(results["version"], 3);
    // The one busy crossing is where to act, with a refuge island.
    assert_eq!(
        results["candidates"][0]["kind"], "crossing",
        "{}",
        results["candidates"]
    );
    assert_eq!(results["candidates"][0]["edit"]["treatment"], "refuge_island");
    assert_eq!(results["lines"].as_array().unwrap().len(), 4, "a line for each segment");
    assert!(
        results["way_tags"]["100"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t[0] == "maxspeed")
    );
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
            "is neither a built-in profile (Latvia, Liechtenstein) nor a profile file",
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

mod fetch {
    //! `kopa network fetch` against a local HTTP server that serves fixtures, since tests
    //! cannot reach the internet.

    use super::*;
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpListener;
    use std::sync::{Arc, Mutex};

    /// What the server answers: status line, body.
    type Answer = (&'static str, Vec<u8>);

    /// A one-route-per-path HTTP server on a free port, recording each request's first line
    /// and body.
    struct Server {
        base: String,
        requests: Arc<Mutex<Vec<(String, String)>>>,
    }

    impl Server {
        fn start(routes: Vec<(&'static str, Answer)>) -> Server {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let base = format!("http://{}", listener.local_addr().unwrap());
            let requests = Arc::new(Mutex::new(Vec::new()));
            let seen = Arc::clone(&requests);
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    let Ok(mut stream) = stream else { continue };
                    let mut reader = BufReader::new(stream.try_clone().unwrap());
                    let mut first = String::new();
                    reader.read_line(&mut first).unwrap();
                    let mut length = 0;
                    loop {
                        let mut line = String::new();
                        reader.read_line(&mut line).unwrap();
                        if line.trim().is_empty() {
                            break;
                        }
                        if let Some((name, value)) = line.split_once(':')
                            && name.eq_ignore_ascii_case("content-length")
                        {
                            length = value.trim().parse().unwrap();
                        }
                    }
                    let mut body = vec![0; length];
                    reader.read_exact(&mut body).unwrap();
                    let path = first.split_whitespace().nth(1).unwrap_or("").to_owned();
                    seen.lock()
                        .unwrap()
                        .push((first.trim().to_owned(), String::from_utf8_lossy(&body).into_owned()));
                    let (status, body) = routes
                        .iter()
                        .find(|(p, _)| *p == path)
                        .map(|(_, answer)| answer.clone())
                        .unwrap_or(("404 Not Found", b"no such file".to_vec()));
                    let head = format!(
                        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = stream.write_all(head.as_bytes()).and_then(|_| stream.write_all(&body));
                }
            });
            Server { base, requests }
        }

        fn count(&self) -> usize {
            self.requests.lock().unwrap().len()
        }
    }

    #[test]
    fn overpass_downloads_once_then_uses_the_cache() {
        let fixture_bytes = std::fs::read(fixture("two_streets_overpass.json")).unwrap();
        let server = Server::start(vec![("/api/interpreter", ("200 OK", fixture_bytes.clone()))]);
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("sigulda.json");
        let fetch = || {
            kopa()
                .args(["network", "fetch", "overpass", "Siguldas pilsēta", "--endpoint"])
                .arg(format!("{}/api/interpreter", server.base))
                .arg("--cache")
                .arg(dir.path().join("cache"))
                .arg("--out")
                .arg(&out)
                .output()
                .unwrap()
        };
        let first = fetch();
        assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
        assert_eq!(std::fs::read(&out).unwrap(), fixture_bytes);
        let (line, body) = server.requests.lock().unwrap()[0].clone();
        assert!(line.starts_with("POST /api/interpreter"), "{line}");
        assert!(body.starts_with("data="), "{body}");
        assert!(body.contains("Siguldas"), "the query names the area: {body}");

        let second = fetch();
        assert!(second.status.success());
        assert!(String::from_utf8_lossy(&second.stdout).contains("Using the cached download"));
        assert_eq!(server.count(), 1, "the second run did not download again");

        let analysed = kopa()
            .args(["network", "analyse"])
            .arg(&out)
            .arg("--out")
            .arg(dir.path().join("layers"))
            .output()
            .unwrap();
        assert!(
            analysed.status.success(),
            "{}",
            String::from_utf8_lossy(&analysed.stderr)
        );
    }

    #[test]
    fn overpass_errors_say_what_the_server_said_or_found() {
        let server = Server::start(vec![
            ("/empty", ("200 OK", br#"{"version": 0.6, "elements": []}"#.to_vec())),
            (
                "/busy",
                ("429 Too Many Requests", b"rate_limited: try again later\n".to_vec()),
            ),
        ]);
        let dir = tempfile::tempdir().unwrap();
        for (path, expected) in [
            ("/empty", "found no streets in an area named \"Nekurienes novads\""),
            ("/busy", "answered 429 Too Many Requests: rate_limited: try again later"),
        ] {
            let run = kopa()
                .args(["network", "fetch", "overpass", "Nekurienes novads", "--endpoint"])
                .arg(format!("{}{path}", server.base))
                .arg("--cache")
                .arg(dir.path())
                .arg("--out")
                .arg(dir.path().join("out.json"))
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&run.stderr);
            assert_eq!(run.status.code(), Some(1), "{stderr}");
            assert!(stderr.contains(expected), "{stderr}");
            assert!(
                !dir.path().join("out.json").exists(),
                "nothing is written after an error"
            );
        }
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert!(leftovers.is_empty(), "no partial or bad file stays in the cache");
    }

    #[test]
    fn geofabrik_refuses_what_is_not_pbf_and_clips_what_is() {
        let dir = tempfile::tempdir().unwrap();
        let liechtenstein =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/osm/liechtenstein.osm.pbf");
        let mut routes = vec![(
            "/europe/latvia-latest.osm.pbf",
            ("200 OK", b"<html>moved</html>".to_vec()),
        )];
        let real = std::fs::read(&liechtenstein).ok();
        if let Some(bytes) = &real {
            routes.push(("/europe/liechtenstein-latest.osm.pbf", ("200 OK", bytes.clone())));
        }
        let server = Server::start(routes);
        let fetch = |region: &str| {
            kopa()
                .args(["network", "fetch", "geofabrik", region, "--mirror"])
                .arg(&server.base)
                .arg("--cache")
                .arg(dir.path().join("cache"))
                .arg("--out")
                .arg(dir.path().join(format!("{}.osm.pbf", region.replace('/', "-"))))
                .output()
                .unwrap()
        };
        let refused = fetch("europe/latvia");
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert_eq!(refused.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("did not send an OSM PBF file"), "{stderr}");
        let bad_region = fetch("../etc");
        assert!(String::from_utf8_lossy(&bad_region.stderr).contains("is not a Geofabrik region"));

        if real.is_none() {
            kopa_store::testing::say_skipped(
                "the clipped Geofabrik download needs ../shared/data/osm/ beside the project.",
            );
            return;
        }
        let fetched = fetch("europe/liechtenstein");
        assert!(fetched.status.success(), "{}", String::from_utf8_lossy(&fetched.stderr));
        let clipped = kopa()
            .args(["network", "analyse"])
            .arg(dir.path().join("europe-liechtenstein.osm.pbf"))
            .args(["--area", "Vaduz", "--out"])
            .arg(dir.path().join("vaduz"))
            .output()
            .unwrap();
        assert!(clipped.status.success(), "{}", String::from_utf8_lossy(&clipped.stderr));
        let summary: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.path().join("vaduz/summary.json")).unwrap()).unwrap();
        let whole: serde_json::Value = serde_json::from_slice(
            &std::fs::read(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("../kopa-mobility/tests/golden/liechtenstein.json"),
            )
            .unwrap(),
        )
        .unwrap();
        let (part, all) = (
            summary["segments"].as_u64().unwrap(),
            whole["segments"].as_u64().unwrap(),
        );
        assert!(
            part > 100 && part < all / 3,
            "Vaduz is a part of the country: {part} of {all} segments"
        );
    }
}

/// The text of a PDF as poppler's `pdftotext` reads it, or `None` where poppler is missing.
fn pdf_text(file: &std::path::Path) -> Option<String> {
    match Command::new("pdftotext").arg(file).arg("-").output() {
        Ok(out) => {
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            Some(String::from_utf8(out.stdout).unwrap())
        }
        Err(_) => {
            kopa_store::testing::say_skipped("SKIPPED: the PDF check needs poppler's pdftotext (poppler-utils)");
            None
        }
    }
}

#[test]
fn plan_export_writes_what_the_reader_may_read_or_says_why_not() {
    let dir = tempfile::tempdir().unwrap();
    let database = demo_database(dir.path());
    let export = |args: &[&str]| {
        kopa()
            .current_dir(dir.path())
            .arg("--database")
            .arg(&database)
            .args(["plan", "export"])
            .args(args)
            .output()
            .unwrap()
    };

    // The coordinator reads the draft; the file is named after the workspace and version.
    let run = export(&["kekava", "--as", "koordinators@kekava.example"]);
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{stdout}{}", String::from_utf8_lossy(&run.stderr));
    let pdf = dir.path().join("kekava-iap-v1-lv.pdf");
    assert!(
        stdout.contains("Wrote version 1 of kekava's plan to kekava-iap-v1-lv.pdf."),
        "{stdout}"
    );
    if let Some(text) = pdf_text(&pdf) {
        assert!(text.contains("Integrētais rīcības plāns"), "{text}");
        assert!(text.contains("Melnraksts"), "a draft says so");
    }

    let html = dir.path().join("plan.html");
    let run = export(&[
        "kekava",
        "--as",
        "koordinators@kekava.example",
        "--version",
        "1",
        "--language",
        "en",
        "--format",
        "html",
        "--output",
        html.to_str().unwrap(),
    ]);
    assert!(run.status.success());
    let text = std::fs::read_to_string(&html).unwrap();
    assert!(text.contains("<html lang=\"en\">") && text.contains("Integrated Action Plan"));

    // A visitor, an unknown workspace or account, a missing version: each is named.
    let refused = |args: &[&str], says: &str| {
        let run = export(args);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(!run.status.success(), "{stderr}");
        assert!(stderr.contains(says), "{stderr}");
        assert!(!stderr.contains("panicked"));
    };
    refused(&["kekava"], "Please sign in first.");
    refused(
        &["nowhere"],
        "reading \"nowhere\": There is no workspace with that short name.",
    );
    refused(
        &["kekava", "--as", "nobody@example.org"],
        "There is no account with that e-mail.",
    );
    refused(
        &["kekava", "--as", "koordinators@kekava.example", "--version", "9"],
        "There is no such page or record.",
    );
    refused(&["kekava", "--format", "odt"], "invalid value 'odt'");
    assert!(
        !dir.path().join("kekava-iap-v9-lv.pdf").exists(),
        "nothing is written when refused"
    );
}

/// A restore while a server uses the database would pull the data from under it: it is
/// refused, saying how to go on, and goes through once the server has stopped (here killed,
/// as a crash would), on SQLite and on PostgreSQL.
#[test]
fn restore_refuses_while_a_server_serves_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let databases = runtime.block_on(kopa_store::testing::every_backend());
    for db in &databases {
        let url = db.url.clone();
        let backup = dir.path().join(format!("{}.backup", db.name));
        let took = kopa()
            .args(["--database", &url, "backup"])
            .arg(&backup)
            .output()
            .unwrap();
        assert!(took.status.success(), "{}", String::from_utf8_lossy(&took.stderr));

        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let listen = format!("127.0.0.1:{port}");
        let mut server = kopa()
            .args(["--database", &url, "serve", "--listen", &listen])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let started = std::time::Instant::now();
        while std::net::TcpStream::connect(&listen).is_err() {
            assert!(started.elapsed().as_secs() < 60, "the server did not start");
            std::thread::sleep(std::time::Duration::from_millis(100));
        }

        let refused = kopa()
            .args(["--database", &url, "restore"])
            .arg(&backup)
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&refused.stderr);
        assert!(
            !refused.status.success(),
            "{}: restored under a running server",
            db.name
        );
        assert!(
            said.contains("a Kopa server is using this database: stop it first"),
            "{said}"
        );

        server.kill().unwrap();
        server.wait().unwrap();
        let restored = kopa()
            .args(["--database", &url, "restore"])
            .arg(&backup)
            .output()
            .unwrap();
        assert!(
            restored.status.success(),
            "{}: {}",
            db.name,
            String::from_utf8_lossy(&restored.stderr)
        );
        assert!(String::from_utf8_lossy(&restored.stdout).contains("Restored"));
    }
}

/// `kopa init` with its flags, as the README's "run it for real" gives them.
fn init(database: &std::path::Path) -> Command {
    let mut init = kopa();
    init.args(["init", "--no-input", "--database"])
        .arg(database)
        .args(["--network-name", "Cities4CSR"])
        .args(["--programme", "URBACT III Action Planning Network"])
        .args(["--network-starts", "2020-05-01", "--network-ends", "2022-08-31"])
        .args([
            "--municipality",
            "Ķekavas novads",
            "--slug",
            "kekava",
            "--country",
            "LV",
        ])
        .args(["--admin-email", "admin@kekava.lv", "--admin-name", "Anna Admina"])
        .env("KOPA_ADMIN_PASSWORD", "pirmā-admina-parole");
    init
}

#[test]
fn init_sets_a_municipality_up_from_nothing_and_says_what_to_do_next() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("kopa.sqlite");
    let run = init(&database).output().unwrap();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{stdout}{}", String::from_utf8_lossy(&run.stderr));
    assert!(
        stdout.contains("Set up Ķekavas novads (/w/kekava) in the network Cities4CSR."),
        "{stdout}"
    );
    assert!(stdout.contains("also the site admin"));
    assert!(stdout.contains("kopa serve --database"), "the next steps: {stdout}");

    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let store = kopa_store::Store::open(&database.display().to_string()).await.unwrap();
        let ws = store.workspace_by_slug("kekava").await.unwrap().expect("the workspace");
        assert_eq!(
            (ws.time_zone.as_str(), ws.default_locale.as_str()),
            ("Europe/Riga", "lv")
        );
        let admin = store
            .check_sign_in("admin@kekava.lv", "pirmā-admina-parole")
            .await
            .unwrap();
        let admin = admin.expect("the admin signs in with the password given");
        assert!(admin.site_admin);
        assert_eq!(
            store.role_of(admin.id, ws.id).await.unwrap(),
            Some(kopa_domain::Role::Admin)
        );
        assert!(store.verify_audit_chain().await.unwrap().broken.is_none());
    });

    // Again: the short name and the e-mail are taken, and each flag is named.
    let again = init(&database).output().unwrap();
    assert_eq!(again.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(
        stderr.contains("--slug: Another workspace uses this short name."),
        "{stderr}"
    );
    assert!(stderr.contains("--admin-email: "), "{stderr}");
}

#[test]
fn init_without_a_terminal_names_what_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let run = kopa()
        .args(["init", "--database"])
        .arg(dir.path().join("kopa.sqlite"))
        .args(["--slug", "kekava"])
        .env_remove("KOPA_ADMIN_PASSWORD")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    for missing in [
        "--network-name",
        "--municipality",
        "--country",
        "--admin-email",
        "KOPA_ADMIN_PASSWORD",
    ] {
        assert!(stderr.contains(missing), "{missing}: {stderr}");
    }
    assert!(!stderr.contains("panicked"));
}

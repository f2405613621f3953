//! `kopa network`: the bicycle-network engine from the command line.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use kopa_mobility::analysis::Analysis;
use kopa_mobility::osm::{Area, OsmData};
use kopa_mobility::population::{Weighted, place_people, read_places, zones};
use kopa_mobility::report::{Report, Warnings};
use kopa_mobility::score::connectivity;
use kopa_mobility::stress::Profile;

#[derive(clap::Subcommand)]
pub enum NetworkCommand {
    /// Download a region's OpenStreetMap data, with progress, into a cache.
    Fetch {
        #[command(subcommand)]
        source: crate::fetch::FetchSource,
    },
    /// Read an OpenStreetMap extract, classify every street's traffic stress, and write the layers.
    Analyse {
        /// An .osm.pbf, .osm, .osm.gz or Overpass .json file.
        file: PathBuf,
        /// Keep only what lies inside the administrative boundary of this name in the extract,
        /// e.g. "Ķekavas novads".
        #[arg(long, conflicts_with = "area_file")]
        area: Option<String>,
        /// Keep only what lies inside the polygons of this GeoJSON file.
        #[arg(long)]
        area_file: Option<PathBuf>,
        /// A country profile (TOML); the Latvian one is the default.
        #[arg(long)]
        profile: Option<PathBuf>,
        /// Where to write the summary, the results file, the GeoJSON layers and the CSV tables.
        #[arg(long, default_value = "kopa-network")]
        out: PathBuf,
        /// The municipality's population, spread over its homes by floor area; without it, the
        /// profile's floor area per person estimates it.
        #[arg(long)]
        population: Option<f64>,
        /// Residents at points or in zones instead of homes from the extract: CSV with columns
        /// lat, lon, population, or GeoJSON with a population property.
        #[arg(long)]
        population_file: Option<PathBuf>,
        /// The side of a population zone, in metres (the profile's, 250, by default).
        #[arg(long)]
        zone_size: Option<f64>,
    },
}

/// A spinner that says what is happening, and how long it took once done.
fn step(message: &'static str) -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} {elapsed}").unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_message(message);
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}

fn done(bar: ProgressBar, what: String) {
    bar.finish_with_message(what);
}

pub fn run(command: NetworkCommand) -> anyhow::Result<()> {
    match command {
        NetworkCommand::Fetch { source } => crate::fetch::run(source),
        NetworkCommand::Analyse {
            file,
            area,
            area_file,
            profile,
            out,
            population,
            population_file,
            zone_size,
        } => {
            let mut profile = read_profile(profile.as_deref())?;
            if let Some(size) = zone_size {
                profile.connectivity.zone_size_m = size;
            }
            check_zone_arguments(population, profile.connectivity.zone_size_m)?;
            let area = AreaChoice::from_arguments(area, area_file)?;
            // A bad population file is refused before the extract is read, too.
            let places = population_file.as_deref().map(read_places).transpose()?;
            analyse(Options {
                file,
                area,
                profile,
                population,
                places,
                out,
            })
        }
    }
}

fn read_profile(path: Option<&Path>) -> anyhow::Result<Profile> {
    Ok(match path {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).with_context(|| format!("reading the profile {}", path.display()))?;
            Profile::from_toml(&text).with_context(|| format!("in {}", path.display()))?
        }
        None => Profile::latvia(),
    })
}

/// Refuses impossible zone arguments before the long work starts.
fn check_zone_arguments(total: Option<f64>, zone_size: f64) -> anyhow::Result<()> {
    if let Some(total) = total {
        anyhow::ensure!(
            total.is_finite() && total > 0.0,
            "--population must be a positive number of people"
        );
    }
    anyhow::ensure!(
        zone_size.is_finite() && zone_size >= 10.0,
        "--zone-size must be at least 10 metres"
    );
    Ok(())
}

/// Where to clip the extract: a boundary to find in it, or polygons already read.
pub(crate) enum AreaChoice {
    Named(String),
    Drawn(Area),
}

impl AreaChoice {
    /// From `--area NAME` or `--area-file FILE`. A bad area file is refused before the
    /// extract is read.
    pub(crate) fn from_arguments(name: Option<String>, file: Option<PathBuf>) -> anyhow::Result<Option<AreaChoice>> {
        Ok(match (name, file) {
            (Some(name), _) => Some(AreaChoice::Named(name)),
            (None, Some(path)) => Some(AreaChoice::Drawn(Area::from_geojson(&path)?)),
            (None, None) => None,
        })
    }
}

/// What `network analyse` was asked to do.
struct Options {
    file: PathBuf,
    area: Option<AreaChoice>,
    profile: Profile,
    /// The total to scale the people to.
    population: Option<f64>,
    /// Where people live, when given instead of the homes in the extract.
    places: Option<Vec<Weighted>>,
    out: PathBuf,
}

/// Reads an extract and, when asked, keeps only what lies inside the area.
pub(crate) fn read_clipped(file: &Path, area: Option<AreaChoice>) -> anyhow::Result<(OsmData, Option<Area>)> {
    let bar = step("Reading the extract");
    let mut osm = OsmData::load(file)?;
    done(
        bar,
        format!(
            "Read {} nodes and {} ways from {}",
            osm.coords.len(),
            osm.ways.len(),
            file.display()
        ),
    );
    let mut clipped_to = None;
    if let Some(choice) = area {
        let bar = step("Clipping to the area");
        let area = match choice {
            AreaChoice::Named(name) => Area::by_name(&osm, &name)?,
            AreaChoice::Drawn(area) => area,
        };
        osm.clip(&area)?;
        done(
            bar,
            format!(
                "Kept {} nodes and {} ways inside {}",
                osm.coords.len(),
                osm.ways.len(),
                area.name
            ),
        );
        clipped_to = Some(area);
    }
    Ok((osm, clipped_to))
}

/// Runs the whole analysis, writes every output and prints the summary.
fn analyse(options: Options) -> anyhow::Result<()> {
    let Options {
        file,
        area,
        profile,
        population,
        places,
        out,
    } = options;
    let (file, profile, out) = (file.as_path(), &profile, out.as_path());
    let (osm, clipped_to) = read_clipped(file, area)?;

    let bar = step("Building the street graph and classifying traffic stress");
    let analysis = Analysis::run(&osm, profile);
    done(
        bar,
        format!(
            "Classified {} segments and {} crossings with the {} profile",
            analysis.graph.segments.len(),
            analysis.crossings.iter().flatten().count(),
            profile.name
        ),
    );

    let bar = step("Placing people and destinations");
    let places = places.map(|mut places| {
        if let Some(area) = &clipped_to {
            places.retain(|p| area.contains(p.at));
        }
        places
    });
    let placement = place_people(&osm, &analysis.graph, &profile.population, places, population);
    let (places, total) = (&placement.places, placement.total);
    let zones = zones(places, total, profile.connectivity.zone_size_m);
    let destinations = kopa_mobility::destinations::find(&osm, &profile.destinations);
    done(
        bar,
        format!(
            "Placed {total:.0} people ({}) at {} places in {} zones; found {} destinations",
            placement.source,
            places.len(),
            zones.len(),
            destinations.len()
        ),
    );

    let bar = ProgressBar::new(zones.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:30} {pos}/{len} zones {msg} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message("searched for low-stress routes");
    let result = connectivity(
        &analysis,
        &zones,
        &destinations,
        &profile.destinations,
        &profile.connectivity,
        &|| bar.inc(1),
    );
    bar.finish();

    let report = Report {
        source: file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        osm: &osm,
        profile,
        analysis: &analysis,
        zones: &zones,
        destinations: &destinations,
        connectivity: &result,
    };
    let bar = step("Writing the layers");
    let written = report
        .write_all(out)
        .with_context(|| format!("writing the results into {}", out.display()))?;
    done(bar, format!("Wrote {} files into {}", written.len(), out.display()));
    print_summary(&report, placement.source);
    Ok(())
}

fn print_warnings(warnings: &Warnings) {
    let listed = |ids: &[i64]| ids.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
    if warnings.streets_cut_at_edge > 0 {
        println!(
            "Warning: {} streets ran past the extract's edge and were cut there (ways {}…)",
            warnings.streets_cut_at_edge,
            listed(&warnings.first_cut_ways)
        );
    }
    if warnings.duplicate_nodes > 0 {
        println!(
            "Warning: {} node ids were given twice; the last position was kept (nodes {}…)",
            warnings.duplicate_nodes,
            listed(&warnings.first_duplicate_nodes)
        );
    }
    for tag in &warnings.unreadable_tags {
        println!(
            "Warning: {}={:?} cannot be read, on {} streets (way {} first); the profile's default was assumed",
            tag.key, tag.value, tag.ways, tag.first_way
        );
    }
}

fn print_summary(report: &Report, people_source: &str) {
    let summary = report.summary();
    let network = &summary.network;
    let score = &summary.connectivity;
    println!();
    println!(
        "Street network: {:.1} km in {} segments, {} intersections",
        network.network_km, network.segments, network.vertices
    );
    println!("Traffic stress, kilometres ridden in each direction:");
    for (level, km) in &network.km_by_lts {
        println!("  LTS {level}: {km:>9.1} km");
    }
    println!(
        "Low stress by BNA's rule: {:.0}% of the kilometres",
        network.bna_low_stress_share * 100.0
    );
    println!(
        "Crossings of a road by level: {}",
        network
            .crossings_by_lts
            .iter()
            .map(|(level, n)| format!("LTS {level}: {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!();
    match score.score {
        Some(value) => println!("Low-stress connectivity score: {value:.1} of 100"),
        None => println!("Low-stress connectivity score: none (the extract has no homes to start trips from)"),
    }
    for part in &score.categories {
        let missing = if part.destinations.is_none() {
            "no homes"
        } else {
            "no destinations"
        };
        let value = part.score.map_or(missing.to_owned(), |s| format!("{s:>5.1}"));
        println!("  {:<14} {value}  (weight {})", part.name, part.weight);
    }
    println!(
        "People: {:.0} in {} zones ({people_source}); {:.0} too far from any street",
        score.people, score.zones, score.people_left_out
    );
    println!(
        "Destinations: {} ({} too far from any street)",
        score.destinations, score.destinations_left_out
    );
    println!("Largest low-stress islands ({} in all):", network.low_stress_islands);
    for island in &score.largest_islands {
        println!(
            "  island {:>4}: {:>8.1} km, {:>6} segments, {:>8.0} people",
            island.island, island.km, island.segments, island.people
        );
    }
    if !network.worst_crossings.is_empty() {
        println!("Worst high-stress crossings (joining the most low-stress network):");
        for crossing in network.worst_crossings.iter().take(5) {
            println!(
                "  node {} at {:.5}, {:.5}: LTS {}, would join {:.1} km ({})",
                crossing.node,
                crossing.lat,
                crossing.lon,
                crossing.lts,
                crossing.joins_km,
                crossing.reasons.join("; ")
            );
        }
    }
    print_warnings(&summary.warnings);
    if let Some(peak) = peak_memory_mb() {
        println!("Peak memory: {peak:.0} MB");
    }
    println!("{}", kopa_mobility::ATTRIBUTION);
}

/// The most memory the process has held, where the system says (Linux).
fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kilobytes: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes / 1024.0)
}

//! `kopa network`: the bicycle-network engine from the command line.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use kopa_mobility::osm::{Area, OsmData};
use kopa_mobility::pipeline::{AreaChoice, Request, Step, Watch};
use kopa_mobility::population::{Weighted, read_places};
use kopa_mobility::report::{FullSummary, Warnings};
use kopa_mobility::stress::Profile;

#[derive(clap::Subcommand)]
pub enum NetworkCommand {
    /// Analyse a workspace's street network from an OpenStreetMap extract, and keep the
    /// analysis beside the ones before. Its streets become the workspace's base map.
    Import {
        /// The workspace's short name, e.g. kekava.
        workspace: String,
        /// An .osm.pbf, .osm, .osm.gz or Overpass .json file.
        file: PathBuf,
        /// Keep only what lies inside the administrative boundary of this name in the extract.
        #[arg(long)]
        area: Option<String>,
        /// The municipality's population; without it, it is estimated from the homes.
        #[arg(long)]
        population: Option<f64>,
        /// The country profile by name: "Latvia" (the default) or "Liechtenstein".
        #[arg(long)]
        profile: Option<String>,
        /// Whom the audit log records: the e-mail of a coordinator or admin of the workspace.
        /// Without it, Kopa itself.
        #[arg(long = "as")]
        account: Option<String>,
        /// Show the analysis to visitors once it is done.
        #[arg(long)]
        publish: bool,
    },
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
        /// A built-in country profile by name ("Latvia", the default, or "Liechtenstein"), or a
        /// TOML file with what differs from the shared defaults.
        #[arg(long)]
        profile: Option<String>,
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
fn step_spinner(message: &'static str) -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} {elapsed}").unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_message(message);
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}

pub async fn run(command: NetworkCommand, database: &str) -> anyhow::Result<()> {
    match command {
        NetworkCommand::Import {
            workspace,
            file,
            area,
            population,
            profile,
            account,
            publish,
        } => {
            let app = crate::app(database).await?;
            let upload = kopa_app::NetworkUpload {
                file_name: file_name(&file),
                bytes: std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?,
                area: area.unwrap_or_default(),
                population: population.map(|p| p.to_string()).unwrap_or_default(),
                profile: profile.unwrap_or_default(),
            };
            import(&app, &workspace, &file, upload, account.as_deref(), publish).await
        }
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
            let area = area_choice(area, area_file)?;
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

/// A built-in profile by its name, else a profile file; Latvia's without either.
fn read_profile(chosen: Option<&str>) -> anyhow::Result<Profile> {
    let Some(chosen) = chosen else {
        return Ok(Profile::latvia());
    };
    if let Some(profile) = Profile::named(chosen) {
        return Ok(profile);
    }
    let text = std::fs::read_to_string(chosen).with_context(|| {
        let names: Vec<String> = Profile::built_in().into_iter().map(|p| p.name).collect();
        format!(
            "{chosen} is neither a built-in profile ({}) nor a profile file",
            names.join(", ")
        )
    })?;
    Profile::from_toml(&text).with_context(|| format!("in {chosen}"))
}

/// `network import`: the same use case a coordinator's upload runs, waited for here.
async fn import(
    app: &kopa_app::App,
    workspace: &str,
    file: &Path,
    upload: kopa_app::NetworkUpload,
    account: Option<&str>,
    publish: bool,
) -> anyhow::Result<()> {
    let said = |refusal| crate::plan::explain(app, refusal);
    let caller = match account {
        Some(email) => app.caller_at(workspace, Some(email)).await,
        None => app.operator_at(workspace).await,
    };
    let caller = caller.map_err(said)?;
    let (queued, work) = app
        .import_street_network(&caller, upload, kopa_domain::street_network::NetworkSource::CommandLine)
        .await
        .map_err(said)?;
    let bar = step_spinner("Analysing the street network");
    let outcome = work.run().await;
    bar.finish_and_clear();
    let analysis = match outcome {
        Ok(done) => done,
        Err(refusal) => {
            let failed = app.store.street_analysis(caller.workspace_id(), queued.id).await?;
            let reason = failed.and_then(|a| a.error).unwrap_or_default();
            return Err(said(refusal).context(reason));
        }
    };
    if publish {
        app.publish_street_analysis(&caller, analysis.id, true)
            .await
            .map_err(said)?;
    }
    let figures = analysis
        .figures
        .as_ref()
        .context("the analysis finished without its figures")?;
    println!(
        "Analysed {} of {} as analysis {}: {:.1} km of streets in {} segments, {:.0}% low stress, {} low-stress islands.",
        file.display(),
        caller.workspace.municipality,
        analysis.id,
        figures.network_km,
        figures.segments,
        figures.low_stress_share * 100.0,
        figures.islands
    );
    match figures.score {
        Some(score) => println!(
            "Low-stress connectivity score: {score:.1} of 100, for {:.0} people.",
            figures.people
        ),
        None => println!("Low-stress connectivity score: none (the extract has no homes to start trips from)."),
    }
    println!(
        "See it at /w/{workspace}/network{}.",
        if publish { ", published" } else { "" }
    );
    Ok(())
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

/// Where to clip the extract, from `--area NAME` or `--area-file FILE`. A bad area file is
/// refused before the extract is read.
pub(crate) fn area_choice(name: Option<String>, file: Option<PathBuf>) -> anyhow::Result<Option<AreaChoice>> {
    Ok(match (name, file) {
        (Some(name), _) => Some(AreaChoice::Named(name)),
        (None, Some(path)) => Some(AreaChoice::Drawn(Area::from_geojson(&path)?)),
        (None, None) => None,
    })
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

/// Follows the analysis with a spinner for each step and a bar for the route search.
struct Spinners(std::sync::Mutex<Option<ProgressBar>>);

impl Watch for Spinners {
    fn started(&self, step: Step, total: Option<usize>) {
        let bar = match total {
            Some(total) => {
                let bar = ProgressBar::new(total as u64);
                let (counted, done) = match step {
                    Step::Ranking => ("places to act", "evaluated"),
                    _ => ("zones", "searched for low-stress routes"),
                };
                bar.set_style(
                    ProgressStyle::with_template(&format!("{{bar:30}} {{pos}}/{{len}} {counted} {{msg}} {{elapsed}}"))
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
                bar.set_message(done);
                bar
            }
            None => step_spinner(match step {
                Step::Clipping => "Clipping to the area",
                Step::Classifying => "Building the street graph and classifying traffic stress",
                Step::Placing => "Placing people and destinations",
                Step::Ranking => "Ranking the places to act",
                Step::Searching => "Searching the low-stress routes",
                Step::Writing => "Writing the layers",
            }),
        };
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some(bar);
    }

    fn advanced(&self) {
        if let Some(bar) = &*self.0.lock().unwrap_or_else(|e| e.into_inner()) {
            bar.inc(1);
        }
    }

    fn finished(&self, _step: Step, what: String) {
        if let Some(bar) = self.0.lock().unwrap_or_else(|e| e.into_inner()).take() {
            bar.finish_with_message(what);
        }
    }
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
    let osm = read(&file)?;
    let request = Request {
        source: file_name(&file),
        area,
        profile,
        population,
        places,
    };
    let outcome = kopa_mobility::pipeline::run(osm, request, &Spinners(Default::default()))?;
    let mut written = 0;
    std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
    for output in &outcome.outputs {
        let path = out.join(output.name);
        std::fs::write(&path, &output.bytes).with_context(|| format!("writing {}", path.display()))?;
        written += 1;
    }
    println!("Wrote {written} files into {}", out.display());
    print_summary(&outcome.summary, outcome.people_source);
    Ok(())
}

/// A path's last part, as outputs name their source.
pub(crate) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Reads an extract, saying how much it held.
pub(crate) fn read(file: &Path) -> anyhow::Result<OsmData> {
    let bar = step_spinner("Reading the extract");
    let osm = OsmData::load(file)?;
    bar.finish_with_message(format!(
        "Read {} nodes and {} ways from {}",
        osm.coords.len(),
        osm.ways.len(),
        file.display()
    ));
    Ok(osm)
}

/// Reads an extract and, when asked, keeps only what lies inside the area.
pub(crate) fn read_clipped(file: &Path, area: Option<AreaChoice>) -> anyhow::Result<(OsmData, Option<Area>)> {
    let mut osm = read(file)?;
    let Some(choice) = area else {
        return Ok((osm, None));
    };
    let bar = step_spinner("Clipping to the area");
    let area = kopa_mobility::pipeline::clip(&mut osm, choice)?;
    bar.finish_with_message(format!(
        "Kept {} nodes and {} ways inside {}",
        osm.coords.len(),
        osm.ways.len(),
        area.name
    ));
    Ok((osm, Some(area)))
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

fn print_summary(summary: &FullSummary, people_source: &str) {
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

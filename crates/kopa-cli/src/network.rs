//! `kopa network`: the bicycle-network engine from the command line.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use kopa_mobility::analysis::Analysis;
use kopa_mobility::osm::OsmData;
use kopa_mobility::stress::Profile;

#[derive(clap::Subcommand)]
pub enum NetworkCommand {
    /// Read an OpenStreetMap extract, classify every street's traffic stress, and write the layers.
    Analyse {
        /// An .osm.pbf, .osm, .osm.gz or Overpass .json file.
        file: PathBuf,
        /// A country profile (TOML); the Latvian one is the default.
        #[arg(long)]
        profile: Option<PathBuf>,
        /// Where to write summary.json, segments.geojson and zones.csv.
        #[arg(long, default_value = "kopa-network")]
        out: PathBuf,
        /// The municipality's population, spread over its homes by floor area.
        #[arg(long)]
        population: Option<f64>,
        /// The side of a population zone, in metres.
        #[arg(long, default_value_t = 250.0)]
        zone_size: f64,
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
        NetworkCommand::Analyse {
            file,
            profile,
            out,
            population,
            zone_size,
        } => {
            if let Some(total) = population {
                check_zone_arguments(total, zone_size)?;
            }
            let osm = analyse(&file, profile.as_deref(), &out)?;
            if let Some(total) = population {
                write_zones(&osm, &file, total, zone_size, &out)?;
            }
            Ok(())
        }
    }
}

/// Refuses impossible zone arguments before the long work starts.
fn check_zone_arguments(total: f64, zone_size: f64) -> anyhow::Result<()> {
    anyhow::ensure!(
        total.is_finite() && total > 0.0,
        "--population must be a positive number of people"
    );
    anyhow::ensure!(
        zone_size.is_finite() && zone_size >= 10.0,
        "--zone-size must be at least 10 metres"
    );
    Ok(())
}

/// People per grid zone, from the homes in the extract already read, as CSV.
fn write_zones(osm: &OsmData, file: &Path, total: f64, zone_size: f64, out: &Path) -> anyhow::Result<()> {
    let homes = kopa_mobility::population::homes(osm);
    anyhow::ensure!(
        !homes.is_empty(),
        "{} has no residential buildings to place the population in",
        file.display()
    );
    let zones = kopa_mobility::population::zones(&homes, total, zone_size);
    let path = out.join("zones.csv");
    let mut csv = format!("# {}\ncolumn,row,lat,lon,population\n", kopa_mobility::ATTRIBUTION);
    for zone in &zones {
        csv.push_str(&format!(
            "{},{},{:.6},{:.6},{:.1}\n",
            zone.column, zone.row, zone.centre.lat, zone.centre.lon, zone.population
        ));
    }
    std::fs::write(&path, csv).with_context(|| format!("writing {}", path.display()))?;
    println!(
        "People: {total:.0} placed in {} homes, {} zones of {zone_size:.0} m ({}).",
        homes.len(),
        zones.len(),
        path.display()
    );
    Ok(())
}

/// Analyses the extract, writes the layers and prints the summary; returns the extract read.
fn analyse(file: &Path, profile: Option<&Path>, out: &Path) -> anyhow::Result<OsmData> {
    let profile = match profile {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).with_context(|| format!("reading the profile {}", path.display()))?;
            Profile::from_toml(&text).with_context(|| format!("in {}", path.display()))?
        }
        None => Profile::latvia(),
    };
    let bar = step("Reading the extract");
    let osm = OsmData::load(file)?;
    done(
        bar,
        format!(
            "Read {} nodes and {} ways from {}",
            osm.coords.len(),
            osm.ways.len(),
            file.display()
        ),
    );

    let bar = step("Building the street graph and classifying traffic stress");
    let analysis = Analysis::run(&osm, &profile);
    let summary = analysis.summary();
    done(
        bar,
        format!(
            "Classified {} segments ({:.1} km) with the {} profile",
            summary.segments, summary.network_km, summary.profile
        ),
    );

    let bar = step("Writing the layers");
    std::fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let summary_path = out.join("summary.json");
    std::fs::write(&summary_path, serde_json::to_vec_pretty(&summary)?)
        .with_context(|| format!("writing {}", summary_path.display()))?;
    let segments_path = out.join("segments.geojson");
    let file = std::fs::File::create(&segments_path).with_context(|| format!("writing {}", segments_path.display()))?;
    let mut writer = std::io::BufWriter::new(file);
    analysis
        .write_segments_geojson(&osm, &mut writer)
        .with_context(|| format!("writing {}", segments_path.display()))?;
    done(
        bar,
        format!("Wrote {} and {}", summary_path.display(), segments_path.display()),
    );

    println!();
    println!(
        "Street network: {:.1} km in {} segments, {} intersections",
        summary.network_km, summary.segments, summary.vertices
    );
    println!("Traffic stress, kilometres ridden in each direction:");
    for (level, km) in &summary.km_by_lts {
        println!("  LTS {level}: {km:>9.1} km");
    }
    println!(
        "Low stress by BNA's rule: {:.0}% of the kilometres",
        summary.bna_low_stress_share * 100.0
    );
    println!("{}", kopa_mobility::ATTRIBUTION);
    Ok(osm)
}

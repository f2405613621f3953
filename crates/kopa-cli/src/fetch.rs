//! `kopa network fetch`: downloads a region's OpenStreetMap data, from the Overpass API for a
//! named area or as a Geofabrik country file, with progress, into a cache that later runs
//! reuse.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use kopa_app::osm_sources::{Download, GEOFABRIK_MIRROR, OVERPASS_ENDPOINT, OsmSources, overpass_query};
use kopa_mobility::osm::{Format, ImportError, OsmData};
use sha2::{Digest, Sha256};

#[derive(clap::Subcommand)]
pub enum FetchSource {
    /// Everything the analysis needs inside an administrative area, from the Overpass API.
    Overpass {
        /// The area's name as OpenStreetMap spells it, e.g. "Ķekavas novads".
        area: String,
        #[arg(long, default_value = OVERPASS_ENDPOINT)]
        endpoint: String,
        #[command(flatten)]
        common: Common,
    },
    /// A whole country or region as Geofabrik publishes it; analyse it with --area to clip.
    Geofabrik {
        /// The region's path on Geofabrik, e.g. "europe/latvia".
        region: String,
        #[arg(long, default_value = GEOFABRIK_MIRROR)]
        mirror: String,
        #[command(flatten)]
        common: Common,
    },
}

#[derive(clap::Args)]
pub struct Common {
    /// Where to write the file (by default named after the area or region, here).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Where downloads are kept between runs.
    #[arg(long, env = "KOPA_CACHE")]
    cache: Option<PathBuf>,
    /// Download again even when the cache holds the file.
    #[arg(long)]
    refresh: bool,
}

pub fn run(source: FetchSource) -> anyhow::Result<()> {
    let (download, sources, common) = match source {
        FetchSource::Overpass { area, endpoint, common } => {
            let sources = OsmSources {
                overpass: endpoint,
                ..OsmSources::default()
            };
            (Download::Overpass { area }, sources, common)
        }
        FetchSource::Geofabrik { region, mirror, common } => {
            let download = Download::geofabrik(&region)
                .with_context(|| format!("\"{region}\" is not a Geofabrik region; they look like \"europe/latvia\""))?;
            let sources = OsmSources {
                geofabrik: mirror,
                ..OsmSources::default()
            };
            (download, sources, common)
        }
    };
    let asked = match &download {
        Download::Overpass { area } => format!("{}\n{}", sources.overpass, overpass_query(area)),
        Download::Geofabrik { .. } => download.url(&sources),
    };
    let cached = cache_dir(common.cache.as_deref())?.join(format!("{}-{}", short_hash(&asked), download.file_name()));
    if common.refresh || !cached.is_file() {
        let response = download.ask(&sources).map_err(anyhow::Error::msg)?;
        receive(response, &cached, &download.server(&sources))?;
        if let Err(problem) = check(&download, &cached, &sources) {
            let _ = std::fs::remove_file(&cached);
            return Err(problem);
        }
    } else {
        println!("Using the cached download {}", cached.display());
    }
    let out = common.out.unwrap_or_else(|| PathBuf::from(download.file_name()));
    deliver(&cached, &out)?;
    if let Download::Geofabrik { .. } = download {
        println!(
            "Clip it to the municipality as you analyse it: kopa network analyse {} --area \"<its boundary name>\"",
            out.display()
        );
    }
    Ok(())
}

/// Whether a download holds what was asked for: streets from Overpass, a PBF file from
/// Geofabrik.
fn check(download: &Download, cached: &Path, sources: &OsmSources) -> anyhow::Result<()> {
    match download {
        Download::Overpass { area } => match OsmData::load(cached) {
            Ok(_) => Ok(()),
            Err(ImportError::Empty { .. }) => Err(anyhow::anyhow!(
                "the Overpass API found no streets in an area named \"{area}\"; check the name as OpenStreetMap spells it (e.g. \"Ķekavas novads\")"
            )),
            Err(other) => Err(other.into()),
        },
        Download::Geofabrik { .. } => {
            let mut head = [0u8; 64];
            let read = File::open(cached)?.read(&mut head)?;
            anyhow::ensure!(
                Format::detect(Path::new("download"), &head[..read]) == Some(Format::Pbf),
                "{} did not send an OSM PBF file",
                download.url(sources)
            );
            Ok(())
        }
    }
}

/// Streams a successful response into `path` through a partial file, showing progress.
fn receive(mut response: ureq::http::Response<ureq::Body>, path: &Path, from: &str) -> anyhow::Result<()> {
    let bar = match response.body().content_length() {
        Some(length) => {
            let bar = ProgressBar::new(length);
            bar.set_style(
                ProgressStyle::with_template("{bar:30} {bytes}/{total_bytes} {bytes_per_sec} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar
        }
        None => {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {bytes} {bytes_per_sec} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar
        }
    };
    bar.set_message(format!("from {from}"));
    let partial = path.with_extension("part");
    let mut file = File::create(&partial).with_context(|| format!("writing {}", partial.display()))?;
    let mut reader = bar.wrap_read(response.body_mut().as_reader());
    let copied = std::io::copy(&mut reader, &mut file);
    bar.finish();
    if let Err(error) = copied.and_then(|_| file.flush()) {
        let _ = std::fs::remove_file(&partial);
        return Err(anyhow::Error::new(error).context(format!("the download from {from} broke off")));
    }
    std::fs::rename(&partial, path).with_context(|| format!("keeping {}", path.display()))?;
    Ok(())
}

/// Copies the cached file to where it was asked for.
fn deliver(cached: &Path, out: &Path) -> anyhow::Result<()> {
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    let bytes = std::fs::copy(cached, out).with_context(|| format!("writing {}", out.display()))?;
    println!(
        "Wrote {} ({:.1} MB). {}",
        out.display(),
        bytes as f64 / 1e6,
        kopa_mobility::ATTRIBUTION
    );
    Ok(())
}

fn cache_dir(chosen: Option<&Path>) -> anyhow::Result<PathBuf> {
    let dir = match chosen {
        Some(dir) => dir.to_owned(),
        None => match (std::env::var_os("XDG_CACHE_HOME"), std::env::var_os("HOME")) {
            (Some(cache), _) => PathBuf::from(cache).join("kopa"),
            (None, Some(home)) => PathBuf::from(home).join(".cache/kopa"),
            (None, None) => PathBuf::from(".kopa-cache"),
        },
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("creating the cache {}", dir.display()))?;
    Ok(dir)
}

fn short_hash(text: &str) -> String {
    hex::encode(&Sha256::digest(text.as_bytes())[..8])
}

//! `kopa network fetch`: downloads a region's OpenStreetMap data, from the Overpass API for a
//! named area or as a Geofabrik country file, with progress, into a cache that later runs
//! reuse.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use kopa_mobility::osm::{Format, ImportError, OsmData};
use sha2::{Digest, Sha256};

pub const OVERPASS_ENDPOINT: &str = "https://overpass-api.de/api/interpreter";
pub const GEOFABRIK_MIRROR: &str = "https://download.geofabrik.de";

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
    match source {
        FetchSource::Overpass { area, endpoint, common } => {
            let query = overpass_query(&area);
            let cached = cache_dir(common.cache.as_deref())?
                .join(format!("overpass-{}.json", short_hash(&format!("{endpoint}\n{query}"))));
            if common.refresh || !cached.is_file() {
                let agent = agent();
                let response = agent
                    .post(&endpoint)
                    .send_form([("data", query.as_str())])
                    .with_context(|| format!("cannot reach the Overpass API at {endpoint}"))?;
                receive(response, &cached, &format!("the Overpass API at {endpoint}"))?;
                if let Err(error) = OsmData::load(&cached) {
                    let _ = std::fs::remove_file(&cached);
                    return Err(match error {
                        ImportError::Empty { .. } => anyhow::anyhow!(
                            "the Overpass API found no streets in an area named \"{area}\"; check the name as OpenStreetMap spells it (e.g. \"Ķekavas novads\")"
                        ),
                        other => other.into(),
                    });
                }
            } else {
                println!("Using the cached download {}", cached.display());
            }
            let out = common
                .out
                .unwrap_or_else(|| PathBuf::from(format!("{}.overpass.json", slug(&area))));
            deliver(&cached, &out)
        }
        FetchSource::Geofabrik { region, mirror, common } => {
            let region = region.trim_matches('/').to_owned();
            anyhow::ensure!(
                !region.is_empty()
                    && region
                        .split('/')
                        .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')),
                "\"{region}\" is not a Geofabrik region; they look like \"europe/latvia\""
            );
            let name = format!("{}-latest.osm.pbf", region.replace('/', "-"));
            let cached = cache_dir(common.cache.as_deref())?.join(&name);
            if common.refresh || !cached.is_file() {
                let url = format!("{}/{region}-latest.osm.pbf", mirror.trim_end_matches('/'));
                let response = agent()
                    .get(&url)
                    .call()
                    .with_context(|| format!("cannot reach {url}"))?;
                receive(response, &cached, &url)?;
                let mut head = [0u8; 64];
                let read = File::open(&cached)?.read(&mut head)?;
                if Format::detect(Path::new("download"), &head[..read]) != Some(Format::Pbf) {
                    let _ = std::fs::remove_file(&cached);
                    anyhow::bail!("{url} did not send an OSM PBF file");
                }
            } else {
                println!("Using the cached download {}", cached.display());
            }
            let country = region.rsplit('/').next().unwrap_or(&region);
            let out = common
                .out
                .unwrap_or_else(|| PathBuf::from(format!("{country}-latest.osm.pbf")));
            deliver(&cached, &out)?;
            println!(
                "Clip it to the municipality as you analyse it: kopa network analyse {} --area \"<its boundary name>\"",
                out.display()
            );
            Ok(())
        }
    }
}

/// The Overpass QL that fetches streets, buildings, destinations and the boundary itself.
pub fn overpass_query(area: &str) -> String {
    let name = area.replace('\\', "\\\\").replace('"', "\\\"");
    format!(
        r#"[out:json][timeout:300];
area["boundary"="administrative"]["name"="{name}"]->.a;
(
  relation["boundary"="administrative"]["name"="{name}"];
  way["highway"](area.a);
  way["building"](area.a);
  nwr["amenity"](area.a);
  nwr["shop"](area.a);
  nwr["leisure"](area.a);
  nwr["healthcare"](area.a);
  nwr["public_transport"](area.a);
  nwr["railway"~"^(station|halt)$"](area.a);
  node["highway"~"^(bus_stop|crossing|traffic_signals|stop|give_way)$"](area.a);
);
(._;>;);
out body;
"#
    )
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(900)))
        .user_agent(concat!(
            "kopa/",
            env!("CARGO_PKG_VERSION"),
            " (municipal cycling analysis)"
        ))
        .build()
        .into()
}

/// Streams a successful response into `path` through a partial file, showing progress; an
/// unsuccessful one becomes an error that quotes the server.
fn receive(mut response: ureq::http::Response<ureq::Body>, path: &Path, from: &str) -> anyhow::Result<()> {
    let status = response.status();
    if !status.is_success() {
        let mut text = String::new();
        let _ = response.body_mut().as_reader().take(2000).read_to_string(&mut text);
        let said = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with('<'));
        anyhow::bail!(
            "{from} answered {status}{}",
            said.map(|s| format!(": {s}")).unwrap_or_default()
        );
    }
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

/// A file name from an area name: lower case ASCII, dashes between words.
fn slug(name: &str) -> String {
    let folded = deunicode::deunicode(name).to_lowercase();
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        "area".to_owned()
    } else {
        words.join("-")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn area_names_become_file_names() {
        assert_eq!(slug("Ķekavas novads"), "kekavas-novads");
        assert_eq!(slug("  "), "area");
    }

    #[test]
    fn the_query_quotes_the_name_safely() {
        let query = overpass_query(r#"Odd "name" \ here"#);
        assert!(query.contains(r#"["name"="Odd \"name\" \\ here"]"#), "{query}");
    }
}

//! Where a street network comes from when it is not sent as a file: the Overpass API, for an
//! administrative area by its name, or a Geofabrik region's file. The command line fetches
//! into a cache; the platform downloads as the first step of an analysis, when its server was
//! given the sources to reach.

use std::io::Read;
use std::path::Path;
use std::time::Duration;

use kopa_mobility::osm::Format;

pub const OVERPASS_ENDPOINT: &str = "https://overpass-api.de/api/interpreter";
pub const GEOFABRIK_MIRROR: &str = "https://download.geofabrik.de";

/// The servers a platform downloads OpenStreetMap data from.
#[derive(Debug, Clone, PartialEq)]
pub struct OsmSources {
    pub overpass: String,
    pub geofabrik: String,
}

impl Default for OsmSources {
    fn default() -> OsmSources {
        OsmSources {
            overpass: OVERPASS_ENDPOINT.to_owned(),
            geofabrik: GEOFABRIK_MIRROR.to_owned(),
        }
    }
}

/// One download of OpenStreetMap data.
#[derive(Debug, Clone, PartialEq)]
pub enum Download {
    /// Everything the analysis needs inside the administrative area of this name.
    Overpass { area: String },
    /// A country or region as Geofabrik publishes it, e.g. "europe/latvia".
    Geofabrik { region: String },
}

impl Download {
    /// A Geofabrik region as typed; `None` when it is not a region's path.
    pub fn geofabrik(region: &str) -> Option<Download> {
        let region = region.trim().trim_matches('/');
        let parts_fit = region
            .split('/')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
        (!region.is_empty() && parts_fit).then(|| Download::Geofabrik {
            region: region.to_ascii_lowercase(),
        })
    }

    /// The file's name, by which its format is read and the analysis names its source.
    pub fn file_name(&self) -> String {
        match self {
            Download::Overpass { area } => format!("{}.overpass.json", slug(area)),
            Download::Geofabrik { region } => format!("{}-latest.osm.pbf", region.replace('/', "-")),
        }
    }

    /// What it is asked from: for people to read in messages.
    pub fn server(&self, sources: &OsmSources) -> String {
        match self {
            Download::Overpass { .. } => format!("the Overpass API at {}", sources.overpass),
            Download::Geofabrik { .. } => self.url(sources),
        }
    }

    /// The address it is asked at.
    pub fn url(&self, sources: &OsmSources) -> String {
        match self {
            Download::Overpass { .. } => sources.overpass.clone(),
            Download::Geofabrik { region } => {
                format!("{}/{region}-latest.osm.pbf", sources.geofabrik.trim_end_matches('/'))
            }
        }
    }

    /// Asks for it; the response still to be read.
    pub fn ask(&self, sources: &OsmSources) -> Result<ureq::http::Response<ureq::Body>, String> {
        let asked = match self {
            Download::Overpass { area } => agent()
                .post(self.url(sources))
                .send_form([("data", overpass_query(area))]),
            Download::Geofabrik { .. } => agent().get(self.url(sources)).call(),
        };
        let mut response = asked.map_err(|e| format!("cannot reach {}: {e}", self.server(sources)))?;
        let status = response.status();
        if !status.is_success() {
            let mut text = String::new();
            let _ = response.body_mut().as_reader().take(2000).read_to_string(&mut text);
            let said = text
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty() && !l.starts_with('<'));
            return Err(format!(
                "{} answered {status}{}",
                self.server(sources),
                said.map(|s| format!(": {s}")).unwrap_or_default()
            ));
        }
        Ok(response)
    }

    /// Downloads it into memory, at most `limit` bytes, telling `progress` the bytes received
    /// so far and the total when the server says it. A file of the wrong kind is refused.
    pub fn fetch(
        &self,
        sources: &OsmSources,
        limit: usize,
        progress: &dyn Fn(u64, Option<u64>),
    ) -> Result<Vec<u8>, String> {
        let mut response = self.ask(sources)?;
        let total = response.body().content_length();
        let too_large = || format!("{} sent more than {} MB", self.server(sources), limit / 1024 / 1024);
        if total.is_some_and(|t| t > limit as u64) {
            return Err(too_large());
        }
        let mut reader = response.body_mut().with_config().limit(limit as u64 + 1).reader();
        let mut bytes = Vec::new();
        let mut chunk = vec![0; 256 * 1024];
        loop {
            let read = reader
                .read(&mut chunk)
                .map_err(|e| format!("the download from {} broke off: {e}", self.server(sources)))?;
            if read == 0 {
                break;
            }
            bytes.extend_from_slice(&chunk[..read]);
            if bytes.len() > limit {
                return Err(too_large());
            }
            progress(bytes.len() as u64, total);
        }
        let wanted = match self {
            Download::Overpass { .. } => {
                Format::detect(Path::new(&self.file_name()), &bytes[..bytes.len().min(64)]).is_some()
            }
            Download::Geofabrik { .. } => {
                Format::detect(Path::new("download"), &bytes[..bytes.len().min(64)]) == Some(Format::Pbf)
            }
        };
        if !wanted {
            return Err(format!("{} did not send OpenStreetMap data", self.server(sources)));
        }
        Ok(bytes)
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

/// How Kopa asks: named, patient with large files, quick to say a server cannot be reached.
fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(Some(Duration::from_secs(15)))
        .timeout_global(Some(Duration::from_secs(900)))
        .user_agent(concat!(
            "kopa/",
            env!("CARGO_PKG_VERSION"),
            " (municipal cycling analysis)"
        ))
        .build()
        .into()
}

/// A file name from an area name: lower case ASCII, dashes between words.
pub fn slug(name: &str) -> String {
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
        let area = Download::Overpass {
            area: "Ķekavas novads".into(),
        };
        assert_eq!(area.file_name(), "kekavas-novads.overpass.json");
    }

    #[test]
    fn the_query_quotes_the_name_safely() {
        let query = overpass_query(r#"Odd "name" \ here"#);
        assert!(query.contains(r#"["name"="Odd \"name\" \\ here"]"#), "{query}");
    }

    #[test]
    fn a_geofabrik_region_is_a_path_of_plain_words() {
        let latvia = Download::geofabrik(" europe/Latvia/ ").unwrap();
        assert_eq!(latvia.file_name(), "europe-latvia-latest.osm.pbf");
        let sources = OsmSources::default();
        assert_eq!(
            latvia.url(&sources),
            "https://download.geofabrik.de/europe/latvia-latest.osm.pbf"
        );
        for bad in ["", "/", "europe//latvia", "../etc", "europe/lat via", "https://x"] {
            assert_eq!(Download::geofabrik(bad), None, "{bad}");
        }
    }
}

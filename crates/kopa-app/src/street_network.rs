//! The street network: a coordinator brings in an OpenStreetMap extract, the engine analyses
//! it in the background with its progress recorded, and the results are kept, each analysis
//! beside the ones before. Visitors see the analyses a coordinator published; members see
//! them all.

use kopa_domain::audit::SystemActor;
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kopa_domain::map::{Backdrop, PlaceName, PlaceSize, Street, StreetClass, Water, WaterShape};
use kopa_domain::street_network::{AnalysisFigures, AnalysisParameters, NetworkSource, ScorePart, StreetAnalysis};
use kopa_domain::{Action, Invalid};
use kopa_mobility::osm::{Completeness, Format, OsmData};
use kopa_mobility::pipeline::{self, AreaChoice, Outcome, Request, Step, Watch};
use kopa_mobility::report::Results;
use kopa_mobility::stress::Profile;
use kopa_store::{Actor, AnalysisFile, NewStreetAnalysis, Turns};

use crate::osm_sources::{Download, OsmSources};
use crate::{App, Caller, Refusal};

/// The largest extract taken: a whole country's is larger, a municipality's far smaller.
pub const MAX_NETWORK_BYTES: usize = 128 * 1024 * 1024;

/// One analysis at a time: each holds its extract and graph in memory. Others wait queued.
static ANALYSING: Turns = Turns::new(1, Duration::from_secs(6 * 60 * 60));

/// Downloads at once: each holds up to [`MAX_NETWORK_BYTES`] in memory.
static DOWNLOADING: Turns = Turns::new(2, Duration::from_secs(6 * 60 * 60));

/// How often a running analysis records how far it got.
const PROGRESS_EVERY: Duration = Duration::from_millis(500);

/// The outputs anyone who may see an analysis may download.
pub const DOWNLOADS: &[&str] = &[
    "segments.geojson",
    "segments.csv",
    "zones.geojson",
    "zones.csv",
    "islands.geojson",
    "islands.csv",
    "crossings.geojson",
    "crossings.csv",
    "destinations.geojson",
    "destinations.csv",
    "candidates.geojson",
    "candidates.csv",
    "scores.csv",
    "summary.json",
];

/// The file the pages read an analysis from.
const RESULTS_FILE: &str = "results.json";

/// The extract an analysis was made from, kept to rebuild its network for scenarios.
pub(crate) const SOURCE_FILE: &str = "source";

/// An extract to analyse, as sent, with the choices made for it.
pub struct NetworkUpload {
    pub file_name: String,
    pub bytes: Vec<u8>,
    /// The boundary to clip to, by name as the extract spells it; empty for the whole extract.
    pub area: String,
    /// The municipality's population; empty to estimate it from the homes.
    pub population: String,
    /// The country profile by name; empty for the default, Latvia's.
    pub profile: String,
}

/// A network to download by name, with the same choices as an upload, as a form sends it.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct NetworkFetch {
    /// `overpass` for an administrative area by name, `geofabrik` for a region's file.
    pub source: String,
    /// The area's name as OpenStreetMap spells it, or the region's path ("europe/latvia").
    pub name: String,
    pub area: String,
    pub population: String,
    pub profile: String,
}

/// Where an analysis's extract is: sent with it, or still to download.
enum Extract {
    Sent { file_name: String, bytes: Vec<u8> },
    ToDownload { download: Download, sources: OsmSources },
}

/// An analysis queued, with the work that runs it. Pages spawn it; the command line waits
/// for it.
pub struct AnalysisWork {
    app: App,
    actor: Actor,
    analysis: StreetAnalysis,
    extract: Extract,
    request: Request,
}

impl App {
    /// Queues an analysis of an extract. The file's kind is checked from its first bytes; the
    /// rest is read when the analysis runs.
    pub async fn import_street_network(
        &self,
        caller: &Caller,
        upload: NetworkUpload,
        source: NetworkSource,
    ) -> Result<(StreetAnalysis, AnalysisWork), Refusal> {
        caller.require(Action::AnalyseStreetNetwork)?;
        let mut invalid = Invalid::new();
        let file_name = upload.file_name.trim().to_owned();
        if upload.bytes.is_empty() {
            invalid.add("file", "error-network-empty");
        } else if upload.bytes.len() > MAX_NETWORK_BYTES {
            invalid.add("file", "error-network-too-large");
        } else if Format::detect(Path::new(&file_name), &upload.bytes[..upload.bytes.len().min(64)]).is_none() {
            invalid.add("file", "error-network-format");
        }
        let choices = choices(&mut invalid, &upload.area, &upload.population, &upload.profile);
        invalid.into_result()?;
        let name = if file_name.is_empty() { "extract" } else { &file_name };
        let extract = Extract::Sent {
            file_name: name.to_owned(),
            bytes: upload.bytes,
        };
        self.queue_analysis(caller, source, name, extract, choices).await
    }

    /// Queues an analysis of a network downloaded by name: an administrative area from the
    /// Overpass API, or a region's file from Geofabrik, clipped to `area` if named. Offered
    /// when the server was given the sources to reach.
    pub async fn fetch_street_network(
        &self,
        caller: &Caller,
        fetch: NetworkFetch,
    ) -> Result<(StreetAnalysis, AnalysisWork), Refusal> {
        caller.require(Action::AnalyseStreetNetwork)?;
        let sources = self
            .osm_sources()
            .cloned()
            .ok_or(Refusal::Refused("error-network-no-downloads"))?;
        let mut invalid = Invalid::new();
        let name = fetch.name.trim();
        let download = match fetch.source.as_str() {
            "overpass" => (!name.is_empty())
                .then(|| Download::Overpass { area: name.to_owned() })
                .ok_or(("name", "error-network-name-overpass")),
            "geofabrik" => Download::geofabrik(name).ok_or(("name", "error-network-name-geofabrik")),
            _ => Err(("source", "error-network-source")),
        };
        let download = download.map_err(|(field, key)| invalid.add(field, key)).ok();
        invalid.optional_text("name", name, 200);
        let choices = choices(&mut invalid, &fetch.area, &fetch.population, &fetch.profile);
        invalid.into_result()?;
        let download = download.ok_or_else(|| Invalid::single("name", "error-network-source"))?;
        let source = match &download {
            Download::Overpass { .. } => NetworkSource::Overpass,
            Download::Geofabrik { .. } => NetworkSource::Geofabrik,
        };
        let file_name = download.file_name();
        let extract = Extract::ToDownload { download, sources };
        self.queue_analysis(caller, source, &file_name, extract, choices).await
    }

    /// Queues an analysis with the choices made for it, unless one is already under way.
    async fn queue_analysis(
        &self,
        caller: &Caller,
        source: NetworkSource,
        name: &str,
        extract: Extract,
        (parameters, profile): (AnalysisParameters, Profile),
    ) -> Result<(StreetAnalysis, AnalysisWork), Refusal> {
        let workspace = caller.workspace_id();
        if self
            .store
            .street_analyses(workspace)
            .await?
            .iter()
            .any(StreetAnalysis::is_pending)
        {
            return Err(Refusal::Refused("error-analysis-pending"));
        }
        let actor = caller.actor();
        let source_bytes = match &extract {
            Extract::Sent { bytes, .. } => bytes.len() as i64,
            Extract::ToDownload { .. } => 0,
        };
        let new = NewStreetAnalysis {
            source,
            source_name: name,
            source_bytes,
            parameters: &parameters,
        };
        let analysis = self.store.queue_street_analysis(&actor, workspace, &new).await?;
        let work = AnalysisWork {
            app: self.clone(),
            actor,
            analysis: analysis.clone(),
            extract,
            request: request_for(name, &parameters, profile),
        };
        Ok((analysis, work))
    }

    /// The workspace's analyses the caller may see, newest first.
    pub async fn street_analyses(&self, caller: &Caller) -> Result<Vec<StreetAnalysis>, Refusal> {
        caller.require(Action::ViewPublished)?;
        let mut all = self.store.street_analyses(caller.workspace_id()).await?;
        all.retain(|a| may_see(caller, a));
        Ok(all)
    }

    /// One analysis the caller may see.
    pub async fn street_analysis(&self, caller: &Caller, id: i64) -> Result<StreetAnalysis, Refusal> {
        caller.require(Action::ViewPublished)?;
        let analysis = self.store.street_analysis(caller.workspace_id(), id).await?;
        analysis.filter(|a| may_see(caller, a)).ok_or(Refusal::NotFound)
    }

    /// What a finished analysis, read by [`App::street_analysis`] or [`App::street_analyses`],
    /// found: read once and kept, since analyses never change.
    pub async fn street_results(&self, caller: &Caller, analysis: &StreetAnalysis) -> Result<Arc<Results>, Refusal> {
        caller.require(Action::ViewPublished)?;
        if !may_see(caller, analysis) || !analysis.is_done() {
            return Err(Refusal::NotFound);
        }
        let (workspace, id) = (analysis.workspace_id, analysis.id);
        self.street_results
            .get(workspace, id, || async move {
                let (_, gzip) = self
                    .store
                    .street_analysis_file(workspace, id, RESULTS_FILE)
                    .await?
                    .ok_or(Refusal::NotFound)?;
                let read = tokio::task::spawn_blocking(move || {
                    let bytes = gunzip(&gzip).ok()?;
                    serde_json::from_slice::<Results>(&bytes).ok()
                })
                .await
                .ok()
                .flatten();
                // A stored results file Kopa cannot read is an error that names it.
                read.ok_or_else(|| {
                    Refusal::Store(kopa_store::StoreError::UnreadableValue {
                        table: "street_analysis_files",
                        row: format!("{id}/{RESULTS_FILE}"),
                        column: "gzip",
                        value: "(not a results file)".to_owned(),
                    })
                })
            })
            .await
    }

    /// One output of an analysis the caller may see, compressed with gzip.
    pub async fn street_file(&self, caller: &Caller, id: i64, name: &str) -> Result<Vec<u8>, Refusal> {
        if !DOWNLOADS.contains(&name) {
            return Err(Refusal::NotFound);
        }
        let analysis = self.street_analysis(caller, id).await?;
        let file = self.store.street_analysis_file(analysis.workspace_id, id, name).await?;
        Ok(file.ok_or(Refusal::NotFound)?.1)
    }

    /// Shows a finished analysis to visitors, or stops showing it.
    pub async fn publish_street_analysis(
        &self,
        caller: &Caller,
        id: i64,
        published: bool,
    ) -> Result<StreetAnalysis, Refusal> {
        caller.require(Action::AnalyseStreetNetwork)?;
        Ok(self
            .store
            .publish_street_analysis(&caller.actor(), caller.workspace_id(), id, published)
            .await?)
    }

    /// Fails the analyses a stopped server left unfinished: their uploads went with it. Run
    /// when a server starts.
    pub async fn fail_interrupted_street_analyses(&self) -> Result<usize, Refusal> {
        let unfinished = self.store.unfinished_street_analyses().await?;
        for (workspace, id) in &unfinished {
            let reason = "the server stopped before the analysis finished; import the network again";
            self.store
                .fail_street_analysis(&Actor::system(SystemActor::AnalysisRestart), *workspace, *id, reason)
                .await?;
        }
        Ok(unfinished.len())
    }
}

/// The choices made for an analysis, as typed: the boundary, the population, the profile.
/// What is wrong is added to `invalid`; the parameters are then not to be used.
fn choices(invalid: &mut Invalid, area: &str, population: &str, profile: &str) -> (AnalysisParameters, Profile) {
    let area = area.trim();
    invalid.optional_text("area", area, 200);
    let population = match population.trim() {
        "" => None,
        text => match text.replace(' ', "").parse::<f64>() {
            Ok(people) if people.is_finite() && people >= 1.0 => Some(people),
            _ => {
                invalid.add("population", "error-population");
                None
            }
        },
    };
    let profile = match profile.trim() {
        "" => Some(Profile::latvia()),
        name => Profile::named(name),
    };
    if profile.is_none() {
        invalid.add("profile", "error-network-profile");
    }
    let profile = profile.unwrap_or_else(Profile::latvia);
    let parameters = AnalysisParameters {
        area: (!area.is_empty()).then(|| area.to_owned()),
        profile: profile.name.clone(),
        population,
    };
    (parameters, profile)
}

/// Visitors see the analyses a coordinator published; members see them all.
fn may_see(caller: &Caller, analysis: &StreetAnalysis) -> bool {
    analysis.workspace_id == caller.workspace_id() && (analysis.published || caller.may(Action::ViewStreetAnalyses))
}

/// What the engine is asked, for an extract with the choices made for it.
pub(crate) fn request_for(source: &str, parameters: &AnalysisParameters, profile: Profile) -> Request {
    Request {
        source: source.to_owned(),
        area: parameters.area.clone().map(AreaChoice::Named),
        profile,
        population: parameters.population,
        places: None,
    }
}

/// What a running analysis has reached, shared between the engine's thread and the task
/// that records it.
#[derive(Default, Clone, PartialEq)]
struct Reached {
    step: Option<&'static str>,
    zones_done: i64,
    zones_total: Option<i64>,
}

struct Recorder(Mutex<Reached>);

impl Recorder {
    fn reached(&self) -> Reached {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// A download's progress, in kilobytes.
    fn downloaded(&self, got: u64, total: Option<u64>) {
        let mut reached = self.0.lock().unwrap_or_else(|e| e.into_inner());
        reached.step = Some("downloading");
        reached.zones_done = (got / 1024) as i64;
        reached.zones_total = total.map(|t| (t / 1024) as i64);
    }
}

impl Watch for Recorder {
    fn started(&self, step: Step, total: Option<usize>) {
        let mut reached = self.0.lock().unwrap_or_else(|e| e.into_inner());
        reached.step = Some(step.code());
        // Zones are counted while searching, then candidates while ranking.
        if let Some(total) = total {
            reached.zones_total = Some(total as i64);
            reached.zones_done = 0;
        }
    }

    fn advanced(&self) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).zones_done += 1;
    }
}

/// What the engine's thread hands back.
struct Finished {
    figures: AnalysisFigures,
    files: Vec<AnalysisFile>,
    as_of: Option<chrono::DateTime<chrono::Utc>>,
    backdrop: Option<Backdrop>,
}

impl AnalysisWork {
    /// The analysis as queued.
    pub fn analysis(&self) -> &StreetAnalysis {
        &self.analysis
    }

    /// Runs in the background, on its own.
    pub fn spawn(self) {
        tokio::spawn(self.run());
    }

    /// Runs the analysis in its turn and stores what it found, or why it failed.
    pub async fn run(self) -> Result<StreetAnalysis, Refusal> {
        let AnalysisWork {
            app,
            actor,
            analysis,
            extract,
            request,
        } = self;
        let (workspace, id) = (analysis.workspace_id, analysis.id);
        let recorder = Arc::new(Recorder(Mutex::default()));
        let (file_name, bytes) = match extract {
            Extract::Sent { file_name, bytes } => (file_name, bytes),
            Extract::ToDownload { download, sources } => {
                let watched = recorder.clone();
                let file_name = download.file_name();
                let work = DOWNLOADING.run("error-analysis-crashed", move || {
                    download.fetch(&sources, MAX_NETWORK_BYTES, &|got, total| {
                        watched.downloaded(got, total)
                    })
                });
                let downloaded = recorded_while(&app, id, &recorder, work).await?;
                (
                    file_name,
                    failed_unless_done(&app, &actor, &analysis, downloaded).await?,
                )
            }
        };
        let watched = recorder.clone();
        let work = ANALYSING.run("error-analysis-crashed", move || {
            analyse(&file_name, &bytes, request, &*watched)
        });
        let analysed = recorded_while(&app, id, &recorder, work).await?;
        let finished = failed_unless_done(&app, &actor, &analysis, analysed).await?;
        let done = app
            .store
            .finish_street_analysis(
                &actor,
                workspace,
                id,
                &finished.figures,
                finished.as_of,
                &finished.files,
            )
            .await?;
        if let Some(backdrop) = &finished.backdrop {
            app.store.set_backdrop(&actor, workspace, backdrop).await?;
        }
        Ok(done)
    }
}

/// What a step of an analysis gave, or the analysis marked failed with why: the step's own
/// reason, or the turn it could not get or that crashed.
async fn failed_unless_done<T>(
    app: &App,
    actor: &Actor,
    analysis: &StreetAnalysis,
    outcome: kopa_store::Result<Result<T, String>>,
) -> Result<T, Refusal> {
    let (workspace, id) = (analysis.workspace_id, analysis.id);
    match outcome {
        Ok(Ok(done)) => Ok(done),
        Ok(Err(reason)) => {
            app.store.fail_street_analysis(actor, workspace, id, &reason).await?;
            Err(Refusal::Refused("error-analysis-failed"))
        }
        Err(error) => {
            app.store
                .fail_street_analysis(actor, workspace, id, &error.to_string())
                .await?;
            Err(error.into())
        }
    }
}

/// Waits for `work`, recording how far it got as it goes.
async fn recorded_while<T>(
    app: &App,
    id: i64,
    recorder: &Recorder,
    work: impl std::future::Future<Output = T>,
) -> Result<T, Refusal> {
    tokio::pin!(work);
    let mut recorded = Reached::default();
    let mut ticks = tokio::time::interval(PROGRESS_EVERY);
    loop {
        tokio::select! {
            outcome = &mut work => return Ok(outcome),
            _ = ticks.tick() => {
                let reached = recorder.reached();
                if reached != recorded && let Some(step) = reached.step {
                    app.store.street_analysis_progress(id, step, reached.zones_done, reached.zones_total).await?;
                    recorded = reached;
                }
            }
        }
    }
}

/// Reads the extract, runs the engine, and compresses what it wrote. The error says what
/// was wrong, for people to read.
fn analyse(file_name: &str, bytes: &[u8], request: Request, watch: &dyn Watch) -> Result<Finished, String> {
    let osm = OsmData::from_bytes(Path::new(file_name), bytes, Completeness::CutAtEdge).map_err(|e| e.to_string())?;
    let outcome = pipeline::run(osm, request, watch).map_err(|e| e.to_string())?;
    let figures = figures(&outcome);
    let backdrop = backdrop(&outcome);
    let mut files = Vec::with_capacity(outcome.outputs.len() + 1);
    let kept = outcome.outputs.iter().map(|o| (o.name, o.bytes.as_slice()));
    for (name, bytes) in kept.chain([(SOURCE_FILE, bytes)]) {
        files.push(AnalysisFile {
            name: name.to_owned(),
            bytes: bytes.len() as i64,
            gzip: gzip(bytes).map_err(|e| e.to_string())?,
        });
    }
    Ok(Finished {
        figures,
        files,
        as_of: outcome.as_of,
        backdrop,
    })
}

fn figures(outcome: &Outcome) -> AnalysisFigures {
    let summary = &outcome.summary;
    let score = &summary.connectivity;
    let warnings = &summary.warnings;
    AnalysisFigures {
        score: score.score,
        parts: score
            .categories
            .iter()
            .map(|part| ScorePart {
                name: part.name.clone(),
                weight: part.weight,
                score: part.score,
            })
            .collect(),
        people: score.people,
        network_km: summary.network.network_km,
        low_stress_share: summary.network.bna_low_stress_share,
        islands: summary.network.low_stress_islands,
        segments: summary.network.segments,
        people_source: outcome.people_source.to_owned(),
        warnings: warnings.streets_cut_at_edge + warnings.duplicate_nodes + warnings.unreadable_tags.len(),
    }
}

/// The analysed streets as the workspace's base map, inside the area when one was chosen.
fn backdrop(outcome: &Outcome) -> Option<Backdrop> {
    let results = &outcome.results;
    let streets = results
        .segments
        .iter()
        .zip(&results.lines)
        .filter_map(|(segment, line)| {
            Some(Street {
                class: StreetClass::of_highway(segment.highway.as_deref()?)?,
                name: segment.name.clone(),
                points: line.clone(),
            })
        })
        .collect();
    let outline = outcome.area.as_ref().map(|a| a.outer_rings()).unwrap_or_default();
    Backdrop::new(outline, streets, kopa_mobility::ATTRIBUTION).map(|backdrop| {
        let osm = &outcome.network.osm;
        backdrop.with_places(place_names(osm)).with_water(water(osm))
    })
}

/// The extract's rivers, canals and lakes drawn as single ways, for a base map to show.
/// Lakes outlined by several ways (multipolygons) are left out: clipped to an area, their
/// rings seldom close.
pub fn water(osm: &OsmData) -> Vec<Water> {
    osm.ways
        .iter()
        .filter_map(|way| {
            let points = osm.positions(&way.nodes);
            let closed = points.len() >= 4 && points.first() == points.last();
            Some(Water {
                shape: WaterShape::of_way(way.tags.get("natural"), way.tags.get("waterway"), closed)?,
                name: way.tags.get("name").map(str::to_owned),
                points,
            })
        })
        .collect()
}

/// The extract's named towns, villages and neighbourhoods, for a base map to label.
pub fn place_names(osm: &OsmData) -> Vec<PlaceName> {
    osm.node_tags
        .iter()
        .filter_map(|(node, tags)| {
            Some(PlaceName {
                name: tags.get("name")?.to_owned(),
                at: osm.coord(*node).map(|c| [c.lon, c.lat])?,
                size: PlaceSize::of_place(tags.get("place")?)?,
            })
        })
        .collect()
}

/// Bytes compressed as files are stored and sent.
pub fn gzip(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes)?;
    encoder.finish()
}

/// The bytes of a stored file.
pub fn gunzip(gzip: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(gzip), &mut bytes)?;
    Ok(bytes)
}

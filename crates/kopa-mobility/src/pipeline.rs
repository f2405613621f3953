//! The whole analysis of one extract, step by step: clip it to the area, classify every
//! street, place people and destinations, search the low-stress routes, and write the
//! outputs. The CLI and the platform both run it, and watch it as it goes.

use crate::analysis::Analysis;
use crate::candidates::{proposals, rank_proposals};
use crate::osm::{Area, AreaError, OsmData};
use crate::population::{Weighted, place_people, zones};
use crate::report::{FullSummary, Output, Report, Results};
use crate::scenario::Network;
use crate::score::{Placement, connectivity_placed};
use crate::stress::Profile;

/// Where to clip the extract: a boundary to find in it, or polygons already read.
#[derive(Debug, Clone)]
pub enum AreaChoice {
    Named(String),
    Drawn(Area),
}

/// What to analyse the extract with.
#[derive(Debug, Clone)]
pub struct Request {
    /// The extract's file name, as the outputs name their source.
    pub source: String,
    pub area: Option<AreaChoice>,
    pub profile: Profile,
    /// The total to scale the people to.
    pub population: Option<f64>,
    /// Where people live, when given instead of the homes in the extract.
    pub places: Option<Vec<Weighted>>,
}

/// The steps of an analysis, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Clipping,
    Classifying,
    Placing,
    /// Searching the low-stress routes from each zone: the long step, counted zone by zone.
    Searching,
    /// Evaluating every candidate place to act, counted candidate by candidate.
    Ranking,
    Writing,
}

impl Step {
    /// Its name, as progress is stored and shown.
    pub fn code(self) -> &'static str {
        match self {
            Step::Clipping => "clipping",
            Step::Classifying => "classifying",
            Step::Placing => "placing",
            Step::Searching => "searching",
            Step::Ranking => "ranking",
            Step::Writing => "writing",
        }
    }
}

/// Who follows an analysis as it runs. `finished` says what a step found, for people to read.
pub trait Watch: Sync {
    fn started(&self, _step: Step, _total: Option<usize>) {}
    /// One more zone searched, or candidate evaluated.
    fn advanced(&self) {}
    fn finished(&self, _step: Step, _what: String) {}
}

/// Follows nothing.
pub struct Unwatched;
impl Watch for Unwatched {}

/// What one analysis produced.
pub struct Outcome {
    pub summary: FullSummary,
    /// What the platform loads to show it.
    pub results: Results,
    /// Every file, as `kopa network analyse` writes them.
    pub outputs: Vec<Output>,
    /// The area it was clipped to.
    pub area: Option<Area>,
    /// Where the people came from, e.g. "estimated from the homes' floor area".
    pub people_source: &'static str,
    pub as_of: Option<chrono::DateTime<chrono::Utc>>,
    /// The analysed network, kept to try scenarios on.
    pub network: Network,
}

#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Area(#[from] AreaError),
    #[error("writing the outputs: {0}")]
    Output(#[from] std::io::Error),
}

/// Keeps only what lies inside the area chosen, and returns that area.
pub fn clip(osm: &mut OsmData, choice: AreaChoice) -> Result<Area, AreaError> {
    let area = match choice {
        AreaChoice::Named(name) => Area::by_name(osm, &name)?,
        AreaChoice::Drawn(area) => area,
    };
    osm.clip(&area)?;
    Ok(area)
}

/// An analysed network before its places to act are ranked and its outputs written.
pub struct Prepared {
    pub network: Network,
    pub area: Option<Area>,
    pub people_source: &'static str,
}

/// Runs the whole analysis of `osm`.
pub fn run(osm: OsmData, request: Request, watch: &dyn Watch) -> Result<Outcome, PipelineError> {
    let source = request.source.clone();
    let Prepared {
        network,
        area,
        people_source,
    } = prepare(osm, request, watch)?;
    let as_of = network.osm.as_of;
    let proposals = proposals(&network);
    watch.started(Step::Ranking, Some(proposals.len()));
    let candidates = rank_proposals(&network, proposals, &|| watch.advanced());
    watch.finished(
        Step::Ranking,
        format!("Ranked {} places to act by what each would change", candidates.len()),
    );

    watch.started(Step::Writing, None);
    let report = Report {
        source,
        network: &network,
        candidates: &candidates,
    };
    let results = report.results();
    let outcome = Outcome {
        summary: results.summary.clone(),
        outputs: report.outputs(&results)?,
        results,
        area,
        people_source,
        as_of,
        network,
    };
    watch.finished(Step::Writing, format!("Wrote {} files", outcome.outputs.len()));
    Ok(outcome)
}

/// The analysis up to the network's own score: clipped, classified, people and destinations
/// placed and the low-stress routes searched. Scenarios are tried on what it returns.
pub fn prepare(mut osm: OsmData, request: Request, watch: &dyn Watch) -> Result<Prepared, PipelineError> {
    let Request {
        source: _,
        area,
        profile,
        population,
        places,
    } = request;
    let mut clipped_to = None;
    if let Some(choice) = area {
        watch.started(Step::Clipping, None);
        let area = clip(&mut osm, choice)?;
        watch.finished(
            Step::Clipping,
            format!(
                "Kept {} nodes and {} ways inside {}",
                osm.coords.len(),
                osm.ways.len(),
                area.name
            ),
        );
        clipped_to = Some(area);
    }

    watch.started(Step::Classifying, None);
    let analysis = Analysis::run(&osm, &profile);
    watch.finished(
        Step::Classifying,
        format!(
            "Classified {} segments and {} crossings with the {} profile",
            analysis.graph.segments.len(),
            analysis.crossings.iter().flatten().count(),
            profile.name
        ),
    );

    watch.started(Step::Placing, None);
    let places = places.map(|mut places| {
        if let Some(area) = &clipped_to {
            places.retain(|p| area.contains(p.at));
        }
        places
    });
    let people = place_people(&osm, &analysis.graph, &profile.population, places, population);
    let total = people.total;
    let zones = zones(&people.places, total, profile.connectivity.zone_size_m);
    let destinations = crate::destinations::find(&osm, &profile.destinations);
    watch.finished(
        Step::Placing,
        format!(
            "Placed {total:.0} people ({}) at {} places in {} zones; found {} destinations",
            people.source,
            people.places.len(),
            zones.len(),
            destinations.len()
        ),
    );

    watch.started(Step::Searching, Some(zones.len()));
    let placement = Placement::new(&analysis, &zones, &destinations, profile.connectivity.snap_m);
    let result = connectivity_placed(
        &analysis,
        &placement,
        &zones,
        &destinations,
        &profile.destinations,
        &profile.connectivity,
        &|| watch.advanced(),
    );
    watch.finished(
        Step::Searching,
        format!("Searched the low-stress routes from {} zones", zones.len()),
    );

    let network = Network::new(osm, profile, analysis, zones, destinations, placement, result);
    Ok(Prepared {
        network,
        area: clipped_to,
        people_source: people.source,
    })
}

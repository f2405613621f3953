//! The scenario page: a member chooses places to act and sees at once what building them
//! together would change: the score before and after, the people and destinations newly
//! connected, and the segments that became low stress, on the stress map.

use askama::Template;
use axum::extract::{Path, RawQuery};
use axum::response::Response;
use kopa_app::Refusal;
use kopa_domain::Action;
use kopa_domain::street_network::StreetAnalysis;
use kopa_mobility::candidates::Candidate;
use kopa_mobility::scenario::{Edit, Effect};
use kopa_report::{Arg, Words};

use super::street_network::{NetworkView, Shown, shown};
use super::where_to_act::PlaceWords;
use super::{Chrome, FormState, render, render_refused};
use crate::context::{Scope, parse_id};
use crate::error::WebError;

/// How many of the best places the page offers to choose from.
const OFFERED: usize = 40;

#[derive(Template)]
#[template(path = "scenario.html")]
pub struct ScenarioPage {
    page: Chrome,
    shown: Shown,
    /// The places offered, by rank, with whether each is chosen.
    offered: Vec<(usize, bool)>,
    /// What the chosen places would change together.
    effect: Option<Effect>,
    /// Path data of the segments the scenario makes low stress, on the stress map.
    changed: String,
    /// The chosen places that are points (crossings, mobility points), on the stress map.
    points: Vec<(f64, f64)>,
    form: FormState,
}

impl ScenarioPage {
    fn analysis(&self) -> &StreetAnalysis {
        &self.shown.analysis
    }

    fn candidate(&self, rank: &usize) -> &Candidate {
        &self.shown.results.candidates[rank - 1]
    }

    fn score(&self, value: &Option<f64>) -> String {
        value.map_or_else(|| self.page.t("streets-no-score"), |s| format!("{s:.1}"))
    }

    fn gain(&self, effect: &Effect) -> String {
        format!("{:+.1}", effect.gain())
    }

    fn now_low_stress(&self, effect: &Effect) -> usize {
        effect.changed_segments.iter().filter(|(_, low)| *low).count()
    }

    /// "Searched 12 of 340 zones again": what evaluating only near the edits saved.
    fn searched(&self, effect: &Effect) -> String {
        let zones = self.shown.results.zones.len();
        self.page.message(
            "scenario-searched",
            &[("searched", Arg::of(effect.zones_searched)), ("zones", Arg::of(zones))],
        )
    }
}

/// The ranks chosen, from `place=3&place=7`: each place once, in rank order.
fn chosen(query: Option<&str>, places: usize) -> Result<Vec<usize>, WebError> {
    let mut ranks = Vec::new();
    for (key, value) in url::form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        if key == "place" {
            let rank: usize = value
                .trim()
                .parse()
                .map_err(|_| WebError::BadRequest("error-scenario-place"))?;
            if rank == 0 || rank > places {
                return Err(WebError::BadRequest("error-scenario-place"));
            }
            ranks.push(rank);
        }
    }
    ranks.sort_unstable();
    ranks.dedup();
    Ok(ranks)
}

/// The scenario of the places chosen, evaluated as the page is asked for.
pub async fn show(
    scope: Scope,
    Path((_, id)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> Result<Response, WebError> {
    scope.require(Action::ViewStreetAnalyses)?;
    let id = parse_id(&id)?;
    let (app, caller) = (scope.app(), scope.caller());
    let analysis = app.street_analysis(&caller, id).await?;
    let shown = shown(&scope, analysis).await?;
    let candidates = &shown.results.candidates;
    let ranks = chosen(query.as_deref(), candidates.len())?;
    let mut offered: Vec<(usize, bool)> = (1..=candidates.len().min(OFFERED)).map(|r| (r, false)).collect();
    for rank in &ranks {
        match offered.iter_mut().find(|(r, _)| r == rank) {
            Some(place) => place.1 = true,
            None => offered.push((*rank, true)),
        }
    }
    let edits: Vec<Edit> = ranks.iter().map(|r| candidates[r - 1].edit.clone()).collect();
    let projection = NetworkView::projection(&shown.results);
    let points = ranks
        .iter()
        .map(|r| &candidates[r - 1])
        .filter(|c| matches!(c.edit, Edit::Crossing { .. } | Edit::MobilityPoint { .. }))
        .map(|c| projection.project([c.at.lon, c.at.lat]))
        .collect();
    let (mut effect, mut form) = (None, FormState::default());
    if !edits.is_empty() {
        match app.try_scenario(&caller, &shown.analysis, edits).await {
            Ok(tried) => effect = Some(tried),
            Err(refused @ (Refusal::Invalid(_) | Refusal::Refused(_) | Refusal::SlowDown { .. })) => {
                form = FormState::new(Default::default(), super::form_refusal(refused)?);
            }
            Err(other) => return Err(other.into()),
        }
    }
    let changed = effect
        .iter()
        .flat_map(|e| &e.changed_segments)
        .filter(|(_, low)| *low)
        .filter_map(|(segment, _)| shown.results.lines.get(*segment as usize))
        .map(|line| projection.path(line, false))
        .collect();
    let page = ScenarioPage {
        page: Chrome::for_scope_titled(&scope, "nav-network", scope.t("scenario-title")),
        shown,
        offered,
        effect,
        changed,
        points,
        form,
    };
    if page.form.has_errors() {
        render_refused(page)
    } else {
        render(page)
    }
}

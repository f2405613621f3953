//! Where to act: every place an analysis ranked by what changing it would connect, one
//! place with its map and the properties next to it, and the invitation that makes one of them
//! a partner in a draft initiative.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Response;
use kopa_app::where_to_act::proposal;
use kopa_app::{Known, PlaceToAct};
use kopa_domain::street_network::StreetAnalysis;
use kopa_domain::{Action, Invalid};
use kopa_mobility::candidates::{Candidate, CandidateKind};
use kopa_mobility::scenario::Edit;
use kopa_report::Words;
use serde::Deserialize;

use super::street_network::AroundMap;
use super::{Chrome, FormState, PageQuery, Pages, render, render_refused, see_other};
use crate::context::{Form, Scope, parse_id};
use crate::error::WebError;

/// The kinds of place, in the order the filter offers them.
const KINDS: [CandidateKind; 4] = [
    CandidateKind::Crossing,
    CandidateKind::Gap,
    CandidateKind::SpeedLimit,
    CandidateKind::MobilityPoint,
];

/// Words for places to act, shared by the pages that show them.
pub trait PlaceWords: Words {
    fn kind_name(&self, kind: &CandidateKind) -> String {
        self.t(&format!("act-kind-{}", kind.code()))
    }

    fn proposal(&self, candidate: &Candidate) -> String
    where
        Self: Sized,
    {
        proposal(self, candidate)
    }

    fn gain(&self, candidate: &Candidate) -> String {
        self.t1("act-gain-points", "gain", format!("{:.1}", candidate.score_gain))
    }
}

impl PlaceWords for Chrome {}

#[derive(Template)]
#[template(path = "where_to_act.html")]
pub struct ListPage {
    page: Chrome,
    analysis: StreetAnalysis,
    places: Vec<PlaceToAct>,
    pages: Pages,
    /// The kind shown, or every kind.
    kind: Option<CandidateKind>,
    /// How many places there are of each kind, in [`KINDS`] order.
    counts: Vec<(CandidateKind, usize)>,
    total: usize,
}

impl ListPage {
    fn base(&self) -> String {
        format!("/w/{}/network/analyses/{}/act", self.page.slug(), self.analysis.id)
    }

    fn is_shown(&self, kind: &CandidateKind) -> bool {
        self.kind == Some(*kind)
    }

    /// The places shown, with their index among all places.
    fn rows(&self) -> impl Iterator<Item = (usize, &Candidate)> {
        self.places.iter().map(|p| (p.rank - 1, &p.candidate))
    }
}

#[derive(Deserialize, Default)]
pub struct KindQuery {
    #[serde(default)]
    kind: String,
}

fn kind_of(code: &str) -> Option<CandidateKind> {
    KINDS.into_iter().find(|k| k.code() == code)
}

type AnalysisPath = Path<(String, String)>;
type PlacePath = Path<(String, String, String)>;

/// Every place to act, best first, of one kind or all.
pub async fn list(
    scope: Scope,
    Path((_, id)): AnalysisPath,
    Query(query): Query<PageQuery>,
    Query(kind): Query<KindQuery>,
) -> Result<Response, WebError> {
    scope.require(Action::ViewPublished)?;
    let id = parse_id(&id)?;
    let (app, caller) = (scope.app(), scope.caller());
    let analysis = app.street_analysis(&caller, id).await?;
    let all = app.places_to_act(&caller, &analysis).await?;
    let kind = kind_of(&kind.kind);
    let counts = KINDS
        .into_iter()
        .map(|k| (k, all.iter().filter(|p| p.candidate.kind == k).count()))
        .collect();
    let total = all.len();
    let chosen: Vec<PlaceToAct> = all
        .into_iter()
        .filter(|p| kind.is_none_or(|k| p.candidate.kind == k))
        .collect();
    let base = format!("/w/{}/network/analyses/{id}/act", scope.workspace.slug);
    let kind_part = kind.map(|k| format!("kind={}&", k.code())).unwrap_or_default();
    let (shown, pages) = Pages::of(&scope, "streets-showing", &query, &chosen, |n| {
        format!("{base}?{kind_part}page={n}")
    });
    render(ListPage {
        page: Chrome::for_scope_titled(&scope, "nav-network", scope.t("act-title")),
        places: shown.to_vec(),
        analysis,
        pages,
        kind,
        counts,
        total,
    })
}

#[derive(Template)]
#[template(path = "place_to_act.html")]
pub struct PlacePage {
    page: Chrome,
    analysis: StreetAnalysis,
    place: PlaceToAct,
    map: AroundMap,
    form: FormState,
}

impl PlacePage {
    fn known(&self, index: &usize) -> &Known {
        &self.place.neighbours[*index]
    }

    fn organisation_href(&self, known: &Known) -> Option<(String, String)> {
        match known {
            Known::Organisation {
                organisation,
                partner_id: Some(partner),
            } => Some((
                format!("/w/{}/cooperation/partners/{partner}", self.page.slug()),
                organisation.name.clone(),
            )),
            Known::Organisation { organisation, .. } => Some((
                format!("/w/{}/group#organisations", self.page.slug()),
                organisation.name.clone(),
            )),
            _ => None,
        }
    }

    fn known_label(&self, known: &Known) -> String {
        self.page.t(match known {
            Known::New => "act-known-new",
            Known::Several => "act-known-several",
            Known::Organisation {
                partner_id: Some(_), ..
            } => "act-known-partner",
            Known::Organisation { .. } => "act-known-organisation",
        })
    }

    /// Whether the caller may invite this neighbour from here.
    fn may_invite(&self, known: &Known) -> bool {
        self.place.takes_partners()
            && self.page.may(Action::ManageInitiatives)
            && match known {
                Known::New => self.page.may(Action::ManageGroup),
                Known::Several => false,
                Known::Organisation { .. } => true,
            }
    }
}

/// One place to act: what it would change, on a map, with the properties next to it.
pub async fn place(scope: Scope, Path((_, id, rank)): PlacePath) -> Result<Response, WebError> {
    scope.require(Action::ViewPublished)?;
    render(place_page(&scope, &id, &rank, FormState::default()).await?)
}

async fn place_page(scope: &Scope, id: &str, rank: &str, form: FormState) -> Result<PlacePage, WebError> {
    let (id, rank) = (parse_id(id)?, parse_id(rank)?);
    let rank = usize::try_from(rank).map_err(|_| WebError::NotFound)?;
    let (app, caller) = (scope.app(), scope.caller());
    let analysis = app.street_analysis(&caller, id).await?;
    let results = app.street_results(&caller, &analysis).await?;
    let place = app.place_to_act(&caller, &analysis, rank).await?;
    let candidate = &place.candidate;
    let at = [candidate.at.lon, candidate.at.lat];
    let map = match &candidate.edit {
        Edit::CycleTrack { segment } => {
            let line = results.lines.get(*segment as usize).cloned().unwrap_or_default();
            AroundMap::of(&results, &[line], None)
        }
        Edit::SpeedLimit { way, .. } => {
            let lines: Vec<Vec<[f64; 2]>> = results
                .segments
                .iter()
                .zip(&results.lines)
                .filter(|(row, _)| row.way == *way)
                .map(|(_, line)| line.clone())
                .collect();
            AroundMap::of(&results, &lines, None)
        }
        Edit::Crossing { .. } | Edit::MobilityPoint { .. } => AroundMap::of(&results, &[], Some(at)),
    };
    let mut page = Chrome::for_scope_titled(scope, "nav-network", String::new());
    page.title = format!("{}. {}", rank, page.proposal(candidate));
    Ok(PlacePage {
        page,
        analysis,
        place,
        map,
        form,
    })
}

#[derive(Deserialize, Default)]
pub struct Invitation {
    #[serde(default)]
    neighbour: String,
}

/// Invites a neighbour as partner: the draft initiative's page, or this page again saying
/// why not.
pub async fn invite(
    scope: Scope,
    Path((_, id, rank)): PlacePath,
    form: Form<Invitation>,
) -> Result<Response, WebError> {
    scope.require(Action::ManageInitiatives)?;
    let analysis = parse_id(&id)?;
    let place = usize::try_from(parse_id(&rank)?).map_err(|_| WebError::NotFound)?;
    let neighbour = form
        .input
        .neighbour
        .trim()
        .parse::<usize>()
        .map_err(|_| WebError::NotFound)?;
    let invited = scope
        .app()
        .invite_partner(&scope.caller(), analysis, place, neighbour)
        .await;
    match invited {
        Ok(initiative) => Ok(see_other(&format!(
            "/w/{}/initiatives/{}",
            scope.workspace.slug, initiative.id
        ))),
        Err(refused) => {
            let invalid: Invalid = super::form_refusal(refused)?;
            let form = FormState::new(HashMap::new(), invalid);
            render_refused(place_page(&scope, &id, &rank, form).await?)
        }
    }
}

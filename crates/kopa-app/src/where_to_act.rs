//! Where to act, with whom: the places an analysis ranked, each neighbour matched to the
//! workspace's organisations and partners, and the invitation that turns one into a draft
//! initiative with its partner linked. From there the initiative follows the register's path.

use std::collections::HashMap;

use kopa_domain::Action;
use kopa_domain::group::{NameMatch, Organisation, OrganisationInput, OrganisationsByName};
use kopa_domain::initiative::{Initiative, InitiativeInput};
use kopa_domain::notification::FollowKind;
use kopa_domain::street_network::StreetAnalysis;
use kopa_mobility::candidates::{Candidate, CandidateKind, Neighbour};
use kopa_mobility::report::{Results, SegmentRow};
use kopa_mobility::scenario::Edit;
use kopa_report::{Arg, Words};

use crate::{App, Caller, Refusal};

/// One place to act, as an analysis ranked it.
#[derive(Debug, Clone)]
pub struct PlaceToAct {
    /// 1 for the best.
    pub rank: usize,
    pub candidate: Candidate,
    /// What each of its neighbours is to the workspace, in the candidate's order.
    pub neighbours: Vec<Known>,
}

impl PlaceToAct {
    /// Whether its neighbours can be invited: a speed limit is the municipality's own decision.
    pub fn takes_partners(&self) -> bool {
        cooperation_type(self.candidate.kind).is_some()
    }
}

/// What a neighbour on the map is to the workspace.
#[derive(Debug, Clone, PartialEq)]
pub enum Known {
    /// No organisation has its name: inviting it adds one.
    New,
    /// Several organisations have its name; the group has to say which it is.
    Several,
    /// An organisation of the group, with its partner in cooperation if it is one and the
    /// caller may see the register.
    Organisation {
        organisation: Organisation,
        partner_id: Option<i64>,
    },
}

/// The cooperation type of an initiative built at a kind of place, with its neighbour.
fn cooperation_type(kind: CandidateKind) -> Option<&'static str> {
    match kind {
        CandidateKind::Crossing | CandidateKind::Gap => Some("crossing_with_owners"),
        CandidateKind::MobilityPoint => Some("mobility_point"),
        CandidateKind::SpeedLimit => None,
    }
}

/// The names a neighbour carries, any of which may be an organisation's.
fn names(neighbour: &Neighbour) -> impl Iterator<Item = &str> {
    std::iter::once(neighbour.name.as_str())
        .chain(neighbour.brand.as_deref())
        .chain(neighbour.operator.as_deref())
}

/// The longest name taken from the map for an organisation or a title.
const NAME_CHARS: usize = 120;

impl App {
    /// Every place to act a finished analysis found, best first, with its neighbours matched.
    pub async fn places_to_act(&self, caller: &Caller, analysis: &StreetAnalysis) -> Result<Vec<PlaceToAct>, Refusal> {
        let results = self.street_results(caller, analysis).await?;
        let (organisations, partners) = self.known_organisations(caller).await?;
        let by_name = OrganisationsByName::new(&organisations);
        Ok(results
            .candidates
            .iter()
            .enumerate()
            .map(|(i, candidate)| place(i + 1, candidate, &by_name, &partners))
            .collect())
    }

    /// One place to act, by its rank in the analysis.
    pub async fn place_to_act(
        &self,
        caller: &Caller,
        analysis: &StreetAnalysis,
        rank: usize,
    ) -> Result<PlaceToAct, Refusal> {
        let results = self.street_results(caller, analysis).await?;
        let candidate = rank
            .checked_sub(1)
            .and_then(|i| results.candidates.get(i))
            .ok_or(Refusal::NotFound)?;
        let (organisations, partners) = self.known_organisations(caller).await?;
        Ok(place(
            rank,
            candidate,
            &OrganisationsByName::new(&organisations),
            &partners,
        ))
    }

    /// A coordinator invites a neighbour of a place to act as its partner: a draft initiative
    /// of the right cooperation type at that place, with the neighbour's organisation linked,
    /// added to the group first if it is new. Asked twice, it gives the initiative made the
    /// first time.
    pub async fn invite_partner(
        &self,
        caller: &Caller,
        analysis_id: i64,
        rank: usize,
        neighbour: usize,
    ) -> Result<Initiative, Refusal> {
        caller.require(Action::ManageInitiatives)?;
        let analysis = self.street_analysis(caller, analysis_id).await?;
        let place = self.place_to_act(caller, &analysis, rank).await?;
        let (Some(found), Some(known)) = (
            place.candidate.neighbours.get(neighbour),
            place.neighbours.get(neighbour),
        ) else {
            return Err(Refusal::NotFound);
        };
        let cooperation_type =
            cooperation_type(place.candidate.kind).ok_or(Refusal::Refused("error-act-no-partner"))?;
        let words = self.wording(caller, self.workspace_locale(&caller.workspace));
        let candidate = &place.candidate;
        let name: String = found.name.trim().chars().take(NAME_CHARS).collect();
        let title_key = match candidate.kind {
            CandidateKind::Gap => "act-initiative-gap",
            CandidateKind::MobilityPoint => "act-initiative-mobility-point",
            _ => "act-initiative-crossing",
        };
        let title = words.message(
            title_key,
            &[("road", Arg::of(road(&words, candidate))), ("partner", Arg::of(&name))],
        );
        let existing = self.initiatives(caller).await?;
        if let Some(made) = existing
            .iter()
            .find(|i| i.title == title && i.cooperation_type == cooperation_type)
        {
            return Ok(made.clone());
        }
        let organisation = match known {
            Known::Organisation { organisation, .. } => organisation.clone(),
            Known::Several => return Err(Refusal::Refused("error-act-several-organisations")),
            Known::New => {
                let input = OrganisationInput {
                    name,
                    sector: "business".to_owned(),
                    ..Default::default()
                };
                self.add_organisation(caller, &input).await?
            }
        };
        let description = words.message(
            "act-initiative-description",
            &[
                ("date", Arg::of(words.date(words.local(&analysis.created_at).date()))),
                ("proposal", Arg::of(proposal(&words, candidate))),
                ("gain", Arg::of(format!("{:.1}", candidate.score_gain))),
                ("people", Arg::of(format!("{:.0}", candidate.people_gaining))),
                ("destinations", Arg::of(candidate.destinations_gained)),
                ("partner", Arg::of(&organisation.name)),
                ("what", Arg::of(&found.what)),
                ("metres", Arg::of(format!("{:.0}", found.distance_m))),
                ("osm", Arg::of(&found.osm)),
            ],
        );
        let input = InitiativeInput {
            title,
            description,
            cooperation_type: cooperation_type.to_owned(),
            place: format!("{:.6}, {:.6}", candidate.at.lat, candidate.at.lon),
            ..Default::default()
        };
        let types = self.store.cooperation_type_codes(caller.workspace_id()).await?;
        let new = input.validate(&types)?;
        let reason = words.message(
            "act-initiative-reason",
            &[("rank", Arg::of(rank)), ("analysis", Arg::of(analysis.id))],
        );
        let initiative = self
            .store
            .create_initiative_with_partner(&caller.actor(), caller.workspace_id(), &new, &reason, organisation.id)
            .await?;
        self.follow_quietly(caller, (FollowKind::Initiative, initiative.id))
            .await;
        Ok(initiative)
    }

    /// The group's organisations, and for those who may see the register, which of them are
    /// partners in cooperation.
    async fn known_organisations(&self, caller: &Caller) -> Result<(Vec<Organisation>, HashMap<i64, i64>), Refusal> {
        let organisations = self.organisations(caller).await?;
        let partners = if caller.may(Action::ViewCooperation) {
            let partners = self.store.partners(caller.workspace_id()).await?;
            partners.into_iter().map(|p| (p.organisation_id, p.id)).collect()
        } else {
            HashMap::new()
        };
        Ok((organisations, partners))
    }
}

fn place(
    rank: usize,
    candidate: &Candidate,
    by_name: &OrganisationsByName<'_>,
    partners: &HashMap<i64, i64>,
) -> PlaceToAct {
    let neighbours = candidate
        .neighbours
        .iter()
        .map(|n| match by_name.find(names(n)) {
            NameMatch::None => Known::New,
            NameMatch::Several => Known::Several,
            NameMatch::One(organisation) => Known::Organisation {
                organisation: organisation.clone(),
                partner_id: partners.get(&organisation.id).copied(),
            },
        })
        .collect();
    PlaceToAct {
        rank,
        candidate: candidate.clone(),
        neighbours,
    }
}

/// The road or street a place to act is on, in words.
pub fn road(words: &impl Words, candidate: &Candidate) -> String {
    match &candidate.road {
        Some(road) => road.chars().take(NAME_CHARS).collect(),
        None => words.t("act-road-unnamed"),
    }
}

/// What building a place to act means, in words: "Rīgas iela: a refuge island".
pub fn proposal(words: &impl Words, candidate: &Candidate) -> String {
    let road = Arg::of(road(words, candidate));
    match &candidate.edit {
        Edit::Crossing { treatment, .. } => words.message(
            "act-proposal-crossing",
            &[("treatment", Arg::of(treatment.code())), ("road", road)],
        ),
        Edit::CycleTrack { .. } => words.message(
            "act-proposal-gap",
            &[
                ("metres", Arg::of(format!("{:.0}", candidate.length_m.unwrap_or(0.0)))),
                ("road", road),
            ],
        ),
        Edit::SpeedLimit { kmh, .. } => {
            words.message("act-proposal-speed-limit", &[("kmh", Arg::of(kmh)), ("road", road)])
        }
        Edit::MobilityPoint { .. } => words.t("act-proposal-mobility-point"),
    }
}

/// A scenario's edit in words, whether or not it is among the places to act: a cycle track
/// or a speed limit is named by its street.
pub fn edit_in_words(words: &impl Words, edit: &Edit, results: &Results) -> String {
    if let Some(candidate) = results.candidates.iter().find(|c| &c.edit == edit) {
        return proposal(words, candidate);
    }
    let named = |row: Option<&SegmentRow>| match row.and_then(|r| r.name.as_deref()) {
        Some(name) => Arg::of(name.chars().take(NAME_CHARS).collect::<String>()),
        None => Arg::of(words.t("act-road-unnamed")),
    };
    match edit {
        Edit::CycleTrack { segment } => {
            let row = results.segments.get(*segment as usize);
            let metres = row.map_or(0.0, |r| r.length_m);
            words.message(
                "act-proposal-gap",
                &[("metres", Arg::of(format!("{metres:.0}"))), ("road", named(row))],
            )
        }
        Edit::SpeedLimit { way, kmh } => {
            let row = results.segments.iter().find(|r| r.way == *way);
            words.message(
                "act-proposal-speed-limit",
                &[("kmh", Arg::of(kmh)), ("road", named(row))],
            )
        }
        Edit::MobilityPoint { .. } => words.t("act-proposal-mobility-point"),
        Edit::Crossing { .. } => words.t("scenario-edit-elsewhere"),
    }
}

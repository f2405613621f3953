//! The Integrated Action Plan as structured data. One version's content is one [`Plan`]: a
//! document of sections whose items keep their ids from version to version, so that comments
//! stay attached and any two versions compare item by item.

pub mod compare;
pub mod edit;
pub mod funding;
mod names;
pub mod readiness;
pub mod review;
pub mod roadmap;

pub use names::{LinkedInstrument, Names};

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::code_enum;
use crate::validation::Code;

code_enum! {
    /// The languages user-written plan text is kept in.
    Language {
        Lv => "lv",
        En => "en",
    }
}

impl Language {
    pub fn other(self) -> Language {
        match self {
            Language::Lv => Language::En,
            Language::En => Language::Lv,
        }
    }
}

/// User-written text in both languages; either may still be blank.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Text {
    #[serde(default)]
    pub lv: String,
    #[serde(default)]
    pub en: String,
    /// The language whose text is a translation left behind when the other changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stale: Option<Language>,
}

/// One piece of a plan's user text: the part and item it belongs to (the item's id too,
/// which stays when its code changes), and which field it is.
pub struct TextSlot<T> {
    pub section: Section,
    pub item: String,
    pub id: Option<ItemId>,
    pub field: &'static str,
    pub text: T,
}

/// The plan's texts in order, borrowed to read or to change: one list for both.
macro_rules! text_slots {
    ($name:ident, $slot:ty, $($mut_:ident)?) => {
        fn $name(&$($mut_)? self) -> Vec<$slot> {
            let risk_codes: Vec<String> = self.risks.iter().map(|r| self.risk_code(r.id)).collect();
            let slot = |section, item: String, id, field, text| TextSlot {
                section,
                item,
                id,
                field,
                text,
            };
            let mut all = vec![
                slot(Section::Vision, String::new(), None, "vision", &$($mut_)? self.vision),
                slot(Section::Context, String::new(), None, "core", &$($mut_)? self.problem_tree.core),
            ];
            for n in &$($mut_)? self.problem_tree.nodes {
                let label = n.kind.code().to_owned();
                all.push(slot(Section::Context, label.clone(), Some(n.id), "text", &$($mut_)? n.text));
                all.push(slot(Section::Context, label, Some(n.id), "evidence", &$($mut_)? n.evidence));
            }
            for o in &$($mut_)? self.objectives {
                all.push(slot(Section::Objectives, o.code.clone(), Some(o.id), "title", &$($mut_)? o.title));
            }
            for a in &$($mut_)? self.actions {
                let (code, id) = (a.code.clone(), Some(a.id));
                all.push(slot(Section::Actions, code.clone(), id, "title", &$($mut_)? a.title));
                all.push(slot(Section::Actions, code.clone(), id, "location", &$($mut_)? a.location));
                all.push(slot(Section::Actions, code, id, "outputs", &$($mut_)? a.outputs));
            }
            for s in &$($mut_)? self.small_actions {
                let (code, id) = (s.code.clone(), Some(s.id));
                all.push(slot(Section::SmallActions, code.clone(), id, "title", &$($mut_)? s.title));
                all.push(slot(Section::SmallActions, code.clone(), id, "hypothesis", &$($mut_)? s.hypothesis));
                all.push(slot(Section::SmallActions, code, id, "learning", &$($mut_)? s.learning));
            }
            for (r, code) in (&$($mut_)? self.risks).into_iter().zip(risk_codes) {
                all.push(slot(Section::Risks, code.clone(), Some(r.id), "title", &$($mut_)? r.title));
                all.push(slot(Section::Risks, code, Some(r.id), "mitigation", &$($mut_)? r.mitigation));
            }
            for i in &$($mut_)? self.indicators {
                let (code, id) = (i.code.clone(), Some(i.id));
                all.push(slot(Section::Indicators, code.clone(), id, "title", &$($mut_)? i.title));
                all.push(slot(Section::Indicators, code, id, "unit", &$($mut_)? i.unit));
            }
            let implementation = &$($mut_)? self.implementation;
            all.push(slot(Section::Implementation, String::new(), None, "governance", &$($mut_)? implementation.governance));
            all.push(slot(Section::Implementation, String::new(), None, "review_cycle", &$($mut_)? implementation.review_cycle));
            for m in &$($mut_)? self.milestones {
                all.push(slot(Section::Roadmap, m.due_on.to_string(), Some(m.id), "title", &$($mut_)? m.title));
            }
            for a in &$($mut_)? self.assessment {
                all.push(slot(Section::Assessment, a.criterion.code().to_owned(), None, "note", &$($mut_)? a.note));
            }
            all
        }
    };
}

/// Text as shown in one language: its own, or the other language's, said so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown<'a> {
    pub text: &'a str,
    /// Set when the text is the other language's, for want of a translation.
    pub fallback: Option<Language>,
}

impl Text {
    pub fn new(lv: &str, en: &str) -> Text {
        Text {
            lv: lv.trim().to_owned(),
            en: en.trim().to_owned(),
            stale: None,
        }
    }

    /// Which language of `new`, this text's next version, is a stale translation: the one
    /// that stayed as it was while the other changed. Writing it again, or both, clears it;
    /// a translation added where there was none is not stale.
    pub fn revised_into(&self, new: &Text) -> Option<Language> {
        let changed = match (self.lv != new.lv, self.en != new.en) {
            (false, false) => return self.stale,
            (true, true) => return None,
            (true, false) => Language::Lv,
            (false, true) => Language::En,
        };
        if self.stale == Some(changed) || new.get(changed.other()).is_empty() {
            // The stale translation was written again, or there is nothing to be behind.
            None
        } else if self.get(changed).is_empty() {
            // A first translation of a text that already stood.
            self.stale
        } else {
            Some(changed.other())
        }
    }

    pub fn get(&self, language: Language) -> &str {
        match language {
            Language::Lv => &self.lv,
            Language::En => &self.en,
        }
    }

    pub fn is_blank(&self) -> bool {
        self.lv.is_empty() && self.en.is_empty()
    }

    /// The language that lacks a translation the other has.
    pub fn untranslated(&self) -> Option<Language> {
        match (self.lv.is_empty(), self.en.is_empty()) {
            (true, false) => Some(Language::Lv),
            (false, true) => Some(Language::En),
            _ => None,
        }
    }

    /// The text in `language`, else the other language's, marked as a fallback.
    pub fn shown_in(&self, language: Language) -> Shown<'_> {
        let own = self.get(language);
        if own.is_empty() && !self.get(language.other()).is_empty() {
            Shown {
                text: self.get(language.other()),
                fallback: Some(language.other()),
            }
        } else {
            Shown {
                text: own,
                fallback: None,
            }
        }
    }
}

/// An item's id, unique within its plan and kept across versions.
pub type ItemId = u32;

/// The whole plan of one version.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Plan {
    pub vision: Text,
    pub problem_tree: ProblemTree,
    pub objectives: Vec<Objective>,
    pub actions: Vec<PlanAction>,
    pub small_actions: Vec<SmallAction>,
    pub risks: Vec<Risk>,
    pub indicators: Vec<Indicator>,
    pub implementation: Implementation,
    pub milestones: Vec<Milestone>,
    pub assessment: Vec<Assessment>,
    /// The id the next new item gets.
    pub next_id: ItemId,
}

code_enum! {
    /// The parts of a plan, in the order a reader meets them.
    Section {
        Context => "context",
        Vision => "vision",
        Objectives => "objectives",
        Actions => "actions",
        SmallActions => "small_actions",
        Risks => "risks",
        Indicators => "indicators",
        Implementation => "implementation",
        Roadmap => "roadmap",
        Assessment => "assessment",
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProblemTree {
    pub core: Text,
    pub owner: Option<i64>,
    pub nodes: Vec<ProblemNode>,
}

code_enum! {
    /// Below the core problem (a cause) or above it (an effect).
    NodeKind {
        Cause => "cause",
        Effect => "effect",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProblemNode {
    pub id: ItemId,
    pub kind: NodeKind,
    pub text: Text,
    /// What shows it: data, a survey, the group's experience.
    pub evidence: Text,
    pub owner: Option<i64>,
}

code_enum! {
    ObjectiveLevel {
        Strategic => "strategic",
        Specific => "specific",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Objective {
    pub id: ItemId,
    pub code: String,
    pub level: ObjectiveLevel,
    /// The strategic objective a specific one serves.
    pub parent: Option<ItemId>,
    pub title: Text,
    pub owner: Option<i64>,
}

code_enum! {
    FundingSource {
        Municipal => "municipal",
        National => "national",
        EuShared => "eu_shared",
        EuDirect => "eu_direct",
        Private => "private",
        Other => "other",
    }
}

code_enum! {
    FundingStatus {
        Secured => "secured",
        Applied => "applied",
        Planned => "planned",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Funding {
    pub id: ItemId,
    pub source: FundingSource,
    /// The programme or fund, e.g. "ERDF 2021–2027, SO 2.8".
    pub detail: String,
    /// In cents.
    pub amount: i64,
    pub status: FundingStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanAction {
    pub id: ItemId,
    pub code: String,
    pub title: Text,
    pub objective: ItemId,
    /// An organisation of the group.
    pub lead: Option<i64>,
    pub partners: String,
    pub location: Text,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// In cents.
    pub cost: i64,
    pub funding: Vec<Funding>,
    /// The initiative it delivers; its instruments come with it.
    pub initiative: Option<i64>,
    /// The saved scenario of the street network that is its expected effect.
    #[serde(default)]
    pub scenario: Option<i64>,
    pub outputs: Text,
    pub owner: Option<i64>,
}

impl PlanAction {
    pub fn funded(&self) -> i64 {
        self.funding.iter().map(|f| f.amount).sum()
    }
}

code_enum! {
    /// What the group decided after a small-scale test.
    ScaleUp {
        Pending => "pending",
        ScaleUp => "scale_up",
        Adapt => "adapt",
        Stop => "stop",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmallAction {
    pub id: ItemId,
    pub code: String,
    pub title: Text,
    pub hypothesis: Text,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub budget: i64,
    pub learning: Text,
    pub decision: ScaleUp,
    pub owner: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Risk {
    pub id: ItemId,
    pub title: Text,
    /// 1 (rare) to 5 (almost certain).
    pub likelihood: u8,
    /// 1 (minor) to 5 (severe).
    pub impact: u8,
    pub mitigation: Text,
    /// The action it threatens, if one.
    pub action: Option<ItemId>,
    pub owner: Option<i64>,
}

impl Risk {
    pub fn score(&self) -> u8 {
        self.likelihood * self.impact
    }
}

code_enum! {
    IndicatorKind {
        Output => "output",
        Result => "result",
    }
}

code_enum! {
    /// Where an indicator's measurements come from: typed in, or counted by Kopa itself.
    Feed {
        Manual => "manual",
        ActiveInstruments => "active_instruments",
        DeliveredInitiatives => "delivered_initiatives",
        GroupOrganisations => "group_organisations",
        PublicIdeas => "public_ideas",
        NetworkScore => "network_score",
    }
}

/// A value on a day.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub value: f64,
    pub on: NaiveDate,
}

/// What Kopa measures itself for the indicators it feeds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Measured {
    /// Today's count for each counted feed.
    pub counts: Vec<(Feed, f64)>,
    /// The score of each finished analysis of the street network, oldest first, on its day.
    pub network_scores: Vec<Point>,
    /// The score the plan's actions would reach together, by their scenarios.
    pub expected_score: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub id: ItemId,
    pub code: String,
    pub kind: IndicatorKind,
    pub title: Text,
    pub unit: Text,
    pub objective: Option<ItemId>,
    pub baseline: Option<Point>,
    pub target: Option<Point>,
    pub feed: Feed,
    pub measurements: Vec<Point>,
    pub owner: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Implementation {
    pub governance: Text,
    pub review_cycle: Text,
    /// The council decision adopting the plan, recorded at a meeting.
    pub adoption_decision: Option<i64>,
    pub owner: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    pub id: ItemId,
    pub title: Text,
    pub due_on: NaiveDate,
    pub done_on: Option<NaiveDate>,
    /// The meeting where it happens, if one.
    pub meeting: Option<i64>,
    pub owner: Option<i64>,
}

code_enum! {
    /// URBACT-style criteria a city assesses its own plan against.
    Criterion {
        Needs => "needs",
        Vision => "vision",
        Integration => "integration",
        Coherence => "coherence",
        Readiness => "readiness",
        Risk => "risk",
        Results => "results",
        Participation => "participation",
        Learning => "learning",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    pub criterion: Criterion,
    /// 1 (weak) to 5 (strong).
    pub score: Option<u8>,
    pub note: Text,
}

impl Plan {
    pub fn objective(&self, id: ItemId) -> Option<&Objective> {
        self.objectives.iter().find(|o| o.id == id)
    }

    pub fn action(&self, id: ItemId) -> Option<&PlanAction> {
        self.actions.iter().find(|a| a.id == id)
    }

    /// Records what Kopa measured as the indicators it feeds, so a draft shows them live and a
    /// submitted version keeps them as they were. A count is the day's measurement. The
    /// network score's baseline is the analysis on or before the baseline's day (else the
    /// first), its measurements the analyses after it, and its target, where the plan's
    /// actions have scenarios, what they would reach together.
    pub fn record_feeds(&mut self, measured: &Measured, on: NaiveDate) {
        let target_on = self
            .actions
            .iter()
            .filter(|a| a.scenario.is_some())
            .map(|a| a.ends_on)
            .max();
        for indicator in self.indicators.iter_mut() {
            match indicator.feed {
                Feed::Manual => {}
                Feed::NetworkScore => {
                    let analyses = &measured.network_scores;
                    let baseline = indicator
                        .baseline
                        .and_then(|b| analyses.iter().rev().find(|a| a.on <= b.on))
                        .or(analyses.first())
                        .copied();
                    if let Some(baseline) = baseline {
                        indicator.baseline = Some(baseline);
                        indicator.measurements = analyses.iter().filter(|a| a.on > baseline.on).copied().collect();
                    }
                    if let (Some(value), Some(on)) =
                        (measured.expected_score, indicator.target.map(|t| t.on).or(target_on))
                    {
                        indicator.target = Some(Point { value, on });
                    }
                }
                feed => {
                    if let Some((_, value)) = measured.counts.iter().find(|(f, _)| *f == feed) {
                        indicator.measurements.retain(|m| m.on != on);
                        indicator.measurements.push(Point { value: *value, on });
                        indicator.measurements.sort_by_key(|m| m.on);
                    }
                }
            }
        }
    }

    /// A risk's number as readers see it: R1, R2, … in the order of the list.
    pub fn risk_code(&self, id: ItemId) -> String {
        let at = self.risks.iter().position(|r| r.id == id).map_or(0, |i| i + 1);
        format!("R{at}")
    }

    pub fn assessment_of(&self, criterion: Criterion) -> Option<&Assessment> {
        self.assessment.iter().find(|a| a.criterion == criterion)
    }

    /// Every piece of user text with the item it belongs to, for the translation view.
    pub fn texts(&self) -> Vec<(Section, String, &'static str, &Text)> {
        self.text_slots()
            .into_iter()
            .map(|slot| (slot.section, slot.item, slot.field, slot.text))
            .collect()
    }

    text_slots!(text_slots, TextSlot<&Text>,);
    text_slots!(text_slots_mut, TextSlot<&mut Text>, mut);

    /// Marks what a change left behind: a translation whose other language changed without
    /// it is stale until it is written again.
    pub fn mark_stale_translations(&mut self, before: &Plan) {
        let earlier: HashMap<(Section, Option<ItemId>, &'static str), &Text> = before
            .text_slots()
            .into_iter()
            .map(|slot| ((slot.section, slot.id, slot.field), slot.text))
            .collect();
        for slot in self.text_slots_mut() {
            if let Some(old) = earlier.get(&(slot.section, slot.id, slot.field)) {
                slot.text.stale = old.revised_into(slot.text);
            }
        }
    }

    /// The texts that want a translation: written in one language but not the other, or
    /// translated before the other language changed.
    pub fn untranslated(&self) -> Vec<(Section, String, &'static str, &Text, Language)> {
        self.texts()
            .into_iter()
            .filter_map(|(section, item, field, text)| {
                text.untranslated()
                    .or(text.stale)
                    .map(|missing| (section, item, field, text, missing))
            })
            .collect()
    }
}

/// The records of the workspace a plan points to, by id: whose names it shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct References {
    pub people: BTreeSet<i64>,
    pub organisations: BTreeSet<i64>,
    pub initiatives: BTreeSet<i64>,
    pub meetings: BTreeSet<i64>,
    pub decisions: BTreeSet<i64>,
    pub scenarios: BTreeSet<i64>,
}

impl Plan {
    pub fn references(&self) -> References {
        let owners = std::iter::once(self.problem_tree.owner)
            .chain(self.problem_tree.nodes.iter().map(|n| n.owner))
            .chain(self.objectives.iter().map(|o| o.owner))
            .chain(self.actions.iter().map(|a| a.owner))
            .chain(self.small_actions.iter().map(|a| a.owner))
            .chain(self.risks.iter().map(|r| r.owner))
            .chain(self.indicators.iter().map(|i| i.owner))
            .chain(std::iter::once(self.implementation.owner))
            .chain(self.milestones.iter().map(|m| m.owner));
        References {
            people: owners.flatten().collect(),
            organisations: self.actions.iter().filter_map(|a| a.lead).collect(),
            initiatives: self.actions.iter().filter_map(|a| a.initiative).collect(),
            meetings: self.milestones.iter().filter_map(|m| m.meeting).collect(),
            decisions: self.implementation.adoption_decision.into_iter().collect(),
            scenarios: self.actions.iter().filter_map(|a| a.scenario).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_falls_back_to_the_other_language_and_says_so() {
        let only_latvian = Text::new("Velosipēdu novads", "");
        assert_eq!(only_latvian.untranslated(), Some(Language::En));
        let shown = only_latvian.shown_in(Language::En);
        assert_eq!(shown.text, "Velosipēdu novads");
        assert_eq!(shown.fallback, Some(Language::Lv));
        let both = Text::new("Velosipēdu novads", "Cycling municipality");
        assert_eq!(both.shown_in(Language::En).fallback, None);
        assert_eq!(both.untranslated(), None);
        assert_eq!(Text::default().shown_in(Language::Lv).fallback, None);
    }
}

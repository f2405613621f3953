//! Changing a draft plan: each [`PlanEdit`] is validated against the plan and the records it
//! points to, and applied whole or not at all. Every refusal names each faulty field.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::*;
use crate::validation::Invalid;

const SHORT: usize = 40;
const TITLE: usize = 300;
const LONG: usize = 4000;

/// The records outside the plan that its items may point to, by id.
#[derive(Debug, Clone, Default)]
pub struct Known {
    pub people: HashSet<i64>,
    pub organisations: HashSet<i64>,
    pub initiatives: HashSet<i64>,
    pub decisions: HashSet<i64>,
    pub meetings: HashSet<i64>,
    pub scenarios: HashSet<i64>,
}

code_enum! {
    /// The kinds of item a plan holds, as they appear in addresses and comments.
    ItemKind {
        Node => "node",
        Objective => "objective",
        Action => "action",
        Funding => "funding",
        SmallAction => "small_action",
        Risk => "risk",
        Indicator => "indicator",
        Milestone => "milestone",
    }
}

/// One change to a draft.
#[derive(Debug, Clone)]
pub enum PlanEdit {
    Vision(VisionInput),
    Core(CoreInput),
    Implementation(ImplementationInput),
    Assessment(AssessmentInput),
    /// Adds an item (`None`) or replaces one.
    Save(ItemKind, Option<ItemId>, Box<ItemInput>),
    Measurement(ItemId, MeasurementInput),
    RemoveMeasurement(ItemId, NaiveDate),
    Remove(ItemKind, ItemId),
}

/// Reads a form's fields into its input type; every field is text, so only a wrong shape fails.
fn read<T: serde::de::DeserializeOwned>(fields: &HashMap<String, String>) -> Result<T, Invalid> {
    serde_json::to_value(fields)
        .and_then(serde_json::from_value)
        .map_err(|_| Invalid::single("form", "error-bad-form"))
}

code_enum! {
    /// The parts of a plan that are one whole, not a list of items.
    Part {
        Vision => "vision",
        Core => "core",
        Implementation => "implementation",
        Assessment => "assessment",
    }
}

impl PlanEdit {
    /// Changes a whole part from submitted form fields.
    pub fn part(part: Part, fields: &HashMap<String, String>) -> Result<PlanEdit, Invalid> {
        Ok(match part {
            Part::Vision => PlanEdit::Vision(read(fields)?),
            Part::Core => PlanEdit::Core(read(fields)?),
            Part::Implementation => PlanEdit::Implementation(read(fields)?),
            Part::Assessment => PlanEdit::Assessment(read(fields)?),
        })
    }

    /// Adds (`id` none) or replaces an item of `kind` from submitted form fields.
    pub fn save(kind: ItemKind, id: Option<ItemId>, fields: &HashMap<String, String>) -> Result<PlanEdit, Invalid> {
        Ok(PlanEdit::Save(
            kind,
            id,
            Box::new(ItemInput::from_fields(kind, fields)?),
        ))
    }
}

/// The form of one kind of item.
#[derive(Debug, Clone)]
pub enum ItemInput {
    Node(NodeInput),
    Objective(ObjectiveInput),
    Action(ActionInput),
    /// Funding belongs to an action.
    Funding(ItemId, FundingInput),
    SmallAction(SmallActionInput),
    Risk(RiskInput),
    Indicator(IndicatorInput),
    Milestone(MilestoneInput),
}

impl ItemInput {
    /// Reads the form of `kind` from submitted fields; `action` names the action funding
    /// belongs to.
    pub fn from_fields(kind: ItemKind, fields: &HashMap<String, String>) -> Result<ItemInput, Invalid> {
        Ok(match kind {
            ItemKind::Node => ItemInput::Node(read(fields)?),
            ItemKind::Objective => ItemInput::Objective(read(fields)?),
            ItemKind::Action => ItemInput::Action(read(fields)?),
            ItemKind::Funding => {
                let mut invalid = Invalid::new();
                let action = invalid.number_in(
                    "action",
                    fields.get("action").map_or("", String::as_str),
                    0..=i64::from(u32::MAX),
                );
                invalid.into_result()?;
                ItemInput::Funding(action as ItemId, read(fields)?)
            }
            ItemKind::SmallAction => ItemInput::SmallAction(read(fields)?),
            ItemKind::Risk => ItemInput::Risk(read(fields)?),
            ItemKind::Indicator => ItemInput::Indicator(read(fields)?),
            ItemKind::Milestone => ItemInput::Milestone(read(fields)?),
        })
    }
}

/// Form fields as the forms send them, to show an item for editing.
pub type Fields = HashMap<String, String>;

fn plain_euros(cents: i64) -> String {
    if cents % 100 == 0 {
        (cents / 100).to_string()
    } else {
        format!("{}.{:02}", cents / 100, cents % 100)
    }
}

fn plain_number(value: f64) -> String {
    value.to_string()
}

struct Filler(Fields);

impl Filler {
    fn set(&mut self, name: &str, value: impl ToString) -> &mut Self {
        self.0.insert(name.to_owned(), value.to_string());
        self
    }
    fn text(&mut self, name: &str, text: &Text) -> &mut Self {
        self.set(&format!("{name}_lv"), &text.lv)
            .set(&format!("{name}_en"), &text.en)
    }
    fn maybe(&mut self, name: &str, value: Option<impl ToString>) -> &mut Self {
        self.set(name, value.map(|v| v.to_string()).unwrap_or_default())
    }
    fn point(&mut self, prefix: &str, point: Option<Point>) -> &mut Self {
        self.maybe(&format!("{prefix}_value"), point.map(|p| plain_number(p.value)))
            .maybe(&format!("{prefix}_on"), point.map(|p| p.on))
    }
}

/// What an edit changed, for the audit log: the item, before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Edited {
    pub item: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

macro_rules! form {
    ($(#[$meta:meta])* $name:ident { $($field:ident),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
        #[serde(default)]
        pub struct $name {
            $(#[serde(deserialize_with = "crate::validation::lenient::text")] pub $field: String,)*
        }
    };
}

form!(VisionInput { vision_lv, vision_en });
form!(CoreInput {
    core_lv,
    core_en,
    owner
});
form!(NodeInput {
    kind,
    text_lv,
    text_en,
    evidence_lv,
    evidence_en,
    owner
});
form!(ObjectiveInput {
    code,
    level,
    parent,
    title_lv,
    title_en,
    owner
});
form!(ActionInput {
    code,
    title_lv,
    title_en,
    objective,
    lead,
    partners,
    location_lv,
    location_en,
    starts_on,
    ends_on,
    cost,
    initiative,
    scenario,
    outputs_lv,
    outputs_en,
    owner,
});
form!(FundingInput {
    source,
    detail,
    amount,
    status
});
form!(SmallActionInput {
    code,
    title_lv,
    title_en,
    hypothesis_lv,
    hypothesis_en,
    starts_on,
    ends_on,
    budget,
    learning_lv,
    learning_en,
    decision,
    owner,
});
form!(RiskInput {
    title_lv,
    title_en,
    likelihood,
    impact,
    mitigation_lv,
    mitigation_en,
    action,
    owner
});
form!(IndicatorInput {
    code,
    kind,
    title_lv,
    title_en,
    unit_lv,
    unit_en,
    objective,
    baseline_value,
    baseline_on,
    target_value,
    target_on,
    feed,
    owner,
});
form!(MeasurementInput { value, on });
form!(ImplementationInput {
    governance_lv,
    governance_en,
    review_cycle_lv,
    review_cycle_en,
    adoption_decision,
    owner
});
form!(MilestoneInput {
    title_lv,
    title_en,
    due_on,
    done_on,
    meeting,
    owner
});
form!(AssessmentInput {
    criterion,
    score,
    note_lv,
    note_en
});

/// Field checks the plan's forms share.
struct Check<'a> {
    invalid: Invalid,
    known: &'a Known,
}

impl Check<'_> {
    /// Text in both languages; `required` wants it in at least one.
    fn text(&mut self, field: &str, lv: &str, en: &str, max: usize, required: bool) -> Text {
        let text = Text::new(lv, en);
        if required && text.is_blank() {
            self.invalid.add(&format!("{field}_lv"), "error-required-one-language");
        }
        for (suffix, value) in [("lv", &text.lv), ("en", &text.en)] {
            if value.chars().count() > max {
                self.invalid.add(&format!("{field}_{suffix}"), "error-too-long");
            }
        }
        text
    }

    fn code(&mut self, field: &str, value: &str, taken: impl IntoIterator<Item = String>) -> String {
        let code = self.invalid.required_text(field, value, SHORT);
        if !code.is_empty() && taken.into_iter().any(|other| other.eq_ignore_ascii_case(&code)) {
            self.invalid.add(field, "error-code-taken");
        }
        code
    }

    /// An id among `ids`, or none when blank.
    fn reference(&mut self, field: &str, value: &str, ids: &HashSet<i64>) -> Option<i64> {
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        match value.parse::<i64>() {
            Ok(id) if ids.contains(&id) => Some(id),
            _ => {
                self.invalid.add(field, "error-unknown");
                None
            }
        }
    }

    fn owner(&mut self, value: &str) -> Option<i64> {
        let people = &self.known.people;
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        match value.parse::<i64>() {
            Ok(id) if people.contains(&id) => Some(id),
            _ => {
                self.invalid.add("owner", "error-unknown");
                None
            }
        }
    }

    /// An item of this plan, or none when blank and not `required`.
    fn item(
        &mut self,
        field: &str,
        value: &str,
        ids: impl IntoIterator<Item = ItemId>,
        required: bool,
    ) -> Option<ItemId> {
        let value = value.trim();
        if value.is_empty() {
            if required {
                self.invalid.add(field, "error-required");
            }
            return None;
        }
        let found = value
            .parse::<ItemId>()
            .ok()
            .filter(|id| ids.into_iter().any(|known| known == *id));
        if found.is_none() {
            self.invalid.add(field, "error-unknown");
        }
        found
    }

    /// A start and an end, the end not before the start.
    fn period(&mut self, starts: &str, ends: &str) -> (NaiveDate, NaiveDate) {
        let starts_on = self.invalid.date("starts_on", starts);
        let ends_on = self.invalid.date("ends_on", ends);
        if let (Some(s), Some(e)) = (starts_on, ends_on)
            && e < s
        {
            self.invalid.add("ends_on", "error-ends-before-start");
        }
        (starts_on.unwrap_or_default(), ends_on.unwrap_or_default())
    }

    /// A measured value: a finite number, decimals with a point or comma.
    fn value(&mut self, field: &str, value: &str) -> Option<f64> {
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        let parsed = value.replace(',', ".").parse::<f64>().ok().filter(|v| v.is_finite());
        if parsed.is_none() {
            self.invalid.add(field, "error-decimal");
        }
        parsed
    }

    /// A value and its date, both or neither.
    fn point(&mut self, prefix: &str, value: &str, on: &str) -> Option<Point> {
        let (value_field, on_field) = (format!("{prefix}_value"), format!("{prefix}_on"));
        let value = self.value(&value_field, value);
        let on = self.invalid.optional_date(&on_field, on);
        match (value, on) {
            (Some(value), Some(on)) => Some(Point { value, on }),
            (Some(_), None) if self.invalid.message_for(&on_field).is_none() => {
                self.invalid.add(&on_field, "error-required");
                None
            }
            (None, Some(_)) if self.invalid.message_for(&value_field).is_none() => {
                self.invalid.add(&value_field, "error-required");
                None
            }
            _ => None,
        }
    }

    fn scale(&mut self, field: &str, value: &str) -> u8 {
        self.invalid.number_in(field, value, 1..=5) as u8
    }

    fn choice<T: Code>(&mut self, field: &str, value: &str) -> T {
        self.invalid.choice(field, value, T::from_code).unwrap_or(T::ALL[0])
    }

    fn done<T>(self, value: T) -> Result<T, Invalid> {
        self.invalid.into_result().map(|()| value)
    }
}

/// Items kept in a list, by id.
trait Listed: Serialize + Clone {
    fn id(&self) -> ItemId;
    fn set_id(&mut self, id: ItemId);
}

macro_rules! listed {
    ($($type:ty),*) => {$(
        impl Listed for $type {
            fn id(&self) -> ItemId { self.id }
            fn set_id(&mut self, id: ItemId) { self.id = id; }
        }
    )*};
}
listed!(
    ProblemNode,
    Objective,
    PlanAction,
    Funding,
    SmallAction,
    Risk,
    Indicator,
    Milestone
);

fn json(value: &impl Serialize) -> Option<Value> {
    serde_json::to_value(value).ok()
}

/// Adds `item` to `list` with a new id, or replaces the item with `id`.
fn save<T: Listed>(
    kind: ItemKind,
    list: &mut Vec<T>,
    next_id: &mut ItemId,
    id: Option<ItemId>,
    mut item: T,
) -> Result<Edited, Invalid> {
    match id {
        None => {
            *next_id += 1;
            item.set_id(*next_id);
            list.push(item.clone());
            Ok(Edited {
                item: format!("{kind}:{}", item.id()),
                before: None,
                after: json(&item),
            })
        }
        Some(id) => {
            let slot = list
                .iter_mut()
                .find(|x| x.id() == id)
                .ok_or_else(|| Invalid::single("item", "error-unknown"))?;
            item.set_id(id);
            let before = json(slot);
            *slot = item.clone();
            Ok(Edited {
                item: format!("{kind}:{id}"),
                before,
                after: json(&item),
            })
        }
    }
}

fn remove<T: Listed>(kind: ItemKind, list: &mut Vec<T>, id: ItemId) -> Result<Edited, Invalid> {
    let at = list
        .iter()
        .position(|x| x.id() == id)
        .ok_or_else(|| Invalid::single("item", "error-unknown"))?;
    let removed = list.remove(at);
    Ok(Edited {
        item: format!("{kind}:{id}"),
        before: json(&removed),
        after: None,
    })
}

impl Plan {
    /// The fields of an item's form, filled with the item as it is.
    pub fn item_fields(&self, kind: ItemKind, id: ItemId) -> Option<Fields> {
        let mut f = Filler(Fields::new());
        match kind {
            ItemKind::Node => {
                let n = self.problem_tree.nodes.iter().find(|x| x.id == id)?;
                f.set("kind", n.kind)
                    .text("text", &n.text)
                    .text("evidence", &n.evidence)
                    .maybe("owner", n.owner);
            }
            ItemKind::Objective => {
                let o = self.objective(id)?;
                f.set("code", &o.code)
                    .set("level", o.level)
                    .maybe("parent", o.parent)
                    .text("title", &o.title)
                    .maybe("owner", o.owner);
            }
            ItemKind::Action => {
                let a = self.action(id)?;
                f.set("code", &a.code)
                    .text("title", &a.title)
                    .set("objective", a.objective)
                    .maybe("lead", a.lead)
                    .set("partners", &a.partners)
                    .text("location", &a.location)
                    .set("starts_on", a.starts_on)
                    .set("ends_on", a.ends_on)
                    .set("cost", plain_euros(a.cost))
                    .maybe("initiative", a.initiative)
                    .maybe("scenario", a.scenario)
                    .text("outputs", &a.outputs)
                    .maybe("owner", a.owner);
            }
            ItemKind::Funding => {
                let (action, x) = self
                    .actions
                    .iter()
                    .find_map(|a| a.funding.iter().find(|x| x.id == id).map(|x| (a.id, x)))?;
                f.set("action", action)
                    .set("source", x.source)
                    .set("detail", &x.detail)
                    .set("amount", plain_euros(x.amount))
                    .set("status", x.status);
            }
            ItemKind::SmallAction => {
                let s = self.small_actions.iter().find(|x| x.id == id)?;
                f.set("code", &s.code)
                    .text("title", &s.title)
                    .text("hypothesis", &s.hypothesis)
                    .set("starts_on", s.starts_on)
                    .set("ends_on", s.ends_on)
                    .set("budget", plain_euros(s.budget))
                    .text("learning", &s.learning)
                    .set("decision", s.decision)
                    .maybe("owner", s.owner);
            }
            ItemKind::Risk => {
                let r = self.risks.iter().find(|x| x.id == id)?;
                f.text("title", &r.title)
                    .set("likelihood", r.likelihood)
                    .set("impact", r.impact)
                    .text("mitigation", &r.mitigation)
                    .maybe("action", r.action)
                    .maybe("owner", r.owner);
            }
            ItemKind::Indicator => {
                let i = self.indicators.iter().find(|x| x.id == id)?;
                f.set("code", &i.code)
                    .set("kind", i.kind)
                    .text("title", &i.title)
                    .text("unit", &i.unit)
                    .maybe("objective", i.objective)
                    .point("baseline", i.baseline)
                    .point("target", i.target)
                    .set("feed", i.feed)
                    .maybe("owner", i.owner);
            }
            ItemKind::Milestone => {
                let m = self.milestones.iter().find(|x| x.id == id)?;
                f.text("title", &m.title)
                    .set("due_on", m.due_on)
                    .maybe("done_on", m.done_on)
                    .maybe("meeting", m.meeting)
                    .maybe("owner", m.owner);
            }
        }
        Some(f.0)
    }

    /// The fields of a whole-plan part's form; the assessment's for `criterion`.
    pub fn part_fields(&self, part: Part, criterion: Option<Criterion>) -> Fields {
        let mut f = Filler(Fields::new());
        match part {
            Part::Vision => f.text("vision", &self.vision),
            Part::Core => f
                .text("core", &self.problem_tree.core)
                .maybe("owner", self.problem_tree.owner),
            Part::Implementation => f
                .text("governance", &self.implementation.governance)
                .text("review_cycle", &self.implementation.review_cycle)
                .maybe("adoption_decision", self.implementation.adoption_decision)
                .maybe("owner", self.implementation.owner),
            Part::Assessment => {
                let found = criterion.and_then(|c| self.assessment_of(c));
                f.maybe("criterion", criterion)
                    .maybe("score", found.and_then(|a| a.score))
                    .text("note", &found.map(|a| a.note.clone()).unwrap_or_default())
            }
        };
        f.0
    }

    pub fn has_item(&self, kind: ItemKind, id: ItemId) -> bool {
        match kind {
            ItemKind::Node => self.problem_tree.nodes.iter().any(|x| x.id == id),
            ItemKind::Objective => self.objectives.iter().any(|x| x.id == id),
            ItemKind::Action => self.actions.iter().any(|x| x.id == id),
            ItemKind::Funding => self.actions.iter().flat_map(|a| &a.funding).any(|x| x.id == id),
            ItemKind::SmallAction => self.small_actions.iter().any(|x| x.id == id),
            ItemKind::Risk => self.risks.iter().any(|x| x.id == id),
            ItemKind::Indicator => self.indicators.iter().any(|x| x.id == id),
            ItemKind::Milestone => self.milestones.iter().any(|x| x.id == id),
        }
    }

    /// Applies `edit`, or changes nothing and says why. A translation the edit left behind
    /// is marked stale.
    pub fn apply(&mut self, edit: &PlanEdit, known: &Known) -> Result<Edited, Invalid> {
        let before = self.clone();
        let edited = self.apply_edit(edit, known)?;
        self.mark_stale_translations(&before);
        Ok(edited)
    }

    fn apply_edit(&mut self, edit: &PlanEdit, known: &Known) -> Result<Edited, Invalid> {
        let mut check = Check {
            invalid: Invalid::new(),
            known,
        };
        match edit {
            PlanEdit::Vision(input) => {
                let vision = check.text("vision", &input.vision_lv, &input.vision_en, LONG, true);
                let vision = check.done(vision)?;
                let before = json(&self.vision);
                self.vision = vision;
                Ok(Edited {
                    item: "vision".into(),
                    before,
                    after: json(&self.vision),
                })
            }
            PlanEdit::Core(input) => {
                let core = check.text("core", &input.core_lv, &input.core_en, LONG, true);
                let owner = check.owner(&input.owner);
                let (core, owner) = check.done((core, owner))?;
                let before = json(&(&self.problem_tree.core, self.problem_tree.owner));
                self.problem_tree.core = core;
                self.problem_tree.owner = owner;
                Ok(Edited {
                    item: "core_problem".into(),
                    before,
                    after: json(&(&self.problem_tree.core, self.problem_tree.owner)),
                })
            }
            PlanEdit::Implementation(input) => {
                let implementation = Implementation {
                    governance: check.text("governance", &input.governance_lv, &input.governance_en, LONG, false),
                    review_cycle: check.text(
                        "review_cycle",
                        &input.review_cycle_lv,
                        &input.review_cycle_en,
                        LONG,
                        false,
                    ),
                    adoption_decision: check.reference("adoption_decision", &input.adoption_decision, &known.decisions),
                    owner: check.owner(&input.owner),
                };
                let implementation = check.done(implementation)?;
                let before = json(&self.implementation);
                self.implementation = implementation;
                Ok(Edited {
                    item: "implementation".into(),
                    before,
                    after: json(&self.implementation),
                })
            }
            PlanEdit::Assessment(input) => {
                let criterion: Criterion = check.choice("criterion", &input.criterion);
                let score = (!input.score.trim().is_empty()).then(|| check.scale("score", &input.score));
                let note = check.text("note", &input.note_lv, &input.note_en, LONG, false);
                let assessment = check.done(Assessment { criterion, score, note })?;
                let at = self.assessment.iter().position(|a| a.criterion == criterion);
                let before = at.and_then(|i| json(&self.assessment[i]));
                match at {
                    Some(i) => self.assessment[i] = assessment.clone(),
                    None => self.assessment.push(assessment.clone()),
                }
                Ok(Edited {
                    item: format!("assessment:{criterion}"),
                    before,
                    after: json(&assessment),
                })
            }
            PlanEdit::Save(kind, id, input) => self.save_item(*kind, *id, input, check),
            PlanEdit::Measurement(indicator, input) => {
                let value = check.value("value", &input.value);
                if value.is_none() && check.invalid.message_for("value").is_none() {
                    check.invalid.add("value", "error-required");
                }
                let on = check.invalid.date("on", &input.on);
                let at = self.indicators.iter().position(|i| i.id == *indicator);
                if at.is_none() {
                    check.invalid.add("indicator", "error-unknown");
                }
                let (value, on, at) = check.done((value, on, at))?;
                let (Some(value), Some(on), Some(at)) = (value, on, at) else {
                    return Err(Invalid::single("value", "error-required"));
                };
                let indicator = &mut self.indicators[at];
                if indicator.feed != Feed::Manual {
                    return Err(Invalid::single("value", "error-indicator-fed"));
                }
                let before = json(&indicator.measurements);
                indicator.measurements.retain(|m| m.on != on);
                indicator.measurements.push(Point { value, on });
                indicator.measurements.sort_by_key(|m| m.on);
                Ok(Edited {
                    item: format!("indicator:{}:measurements", indicator.id),
                    before,
                    after: json(&indicator.measurements),
                })
            }
            PlanEdit::RemoveMeasurement(indicator, on) => {
                let indicator = self
                    .indicators
                    .iter_mut()
                    .find(|i| i.id == *indicator)
                    .ok_or_else(|| Invalid::single("indicator", "error-unknown"))?;
                let before = json(&indicator.measurements);
                let count = indicator.measurements.len();
                indicator.measurements.retain(|m| m.on != *on);
                if indicator.measurements.len() == count {
                    return Err(Invalid::single("on", "error-unknown"));
                }
                Ok(Edited {
                    item: format!("indicator:{}:measurements", indicator.id),
                    before,
                    after: json(&indicator.measurements),
                })
            }
            PlanEdit::Remove(kind, id) => self.remove_item(*kind, *id),
        }
    }

    fn save_item(
        &mut self,
        kind: ItemKind,
        id: Option<ItemId>,
        input: &ItemInput,
        mut check: Check,
    ) -> Result<Edited, Invalid> {
        let mismatched = || Invalid::single("form", "error-bad-form");
        let known = check.known;
        let next = &mut self.next_id;
        match (kind, input) {
            (ItemKind::Node, ItemInput::Node(i)) => {
                let node = ProblemNode {
                    id: 0,
                    kind: check.choice("kind", &i.kind),
                    text: check.text("text", &i.text_lv, &i.text_en, TITLE, true),
                    evidence: check.text("evidence", &i.evidence_lv, &i.evidence_en, LONG, false),
                    owner: check.owner(&i.owner),
                };
                save(kind, &mut self.problem_tree.nodes, next, id, check.done(node)?)
            }
            (ItemKind::Objective, ItemInput::Objective(i)) => {
                let others = self.objectives.iter().filter(|o| Some(o.id) != id);
                let code = check.code("code", &i.code, others.map(|o| o.code.clone()));
                let level: ObjectiveLevel = check.choice("level", &i.level);
                let strategic = self
                    .objectives
                    .iter()
                    .filter(|o| o.level == ObjectiveLevel::Strategic && Some(o.id) != id)
                    .map(|o| o.id);
                let parent = check.item("parent", &i.parent, strategic, level == ObjectiveLevel::Specific);
                let objective = Objective {
                    id: 0,
                    code,
                    level,
                    parent: parent.filter(|_| level == ObjectiveLevel::Specific),
                    title: check.text("title", &i.title_lv, &i.title_en, TITLE, true),
                    owner: check.owner(&i.owner),
                };
                if let Some(id) = id
                    && level == ObjectiveLevel::Specific
                    && self.objectives.iter().any(|o| o.parent == Some(id))
                {
                    check.invalid.add("level", "error-objective-has-specific");
                }
                save(kind, &mut self.objectives, next, id, check.done(objective)?)
            }
            (ItemKind::Action, ItemInput::Action(i)) => {
                let others = self.actions.iter().filter(|a| Some(a.id) != id);
                let code = check.code("code", &i.code, others.map(|a| a.code.clone()));
                let objective = check.item("objective", &i.objective, self.objectives.iter().map(|o| o.id), true);
                let (starts_on, ends_on) = check.period(&i.starts_on, &i.ends_on);
                let cost = check.invalid.euros("cost", &i.cost);
                let funding = id
                    .and_then(|id| self.actions.iter().find(|a| a.id == id))
                    .map(|a| a.funding.clone())
                    .unwrap_or_default();
                let action = PlanAction {
                    id: 0,
                    code,
                    title: check.text("title", &i.title_lv, &i.title_en, TITLE, true),
                    objective: objective.unwrap_or_default(),
                    lead: check.reference("lead", &i.lead, &known.organisations),
                    partners: check
                        .invalid
                        .optional_text("partners", &i.partners, TITLE)
                        .unwrap_or_default(),
                    location: check.text("location", &i.location_lv, &i.location_en, TITLE, false),
                    starts_on,
                    ends_on,
                    cost,
                    funding,
                    initiative: check.reference("initiative", &i.initiative, &known.initiatives),
                    scenario: check.reference("scenario", &i.scenario, &known.scenarios),
                    outputs: check.text("outputs", &i.outputs_lv, &i.outputs_en, LONG, false),
                    owner: check.owner(&i.owner),
                };
                save(kind, &mut self.actions, next, id, check.done(action)?)
            }
            (ItemKind::Funding, ItemInput::Funding(action, i)) => {
                let funding = Funding {
                    id: 0,
                    source: check.choice("source", &i.source),
                    detail: check
                        .invalid
                        .optional_text("detail", &i.detail, TITLE)
                        .unwrap_or_default(),
                    amount: check.invalid.euros("amount", &i.amount),
                    status: check.choice("status", &i.status),
                };
                let Some(action) = self.actions.iter_mut().find(|a| a.id == *action) else {
                    check.invalid.add("action", "error-unknown");
                    return Err(check.invalid);
                };
                save(kind, &mut action.funding, next, id, check.done(funding)?)
            }
            (ItemKind::SmallAction, ItemInput::SmallAction(i)) => {
                let others = self.small_actions.iter().filter(|a| Some(a.id) != id);
                let code = check.code("code", &i.code, others.map(|a| a.code.clone()));
                let (starts_on, ends_on) = check.period(&i.starts_on, &i.ends_on);
                let small = SmallAction {
                    id: 0,
                    code,
                    title: check.text("title", &i.title_lv, &i.title_en, TITLE, true),
                    hypothesis: check.text("hypothesis", &i.hypothesis_lv, &i.hypothesis_en, LONG, true),
                    starts_on,
                    ends_on,
                    budget: check.invalid.euros("budget", &i.budget),
                    learning: check.text("learning", &i.learning_lv, &i.learning_en, LONG, false),
                    decision: if i.decision.trim().is_empty() {
                        ScaleUp::Pending
                    } else {
                        check.choice("decision", &i.decision)
                    },
                    owner: check.owner(&i.owner),
                };
                save(kind, &mut self.small_actions, next, id, check.done(small)?)
            }
            (ItemKind::Risk, ItemInput::Risk(i)) => {
                let risk = Risk {
                    id: 0,
                    title: check.text("title", &i.title_lv, &i.title_en, TITLE, true),
                    likelihood: check.scale("likelihood", &i.likelihood),
                    impact: check.scale("impact", &i.impact),
                    mitigation: check.text("mitigation", &i.mitigation_lv, &i.mitigation_en, LONG, false),
                    action: check.item("action", &i.action, self.actions.iter().map(|a| a.id), false),
                    owner: check.owner(&i.owner),
                };
                save(kind, &mut self.risks, next, id, check.done(risk)?)
            }
            (ItemKind::Indicator, ItemInput::Indicator(i)) => {
                let others = self.indicators.iter().filter(|x| Some(x.id) != id);
                let code = check.code("code", &i.code, others.map(|x| x.code.clone()));
                let feed = if i.feed.trim().is_empty() {
                    Feed::Manual
                } else {
                    check.choice("feed", &i.feed)
                };
                let measurements = id
                    .and_then(|id| self.indicators.iter().find(|x| x.id == id))
                    .filter(|_| feed == Feed::Manual)
                    .map(|x| x.measurements.clone())
                    .unwrap_or_default();
                let indicator = Indicator {
                    id: 0,
                    code,
                    kind: check.choice("kind", &i.kind),
                    title: check.text("title", &i.title_lv, &i.title_en, TITLE, true),
                    unit: check.text("unit", &i.unit_lv, &i.unit_en, SHORT, true),
                    objective: check.item("objective", &i.objective, self.objectives.iter().map(|o| o.id), false),
                    baseline: check.point("baseline", &i.baseline_value, &i.baseline_on),
                    target: check.point("target", &i.target_value, &i.target_on),
                    feed,
                    measurements,
                    owner: check.owner(&i.owner),
                };
                if let (Some(b), Some(t)) = (indicator.baseline, indicator.target)
                    && t.on < b.on
                {
                    check.invalid.add("target_on", "error-target-before-baseline");
                }
                save(kind, &mut self.indicators, next, id, check.done(indicator)?)
            }
            (ItemKind::Milestone, ItemInput::Milestone(i)) => {
                let due_on = check.invalid.date("due_on", &i.due_on);
                let milestone = Milestone {
                    id: 0,
                    title: check.text("title", &i.title_lv, &i.title_en, TITLE, true),
                    due_on: due_on.unwrap_or_default(),
                    done_on: check.invalid.optional_date("done_on", &i.done_on),
                    meeting: check.reference("meeting", &i.meeting, &known.meetings),
                    owner: check.owner(&i.owner),
                };
                save(kind, &mut self.milestones, next, id, check.done(milestone)?)
            }
            _ => Err(mismatched()),
        }
    }

    fn remove_item(&mut self, kind: ItemKind, id: ItemId) -> Result<Edited, Invalid> {
        let in_use = |used: bool| {
            if used {
                Err(Invalid::single("item", "error-in-use"))
            } else {
                Ok(())
            }
        };
        match kind {
            ItemKind::Node => remove(kind, &mut self.problem_tree.nodes, id),
            ItemKind::Objective => {
                in_use(
                    self.actions.iter().any(|a| a.objective == id)
                        || self.indicators.iter().any(|i| i.objective == Some(id))
                        || self.objectives.iter().any(|o| o.parent == Some(id)),
                )?;
                remove(kind, &mut self.objectives, id)
            }
            ItemKind::Action => {
                in_use(self.risks.iter().any(|r| r.action == Some(id)))?;
                remove(kind, &mut self.actions, id)
            }
            ItemKind::Funding => {
                let action = self
                    .actions
                    .iter_mut()
                    .find(|a| a.funding.iter().any(|f| f.id == id))
                    .ok_or_else(|| Invalid::single("item", "error-unknown"))?;
                remove(kind, &mut action.funding, id)
            }
            ItemKind::SmallAction => remove(kind, &mut self.small_actions, id),
            ItemKind::Risk => remove(kind, &mut self.risks, id),
            ItemKind::Indicator => remove(kind, &mut self.indicators, id),
            ItemKind::Milestone => remove(kind, &mut self.milestones, id),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn known() -> Known {
        Known {
            people: [1, 2].into(),
            organisations: [10, 11].into(),
            initiatives: [20].into(),
            decisions: [30].into(),
            meetings: [40].into(),
            scenarios: [50].into(),
        }
    }

    pub fn fields(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn a_translation_left_behind_by_a_change_is_stale_until_written_again() {
        let mut plan = Plan::default();
        let vision = |plan: &mut Plan, lv: &str, en: &str| {
            let edit = PlanEdit::part(Part::Vision, &fields(&[("vision_lv", lv), ("vision_en", en)])).unwrap();
            plan.apply(&edit, &known()).unwrap();
            plan.vision.stale
        };
        assert_eq!(vision(&mut plan, "Velosipēdu novads", ""), None);
        assert_eq!(
            vision(&mut plan, "Velosipēdu novads", "Cycling municipality"),
            None,
            "a first translation"
        );
        assert_eq!(
            vision(
                &mut plan,
                "Velosipēdistiem draudzīgākais novads",
                "Cycling municipality"
            ),
            Some(Language::En),
            "the Latvian changed, the English did not"
        );
        assert_eq!(plan.untranslated().len(), 1, "the translation view lists it");
        // An action's text keeps its state when its code changes, and an unrelated change
        // leaves the vision's mark alone.
        save(
            &mut plan,
            ItemKind::Objective,
            &[
                ("code", "SO1"),
                ("level", "strategic"),
                ("title_lv", "Droši"),
                ("title_en", "Safe"),
            ],
        )
        .unwrap();
        assert_eq!(plan.vision.stale, Some(Language::En));
        assert_eq!(
            vision(
                &mut plan,
                "Velosipēdistiem draudzīgākais novads",
                "The most bicycle-friendly municipality"
            ),
            None,
            "written again"
        );
        assert_eq!(
            vision(
                &mut plan,
                "Velosipēdistiem draudzīgākais novads",
                "The most cycle-friendly municipality"
            ),
            Some(Language::Lv),
            "either language can be the one left behind"
        );
    }

    pub fn save(plan: &mut Plan, kind: ItemKind, pairs: &[(&str, &str)]) -> Result<Edited, Invalid> {
        plan.apply(&PlanEdit::save(kind, None, &fields(pairs))?, &known())
    }

    /// A plan with one strategic and one specific objective and one action.
    pub fn small_plan() -> Plan {
        let mut plan = Plan::default();
        save(
            &mut plan,
            ItemKind::Objective,
            &[("code", "SO1"), ("level", "strategic"), ("title_lv", "Droši ceļi")],
        )
        .unwrap();
        save(
            &mut plan,
            ItemKind::Objective,
            &[
                ("code", "O1.1"),
                ("level", "specific"),
                ("parent", "1"),
                ("title_en", "Safe crossings"),
            ],
        )
        .unwrap();
        save(
            &mut plan,
            ItemKind::Action,
            &[
                ("code", "A1"),
                ("title_lv", "Gājēju pāreja pie skolas"),
                ("objective", "2"),
                ("lead", "10"),
                ("starts_on", "2021-04-01"),
                ("ends_on", "2021-10-31"),
                ("cost", "25 000"),
            ],
        )
        .unwrap();
        plan
    }

    #[test]
    fn an_action_is_added_with_its_funding_and_a_risk() {
        let mut plan = small_plan();
        let action = plan.actions[0].id;
        let edited = plan
            .apply(
                &PlanEdit::save(
                    ItemKind::Funding,
                    None,
                    &fields(&[
                        ("action", &action.to_string()),
                        ("source", "municipal"),
                        ("amount", "15000"),
                        ("status", "secured"),
                    ]),
                )
                .unwrap(),
                &known(),
            )
            .unwrap();
        assert!(edited.before.is_none());
        assert_eq!(plan.actions[0].funded(), 1_500_000);
        save(
            &mut plan,
            ItemKind::Risk,
            &[
                ("title_en", "Owner withdraws"),
                ("likelihood", "2"),
                ("impact", "4"),
                ("action", &action.to_string()),
            ],
        )
        .unwrap();
        assert_eq!(plan.risks[0].score(), 8);
        let ids: HashSet<ItemId> = [
            plan.objectives[0].id,
            plan.objectives[1].id,
            action,
            plan.actions[0].funding[0].id,
            plan.risks[0].id,
        ]
        .into();
        assert_eq!(ids.len(), 5, "every item has its own id");
    }

    #[test]
    fn bad_input_is_refused_field_by_field_and_changes_nothing() {
        let mut plan = small_plan();
        let before = plan.clone();
        let refused = save(
            &mut plan,
            ItemKind::Action,
            &[
                ("code", "a1"),
                ("title_lv", "Otra"),
                ("objective", "99"),
                ("lead", "12"),
                ("starts_on", "2021-05-01"),
                ("ends_on", "2021-04-01"),
                ("cost", "-500"),
            ],
        )
        .unwrap_err();
        assert_eq!(refused.message_for("code"), Some("error-code-taken"));
        assert_eq!(refused.message_for("objective"), Some("error-unknown"));
        assert_eq!(refused.message_for("lead"), Some("error-unknown"));
        assert_eq!(refused.message_for("ends_on"), Some("error-ends-before-start"));
        assert_eq!(refused.message_for("cost"), Some("error-negative-amount"));
        let risky = save(
            &mut plan,
            ItemKind::Risk,
            &[("title_en", "Flood"), ("likelihood", "7"), ("impact", "0")],
        )
        .unwrap_err();
        assert_eq!(risky.message_for("likelihood"), Some("error-out-of-range"));
        assert_eq!(risky.message_for("impact"), Some("error-out-of-range"));
        let untitled = save(&mut plan, ItemKind::Risk, &[("likelihood", "2"), ("impact", "2")]).unwrap_err();
        assert_eq!(untitled.message_for("title_lv"), Some("error-required-one-language"));
        let orphan = save(
            &mut plan,
            ItemKind::Objective,
            &[("code", "O9"), ("level", "specific"), ("title_lv", "x")],
        )
        .unwrap_err();
        assert_eq!(orphan.message_for("parent"), Some("error-required"));
        let half = save(
            &mut plan,
            ItemKind::Indicator,
            &[
                ("code", "I1"),
                ("kind", "output"),
                ("title_lv", "x"),
                ("unit_lv", "gab."),
                ("baseline_value", "3"),
            ],
        )
        .unwrap_err();
        assert_eq!(half.message_for("baseline_on"), Some("error-required"));
        assert_eq!(plan, before);
    }

    #[test]
    fn removing_what_others_point_to_is_refused() {
        let mut plan = small_plan();
        let strategic = plan.objectives[0].id;
        let specific = plan.objectives[1].id;
        let in_use = plan
            .apply(&PlanEdit::Remove(ItemKind::Objective, strategic), &known())
            .unwrap_err();
        assert_eq!(in_use.message_for("item"), Some("error-in-use"));
        let in_use = plan
            .apply(&PlanEdit::Remove(ItemKind::Objective, specific), &known())
            .unwrap_err();
        assert_eq!(in_use.message_for("item"), Some("error-in-use"));
        let action = plan.actions[0].id;
        plan.apply(&PlanEdit::Remove(ItemKind::Action, action), &known())
            .unwrap();
        plan.apply(&PlanEdit::Remove(ItemKind::Objective, specific), &known())
            .unwrap();
        assert_eq!(plan.objectives.len(), 1);
    }

    #[test]
    fn measurements_are_kept_by_day_in_order() {
        let mut plan = small_plan();
        save(
            &mut plan,
            ItemKind::Indicator,
            &[
                ("code", "I1"),
                ("kind", "result"),
                ("title_lv", "Velo braucieni"),
                ("unit_lv", "%"),
                ("baseline_value", "4,5"),
                ("baseline_on", "2020-09-01"),
            ],
        )
        .unwrap();
        let id = plan.indicators[0].id;
        for (value, on) in [("7", "2022-09-01"), ("5", "2021-09-01"), ("6", "2022-09-01")] {
            let input = MeasurementInput {
                value: value.into(),
                on: on.into(),
            };
            plan.apply(&PlanEdit::Measurement(id, input), &known()).unwrap();
        }
        let values: Vec<f64> = plan.indicators[0].measurements.iter().map(|m| m.value).collect();
        assert_eq!(values, [5.0, 6.0]);
        assert_eq!(plan.indicators[0].baseline.unwrap().value, 4.5);
        let bad = MeasurementInput {
            value: "NaN".into(),
            on: "2023-01-01".into(),
        };
        let refused = plan.apply(&PlanEdit::Measurement(id, bad), &known()).unwrap_err();
        assert_eq!(refused.message_for("value"), Some("error-decimal"));
    }
    #[test]
    fn the_network_score_reads_its_baseline_and_measurements_from_analyses_and_its_target_from_scenarios() {
        let mut plan = small_plan();
        save(
            &mut plan,
            ItemKind::Indicator,
            &[
                ("code", "I1"),
                ("kind", "result"),
                ("title_lv", "Zema stresa savienojamība"),
                ("unit_lv", "punkti"),
                ("baseline_value", "1"),
                ("baseline_on", "2021-06-01"),
                ("feed", "network_score"),
            ],
        )
        .unwrap();
        let day = |d: &str| d.parse::<NaiveDate>().unwrap();
        let measured = Measured {
            network_scores: [("2020-05-01", 20.0), ("2021-05-01", 22.0), ("2022-05-01", 25.0)]
                .map(|(on, value)| Point { value, on: day(on) })
                .to_vec(),
            expected_score: Some(30.0),
            ..Measured::default()
        };
        plan.record_feeds(&measured, day("2022-06-01"));
        let indicator = &plan.indicators[0];
        // The analysis on or before the baseline's day, whatever value was typed.
        assert_eq!(
            indicator.baseline,
            Some(Point {
                value: 22.0,
                on: day("2021-05-01")
            })
        );
        assert_eq!(
            indicator.measurements,
            [Point {
                value: 25.0,
                on: day("2022-05-01")
            }]
        );
        assert_eq!(indicator.target, None, "no action has a scenario yet");

        let action = plan.actions[0].id;
        let mut fields = plan.item_fields(ItemKind::Action, action).unwrap();
        fields.insert("scenario".into(), "50".into());
        plan.apply(
            &PlanEdit::save(ItemKind::Action, Some(action), &fields).unwrap(),
            &known(),
        )
        .unwrap();
        assert_eq!(plan.actions[0].scenario, Some(50));
        plan.record_feeds(&measured, day("2022-06-01"));
        let target = plan.indicators[0].target.unwrap();
        assert_eq!((target.value, target.on), (30.0, plan.actions[0].ends_on));

        fields.insert("scenario".into(), "51".into());
        let refused = plan
            .apply(
                &PlanEdit::save(ItemKind::Action, Some(action), &fields).unwrap(),
                &known(),
            )
            .unwrap_err();
        assert_eq!(refused.message_for("scenario"), Some("error-unknown"));
    }
}

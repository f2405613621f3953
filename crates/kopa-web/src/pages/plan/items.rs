//! Editing the draft. Each item has a page with its form, its comments, and for an action its
//! funding, for an indicator its measurements. The whole parts (vision, core problem,
//! implementation, self-assessment) have a page each. A submitted version refuses them all.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::Response;
use kopa_domain::Action;
use kopa_domain::plan::edit::{Fields, ItemKind, MeasurementInput, Part, PlanEdit};
use kopa_domain::plan::{
    Criterion, Feed, FundingSource, FundingStatus, IndicatorKind, ItemId, Names, NodeKind, ObjectiveLevel, Plan,
    ScaleUp,
};
use kopa_domain::validation::Code;
use kopa_store::{PlanComment, PlanVersion};
use serde::Deserialize;

use super::{euros, options, readable};
use crate::context::{Form, Scope, parse_id};
use crate::error::WebError;
use crate::pages::cooperation::{code_options, with_blank};
use crate::pages::{Chrome, FormState, refusal, render, render_refused, see_other};

/// The choices the plan's forms offer.
#[derive(Default)]
struct Options {
    people: Vec<(String, String)>,
    organisations: Vec<(String, String)>,
    initiatives: Vec<(String, String)>,
    scenarios: Vec<(String, String)>,
    meetings: Vec<(String, String)>,
    decisions: Vec<(String, String)>,
    objectives: Vec<(String, String)>,
    strategic: Vec<(String, String)>,
    actions: Vec<(String, String)>,
    node_kinds: Vec<(String, String)>,
    levels: Vec<(String, String)>,
    sources: Vec<(String, String)>,
    statuses: Vec<(String, String)>,
    decisions_after_test: Vec<(String, String)>,
    indicator_kinds: Vec<(String, String)>,
    feeds: Vec<(String, String)>,
    criteria: Vec<(String, String)>,
    scores: Vec<(String, String)>,
    scale: Vec<(String, String)>,
}

impl Options {
    fn new(scope: &Scope, plan: &Plan, names: &Names) -> Options {
        let none = || scope.t("plan-none-chosen");
        let decisions = names
            .decisions
            .iter()
            .map(|(id, (_, label))| (*id, label.clone()))
            .collect();
        let objectives: Vec<(String, String)> = plan
            .objectives
            .iter()
            .map(|o| {
                (
                    o.id.to_string(),
                    format!("{} {}", o.code, o.title.shown_in(scope.locale.language()).text),
                )
            })
            .collect();
        let strategic = plan
            .objectives
            .iter()
            .filter(|o| o.level == ObjectiveLevel::Strategic)
            .map(|o| {
                (
                    o.id.to_string(),
                    format!("{} {}", o.code, o.title.shown_in(scope.locale.language()).text),
                )
            })
            .collect();
        let actions = plan
            .actions
            .iter()
            .map(|a| {
                (
                    a.id.to_string(),
                    format!("{} {}", a.code, a.title.shown_in(scope.locale.language()).text),
                )
            })
            .collect();
        let scenarios = names
            .scenarios
            .iter()
            .map(|(id, (title, expected))| (*id, format!("{title} ({:+.1})", expected.gain())))
            .collect();
        let scale: Vec<(String, String)> = (1..=5)
            .map(|n| (n.to_string(), scope.t(&format!("plan-scale-{n}"))))
            .collect();
        Options {
            people: options(&names.people, none()),
            organisations: options(&names.organisations, none()),
            initiatives: options(&names.initiatives, none()),
            scenarios: options(&scenarios, none()),
            meetings: options(&names.meetings, none()),
            decisions: options(&decisions, none()),
            objectives: with_blank(none(), objectives),
            strategic: with_blank(none(), strategic),
            actions: with_blank(none(), actions),
            node_kinds: code_options::<NodeKind>(scope, "plan-node"),
            levels: code_options::<ObjectiveLevel>(scope, "plan-level"),
            sources: code_options::<FundingSource>(scope, "funding-source"),
            statuses: code_options::<FundingStatus>(scope, "funding-status"),
            decisions_after_test: code_options::<ScaleUp>(scope, "scale-up"),
            indicator_kinds: code_options::<IndicatorKind>(scope, "indicator-kind"),
            feeds: code_options::<Feed>(scope, "feed"),
            criteria: code_options::<Criterion>(scope, "criterion"),
            scores: with_blank(none(), scale.clone()),
            scale,
        }
    }
}

/// What the page edits: an item of a kind, or a whole part.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Subject {
    Item(ItemKind, Option<ItemId>),
    Part(Part),
}

impl Subject {
    fn code(&self) -> &'static str {
        match self {
            Subject::Item(kind, _) => kind.code(),
            Subject::Part(part) => part.code(),
        }
    }

    /// The address comments on it use, when it takes comments.
    fn comment_item(&self) -> Option<String> {
        match self {
            Subject::Item(kind, Some(id)) => Some(format!("{kind}:{id}")),
            _ => None,
        }
    }
}

struct FundingRow {
    id: ItemId,
    source: String,
    detail: String,
    amount: String,
    status: String,
}

#[derive(Template)]
#[template(path = "plan_item.html")]
struct ItemPage {
    page: Chrome,
    number: i64,
    subject: Subject,
    editable: bool,
    submitted: bool,
    form: FormState,
    options: Options,
    funding: Vec<FundingRow>,
    funding_form: FormState,
    /// A manually measured indicator's values: shown date, ISO date, value.
    measurements: Vec<(String, String, String)>,
    counted: bool,
    measurement_form: FormState,
    comments: Vec<PlanComment>,
}

impl ItemPage {
    fn kind(&self) -> &'static str {
        self.subject.code()
    }

    fn base(&self) -> String {
        format!("/w/{}/plan/versions/{}", self.page.slug(), self.number)
    }

    fn action(&self) -> String {
        match self.subject {
            Subject::Item(kind, Some(id)) => format!("{}/items/{kind}/{id}", self.base()),
            Subject::Item(kind, None) => format!("{}/items/{kind}/new", self.base()),
            Subject::Part(part) => format!("{}/parts/{part}", self.base()),
        }
    }

    fn id(&self) -> Option<ItemId> {
        match self.subject {
            Subject::Item(_, id) => id,
            Subject::Part(_) => None,
        }
    }

    fn is_new(&self) -> bool {
        matches!(self.subject, Subject::Item(_, None))
    }

    fn comment_item(&self) -> String {
        self.subject.comment_item().unwrap_or_default()
    }

    fn here(&self) -> String {
        self.action()
    }
}

/// Everything an item page needs besides its forms.
struct Loaded {
    version: PlanVersion,
    names: Names,
}

async fn load(scope: &Scope, number: i64) -> Result<Loaded, WebError> {
    let version = readable(scope, number).await?;
    let names = scope.app().plan_item_names(&scope.caller(), &version).await?;
    Ok(Loaded { version, names })
}

#[derive(Default)]
struct Forms {
    main: Option<FormState>,
    funding: FormState,
    measurement: FormState,
}

async fn item_page(
    scope: &Scope,
    number: i64,
    subject: Subject,
    criterion: Option<Criterion>,
    forms: Forms,
    status_refused: bool,
) -> Result<Response, WebError> {
    let Loaded { version, names } = load(scope, number).await?;
    let plan = &version.plan;
    let editable = scope.may(Action::ManagePlan) && !version.info.is_submitted();
    let form = match (forms.main, subject) {
        (Some(form), _) => form,
        (None, Subject::Item(kind, Some(id))) => FormState::new(
            plan.item_fields(kind, id).ok_or(WebError::NotFound)?,
            Default::default(),
        ),
        (None, Subject::Item(ItemKind::Funding, None)) => FormState::with_defaults(&[("status", "planned")]),
        (None, Subject::Item(_, None)) => FormState::default(),
        (None, Subject::Part(part)) => FormState::new(plan.part_fields(part, criterion), Default::default()),
    };
    if !editable && scope.may(Action::ViewPlan) && subject.comment_item().is_none() {
        // Only items take comments; a whole part is read on the plan page.
        return Ok(see_other(&format!(
            "/w/{}/plan/versions/{number}",
            scope.workspace.slug
        )));
    }
    let page = Chrome::for_scope(scope, "nav-plan");
    let (mut funding, mut measurements, mut counted) = (Vec::new(), Vec::new(), false);
    if let Subject::Item(ItemKind::Action, Some(id)) = subject {
        let action = plan.action(id).ok_or(WebError::NotFound)?;
        funding = action
            .funding
            .iter()
            .map(|f| FundingRow {
                id: f.id,
                source: page.code("funding-source", f.source),
                detail: f.detail.clone(),
                amount: euros(&page, f.amount),
                status: page.code("funding-status", f.status),
            })
            .collect();
    }
    if let Subject::Item(ItemKind::Indicator, Some(id)) = subject {
        let indicator = plan.indicators.iter().find(|i| i.id == id).ok_or(WebError::NotFound)?;
        counted = indicator.feed != Feed::Manual;
        measurements = indicator
            .measurements
            .iter()
            .map(|m| (page.date(m.on), m.on.to_string(), kopa_report::number(m.value)))
            .collect();
    }
    let comments = match subject.comment_item() {
        Some(item) if scope.may(Action::ViewPlan) => scope.app().plan_comments(&scope.caller(), Some(&item)).await?,
        _ => Vec::new(),
    };
    let action_id = subject_id(subject).map(|id| id.to_string()).unwrap_or_default();
    let funding_form = if forms.funding.has_errors() {
        forms.funding
    } else {
        FormState::with_defaults(&[("status", "planned"), ("action", &action_id)])
    };
    let template = ItemPage {
        options: Options::new(scope, plan, &names),
        number,
        subject,
        editable,
        submitted: version.info.is_submitted(),
        form: form.named("item"),
        funding,
        funding_form: funding_form.named("funding"),
        measurements,
        counted,
        measurement_form: forms.measurement.named("measurement"),
        comments,
        page,
    };
    if status_refused {
        render_refused(template)
    } else {
        render(template)
    }
}

fn subject_id(subject: Subject) -> Option<ItemId> {
    match subject {
        Subject::Item(_, id) => id,
        Subject::Part(_) => None,
    }
}

fn kind_of(text: &str) -> Result<ItemKind, WebError> {
    ItemKind::from_code(text).ok_or(WebError::NotFound)
}

fn item_id(text: &str) -> Result<ItemId, WebError> {
    text.parse().map_err(|_| WebError::NotFound)
}

/// Where the browser goes after a change: the action's page for its funding, the item's own
/// page for a new action or indicator (to fund or measure it next), else the plan.
fn after_save(scope: &Scope, number: i64, kind: ItemKind, id: Option<ItemId>, fields: &Fields, item: &str) -> String {
    let base = format!("/w/{}/plan/versions/{number}", scope.workspace.slug);
    let saved: Option<ItemId> = item.rsplit(':').next().and_then(|id| id.parse().ok());
    match (kind, id) {
        (ItemKind::Funding, _) => format!(
            "{base}/items/action/{}#funding",
            fields.get("action").map_or("", String::as_str)
        ),
        (ItemKind::Action | ItemKind::Indicator, None) => {
            format!("{base}/items/{kind}/{}", saved.unwrap_or_default())
        }
        _ => format!("{base}#{}", item_anchor(kind, saved.or(id).unwrap_or_default())),
    }
}

type ItemPath = Path<(String, String, String, String)>;
type NewPath = Path<(String, String, String)>;

#[derive(Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    pub action: Option<String>,
}

pub async fn new_form(
    scope: Scope,
    Path((_, number, kind)): NewPath,
    Query(query): Query<NewQuery>,
) -> Result<Response, WebError> {
    scope.require(Action::ManagePlan)?;
    let (number, kind) = (parse_id(&number)?, kind_of(&kind)?);
    let mut forms = Forms::default();
    if let Some(action) = query.action {
        forms.main = Some(FormState::with_defaults(&[("action", &action), ("status", "planned")]));
    }
    item_page(&scope, number, Subject::Item(kind, None), None, forms, false).await
}

pub async fn show(scope: Scope, Path((_, number, kind, id)): ItemPath) -> Result<Response, WebError> {
    scope.require(Action::ViewPlan)?;
    let subject = Subject::Item(kind_of(&kind)?, Some(item_id(&id)?));
    item_page(&scope, parse_id(&number)?, subject, None, Forms::default(), false).await
}

async fn apply(
    scope: &Scope,
    number: i64,
    subject: Subject,
    edit: Result<PlanEdit, kopa_domain::Invalid>,
    fields: Fields,
    criterion: Option<Criterion>,
) -> Result<Response, WebError> {
    let outcome = match edit {
        Ok(edit) => scope.app().edit_plan(&scope.caller(), number, &edit).await,
        Err(invalid) => Err(invalid.into()),
    };
    let (outcome, item) = match outcome {
        Ok(edited) => (Ok(()), edited.item),
        Err(error) => (Err(error), String::new()),
    };
    let Some(invalid) = refusal(outcome)? else {
        let target = match subject {
            Subject::Item(kind, id) => after_save(scope, number, kind, id, &fields, &item),
            Subject::Part(part) => format!(
                "/w/{}/plan/versions/{number}#{}",
                scope.workspace.slug,
                part_anchor(part)
            ),
        };
        return Ok(see_other(&target));
    };
    let state = FormState::new(fields, invalid);
    let forms = match subject {
        Subject::Item(ItemKind::Funding, _) => {
            // A refused funding line is shown again on its action's page.
            let action = state.value("action").parse::<ItemId>().ok();
            let forms = Forms {
                funding: state,
                ..Forms::default()
            };
            if let Some(action) = action.filter(|_| subject_id(subject).is_none()) {
                return item_page(
                    scope,
                    number,
                    Subject::Item(ItemKind::Action, Some(action)),
                    None,
                    forms,
                    true,
                )
                .await;
            }
            Forms {
                main: Some(forms.funding),
                ..Forms::default()
            }
        }
        _ => Forms {
            main: Some(state),
            ..Forms::default()
        },
    };
    item_page(scope, number, subject, criterion, forms, true).await
}

/// The plan page's section that lists items of `kind`.
pub fn section_anchor(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::Node => "context",
        ItemKind::Objective => "objectives",
        ItemKind::Action | ItemKind::Funding => "actions",
        ItemKind::SmallAction => "small-actions",
        ItemKind::Risk => "risks",
        ItemKind::Indicator => "indicators",
        ItemKind::Milestone => "roadmap",
    }
}

/// An item's place on the plan page, e.g. `action-7`, as the readiness check links to it.
pub fn item_anchor(kind: ItemKind, id: ItemId) -> String {
    format!("{}-{id}", kind.code().replace('_', "-"))
}

fn part_anchor(part: Part) -> &'static str {
    match part {
        Part::Vision => "vision",
        Part::Core => "context",
        Part::Implementation => "implementation",
        Part::Assessment => "assessment",
    }
}

pub async fn add(
    scope: Scope,
    Path((_, number, kind)): NewPath,
    form: Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    scope.require(Action::ManagePlan)?;
    let (number, kind) = (parse_id(&number)?, kind_of(&kind)?);
    let edit = PlanEdit::save(kind, None, &form.input);
    apply(&scope, number, Subject::Item(kind, None), edit, form.values, None).await
}

pub async fn save(
    scope: Scope,
    Path((_, number, kind, id)): ItemPath,
    form: Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    scope.require(Action::ManagePlan)?;
    let (number, kind, id) = (parse_id(&number)?, kind_of(&kind)?, item_id(&id)?);
    let edit = PlanEdit::save(kind, Some(id), &form.input);
    apply(&scope, number, Subject::Item(kind, Some(id)), edit, form.values, None).await
}

pub async fn remove(scope: Scope, Path((_, number, kind, id)): ItemPath) -> Result<Response, WebError> {
    scope.require(Action::ManagePlan)?;
    let (number, kind, id) = (parse_id(&number)?, kind_of(&kind)?, item_id(&id)?);
    let version = readable(&scope, number).await?;
    let back_to = match kind {
        ItemKind::Funding => version
            .plan
            .actions
            .iter()
            .find(|a| a.funding.iter().any(|f| f.id == id))
            .map(|a| format!("/items/action/{}#funding", a.id)),
        _ => Some(format!("#{}", section_anchor(kind))),
    };
    scope
        .app()
        .edit_plan(&scope.caller(), number, &PlanEdit::Remove(kind, id))
        .await?;
    Ok(see_other(&format!(
        "/w/{}/plan/versions/{number}{}",
        scope.workspace.slug,
        back_to.unwrap_or_default()
    )))
}

type PartPath = Path<(String, String, String)>;

#[derive(Deserialize, Default)]
pub struct PartQuery {
    #[serde(default)]
    pub criterion: Option<String>,
}

fn part_of(text: &str) -> Result<Part, WebError> {
    Part::from_code(text).ok_or(WebError::NotFound)
}

pub async fn part_form(
    scope: Scope,
    Path((_, number, part)): PartPath,
    Query(query): Query<PartQuery>,
) -> Result<Response, WebError> {
    scope.require(Action::ManagePlan)?;
    let part = part_of(&part)?;
    let criterion = query.criterion.as_deref().and_then(Criterion::from_code);
    item_page(
        &scope,
        parse_id(&number)?,
        Subject::Part(part),
        criterion,
        Forms::default(),
        false,
    )
    .await
}

pub async fn save_part(
    scope: Scope,
    Path((_, number, part)): PartPath,
    form: Form<HashMap<String, String>>,
) -> Result<Response, WebError> {
    scope.require(Action::ManagePlan)?;
    let (number, part) = (parse_id(&number)?, part_of(&part)?);
    let criterion = form.input.get("criterion").and_then(|c| Criterion::from_code(c));
    let edit = PlanEdit::part(part, &form.input);
    apply(&scope, number, Subject::Part(part), edit, form.values, criterion).await
}

pub async fn measure(
    scope: Scope,
    Path((_, number, id)): PartPath,
    form: Form<MeasurementInput>,
) -> Result<Response, WebError> {
    scope.require(Action::ManagePlan)?;
    let (number, id) = (parse_id(&number)?, item_id(&id)?);
    let measurement = PlanEdit::Measurement(id, form.input.clone());
    let outcome = scope.app().edit_plan(&scope.caller(), number, &measurement).await;
    let Some(invalid) = refusal(outcome)? else {
        return Ok(see_other(&format!(
            "/w/{}/plan/versions/{number}/items/indicator/{id}#measurements",
            scope.workspace.slug
        )));
    };
    let forms = Forms {
        measurement: FormState::new(form.values, invalid),
        ..Forms::default()
    };
    item_page(
        &scope,
        number,
        Subject::Item(ItemKind::Indicator, Some(id)),
        None,
        forms,
        true,
    )
    .await
}

pub async fn remove_measurement(scope: Scope, Path((_, number, id, on)): ItemPath) -> Result<Response, WebError> {
    scope.require(Action::ManagePlan)?;
    let (number, id) = (parse_id(&number)?, item_id(&id)?);
    let on = on.parse().map_err(|_| WebError::NotFound)?;
    scope
        .app()
        .edit_plan(&scope.caller(), number, &PlanEdit::RemoveMeasurement(id, on))
        .await?;
    Ok(see_other(&format!(
        "/w/{}/plan/versions/{number}/items/indicator/{id}#measurements",
        scope.workspace.slug
    )))
}

//! The Integrated Action Plan: the plan page of any version, the versions and their
//! comparison, the readiness check, the translation view, submitting, and the network's
//! view of every partner city's submitted plans. Editing items lives in [`items`].

pub mod export;
pub mod items;

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::Response;
use chrono::NaiveDate;
use kopa_domain::Action;
use kopa_domain::money::format_euros;
use kopa_domain::plan::compare::{ChangeKind, SectionChanges};
use kopa_domain::plan::funding::FundingSummary;
use kopa_domain::plan::readiness::Gap;
use kopa_domain::plan::roadmap::MilestoneState;
use kopa_domain::plan::{
    Criterion, FundingStatus, ItemId, Milestone, Names, NodeKind, Plan, PlanAction, Section, Text,
};
use kopa_domain::validation::Code;
use kopa_domain::workspace::Workspace;
use kopa_report::plan::pictures;
use kopa_report::{Arg, Words, number};
use kopa_store::{PlanVersion, VersionInfo};
use serde::Deserialize;

use super::cooperation::today;
use super::{Chrome, form_refusal, render, see_other};
use crate::AppState;
use crate::context::{Form, Scope, Visitor, parse_id};
use crate::error::WebError;
use kopa_domain::Invalid;

/// Choices for a form, after an empty first one labelled `blank`.
pub fn options(map: &HashMap<i64, String>, blank: String) -> Vec<(String, String)> {
    let mut options: Vec<(String, String)> = map.iter().map(|(id, name)| (id.to_string(), name.clone())).collect();
    options.sort_by(|a, b| a.1.cmp(&b.1));
    std::iter::once((String::new(), blank)).chain(options).collect()
}

/// Version `number`, if the visitor may read it.
async fn readable(scope: &Scope, number: i64) -> Result<PlanVersion, WebError> {
    Ok(scope.app().plan_version(&scope.caller(), number).await?)
}

/// Money in the reader's style.
pub fn euros(page: &Chrome, cents: i64) -> String {
    format_euros(cents, page.lang())
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    page: Chrome,
    version: VersionInfo,
    /// The newest version's number, to offer the next draft from the last submitted one.
    newest: i64,
    plan: Plan,
    names: Names,
    /// A draft the visitor may change.
    editable: bool,
    may_open_draft: bool,
    may_publish: bool,
    may_comment: bool,
    gaps: usize,
    untranslated: usize,
    funding: FundingSummary,
    comments: HashMap<String, usize>,
    today: NaiveDate,
    tree: String,
    gantt: Vec<String>,
    heat_map: String,
    trends: Vec<(String, String)>,
    /// The scenarios of the actions evaluated together, where any action has one.
    combined: Option<std::sync::Arc<kopa_app::CombinedScenario>>,
    /// Why the submission just sent was refused, shown beside its form.
    submit_refused: Option<String>,
}

impl PlanPage {
    /// An action's expected effect: its scenario's title and the change in score it found.
    fn expected_of(&self, action: &PlanAction) -> Option<(i64, String)> {
        Some((action.scenario?, self.page.expected_effect(&self.names, action)?))
    }

    /// What all the actions would change together, in one sentence.
    fn combined_effect(&self, combined: &kopa_app::CombinedScenario) -> String {
        let score = |s: Option<f64>| s.map_or_else(|| "–".to_owned(), |s| format!("{s:.1}"));
        let effect = &combined.effect;
        self.page.message(
            "plan-combined-effect",
            &[
                ("scenarios", Arg::of(combined.included.len())),
                ("before", Arg::of(score(effect.score_before))),
                ("after", Arg::of(score(effect.score_after))),
                ("gain", Arg::of(format!("{:+.1}", effect.gain()))),
                ("people", Arg::of(format!("{:.0}", effect.people_gaining))),
            ],
        )
    }

    fn base(&self) -> String {
        format!("/w/{}/plan/versions/{}", self.page.slug(), self.version.number)
    }

    fn euros(&self, cents: &i64) -> String {
        euros(&self.page, *cents)
    }

    fn objective_code(&self, id: &ItemId) -> String {
        self.plan.objective(*id).map(|o| o.code.clone()).unwrap_or_default()
    }

    fn parent_code(&self, id: &Option<ItemId>) -> String {
        id.map(|id| self.objective_code(&id)).unwrap_or_default()
    }

    fn action_code(&self, id: &Option<ItemId>) -> String {
        id.and_then(|id| self.plan.action(id))
            .map(|a| a.code.clone())
            .unwrap_or_default()
    }

    /// How much of an action's cost is funded, in words and numbers.
    fn funded(&self, action: &PlanAction) -> String {
        let share = if action.cost > 0 {
            (action.funded() as f64 / action.cost as f64 * 100.0).round() as i64
        } else {
            100
        };
        format!("{} ({share} %)", self.euros(&action.funded()))
    }

    /// The causes and the effects, each under its heading.
    fn tree_groups(&self) -> Vec<(&'static str, Vec<&kopa_domain::plan::ProblemNode>)> {
        let of = |kind| self.plan.problem_tree.nodes.iter().filter(|n| n.kind == kind).collect();
        vec![
            ("plan-causes", of(NodeKind::Cause)),
            ("plan-effects", of(NodeKind::Effect)),
        ]
    }

    /// The instruments of an initiative the plan counts on, as the plan names them.
    fn instruments_of(&self, initiative: &i64) -> Vec<String> {
        let named = self.names.instruments_of(*initiative);
        named
            .map(|i| kopa_report::plan::instrument_named(&self.page, i))
            .collect()
    }

    fn comment_count(&self, kind: &str, id: &ItemId) -> usize {
        self.comments.get(&format!("{kind}:{id}")).copied().unwrap_or(0)
    }

    fn state(&self, milestone: &Milestone) -> MilestoneState {
        milestone.state(self.today)
    }

    fn decision_meeting(&self) -> Option<i64> {
        self.plan
            .implementation
            .adoption_decision
            .and_then(|id| self.names.decisions.get(&id))
            .map(|(meeting, _)| *meeting)
    }

    fn statuses(&self) -> &'static [FundingStatus] {
        FundingStatus::ALL
    }

    fn criteria(&self) -> &'static [Criterion] {
        Criterion::ALL
    }

    fn score(&self, criterion: &Criterion) -> String {
        self.plan
            .assessment_of(*criterion)
            .and_then(|a| a.score)
            .map(|s| format!("{s} / 5"))
            .unwrap_or_else(|| "–".into())
    }

    fn assessment_note(&self, criterion: &Criterion) -> Text {
        self.plan
            .assessment_of(*criterion)
            .map(|a| a.note.clone())
            .unwrap_or_default()
    }

    fn latest(&self, indicator: &kopa_domain::plan::Indicator) -> String {
        indicator
            .measurements
            .last()
            .map(|m| format!("{} ({})", number(m.value), self.page.date(m.on)))
            .unwrap_or_else(|| "–".into())
    }

    fn point(&self, point: &Option<kopa_domain::plan::Point>) -> String {
        point
            .map(|p| format!("{} ({})", number(p.value), self.page.date(p.on)))
            .unwrap_or_else(|| "–".into())
    }
}

async fn plan_page(scope: &Scope, version: PlanVersion, submit_refused: Option<Invalid>) -> Result<Response, WebError> {
    let (app, caller) = (scope.app(), scope.caller());
    let may_manage = scope.may(Action::ManagePlan);
    let mut comments = HashMap::new();
    let mut newest = version.info.number;
    if scope.may(Action::ViewPlan) {
        newest = app.plan_versions(&caller).await?.last().map_or(newest, |v| v.number);
        for comment in app.plan_comments(&caller, None).await? {
            *comments.entry(comment.item).or_insert(0) += 1;
        }
    }
    let is_current = version.info.number == newest;
    let mut page = Chrome::for_scope(scope, "nav-plan");
    page.title = page.t1("plan-title-version", "number", version.info.number);
    let names = app.plan_names(&caller, &version).await?;
    let combined = app.plan_scenario(caller.workspace_id(), &version.plan).await?;
    let plan = version.plan;
    let refused = submit_refused.is_some();
    let submit_refused = submit_refused
        .and_then(|invalid| invalid.errors.into_iter().next())
        .map(|error| page.t(&error.message));
    let page = PlanPage {
        submit_refused,
        combined,
        names,
        tree: pictures::problem_tree(&page, &plan),
        gantt: pictures::gantt(&page, &plan),
        heat_map: pictures::heat_map(&page, &plan),
        trends: pictures::trends(&page, &plan),
        page,
        editable: may_manage && !version.info.is_submitted(),
        may_open_draft: may_manage && is_current && version.info.is_submitted(),
        may_publish: may_manage && version.info.is_submitted() && version.info.published_at.is_none(),
        may_comment: scope.may(Action::ViewPlan),
        gaps: plan.readiness().len(),
        untranslated: plan.untranslated().len(),
        funding: plan.funding_summary(),
        today: today(scope),
        comments,
        newest,
        version: version.info,
        plan,
    };
    let mut response = render(page)?;
    if refused {
        // As the API answers the same refusal.
        *response.status_mut() = axum::http::StatusCode::CONFLICT;
    }
    Ok(response)
}

#[derive(Template)]
#[template(path = "plan_start.html")]
struct StartPage {
    page: Chrome,
}

/// The newest version, or an invitation to start the plan.
pub async fn current(scope: Scope) -> Result<Response, WebError> {
    match scope.app().current_plan(&scope.caller()).await? {
        Some(version) => plan_page(&scope, version, None).await,
        None => render(StartPage {
            page: Chrome::for_scope(&scope, "nav-plan"),
        }),
    }
}

type VersionPath = Path<(String, String)>;

fn version_number(text: &str) -> Result<i64, WebError> {
    parse_id(text)
}

pub async fn version(scope: Scope, Path((_, number)): VersionPath) -> Result<Response, WebError> {
    let version = readable(&scope, version_number(&number)?).await?;
    plan_page(&scope, version, None).await
}

/// Opens a submitted version to everyone.
pub async fn publish(scope: Scope, Path((_, number)): VersionPath) -> Result<Response, WebError> {
    let number = version_number(&number)?;
    scope.app().publish_plan(&scope.caller(), number).await?;
    Ok(see_other(&format!(
        "/w/{}/plan/versions/{number}",
        scope.workspace.slug
    )))
}

/// Opens the next draft and goes to it.
pub async fn open_draft(scope: Scope) -> Result<Response, WebError> {
    let number = scope.app().open_plan_draft(&scope.caller()).await?;
    Ok(see_other(&format!(
        "/w/{}/plan/versions/{number}",
        scope.workspace.slug
    )))
}

#[derive(Deserialize, Default)]
pub struct SubmitInput {
    #[serde(default)]
    pub with_gaps: Option<String>,
}

/// Submits a draft. With gaps left, the coordinator must say so.
pub async fn submit(
    scope: Scope,
    Path((_, number)): VersionPath,
    form: Form<SubmitInput>,
) -> Result<Response, WebError> {
    let number = version_number(&number)?;
    let with_gaps = form.input.with_gaps.is_some();
    match scope.app().submit_plan(&scope.caller(), number, with_gaps).await {
        Ok(_) => Ok(see_other(&format!(
            "/w/{}/plan/versions/{number}",
            scope.workspace.slug
        ))),
        // The plan page again, with the reason beside the form that was sent.
        Err(refused) => {
            let invalid = form_refusal(refused)?;
            plan_page(&scope, readable(&scope, number).await?, Some(invalid)).await
        }
    }
}

#[derive(Template)]
#[template(path = "plan_versions.html")]
struct VersionsPage {
    page: Chrome,
    versions: Vec<VersionInfo>,
    /// The comparison asked for: the two numbers and what changed.
    comparison: Option<(i64, i64, Vec<SectionChanges>)>,
}

impl VersionsPage {
    fn section(&self, section: &Section) -> String {
        self.page.code("plan-section", section)
    }

    /// A changed value as a reader understands it.
    fn value(&self, field: &str, value: &serde_json::Value) -> String {
        use serde_json::Value;
        match value {
            Value::Null => "–".into(),
            Value::Number(n) if matches!(field, "cost" | "budget" | "amount") => {
                euros(&self.page, n.as_i64().unwrap_or_default())
            }
            Value::Object(map) if map.contains_key("lv") => {
                let text: Text = serde_json::from_value(value.clone()).unwrap_or_default();
                self.page.text(&text).text.to_owned()
            }
            Value::Object(map) if map.contains_key("value") && map.contains_key("on") => format!(
                "{} ({})",
                map["value"].as_f64().map(number).unwrap_or_default(),
                map["on"].as_str().unwrap_or_default()
            ),
            Value::Array(items) => self.page.t1("plan-count-items", "count", items.len()),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
}

#[derive(Deserialize, Default)]
pub struct CompareQuery {
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
}

/// Every version; with `from` and `to`, what changed between them, section by section.
pub async fn versions(scope: Scope, Query(query): Query<CompareQuery>) -> Result<Response, WebError> {
    let versions = scope.app().plan_versions(&scope.caller()).await?;
    let comparison = match (query.from.as_deref(), query.to.as_deref()) {
        (Some(from), Some(to)) => {
            let (from, to) = (
                from.parse().map_err(|_| WebError::BadRequest("error-version"))?,
                to.parse().map_err(|_| WebError::BadRequest("error-version"))?,
            );
            let changes = scope.app().compare_plan_versions(&scope.caller(), from, to).await;
            let changes = changes.map_err(|_| WebError::BadRequest("error-version"))?;
            Some((from, to, changes))
        }
        _ => None,
    };
    render(VersionsPage {
        page: Chrome::for_scope(&scope, "plan-versions"),
        versions,
        comparison,
    })
}

#[derive(Template)]
#[template(path = "plan_check.html")]
struct CheckPage {
    page: Chrome,
    version: VersionInfo,
    gaps: Vec<Gap>,
    /// Section, item, field and the language missing, for the translation view.
    untranslated: Vec<(Section, String, String, String)>,
    translations: bool,
}

impl CheckPage {
    /// The item a gap is about; a self-assessment criterion by its name.
    fn item_label(&self, gap: &Gap) -> String {
        if gap.section == Section::Assessment {
            self.page.code("criterion", &gap.item)
        } else {
            gap.item.clone()
        }
    }

    fn href(&self, anchor: &str) -> String {
        format!("/w/{}/plan/versions/{}#{anchor}", self.page.slug(), self.version.number)
    }
}

async fn check_page(scope: &Scope, number: &str, translations: bool) -> Result<Response, WebError> {
    let version = readable(scope, version_number(number)?).await?;
    let page = Chrome::for_scope(
        scope,
        if translations {
            "plan-translations"
        } else {
            "plan-readiness"
        },
    );
    let untranslated = version
        .plan
        .untranslated()
        .into_iter()
        .map(|(section, item, field, text, missing)| {
            let present = text.get(missing.other()).to_owned();
            let field = page.code("plan-field", field);
            let stale = if text.stale == Some(missing) {
                format!("{} · ", page.t("translation-stale-since"))
            } else {
                String::new()
            };
            (
                section,
                item,
                field,
                format!("{stale}{}: {present}", page.code("language", missing.other())),
            )
        })
        .collect();
    render(CheckPage {
        gaps: version.plan.readiness(),
        untranslated,
        translations,
        version: version.info,
        page,
    })
}

pub async fn readiness(scope: Scope, Path((_, number)): VersionPath) -> Result<Response, WebError> {
    check_page(&scope, &number, false).await
}

pub async fn translations(scope: Scope, Path((_, number)): VersionPath) -> Result<Response, WebError> {
    check_page(&scope, &number, true).await
}

#[derive(Deserialize, Default)]
pub struct CommentInput {
    #[serde(default)]
    pub item: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub back: String,
}

/// A group member's comment on an item; back to where it was written.
pub async fn comment(scope: Scope, form: Form<CommentInput>) -> Result<Response, WebError> {
    let input = &form.input;
    scope
        .app()
        .comment_on_plan(&scope.caller(), &input.item, &input.body)
        .await?;
    let own = format!("/w/{}/plan", scope.workspace.slug);
    let back = if input.back.starts_with(&own) {
        input.back.clone()
    } else {
        own
    };
    Ok(see_other(&back))
}

#[derive(Template)]
#[template(path = "network_plans.html")]
struct NetworkPlansPage {
    page: Chrome,
    cities: Vec<(Workspace, Vec<VersionInfo>)>,
}

/// Every partner city's submitted versions, for those who read the network's plans.
pub async fn network(State(state): State<AppState>, visitor: Visitor, uri: Uri) -> Result<Response, WebError> {
    let locale = visitor.locale(None);
    let Some(user) = visitor.session.as_ref().map(|s| &s.user) else {
        return Err(WebError::SignInRequired {
            next: Some(uri.path().to_owned()),
        });
    };
    let cities = state.app.network_plans(user).await?;
    let page = Chrome::plain(&state, Some(&visitor), locale, "network-plans-title", uri.path());
    render(NetworkPlansPage { page, cities })
}

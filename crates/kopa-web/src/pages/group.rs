//! The local action group: its organisations and bodies, and the stakeholder matrix.

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use kopa_domain::Action;
use kopa_domain::group::{
    Body, EndMembershipInput, MembershipInput, Organisation, OrganisationInput, PersonInput, Sector, StakeholderInput,
    Strategy,
};
use kopa_domain::validation::Code;
use kopa_store::MemberRow;

use super::{Chrome, FormPage, FormState, form_refusal, render, render_refused, see_other, settle};
use crate::context::{Form, Scope, parse_id};
use crate::error::WebError;
use crate::matrix::{MatrixPoint, StakeholderMatrix};

/// The forms of the group page, each empty unless it is being shown again.
#[derive(Default)]
pub struct GroupForms {
    organisation: FormState,
    person: FormState,
    membership: FormState,
    end: FormState,
    /// The membership whose end date was refused.
    end_target: Option<i64>,
}

#[derive(Template)]
#[template(path = "group.html")]
pub struct GroupPage {
    page: Chrome,
    organisations: Vec<Organisation>,
    /// Each body with its current and past members; empty for visitors who may not see them.
    bodies: Vec<(Body, Vec<MemberRow>)>,
    forms: GroupForms,
    sectors: Vec<(String, String)>,
    body_options: Vec<(String, String)>,
    organisation_options: Vec<(String, String)>,
    person_options: Vec<(String, String)>,
    today: chrono::NaiveDate,
}

impl GroupPage {
    /// The error of the end-date form, if it belongs to this membership.
    fn end_error(&self, membership_id: &i64) -> Option<&str> {
        (self.forms.end_target == Some(*membership_id))
            .then(|| self.forms.end.error("until_date"))
            .flatten()
    }
}

async fn group_page(scope: &Scope, forms: GroupForms) -> Result<GroupPage, WebError> {
    let (app, caller) = (scope.app(), scope.caller());
    let organisations = app.organisations(&caller).await?;
    let bodies = if scope.may(Action::ViewGroup) {
        let members = app.members(&caller).await?;
        Body::ALL
            .iter()
            .map(|body| {
                (
                    *body,
                    members.iter().filter(|m| m.body() == Some(*body)).cloned().collect(),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let page = Chrome::for_scope(scope, "nav-group");
    let sectors = Sector::ALL
        .iter()
        .map(|s| (s.code().to_owned(), page.code("sector", *s)))
        .collect();
    let mut body_options = vec![(String::new(), page.t("person-no-body"))];
    body_options.extend(Body::ALL.iter().map(|b| (b.code().to_owned(), page.code("body", *b))));
    let mut organisation_options = vec![(String::new(), page.t("person-no-organisation"))];
    organisation_options.extend(organisations.iter().map(|o| (o.id.to_string(), o.name.clone())));
    let person_options = if scope.may(Action::ManageGroup) {
        app.people(&caller)
            .await?
            .into_iter()
            .map(|p| (p.id.to_string(), p.name))
            .collect()
    } else {
        Vec::new()
    };
    let today = app.today(&caller);
    let mut forms = forms;
    if !forms.person.has_errors() {
        forms.person = FormState::with_defaults(&[("from_date", &today.to_string())]);
    }
    if !forms.membership.has_errors() {
        forms.membership = FormState::with_defaults(&[("from_date", &today.to_string())]);
    }
    Ok(GroupPage {
        page,
        organisations,
        bodies,
        forms: GroupForms {
            organisation: forms.organisation.named("organisation"),
            person: forms.person.named("person"),
            membership: forms.membership.named("membership"),
            end: forms.end,
            end_target: forms.end_target,
        },
        sectors,
        body_options,
        organisation_options,
        person_options,
        today,
    })
}

pub async fn show(scope: Scope) -> Result<Response, WebError> {
    render(group_page(&scope, GroupForms::default()).await?)
}

impl FormPage for GroupPage {
    type Key = ();
    type Forms = GroupForms;

    fn address(scope: &Scope, _: ()) -> String {
        format!("/w/{}/group", scope.workspace.slug)
    }

    fn build(scope: &Scope, _: (), forms: GroupForms) -> impl Future<Output = Result<Self, WebError>> + Send {
        group_page(scope, forms)
    }
}

pub async fn add_organisation(scope: Scope, form: Form<OrganisationInput>) -> Result<Response, WebError> {
    let added = scope.app().add_organisation(&scope.caller(), &form.input).await;
    settle::<GroupPage>(&scope, (), added, form.values, "organisations", |forms, state| {
        forms.organisation = state
    })
    .await
}

pub async fn add_person(scope: Scope, form: Form<PersonInput>) -> Result<Response, WebError> {
    let added = scope.app().add_person(&scope.caller(), &form.input).await;
    settle::<GroupPage>(&scope, (), added, form.values, "bodies", |forms, state| {
        forms.person = state
    })
    .await
}

pub async fn add_membership(scope: Scope, form: Form<MembershipInput>) -> Result<Response, WebError> {
    let added = scope.app().add_membership(&scope.caller(), &form.input).await;
    settle::<GroupPage>(&scope, (), added, form.values, "bodies", |forms, state| {
        forms.membership = state
    })
    .await
}

pub async fn end_membership(
    scope: Scope,
    Path((_, id)): Path<(String, String)>,
    form: Form<EndMembershipInput>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let ended = scope.app().end_membership(&scope.caller(), id, &form.input).await;
    settle::<GroupPage>(&scope, (), ended, form.values, "bodies", |forms, state| {
        forms.end = state;
        forms.end_target = Some(id);
    })
    .await
}

#[derive(Template)]
#[template(path = "stakeholders.html")]
struct StakeholdersPage {
    page: Chrome,
    matrix: StakeholderMatrix,
    form: FormState,
    organisation_options: Vec<(String, String)>,
    strategy_options: Vec<(String, String)>,
}

async fn stakeholders_page(scope: &Scope, form: FormState) -> Result<StakeholdersPage, WebError> {
    let (app, caller) = (scope.app(), scope.caller());
    let organisations = app.organisations(&caller).await?;
    let stakeholders = app.stakeholders(&caller).await?;
    let page = Chrome::for_scope(scope, "nav-stakeholders");
    let points = stakeholders
        .iter()
        .enumerate()
        .map(|(index, s)| MatrixPoint {
            number: index + 1,
            name: organisations
                .iter()
                .find(|o| o.id == s.organisation_id)
                .map(|o| o.name.clone())
                .unwrap_or_default(),
            power: s.power,
            interest: s.interest,
            strategy: page.code("strategy", s.strategy),
            note: s.note.clone(),
        })
        .collect();
    let matrix = StakeholderMatrix::layout(points, &page);
    let organisation_options = organisations
        .iter()
        .map(|o| (o.id.to_string(), o.name.clone()))
        .collect();
    let mut strategy_options = vec![(String::new(), page.t("strategy-suggested"))];
    strategy_options.extend(
        Strategy::ALL
            .iter()
            .map(|s| (s.code().to_owned(), page.code("strategy", *s))),
    );
    Ok(StakeholdersPage {
        page,
        matrix,
        form,
        organisation_options,
        strategy_options,
    })
}

pub async fn stakeholders(scope: Scope) -> Result<Response, WebError> {
    let form = FormState::with_defaults(&[("power", "3"), ("interest", "3")]);
    render(stakeholders_page(&scope, form).await?)
}

pub async fn assess(scope: Scope, form: Form<StakeholderInput>) -> Result<Response, WebError> {
    match scope.app().assess_stakeholder(&scope.caller(), &form.input).await {
        Ok(_) => Ok(see_other(&format!("/w/{}/stakeholders", scope.workspace.slug))),
        Err(refused) => {
            let form = FormState::new(form.values, form_refusal(refused)?);
            render_refused(stakeholders_page(&scope, form).await?)
        }
    }
}

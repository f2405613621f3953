//! The local action group: its organisations and bodies, and the stakeholder matrix.

use askama::Template;
use axum::response::Response;
use kopa_domain::Action;
use kopa_domain::group::{Body, Organisation, OrganisationInput, PersonInput, Sector, StakeholderInput, Strategy};
use kopa_domain::validation::Code;
use kopa_store::{MemberRow, StoreError};

use super::{Chrome, FormState, render, render_refused, see_other};
use crate::context::{Form, Scope};
use crate::error::WebError;
use crate::matrix::{MatrixPoint, StakeholderMatrix};

#[derive(Template)]
#[template(path = "group.html")]
struct GroupPage {
    page: Chrome,
    organisations: Vec<Organisation>,
    /// Each body with its current and past members; empty for visitors who may not see them.
    bodies: Vec<(Body, Vec<MemberRow>)>,
    organisation_form: FormState,
    person_form: FormState,
    sectors: Vec<(String, String)>,
    body_options: Vec<(String, String)>,
    organisation_options: Vec<(String, String)>,
    today: chrono::NaiveDate,
}

async fn group_page(
    scope: &Scope,
    organisation_form: FormState,
    person_form: FormState,
) -> Result<GroupPage, WebError> {
    let store = &scope.state.store;
    let organisations = store.organisations(scope.id()).await?;
    let bodies = if scope.may(Action::ViewGroup) {
        let members = store.members(scope.id()).await?;
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
    Ok(GroupPage {
        page,
        organisations,
        bodies,
        organisation_form: organisation_form.named("organisation"),
        person_form: person_form.named("person"),
        sectors,
        body_options,
        organisation_options,
        today: store.now().date_naive(),
    })
}

pub async fn show(scope: Scope) -> Result<Response, WebError> {
    scope.require(Action::ViewPublished)?;
    let today = scope.state.store.now().date_naive().to_string();
    let person_form = FormState::with_defaults(&[("from_date", &today)]);
    render(group_page(&scope, FormState::default(), person_form).await?)
}

fn refusal(error: StoreError) -> Result<kopa_domain::Invalid, WebError> {
    match error {
        StoreError::Invalid(invalid) => Ok(invalid),
        other => Err(other.into()),
    }
}

pub async fn add_organisation(scope: Scope, form: Form<OrganisationInput>) -> Result<Response, WebError> {
    scope.require(Action::ManageGroup)?;
    let outcome = match form.input.validate() {
        Ok(new) => scope
            .state
            .store
            .create_organisation(&scope.actor(), scope.id(), &new)
            .await
            .map(|_| ()),
        Err(invalid) => Err(invalid.into()),
    };
    match outcome {
        Ok(()) => Ok(see_other(&format!("/w/{}/group#organisations", scope.workspace.slug))),
        Err(error) => {
            let form = FormState::new(form.values, refusal(error)?);
            render_refused(group_page(&scope, form, FormState::default()).await?)
        }
    }
}

pub async fn add_person(scope: Scope, form: Form<PersonInput>) -> Result<Response, WebError> {
    scope.require(Action::ManageGroup)?;
    let outcome = match form.input.validate() {
        Ok(new) => scope
            .state
            .store
            .create_person(&scope.actor(), scope.id(), &new)
            .await
            .map(|_| ()),
        Err(invalid) => Err(invalid.into()),
    };
    match outcome {
        Ok(()) => Ok(see_other(&format!("/w/{}/group#bodies", scope.workspace.slug))),
        Err(error) => {
            let form = FormState::new(form.values, refusal(error)?);
            render_refused(group_page(&scope, FormState::default(), form).await?)
        }
    }
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
    let store = &scope.state.store;
    let organisations = store.organisations(scope.id()).await?;
    let stakeholders = store.stakeholders(scope.id()).await?;
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
    scope.require(Action::ViewStakeholders)?;
    let form = FormState::with_defaults(&[("power", "3"), ("interest", "3")]);
    render(stakeholders_page(&scope, form).await?)
}

pub async fn assess(scope: Scope, form: Form<StakeholderInput>) -> Result<Response, WebError> {
    scope.require(Action::ManageGroup)?;
    let outcome = match form.input.validate() {
        Ok(new) => scope
            .state
            .store
            .assess_stakeholder(&scope.actor(), scope.id(), &new)
            .await
            .map(|_| ()),
        Err(invalid) => Err(invalid.into()),
    };
    match outcome {
        Ok(()) => Ok(see_other(&format!("/w/{}/stakeholders", scope.workspace.slug))),
        Err(error) => render_refused(stakeholders_page(&scope, FormState::new(form.values, refusal(error)?)).await?),
    }
}

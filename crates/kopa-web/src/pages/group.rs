//! The local action group: its organisations and bodies, and the stakeholder matrix.

use std::collections::HashMap;

use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use kopa_domain::Action;
use kopa_domain::group::{
    Body, EndMembershipInput, MembershipInput, Organisation, OrganisationInput, PersonInput, Sector, StakeholderInput,
    Strategy,
};
use kopa_domain::validation::Code;
use kopa_store::{MemberRow, StoreError};

use super::{Chrome, FormState, render, render_refused, see_other};
use crate::context::{Form, Scope, parse_id};
use crate::error::WebError;
use crate::matrix::{MatrixPoint, StakeholderMatrix};

/// The forms of the group page, each empty unless it is being shown again.
#[derive(Default)]
struct GroupForms {
    organisation: FormState,
    person: FormState,
    membership: FormState,
    end: FormState,
    /// The membership whose end date was refused.
    end_target: Option<i64>,
}

#[derive(Template)]
#[template(path = "group.html")]
struct GroupPage {
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
    let store = &scope.state.app.store;
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
    let person_options = if scope.may(Action::ManageGroup) {
        store
            .people(scope.id())
            .await?
            .into_iter()
            .map(|p| (p.id.to_string(), p.name))
            .collect()
    } else {
        Vec::new()
    };
    let today = store.now().date_naive();
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
    scope.require(Action::ViewPublished)?;
    render(group_page(&scope, GroupForms::default()).await?)
}

/// Ends a form's post: to `anchor` on the group page when saved, or the page again with that
/// form as typed and its errors.
async fn settle(
    scope: &Scope,
    outcome: Result<(), StoreError>,
    values: HashMap<String, String>,
    anchor: &str,
    place: impl FnOnce(&mut GroupForms, FormState),
) -> Result<Response, WebError> {
    match outcome {
        Ok(()) => Ok(see_other(&format!("/w/{}/group#{anchor}", scope.workspace.slug))),
        Err(StoreError::Invalid(invalid)) => {
            let mut forms = GroupForms::default();
            place(&mut forms, FormState::new(values, invalid));
            render_refused(group_page(scope, forms).await?)
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn add_organisation(scope: Scope, form: Form<OrganisationInput>) -> Result<Response, WebError> {
    scope.require(Action::ManageGroup)?;
    let store = &scope.state.app.store;
    let outcome = async {
        store
            .create_organisation(&scope.actor(), scope.id(), &form.input.validate()?)
            .await
            .map(drop)
    };
    settle(&scope, outcome.await, form.values, "organisations", |forms, state| {
        forms.organisation = state
    })
    .await
}

pub async fn add_person(scope: Scope, form: Form<PersonInput>) -> Result<Response, WebError> {
    scope.require(Action::ManageGroup)?;
    let store = &scope.state.app.store;
    let outcome = async {
        store
            .create_person(&scope.actor(), scope.id(), &form.input.validate()?)
            .await
            .map(drop)
    };
    settle(&scope, outcome.await, form.values, "bodies", |forms, state| {
        forms.person = state
    })
    .await
}

pub async fn add_membership(scope: Scope, form: Form<MembershipInput>) -> Result<Response, WebError> {
    scope.require(Action::ManageGroup)?;
    let store = &scope.state.app.store;
    let outcome = async {
        let (person_id, new) = form.input.validate()?;
        store
            .add_membership(&scope.actor(), scope.id(), person_id, &new)
            .await
            .map(drop)
    };
    settle(&scope, outcome.await, form.values, "bodies", |forms, state| {
        forms.membership = state
    })
    .await
}

pub async fn end_membership(
    scope: Scope,
    Path((_, id)): Path<(String, String)>,
    form: Form<EndMembershipInput>,
) -> Result<Response, WebError> {
    scope.require(Action::ManageGroup)?;
    let id = parse_id(&id)?;
    let membership = scope
        .state
        .app
        .store
        .membership(scope.id(), id)
        .await?
        .ok_or(WebError::NotFound)?;
    match form.input.validate(membership.from_date) {
        Ok(until) => {
            scope
                .state
                .app
                .store
                .end_membership(&scope.actor(), scope.id(), id, until)
                .await?;
            Ok(see_other(&format!("/w/{}/group#bodies", scope.workspace.slug)))
        }
        Err(invalid) => {
            let forms = GroupForms {
                end: FormState::new(form.values, invalid),
                end_target: Some(id),
                ..GroupForms::default()
            };
            render_refused(group_page(&scope, forms).await?)
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
    let store = &scope.state.app.store;
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
    let store = &scope.state.app.store;
    let outcome = async {
        store
            .assess_stakeholder(&scope.actor(), scope.id(), &form.input.validate()?)
            .await
            .map(drop)
    };
    match outcome.await {
        Ok(()) => Ok(see_other(&format!("/w/{}/stakeholders", scope.workspace.slug))),
        Err(StoreError::Invalid(invalid)) => {
            render_refused(stakeholders_page(&scope, FormState::new(form.values, invalid)).await?)
        }
        Err(other) => Err(other.into()),
    }
}

//! The workspace's rules as a matrix: for each kind of instrument and each requirement,
//! whether it must be met before approval, before activation, or not at all.

use std::collections::HashMap;

use askama::Template;
use axum::response::Response;
use kopa_domain::Action;
use kopa_domain::cooperation::instrument::{InstrumentKind, Requirement};
use kopa_domain::cooperation::rules::{Rules, rules_from_form};
use kopa_domain::validation::Code;

use crate::context::{Form, Scope};
use crate::error::WebError;
use crate::pages::{Chrome, FormState, form_refusal, render, render_refused, see_other};

pub struct RuleCell {
    /// The field's name, `kind.requirement`.
    pub name: String,
    pub label: String,
    pub options: Vec<(String, String)>,
    pub selected: String,
    pub error: Option<String>,
}

pub struct RuleRow {
    pub kind: String,
    pub cells: Vec<RuleCell>,
}

#[derive(Template)]
#[template(path = "cooperation_rules.html")]
struct RulesPage {
    page: Chrome,
    requirements: Vec<String>,
    rows: Vec<RuleRow>,
    form: FormState,
}

fn rules_page(scope: &Scope, rules: &Rules, form: FormState) -> RulesPage {
    let page = Chrome::for_scope_titled(scope, "nav-cooperation", scope.t("rules-title"));
    let rows = InstrumentKind::ALL
        .iter()
        .map(|&kind| RuleRow {
            kind: scope.t(&format!("instrument-kind-{}", kind.code())),
            cells: Requirement::ALL
                .iter()
                .map(|&requirement| {
                    let name = format!("{}.{}", kind.code(), requirement.code());
                    let selected = if form.has_errors() {
                        form.value(&name).to_owned()
                    } else {
                        rules
                            .stage_of(kind, requirement)
                            .map(|s| s.code().to_owned())
                            .unwrap_or_default()
                    };
                    RuleCell {
                        label: format!(
                            "{}: {}",
                            scope.t(&format!("instrument-kind-{}", kind.code())),
                            scope.t(&format!("requirement-{}", requirement.code()))
                        ),
                        options: std::iter::once((String::new(), scope.t("rules-not-needed")))
                            .chain(
                                requirement
                                    .stages()
                                    .iter()
                                    .map(|s| (s.code().to_owned(), scope.t(&format!("stage-{}", s.code())))),
                            )
                            .collect(),
                        error: form.error(&name).map(|key| scope.t(key)),
                        name,
                        selected,
                    }
                })
                .collect(),
        })
        .collect();
    RulesPage {
        requirements: Requirement::ALL
            .iter()
            .map(|r| scope.t(&format!("requirement-{}", r.code())))
            .collect(),
        rows,
        form,
        page,
    }
}

pub async fn show(scope: Scope) -> Result<Response, WebError> {
    let rules = scope.app().cooperation_rules(&scope.caller()).await?;
    render(rules_page(&scope, &rules, FormState::default()))
}

pub async fn save(scope: Scope, form: Form<HashMap<String, String>>) -> Result<Response, WebError> {
    let fields: Vec<(String, String)> = form.values.clone().into_iter().collect();
    let saved = match rules_from_form(&fields) {
        Ok(rules) => scope.app().set_cooperation_rules(&scope.caller(), Some(&rules)).await,
        Err(invalid) => Err(invalid.into()),
    };
    match saved {
        Ok(()) => Ok(see_other(&format!("/w/{}/cooperation/rules", scope.workspace.slug))),
        Err(refused) => {
            let form = FormState::new(form.values, form_refusal(refused)?);
            let rules = scope.app().cooperation_rules(&scope.caller()).await?;
            render_refused(rules_page(&scope, &rules, form))
        }
    }
}

/// Puts the Latvian defaults back.
pub async fn restore_defaults(scope: Scope) -> Result<Response, WebError> {
    scope.app().set_cooperation_rules(&scope.caller(), None).await?;
    Ok(see_other(&format!("/w/{}/cooperation/rules", scope.workspace.slug)))
}

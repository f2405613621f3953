//! One instrument's file for coordinators: the checklist the rules ask for, the partner's
//! standing, every record with the form to add it, the approval and the next steps through
//! their gates, publication, obligations with inspections, and the timeline.

use std::collections::HashMap;

use askama::Template;
use axum::extract::Multipart;
use axum::extract::Path;
use axum::extract::multipart::MultipartRejection;
use axum::response::Response;
use kopa_domain::Action;
use kopa_domain::cooperation::file::{ChecklistItem, InstrumentFile};
use kopa_domain::cooperation::instrument::{
    ApprovalBody, ApprovalInput, DeclarationInput, DocumentInput, EvidenceInput, InstrumentInput, InstrumentKind,
    InstrumentStatus, JustificationInput, PublicationInput, Requirement, SelectionProcedure, StepInput,
};
use kopa_domain::cooperation::obligation::{Inspection, InspectionInput, ObligationInput, RemedyInput};
use kopa_domain::cooperation::rules::Stage;
use kopa_domain::money::format_euros;
use kopa_domain::validation::Code;
use kopa_store::{MAX_PHOTOS_PER_IDEA, PhotoInfo};

use kopa_report::pack::{approval_facts, evidence_facts, obligation_facts};

use super::describe::evidence_fields;
use super::{code_options, flag_text, initiative_options, today, with_blank};
use crate::context::{Form, Scope, parse_id};
use crate::error::WebError;
use crate::pages::{Chrome, FormPage, FormState, render, settle};
use crate::photos;

/// A requirement the rules ask for, with its form and what was recorded for it.
pub struct RecordSlot {
    pub requirement: Requirement,
    pub fields: &'static [(&'static str, &'static str, &'static str)],
    pub recorded: Vec<(String, String)>,
    pub form: FormState,
}

/// An inspection with its photos.
pub struct InspectionView {
    pub inspection: Inspection,
    pub photos: Vec<PhotoInfo>,
}

/// An obligation with its facts, its inspections and the form for the next one.
pub struct ObligationView {
    pub id: i64,
    pub title: String,
    pub facts: Vec<(String, String)>,
    pub next_inspection: Option<chrono::NaiveDate>,
    pub inspections: Vec<InspectionView>,
    pub form: FormState,
}

#[derive(Template)]
#[template(path = "instrument.html")]
pub struct InstrumentPage {
    page: Chrome,
    file: InstrumentFile,
    value: String,
    checklist: Vec<ChecklistItem>,
    flags: Vec<String>,
    slots: Vec<RecordSlot>,
    approval: Vec<(String, String)>,
    obligations: Vec<ObligationView>,
    /// Whether the partner is involved, and no justification is recorded though one is needed.
    lacks_justification: bool,
    /// Whether the rules forbid this kind with an involved partner outright.
    third_party_blocks: bool,
    publishes: bool,
    next_steps: Vec<(String, String)>,
    body_options: Vec<(String, String)>,
    people_options: Vec<(String, String)>,
    decision_options: Vec<(String, String)>,
    procedure_options: Vec<(String, String)>,
    compliance_options: Vec<(String, String)>,
    kind_options: Vec<(String, String)>,
    initiative_options: Vec<(String, String)>,
    step_form: FormState,
    approval_form: FormState,
    justification_form: FormState,
    declaration_form: FormState,
    publication_form: FormState,
    document_form: FormState,
    obligation_form: FormState,
    edit_form: FormState,
    /// A refused form of one inspection (its photos, or the day it was put right).
    inspection_refusal: Option<(i64, FormState)>,
    max_photos: usize,
}

impl InstrumentPage {
    /// The message for a refused field of this inspection's forms.
    fn inspection_error(&self, inspection_id: &i64, field: &str) -> Option<String> {
        let (id, form) = self.inspection_refusal.as_ref()?;
        (id == inspection_id)
            .then(|| form.error(field).map(|key| self.page.t(key)))
            .flatten()
    }
}

/// The page's forms as typed when one was refused.
#[derive(Default)]
pub struct InstrumentForms {
    step: FormState,
    approval: FormState,
    justification: Option<FormState>,
    evidence: Option<(Requirement, FormState)>,
    declaration: FormState,
    publication: FormState,
    document: FormState,
    obligation: FormState,
    inspection: Option<(i64, FormState)>,
    inspection_refusal: Option<(i64, FormState)>,
    edit: Option<FormState>,
}

fn as_typed(file: &InstrumentFile) -> FormState {
    let i = &file.instrument;
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    FormState::with_defaults(&[
        ("initiative_id", &i.initiative_id.to_string()),
        ("partner_id", &i.partner_id.to_string()),
        ("kind", i.kind.code()),
        ("subject", &i.subject),
        ("purpose", &i.purpose),
        ("value", &format!("{}.{:02}", i.value_cents / 100, i.value_cents % 100)),
        ("starts_on", &day(i.starts_on)),
        ("ends_on", &day(i.ends_on)),
    ])
}

async fn instrument_page(scope: &Scope, id: i64, mut forms: InstrumentForms) -> Result<InstrumentPage, WebError> {
    let (app, caller) = (scope.app(), scope.caller());
    let today = today(scope);
    let file = app.instrument_file(&caller, id).await?;
    let page = Chrome::for_scope_titled(scope, "nav-cooperation", file.instrument.subject.clone());
    let needed: Vec<Requirement> = [Stage::Approval, Stage::Activation]
        .into_iter()
        .flat_map(|stage| file.rules.needed(file.instrument.kind, stage))
        .collect();
    let slots = Requirement::RECORDED
        .iter()
        .filter(|r| needed.contains(r) || file.evidence_for(**r).is_some())
        .map(|&requirement| {
            let form = match forms.evidence.take() {
                Some((refused, form)) if refused == requirement => form,
                other => {
                    forms.evidence = other;
                    FormState::default()
                }
            };
            RecordSlot {
                requirement,
                fields: evidence_fields(requirement),
                recorded: file
                    .evidence_for(requirement)
                    .map(|e| evidence_facts(&page, e))
                    .unwrap_or_default(),
                form: form.named(requirement.code()),
            }
        })
        .collect();
    let photos = app.inspection_photos(&caller, id).await?;
    let mut obligations = Vec::new();
    for o in &file.obligations {
        let form = match &forms.inspection {
            Some((obligation, _)) if *obligation == o.id => forms.inspection.take().map(|(_, f)| f).unwrap_or_default(),
            _ => FormState::default(),
        };
        let inspections = file
            .inspections_of(o.id)
            .into_iter()
            .map(|inspection| InspectionView {
                photos: photos.iter().filter(|p| p.owner_id == inspection.id).cloned().collect(),
                inspection: inspection.clone(),
            })
            .collect();
        obligations.push(ObligationView {
            id: o.id,
            title: o.title.clone(),
            facts: obligation_facts(&page, o),
            next_inspection: o.next_inspection(&file.inspections),
            inspections,
            form: form.named(format!("inspection-{}", o.id)),
        });
    }
    let next_steps = InstrumentStatus::ALL
        .iter()
        .filter(|to| file.instrument.status.may_move_to(**to) && **to != InstrumentStatus::Approved)
        .map(|to| {
            (
                to.code().to_owned(),
                scope.t(&format!("instrument-status-{}", to.code())),
            )
        })
        .collect();
    let people = (app.people(&caller).await?)
        .into_iter()
        .map(|p| (p.id.to_string(), p.name))
        .collect();
    let decisions = (app.approval_decisions(&caller).await?)
        .into_iter()
        .map(|d| {
            let text: String = d.decision.text.chars().take(80).collect();
            (
                d.decision.id.to_string(),
                format!("{} {}: {text}", page.date(d.meeting_starts_at.date()), d.meeting_title),
            )
        })
        .collect();
    let initiatives = initiative_options(&app.initiatives(&caller).await?);
    let justification = forms.justification.take().unwrap_or_else(|| {
        FormState::with_defaults(&[(
            "justification",
            file.instrument.third_party_justification.as_deref().unwrap_or_default(),
        )])
    });
    let edit = forms.edit.take().unwrap_or_else(|| as_typed(&file));
    Ok(InstrumentPage {
        value: format_euros(file.instrument.value_cents, page.lang()),
        checklist: file.checklist(),
        flags: file.flags(today).iter().map(|f| flag_text(&page, f)).collect(),
        approval: file
            .approval
            .as_ref()
            .map(|a| approval_facts(&page, a))
            .unwrap_or_default(),
        lacks_justification: file.dossier().lacks_justification(&file.rules),
        third_party_blocks: file
            .rules
            .stage_of(file.instrument.kind, Requirement::UninvolvedParty)
            .is_some(),
        publishes: file.rules.publishes(file.instrument.kind),
        slots,
        obligations,
        next_steps,
        body_options: code_options::<ApprovalBody>(scope, "approval-body"),
        people_options: with_blank(scope.t("choose"), people),
        decision_options: with_blank(scope.t("approval-typed-vote"), decisions),
        procedure_options: code_options::<SelectionProcedure>(scope, "selection-procedure"),
        compliance_options: vec![
            (String::new(), scope.t("choose")),
            ("yes".into(), scope.t("inspection-compliant")),
            ("no".into(), scope.t("inspection-not-compliant")),
        ],
        kind_options: code_options::<InstrumentKind>(scope, "instrument-kind"),
        initiative_options: initiatives,
        step_form: forms.step.named("step"),
        approval_form: forms.approval.named("approval"),
        justification_form: justification.named("justification"),
        declaration_form: forms.declaration.named("declaration"),
        publication_form: forms.publication.named("publication"),
        document_form: forms.document.named("document"),
        obligation_form: forms.obligation.named("obligation"),
        edit_form: edit.named("edit"),
        inspection_refusal: forms.inspection_refusal,
        max_photos: MAX_PHOTOS_PER_IDEA,
        file,
        page,
    })
}

type InstrumentPath = Path<(String, String)>;

pub async fn show(scope: Scope, Path((_, id)): InstrumentPath) -> Result<Response, WebError> {
    scope.require(Action::ViewCooperation)?;
    render(instrument_page(&scope, parse_id(&id)?, InstrumentForms::default()).await?)
}

impl FormPage for InstrumentPage {
    type Key = i64;
    type Forms = InstrumentForms;

    fn address(scope: &Scope, id: i64) -> String {
        format!("/w/{}/cooperation/instruments/{id}", scope.workspace.slug)
    }

    fn build(scope: &Scope, id: i64, forms: InstrumentForms) -> impl Future<Output = Result<Self, WebError>> + Send {
        instrument_page(scope, id, forms)
    }
}

pub async fn step(scope: Scope, Path((_, id)): InstrumentPath, form: Form<StepInput>) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let moved = scope.app().move_instrument(&scope.caller(), id, &form.input).await;
    settle::<InstrumentPage>(&scope, id, moved, form.values, "status", |forms, state| {
        forms.step = state
    })
    .await
}

pub async fn approve(
    scope: Scope,
    Path((_, id)): InstrumentPath,
    form: Form<ApprovalInput>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let approved = scope.app().approve_instrument(&scope.caller(), id, &form.input).await;
    settle::<InstrumentPage>(&scope, id, approved, form.values, "approval", |forms, state| {
        forms.approval = state
    })
    .await
}

pub async fn justify(
    scope: Scope,
    Path((_, id)): InstrumentPath,
    form: Form<JustificationInput>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let justified = scope.app().justify_instrument(&scope.caller(), id, &form.input).await;
    settle::<InstrumentPage>(&scope, id, justified, form.values, "standing", |forms, state| {
        forms.justification = Some(state)
    })
    .await
}

pub async fn record(
    scope: Scope,
    Path((_, id)): InstrumentPath,
    form: Form<EvidenceInput>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let requirement = Requirement::from_code(&form.input.requirement).unwrap_or(Requirement::Valuation);
    let recorded = scope.app().record_evidence(&scope.caller(), id, &form.input).await;
    settle::<InstrumentPage>(&scope, id, recorded, form.values, "records", |forms, state| {
        forms.evidence = Some((requirement, state))
    })
    .await
}

pub async fn declare(
    scope: Scope,
    Path((_, id)): InstrumentPath,
    form: Form<DeclarationInput>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let declared = scope.app().declare_interest(&scope.caller(), id, &form.input).await;
    settle::<InstrumentPage>(&scope, id, declared, form.values, "declarations", |forms, state| {
        forms.declaration = state
    })
    .await
}

pub async fn publish(
    scope: Scope,
    Path((_, id)): InstrumentPath,
    form: Form<PublicationInput>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let published = scope.app().publish_instrument(&scope.caller(), id, &form.input).await;
    settle::<InstrumentPage>(&scope, id, published, form.values, "publication", |forms, state| {
        forms.publication = state
    })
    .await
}

pub async fn add_document(
    scope: Scope,
    Path((_, id)): InstrumentPath,
    form: Form<DocumentInput>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let filed = scope.app().file_document(&scope.caller(), id, &form.input).await;
    settle::<InstrumentPage>(&scope, id, filed, form.values, "documents", |forms, state| {
        forms.document = state
    })
    .await
}

pub async fn add_obligation(
    scope: Scope,
    Path((_, id)): InstrumentPath,
    form: Form<ObligationInput>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let added = scope.app().add_obligation(&scope.caller(), id, &form.input).await;
    settle::<InstrumentPage>(&scope, id, added, form.values, "obligations", |forms, state| {
        forms.obligation = state
    })
    .await
}

type ObligationPath = Path<(String, String, String)>;

pub async fn inspect(
    scope: Scope,
    Path((_, id, obligation)): ObligationPath,
    form: Form<InspectionInput>,
) -> Result<Response, WebError> {
    let (id, obligation) = (parse_id(&id)?, parse_id(&obligation)?);
    let inspected = scope
        .app()
        .record_inspection(&scope.caller(), id, obligation, &form.input)
        .await;
    settle::<InstrumentPage>(&scope, id, inspected, form.values, "obligations", |forms, state| {
        forms.inspection = Some((obligation, state))
    })
    .await
}

pub async fn remedied(
    scope: Scope,
    Path((_, id, obligation)): ObligationPath,
    form: Form<RemedyInput>,
) -> Result<Response, WebError> {
    let (id, obligation) = (parse_id(&id)?, parse_id(&obligation)?);
    let inspection = parse_id(&form.input.inspection_id).unwrap_or_default();
    let remedied = scope
        .app()
        .mark_remedied(&scope.caller(), id, obligation, &form.input)
        .await;
    settle::<InstrumentPage>(&scope, id, remedied, form.values, "obligations", |forms, state| {
        forms.inspection_refusal = Some((inspection, state))
    })
    .await
}

type InspectionPath = Path<(String, String, String)>;

/// Adds photos to an inspection, checked and re-encoded like ideas' photos.
pub async fn add_photos(
    scope: Scope,
    Path((_, id, inspection)): InspectionPath,
    upload: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    scope.require(Action::ManageCooperation)?;
    let (id, inspection) = (parse_id(&id)?, parse_id(&inspection)?);
    let upload = upload.map_err(|_| WebError::BadRequest("error-photo-upload"))?;
    let upload = photos::read_upload(upload).await;
    let values = HashMap::from([("description".to_owned(), upload.description.clone())]);
    let added = (scope.app())
        .add_inspection_photos(&scope.caller(), id, inspection, upload)
        .await;
    settle::<InstrumentPage>(&scope, id, added, values, "obligations", |forms, state| {
        forms.inspection_refusal = Some((inspection, state))
    })
    .await
}

/// A photo of an inspection, for coordinators and auditors.
pub async fn photo(
    scope: Scope,
    Path((_, _, inspection, photo)): Path<(String, String, String, String)>,
) -> Result<Response, WebError> {
    scope.require(Action::ViewAuditPacks)?;
    let (inspection, photo) = (parse_id(&inspection)?, parse_id(&photo)?);
    let (content_type, bytes) = scope.app().inspection_photo(&scope.caller(), inspection, photo).await?;
    Ok(photos::respond(content_type, bytes))
}

pub async fn edit(
    scope: Scope,
    Path((_, id)): InstrumentPath,
    form: Form<InstrumentInput>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let edited = scope.app().edit_instrument(&scope.caller(), id, &form.input).await;
    settle::<InstrumentPage>(&scope, id, edited, form.values, "edit", |forms, state| {
        forms.edit = Some(state)
    })
    .await
}

//! Ideas: the list with the form to propose one, and an idea's page with its support, its
//! threaded comments and, for coordinators, moderation. A place is typed as "lat, lon" or
//! sent as GeoJSON, so every form works without JavaScript.

use std::collections::HashMap;

use askama::Template;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, Query};
use axum::response::Response;
use kopa_domain::Action;
use kopa_domain::Invalid;
use kopa_domain::idea::{Comment, CommentInput, Idea, IdeaInput, IdeaStatus, ModerationInput};
use kopa_domain::notification::FollowKind;
use kopa_store::{MAX_PHOTOS_PER_IDEA, PhotoInfo};
use serde::Deserialize;

use super::map::{self, Kind, SvgMap};
use super::{
    Chrome, FormPage, FormState, PageQuery, Pages, form_refusal, held_back_for, render, render_held_back, see_other,
    settle,
};
use crate::context::{Form, Scope, parse_id};
use crate::error::WebError;
use crate::photos;

#[derive(Template)]
#[template(path = "ideas.html")]
struct IdeasPage {
    page: Chrome,
    /// This page of the ideas, and where the pages before and after it are.
    ideas: Vec<Idea>,
    pages: Pages,
    form: FormState,
    /// Whether the place can be drawn on an interactive map.
    picker: bool,
}

async fn ideas_page(scope: &Scope, query: &PageQuery, form: FormState) -> Result<IdeasPage, WebError> {
    let (app, caller) = (scope.app(), scope.caller());
    let (ideas, total) = app.ideas_page(&caller, Pages::SIZE, query.skipped()).await?;
    let picker = scope.state.map_library.is_some() && app.has_backdrop(&caller).await?;
    let pages = Pages::new(scope, "ideas-showing", query, ideas.len(), total, |n| {
        format!("/w/{}/ideas?page={n}", scope.workspace.slug)
    });
    Ok(IdeasPage {
        page: Chrome::for_scope(scope, "nav-ideas"),
        ideas,
        pages,
        form: form.named("idea"),
        picker,
    })
}

pub async fn list(scope: Scope, Query(query): Query<PageQuery>) -> Result<Response, WebError> {
    scope.require(Action::ViewPublished)?;
    render(ideas_page(&scope, &query, FormState::default()).await?)
}

pub async fn propose(scope: Scope, form: Form<IdeaInput>) -> Result<Response, WebError> {
    scope.require(Action::Participate)?;
    match scope.app().propose_idea(&scope.caller(), form.input.clone()).await {
        Ok(idea) => Ok(see_other(&format!("/w/{}/ideas/{}", scope.workspace.slug, idea.id))),
        Err(refused) => {
            let held_back = held_back_for(&refused);
            let invalid = form_refusal(refused)?;
            let page = ideas_page(&scope, &PageQuery::default(), FormState::new(form.values, invalid)).await?;
            render_held_back(page, held_back)
        }
    }
}

/// A comment with how deep in its thread it sits.
struct Threaded {
    comment: Comment,
    depth: usize,
}

/// Comments in thread order: each followed by its answers.
fn threads(comments: Vec<Comment>) -> Vec<Threaded> {
    fn walk(parent: Option<i64>, depth: usize, all: &[Comment], out: &mut Vec<Threaded>) {
        for comment in all.iter().filter(|c| c.parent_id == parent) {
            out.push(Threaded {
                comment: comment.clone(),
                depth,
            });
            walk(Some(comment.id), depth + 1, all, out);
        }
    }
    let mut out = Vec::with_capacity(comments.len());
    walk(None, 0, &comments, &mut out);
    out
}

#[derive(Template)]
#[template(path = "idea.html")]
pub struct IdeaPage {
    page: Chrome,
    idea: Idea,
    /// What the public sees of a hidden idea: only the reason.
    shown: bool,
    supported: bool,
    comments: Vec<Threaded>,
    support_form: FormState,
    comment_form: FormState,
    moderation_form: FormState,
    /// The comments one may answer, as (value, label), the idea itself first.
    reply_options: Vec<(String, String)>,
    /// The other open ideas a duplicate could be merged into, after an empty choice.
    merge_options: Vec<(String, String)>,
    /// The cooperation types an initiative made from it may have, as (code, label).
    type_options: Vec<(String, String)>,
    initiative_form: FormState,
    /// Where it lies, on the workspace's map.
    located: Option<(SvgMap, String)>,
    photos: Vec<PhotoInfo>,
    /// Whether the visitor follows it; `None` for those who cannot.
    following: Option<bool>,
    /// Whether the visitor may add photos: its author, or a moderator, while there is room.
    may_add_photos: bool,
    photo_form: FormState,
}

#[derive(Default)]
pub struct IdeaForms {
    support: FormState,
    comment: FormState,
    moderation: FormState,
    photos: FormState,
}

async fn idea_page(scope: &Scope, id: i64, forms: IdeaForms) -> Result<IdeaPage, WebError> {
    let (app, caller) = (scope.app(), scope.caller());
    let (idea, comments) = app.idea_with_comments(&caller, id).await?;
    let moderator = scope.may(Action::ModerateIdeas);
    let supported = app.supports(&caller, id).await?;
    let mut merge_options = vec![(String::new(), "–".to_owned())];
    if moderator {
        let candidates = app.merge_candidates(&caller, &idea).await?;
        merge_options.extend(candidates.into_iter().map(|other| (other.id.to_string(), other.title)));
    }
    let shown = idea.status != IdeaStatus::Hidden || moderator;
    let comments = threads(comments);
    let type_options = super::initiatives::type_options(scope).await?;
    let reply_options = std::iter::once((String::new(), scope.t("idea-reply-to-none")))
        .chain(comments.iter().map(|item| {
            let excerpt: String = item.comment.body.chars().take(60).collect();
            (
                item.comment.id.to_string(),
                format!("{}: {excerpt}", item.comment.author_name),
            )
        }))
        .collect();
    let located = if shown {
        map::locator(scope, Kind::Idea, &idea.title, idea.place.as_ref()).await?
    } else {
        None
    };
    let photos = app.idea_photos(&caller, &idea).await?;
    let may_add_photos =
        app.may_add_photos(&caller, &idea) && idea.status == IdeaStatus::Open && photos.len() < MAX_PHOTOS_PER_IDEA;
    let following = scope.app().follows(&scope.caller(), (FollowKind::Idea, id)).await?;
    Ok(IdeaPage {
        following,
        photos,
        may_add_photos,
        photo_form: forms.photos.named("photos"),
        located,
        page: Chrome::for_scope_titled(
            scope,
            "nav-ideas",
            if shown {
                idea.title.clone()
            } else {
                scope.t("idea-hidden")
            },
        ),
        shown,
        supported,
        comments,
        support_form: forms.support.named("support"),
        comment_form: forms.comment.named("comment"),
        moderation_form: forms.moderation.named("moderation"),
        reply_options,
        merge_options,
        type_options,
        initiative_form: FormState::default().named("initiative"),
        idea,
    })
}

type IdeaPath = Path<(String, String)>;

pub async fn show(scope: Scope, Path((_, id)): IdeaPath) -> Result<Response, WebError> {
    scope.require(Action::ViewPublished)?;
    render(idea_page(&scope, parse_id(&id)?, IdeaForms::default()).await?)
}

impl FormPage for IdeaPage {
    type Key = i64;
    type Forms = IdeaForms;

    fn address(scope: &Scope, id: i64) -> String {
        format!("/w/{}/ideas/{id}", scope.workspace.slug)
    }

    fn build(scope: &Scope, id: i64, forms: IdeaForms) -> impl Future<Output = Result<Self, WebError>> + Send {
        idea_page(scope, id, forms)
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct SupportInput {
    /// `yes` to support, `no` to take support back.
    #[serde(default)]
    support: String,
}

pub async fn support(scope: Scope, Path((_, id)): IdeaPath, form: Form<SupportInput>) -> Result<Response, WebError> {
    scope.require(Action::Participate)?;
    let id = parse_id(&id)?;
    let outcome = match form.input.support.as_str() {
        choice @ ("yes" | "no") => scope.app().support_idea(&scope.caller(), id, choice == "yes").await,
        _ => Err(Invalid::single("support", "error-choice").into()),
    };
    settle::<IdeaPage>(&scope, id, outcome, form.values, "support", |forms, state| {
        forms.support = state
    })
    .await
}

pub async fn comment(scope: Scope, Path((_, id)): IdeaPath, form: Form<CommentInput>) -> Result<Response, WebError> {
    scope.require(Action::Participate)?;
    let id = parse_id(&id)?;
    let outcome = scope
        .app()
        .comment_on_idea(&scope.caller(), id, form.input.clone())
        .await
        .map(|_| ());
    settle::<IdeaPage>(&scope, id, outcome, form.values, "comments", |forms, state| {
        forms.comment = state
    })
    .await
}

pub async fn moderate(
    scope: Scope,
    Path((_, id)): IdeaPath,
    form: Form<ModerationInput>,
) -> Result<Response, WebError> {
    scope.require(Action::ModerateIdeas)?;
    let id = parse_id(&id)?;
    let outcome = scope.app().moderate_idea(&scope.caller(), id, form.input.clone()).await;
    settle::<IdeaPage>(&scope, id, outcome, form.values, "moderation", |forms, state| {
        forms.moderation = state
    })
    .await
}

/// Adds photos to an idea: by its author or a moderator, checked and re-encoded one by one.
/// What is wrong with any of them is named, and none is kept until all are right.
pub async fn add_photos(
    scope: Scope,
    Path((_, id)): IdeaPath,
    upload: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    scope.require(Action::Participate)?;
    let upload = upload.map_err(|_| WebError::BadRequest("error-photo-upload"))?;
    let id = parse_id(&id)?;
    let (app, caller) = (scope.app(), scope.caller());
    // Refused before the upload is read.
    if !app.may_add_photos(&caller, &app.idea(&caller, id).await?) {
        return Err(WebError::Forbidden);
    }
    let upload = photos::read_upload(upload).await;
    let values = HashMap::from([("description".to_owned(), upload.description.clone())]);
    let outcome = app.add_idea_photos(&caller, id, upload).await.map(|_| ());
    settle::<IdeaPage>(&scope, id, outcome, values, "photos", |forms, state| {
        forms.photos = state
    })
    .await
}

/// A photo of an idea, or its thumbnail; hidden with the idea.
pub async fn photo(scope: Scope, Path((_, id, photo)): Path<(String, String, String)>) -> Result<Response, WebError> {
    serve_photo(scope, &id, &photo, false).await
}

pub async fn thumbnail(
    scope: Scope,
    Path((_, id, photo)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    serve_photo(scope, &id, &photo, true).await
}

async fn serve_photo(scope: Scope, id: &str, photo: &str, thumbnail: bool) -> Result<Response, WebError> {
    scope.require(Action::ViewPublished)?;
    let (id, photo) = (parse_id(id)?, parse_id(photo)?);
    let found = scope.app().idea_photo(&scope.caller(), id, photo, thumbnail).await?;
    let (content_type, bytes) = found;
    Ok(photos::respond(content_type, bytes))
}

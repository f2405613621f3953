//! Telling followers what happened: a notification in the app for each, and a mail for those
//! who want one each time (the others get a daily digest, or nothing). Mail goes to the outbox,
//! which the workspace's admin can read.
//!
//! A failure here never undoes what happened: it is logged, and the action stands.

use fluent_bundle::FluentValue;
use kopa_domain::notification::{EmailMode, FollowKind, Notification, NotificationKind};

use crate::AppState;
use crate::context::Scope;
use crate::i18n::Locale;

/// What happened, to whom it matters, and where to read about it.
pub struct Event<'a> {
    pub target: (FollowKind, i64),
    pub kind: NotificationKind,
    pub title: &'a str,
    pub link: String,
}

/// Something followed, as a notification names it: its title and its page.
pub struct Followed {
    pub title: String,
    pub path: String,
}

/// The idea or initiative `target` names in the scope's workspace, if there is one.
pub async fn followed(scope: &Scope, target: (FollowKind, i64)) -> Result<Option<Followed>, kopa_store::StoreError> {
    let (kind, id) = target;
    let store = &scope.state.store;
    let slug = &scope.workspace.slug;
    Ok(match kind {
        FollowKind::Idea => store.idea(scope.id(), id).await?.map(|idea| Followed {
            title: idea.title,
            path: format!("/w/{slug}/ideas/{id}"),
        }),
        FollowKind::Initiative => store.initiative(scope.id(), id).await?.map(|initiative| Followed {
            title: initiative.title,
            path: format!("/w/{slug}/initiatives/{id}"),
        }),
    })
}

/// Tells the followers of `target` what happened to it; `anchor` names the part of its page
/// that says.
pub async fn tell_about(scope: &Scope, target: (FollowKind, i64), kind: NotificationKind, anchor: &str) {
    let Ok(Some(thing)) = followed(scope, target).await else {
        return;
    };
    let event = Event {
        target,
        kind,
        title: &thing.title,
        link: format!("{}#{anchor}", thing.path),
    };
    tell_followers(scope, event).await;
}

/// The workspace's language, for mail (people may not have chosen one).
fn mail_locale(scope: &Scope) -> Locale {
    Locale::from_code(&scope.workspace.default_locale).unwrap_or(Locale::En)
}

fn line(state: &AppState, locale: Locale, kind: NotificationKind, title: &str) -> String {
    state.i18n.text(
        locale,
        &format!("notify-{kind}"),
        &[("title", FluentValue::from(title.to_owned()))],
    )
}

/// Tells the target's followers, except the one who did it.
pub async fn tell_followers(scope: &Scope, event: Event<'_>) {
    if let Err(error) = try_tell(scope, event).await {
        tracing::warn!("followers were not told: {error}");
    }
}

async fn try_tell(scope: &Scope, event: Event<'_>) -> Result<(), kopa_store::StoreError> {
    let store = &scope.state.store;
    let recipients = store
        .notify_followers(
            scope.id(),
            event.target,
            event.kind,
            event.title,
            &event.link,
            scope.visitor.user_id(),
        )
        .await?;
    let locale = mail_locale(scope);
    let state = &scope.state;
    for recipient in recipients.iter().filter(|r| r.email_mode == EmailMode::Each) {
        let text = line(state, locale, event.kind, event.title);
        let body = format!(
            "{}\n\n{text}\n{}{}\n\n{}",
            state.i18n.text(
                locale,
                "notify-greeting",
                &[("name", recipient.display_name.clone().into())]
            ),
            state.settings.public_url.trim_end_matches('/'),
            event.link,
            footer(scope, locale),
        );
        store
            .queue_mail(Some(scope.id()), &recipient.email, &text, &body)
            .await?;
    }
    Ok(())
}

fn footer(scope: &Scope, locale: Locale) -> String {
    let settings = format!(
        "{}/w/{}/notifications",
        scope.state.settings.public_url.trim_end_matches('/'),
        scope.workspace.slug
    );
    scope
        .state
        .i18n
        .text(locale, "notify-footer", &[("link", settings.into())])
}

/// Sends each daily digest that is due: everything not yet in one, in one mail per person and
/// workspace. Returns how many mails were queued.
pub async fn send_digests(state: &AppState) -> Result<usize, kopa_store::StoreError> {
    let digests = state.store.take_digests().await?;
    let workspaces = state.store.workspaces().await?;
    let mut sent = 0;
    for (recipient, workspace_id, notifications) in digests {
        let Some(workspace) = workspaces.iter().find(|w| w.id == workspace_id) else {
            continue;
        };
        let locale = Locale::from_code(&workspace.default_locale).unwrap_or(Locale::En);
        let base = state.settings.public_url.trim_end_matches('/');
        let lines: Vec<String> = notifications
            .iter()
            .map(|n: &Notification| format!("- {}\n  {base}{}", line(state, locale, n.kind, &n.title), n.link))
            .collect();
        let subject = state.i18n.text(
            locale,
            "notify-digest-subject",
            &[
                ("count", (notifications.len() as i64).into()),
                ("workspace", workspace.municipality.clone().into()),
            ],
        );
        let body = format!(
            "{}\n\n{}\n\n{}",
            state.i18n.text(
                locale,
                "notify-greeting",
                &[("name", recipient.display_name.clone().into())]
            ),
            lines.join("\n"),
            state.i18n.text(
                locale,
                "notify-footer",
                &[("link", format!("{base}/w/{}/notifications", workspace.slug).into())]
            ),
        );
        state
            .store
            .queue_mail(Some(workspace_id), &recipient.email, &subject, &body)
            .await?;
        sent += 1;
    }
    Ok(sent)
}

/// Sends the daily digests every day at `hour` o'clock, Riga time, for as long as the server
/// runs.
pub async fn send_digests_daily(state: AppState, hour: u32) {
    loop {
        let now = chrono::Utc::now().with_timezone(&chrono_tz::Europe::Riga);
        let today = now.date_naive().and_hms_opt(hour.min(23), 0, 0).unwrap_or_default();
        let next = if now.naive_local() < today {
            today
        } else {
            today + chrono::Duration::days(1)
        };
        let wait = (next - now.naive_local())
            .to_std()
            .unwrap_or(std::time::Duration::from_secs(3600));
        tokio::time::sleep(wait).await;
        match send_digests(&state).await {
            Ok(sent) => tracing::info!("sent {sent} daily digests"),
            Err(error) => tracing::warn!("the daily digests failed: {error}"),
        }
    }
}

/// Hands the outbox's waiting mail to the mail server, when one is set; what it refuses waits
/// for the next try. Returns how many were sent.
pub async fn deliver_outbox(state: &AppState) -> Result<usize, String> {
    use lettre::message::header::ContentType;
    use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

    let Some(url) = &state.settings.smtp_url else {
        return Ok(0);
    };
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
        .map_err(|e| format!("the mail server address {url:?} is not usable: {e}"))?
        .build();
    let from = state
        .settings
        .mail_from
        .parse()
        .map_err(|e| format!("the sender {:?} is not an address: {e}", state.settings.mail_from))?;
    let waiting = state.store.unsent_mail(100).await.map_err(|e| e.to_string())?;
    let mut sent = 0;
    for mail in waiting {
        let Ok(to) = mail.to_email.parse() else {
            tracing::warn!("mail {} has no usable address: {}", mail.id, mail.to_email);
            continue;
        };
        let message = Message::builder()
            .from(Clone::clone(&from))
            .to(to)
            .subject(mail.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
            .map_err(|e| e.to_string())?;
        match transport.send(message).await {
            Ok(_) => {
                state.store.mark_mail_sent(mail.id).await.map_err(|e| e.to_string())?;
                sent += 1;
            }
            Err(error) => {
                tracing::warn!("the mail server did not take mail {}: {error}", mail.id);
                break;
            }
        }
    }
    Ok(sent)
}

/// Delivers the outbox every half minute, for as long as the server runs with a mail server.
pub async fn deliver_outbox_continually(state: AppState) {
    if state.settings.smtp_url.is_none() {
        return;
    }
    loop {
        if let Err(error) = deliver_outbox(&state).await {
            tracing::warn!("{error}");
        }
        tokio::time::sleep(std::time::Duration::from_secs(30)).await;
    }
}

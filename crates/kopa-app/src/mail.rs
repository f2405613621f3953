//! Mail: a message each time for those who want one, the daily digest for the others, and
//! delivery of the outbox to a mail server when one is set. All mail is kept in the workspace's
//! outbox, which its admin can read.

use kopa_domain::notification::{EmailMode, Notification, NotificationKind, Recipient};
use kopa_domain::workspace::Workspace;
use kopa_store::StoreError;

use crate::{App, Locale};

impl App {
    /// One line saying what happened to `title`.
    fn notification_line(&self, locale: Locale, kind: NotificationKind, title: &str) -> String {
        self.i18n
            .text(locale, &format!("notify-{kind}"), &[("title", title.to_owned().into())])
    }

    /// The address people reach the server at, without a trailing slash.
    pub fn base_url(&self) -> &str {
        self.mail.public_url.trim_end_matches('/')
    }

    /// The closing line: where to change how one is told.
    fn footer(&self, workspace: &Workspace, locale: Locale) -> String {
        let settings = format!("{}/w/{}/notifications", self.base_url(), workspace.slug);
        self.i18n.text(locale, "notify-footer", &[("link", settings.into())])
    }

    /// Queues a mail about one event for each recipient who wants one each time.
    pub(crate) async fn mail_each_time(
        &self,
        workspace: &Workspace,
        recipients: &[Recipient],
        kind: NotificationKind,
        title: &str,
        link: &str,
    ) -> Result<(), StoreError> {
        let locale = self.workspace_locale(workspace);
        for recipient in recipients.iter().filter(|r| r.email_mode == EmailMode::Each) {
            let text = self.notification_line(locale, kind, title);
            let body = format!(
                "{}\n\n{text}\n{}{link}\n\n{}",
                self.i18n.text(
                    locale,
                    "notify-greeting",
                    &[("name", recipient.display_name.clone().into())]
                ),
                self.base_url(),
                self.footer(workspace, locale),
            );
            self.store
                .queue_mail(Some(workspace.id), &recipient.email, &text, &body)
                .await?;
        }
        Ok(())
    }

    /// Sends each daily digest that is due: everything not yet in one, in one mail per person
    /// and workspace. Returns how many mails were queued.
    pub async fn send_digests(&self) -> Result<usize, StoreError> {
        let digests = self.store.take_digests().await?;
        let workspaces = self.store.workspaces().await?;
        let mut sent = 0;
        for (recipient, workspace_id, notifications) in digests {
            let Some(workspace) = workspaces.iter().find(|w| w.id == workspace_id) else {
                continue;
            };
            let locale = self.workspace_locale(workspace);
            let lines: Vec<String> = notifications
                .iter()
                .map(|n: &Notification| {
                    format!(
                        "- {}\n  {}{}",
                        self.notification_line(locale, n.kind, &n.title),
                        self.base_url(),
                        n.link
                    )
                })
                .collect();
            let subject = self.i18n.text(
                locale,
                "notify-digest-subject",
                &[
                    ("count", (notifications.len() as i64).into()),
                    ("workspace", workspace.municipality.clone().into()),
                ],
            );
            let body = format!(
                "{}\n\n{}\n\n{}",
                self.i18n.text(
                    locale,
                    "notify-greeting",
                    &[("name", recipient.display_name.clone().into())]
                ),
                lines.join("\n"),
                self.footer(workspace, locale),
            );
            self.store
                .queue_mail(Some(workspace_id), &recipient.email, &subject, &body)
                .await?;
            sent += 1;
        }
        Ok(sent)
    }

    /// Hands the outbox's waiting mail to the mail server, when one is set; what it refuses
    /// waits for the next try. Returns how many were sent.
    pub async fn deliver_outbox(&self) -> Result<usize, String> {
        use lettre::message::header::ContentType;
        use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

        let Some(url) = &self.mail.smtp_url else {
            return Ok(0);
        };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("the mail server address {url:?} is not usable: {e}"))?
            .build();
        let from = self
            .mail
            .from
            .parse()
            .map_err(|e| format!("the sender {:?} is not an address: {e}", self.mail.from))?;
        let waiting = self.store.unsent_mail(100).await.map_err(|e| e.to_string())?;
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
                    self.store.mark_mail_sent(mail.id).await.map_err(|e| e.to_string())?;
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
}

/// Sends the daily digests every day at `hour` o'clock, Riga time, for as long as the server
/// runs.
pub async fn send_digests_daily(app: App, hour: u32) {
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
        match app.send_digests().await {
            Ok(sent) => tracing::info!("sent {sent} daily digests"),
            Err(error) => tracing::warn!("the daily digests failed: {error}"),
        }
    }
}

/// Delivers the outbox every half minute, for as long as the server runs with a mail server.
pub async fn deliver_outbox_continually(app: App) {
    if app.mail.smtp_url.is_none() {
        return;
    }
    loop {
        if let Err(error) = app.deliver_outbox().await {
            tracing::warn!("{error}");
        }
        tokio::time::sleep(std::time::Duration::from_secs(30)).await;
    }
}

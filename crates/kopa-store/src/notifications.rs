//! Follows, notifications, e-mail choices and the outbox. None of these change the public
//! record, so they are not in the audit log.

use chrono::{DateTime, Utc};
use kopa_domain::notification::{EmailMode, FollowKind, Mail, Notification, NotificationKind, Recipient};
use kopa_domain::validation::Code;
use sqlx::FromRow;

use crate::db::{in_transaction, on_pool, on_writer};
use crate::{Result, Store, StoreError, code, read_all};

#[derive(FromRow)]
struct NotificationRow {
    id: i64,
    user_id: i64,
    workspace_id: i64,
    kind: String,
    title: String,
    link: String,
    created_at: DateTime<Utc>,
    read_at: Option<DateTime<Utc>>,
}

impl TryFrom<NotificationRow> for Notification {
    type Error = StoreError;

    fn try_from(r: NotificationRow) -> Result<Notification> {
        Ok(Notification {
            id: r.id,
            user_id: r.user_id,
            workspace_id: r.workspace_id,
            kind: code("notifications", "kind", &r.id, &r.kind)?,
            title: r.title,
            link: r.link,
            created_at: r.created_at,
            read_at: r.read_at,
        })
    }
}

#[derive(FromRow)]
struct MailRow {
    id: i64,
    workspace_id: Option<i64>,
    to_email: String,
    subject: String,
    body: String,
    created_at: DateTime<Utc>,
    sent_at: Option<DateTime<Utc>>,
}

impl From<MailRow> for Mail {
    fn from(r: MailRow) -> Mail {
        Mail {
            id: r.id,
            workspace_id: r.workspace_id,
            to_email: r.to_email,
            subject: r.subject,
            body: r.body,
            created_at: r.created_at,
            sent_at: r.sent_at,
        }
    }
}

const NOTIFICATION_COLUMNS: &str = "id, user_id, workspace_id, kind, title, link, created_at, read_at";

/// Someone's choice of mail: each time unless they chose otherwise.
fn email_mode(user_id: i64, stored: Option<&str>) -> Result<EmailMode> {
    stored.map_or(Ok(EmailMode::Each), |mode| {
        code("notification_settings", "email", &user_id, mode)
    })
}

impl Store {
    /// Follows something; following twice changes nothing.
    pub async fn follow(&self, user_id: i64, kind: FollowKind, target_id: i64) -> Result<()> {
        let now = self.now();
        on_writer!(self, pool => sqlx::query(
            "INSERT INTO follows (user_id, target_kind, target_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(user_id)
        .bind(kind.code())
        .bind(target_id)
        .bind(now)
        .execute(pool)
        .await?
        .rows_affected());
        Ok(())
    }

    pub async fn unfollow(&self, user_id: i64, kind: FollowKind, target_id: i64) -> Result<()> {
        on_writer!(self, pool => sqlx::query(
            "DELETE FROM follows WHERE user_id = $1 AND target_kind = $2 AND target_id = $3",
        )
        .bind(user_id)
        .bind(kind.code())
        .bind(target_id)
        .execute(pool)
        .await?
        .rows_affected());
        Ok(())
    }

    pub async fn follows(&self, user_id: i64, kind: FollowKind, target_id: i64) -> Result<bool> {
        let found: Option<i64> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT user_id FROM follows WHERE user_id = $1 AND target_kind = $2 AND target_id = $3",
        )
        .bind(user_id)
        .bind(kind.code())
        .bind(target_id)
        .fetch_optional(pool)
        .await?);
        Ok(found.is_some())
    }

    /// Tells everyone who follows the target, except `except` (who did it), and returns them
    /// with how they want e-mail.
    pub async fn notify_followers(
        &self,
        workspace_id: i64,
        target: (FollowKind, i64),
        kind: NotificationKind,
        title: &str,
        link: &str,
        except: Option<i64>,
    ) -> Result<Vec<Recipient>> {
        let who = Who::Followers(target.0.code(), target.1);
        self.notify(workspace_id, who, kind, title, link, except).await
    }

    /// Tells the workspace's active coordinators, except `except` (who did it): something new
    /// waits on them.
    pub async fn notify_coordinators(
        &self,
        workspace_id: i64,
        kind: NotificationKind,
        title: &str,
        link: &str,
        except: Option<i64>,
    ) -> Result<Vec<Recipient>> {
        let who = Who::Coordinators(workspace_id);
        self.notify(workspace_id, who, kind, title, link, except).await
    }

    async fn notify(
        &self,
        workspace_id: i64,
        who: Who,
        kind: NotificationKind,
        title: &str,
        link: &str,
        except: Option<i64>,
    ) -> Result<Vec<Recipient>> {
        #[derive(FromRow)]
        struct Row {
            id: i64,
            email: String,
            display_name: String,
            mode: Option<String>,
        }
        let now = self.now();
        let (source, key, id) = match who {
            Who::Followers(kind, target) => (
                "follows f JOIN users u ON u.id = f.user_id LEFT JOIN notification_settings s ON s.user_id = u.id \
                 WHERE f.target_kind = $1 AND f.target_id = $2",
                kind,
                target,
            ),
            Who::Coordinators(workspace) => (
                "workspace_roles r JOIN users u ON u.id = r.user_id LEFT JOIN notification_settings s ON s.user_id = u.id \
                 WHERE r.role = $1 AND r.workspace_id = $2 AND r.deactivated_at IS NULL",
                kopa_domain::Role::Coordinator.code(),
                workspace,
            ),
        };
        let sql =
            format!("SELECT u.id, u.email, u.display_name, s.email AS mode FROM {source} AND u.id <> $3 ORDER BY u.id");
        let rows: Vec<Row> = in_transaction!(self, tx => {
            let rows: Vec<Row> = sqlx::query_as(&sql)
            .bind(key)
            .bind(id)
            .bind(except.unwrap_or(-1))
            .fetch_all(&mut *tx)
            .await?;
            for row in &rows {
                // Only those who want a daily digest wait for one; the others are told now or never.
                let digested = (row.mode.as_deref() != Some(EmailMode::Daily.code())).then_some(now);
                sqlx::query(
                    "INSERT INTO notifications (user_id, workspace_id, kind, title, link, created_at, digested_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(row.id)
                .bind(workspace_id)
                .bind(kind.code())
                .bind(title)
                .bind(link)
                .bind(now)
                .bind(digested)
                .execute(&mut *tx)
                .await?;
            }
            rows
        });
        rows.into_iter()
            .map(|r| {
                Ok(Recipient {
                    email_mode: email_mode(r.id, r.mode.as_deref())?,
                    user_id: r.id,
                    email: r.email,
                    display_name: r.display_name,
                })
            })
            .collect()
    }

    /// Someone's notifications in a workspace, newest first.
    pub async fn notifications(&self, user_id: i64, workspace_id: i64, limit: i64) -> Result<Vec<Notification>> {
        let sql = format!(
            "SELECT {NOTIFICATION_COLUMNS} FROM notifications WHERE user_id = $1 AND workspace_id = $2 \
             ORDER BY created_at DESC, id DESC LIMIT $3"
        );
        let rows: Vec<NotificationRow> = on_pool!(self, pool => sqlx::query_as(&sql)
            .bind(user_id)
            .bind(workspace_id)
            .bind(limit)
            .fetch_all(pool)
            .await?);
        read_all(rows)
    }

    pub async fn unread_notifications(&self, user_id: i64, workspace_id: i64) -> Result<i64> {
        Ok(on_pool!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND workspace_id = $2 AND read_at IS NULL",
        )
        .bind(user_id)
        .bind(workspace_id)
        .fetch_one(pool)
        .await?))
    }

    pub async fn mark_notifications_read(&self, user_id: i64, workspace_id: i64) -> Result<()> {
        let now = self.now();
        on_writer!(self, pool => sqlx::query(
            "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND workspace_id = $3 AND read_at IS NULL",
        )
        .bind(now)
        .bind(user_id)
        .bind(workspace_id)
        .execute(pool)
        .await?
        .rows_affected());
        Ok(())
    }

    pub async fn email_mode(&self, user_id: i64) -> Result<EmailMode> {
        let mode: Option<String> = on_pool!(self, pool => sqlx::query_scalar(
            "SELECT email FROM notification_settings WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_optional(pool)
        .await?);
        email_mode(user_id, mode.as_deref())
    }

    pub async fn set_email_mode(&self, user_id: i64, mode: EmailMode) -> Result<()> {
        on_writer!(self, pool => sqlx::query(
            "INSERT INTO notification_settings (user_id, email) VALUES ($1, $2) \
             ON CONFLICT (user_id) DO UPDATE SET email = excluded.email",
        )
        .bind(user_id)
        .bind(mode.code())
        .execute(pool)
        .await?
        .rows_affected());
        Ok(())
    }

    /// For everyone who wants a daily digest: the notifications not yet in one, by workspace,
    /// marked as digested in the same step so that none is sent twice.
    pub async fn take_digests(&self) -> Result<Vec<(Recipient, i64, Vec<Notification>)>> {
        #[derive(FromRow)]
        struct Due {
            user_id: i64,
            email: String,
            display_name: String,
            workspace_id: i64,
        }
        let now = self.now();
        let sql = format!(
            "SELECT {NOTIFICATION_COLUMNS} FROM notifications WHERE user_id = $1 AND workspace_id = $2 \
             AND digested_at IS NULL ORDER BY created_at, id"
        );
        let digests = in_transaction!(self, tx => {
            let due: Vec<Due> = sqlx::query_as(
                "SELECT DISTINCT n.user_id, u.email, u.display_name, n.workspace_id FROM notifications n \
                 JOIN users u ON u.id = n.user_id JOIN notification_settings s ON s.user_id = n.user_id \
                 WHERE s.email = 'daily' AND n.digested_at IS NULL ORDER BY n.user_id, n.workspace_id",
            )
            .fetch_all(&mut *tx)
            .await?;
            let mut digests = Vec::new();
            for due in due {
                let rows: Vec<NotificationRow> = sqlx::query_as(&sql)
                    .bind(due.user_id)
                    .bind(due.workspace_id)
                    .fetch_all(&mut *tx)
                    .await?;
                sqlx::query("UPDATE notifications SET digested_at = $1 WHERE user_id = $2 AND workspace_id = $3 AND digested_at IS NULL")
                    .bind(now)
                    .bind(due.user_id)
                    .bind(due.workspace_id)
                    .execute(&mut *tx)
                    .await?;
                let recipient = Recipient {
                    user_id: due.user_id,
                    email: due.email,
                    display_name: due.display_name,
                    email_mode: EmailMode::Daily,
                };
                digests.push((recipient, due.workspace_id, read_all(rows)?));
            }
            digests
        });
        Ok(digests)
    }

    /// Puts a mail in the outbox; [`Store::mark_mail_sent`] records its delivery.
    pub async fn queue_mail(&self, workspace_id: Option<i64>, to: &str, subject: &str, body: &str) -> Result<i64> {
        let now = self.now();
        Ok(on_writer!(self, pool => sqlx::query_scalar(
            "INSERT INTO outbox (workspace_id, to_email, subject, body, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(workspace_id)
        .bind(to)
        .bind(subject)
        .bind(body)
        .bind(now)
        .fetch_one(pool)
        .await?))
    }

    pub async fn mark_mail_sent(&self, id: i64) -> Result<()> {
        let now = self.now();
        on_writer!(self, pool => sqlx::query("UPDATE outbox SET sent_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(pool)
            .await?
            .rows_affected());
        Ok(())
    }

    /// Mail not yet taken by a mail server, oldest first.
    pub async fn unsent_mail(&self, limit: i64) -> Result<Vec<Mail>> {
        let rows: Vec<MailRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, workspace_id, to_email, subject, body, created_at, sent_at FROM outbox WHERE sent_at IS NULL \
             ORDER BY id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(pool)
        .await?);
        Ok(rows.into_iter().map(Mail::from).collect())
    }

    /// A workspace's outbox, newest first.
    pub async fn outbox(&self, workspace_id: i64, limit: i64) -> Result<Vec<Mail>> {
        let rows: Vec<MailRow> = on_pool!(self, pool => sqlx::query_as(
            "SELECT id, workspace_id, to_email, subject, body, created_at, sent_at FROM outbox WHERE workspace_id = $1 \
             ORDER BY created_at DESC, id DESC LIMIT $2",
        )
        .bind(workspace_id)
        .bind(limit)
        .fetch_all(pool)
        .await?);
        Ok(rows.into_iter().map(Mail::from).collect())
    }
}

/// Whom a notification is for.
enum Who {
    /// Those following a target of a kind.
    Followers(&'static str, i64),
    /// The coordinators of a workspace.
    Coordinators(i64),
}

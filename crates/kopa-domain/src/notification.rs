//! Following ideas and initiatives: who follows them hears what happens to them, in the app
//! and by e-mail, each time or once a day.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::code_enum;

code_enum! {
    /// What can be followed.
    FollowKind {
        Idea => "idea",
        Initiative => "initiative",
    }
}

code_enum! {
    /// What happened to something followed.
    NotificationKind {
        Comment => "comment",
        Answer => "answer",
        Hidden => "hidden",
        Merged => "merged",
        BecameInitiative => "became_initiative",
        Step => "step",
        Milestone => "milestone",
        NewIdea => "new_idea",
        Offer => "offer",
    }
}

code_enum! {
    /// How someone wants e-mail about what they follow.
    EmailMode {
        Each => "each",
        Daily => "daily",
        Never => "never",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Notification {
    pub id: i64,
    pub user_id: i64,
    pub workspace_id: i64,
    pub kind: NotificationKind,
    /// The title of what it is about.
    pub title: String,
    /// Where to read more, a path on the site.
    pub link: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

/// Someone to tell, and how they want to hear it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub user_id: i64,
    pub email: String,
    pub display_name: String,
    pub email_mode: EmailMode,
}

/// A mail as it was sent, or waits to be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Mail {
    pub id: i64,
    pub workspace_id: Option<i64>,
    pub to_email: String,
    pub subject: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    /// When a mail server took it; never without one.
    pub sent_at: Option<DateTime<Utc>>,
}

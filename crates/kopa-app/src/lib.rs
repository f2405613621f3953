//! Kopa's use cases. Each is one function named for what a person does: it takes who acts (a
//! [`Caller`]) and what they ask, and returns the result or a [`Refusal`]. Pages, the API and
//! the CLI call the same functions, so an action has the same effect whichever way it comes:
//! the same permission, the same limits, and the same follows, notifications and mail.

mod accounts;
mod administration;
mod attention;
pub mod cache;
mod cooperation;
mod following;
mod group;
mod home;
pub mod i18n;
mod ideas;
mod initiatives;
pub mod limits;
mod mail;
mod map;
mod meetings;
pub mod osm_sources;
mod photos;
mod plan;
mod reviews;
mod scenarios;
mod street_network;
#[cfg(feature = "testing")]
pub mod testing;
mod tokens;
pub mod where_to_act;

use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime};
use kopa_domain::cooperation::file::InstrumentFile;
use kopa_domain::workspace::{Network, Workspace};
use kopa_domain::{Action, Invalid, Role};
use kopa_store::{Actor, Store, StoreError, User};

pub use accounts::{OpenInvitation, Origin, Session, SignUp};
pub use administration::{NetworkChoice, SetUp, SetUpDone, Site};
pub use attention::{Attention, InstrumentNote, Unowned};
pub use cooperation::{Files, PartnerFile, Reach};
pub use following::Followed;
pub use home::Home;
pub use i18n::{BadFluentFile, I18n, Locale};
pub use initiatives::{InitiativeRecord, Linkable};
pub use limits::RateLimit;
pub use mail::{deliver_outbox_continually, send_digests_daily};
pub use map::Mapped;
pub use meetings::MeetingRecord;
pub use photos::{MAX_PHOTO_BYTES, PhotoUpload};
pub use plan::PlanAttention;
pub use reviews::ReviewFile;
pub use scenarios::{CombinedScenario, Expecting, MAX_EDITS};
pub use street_network::{
    AnalysisWork, DOWNLOADS, MAX_NETWORK_BYTES, NetworkFetch, NetworkUpload, gunzip, gzip, place_names, water,
};
pub use where_to_act::{Known, PlaceToAct};

/// Where links in mail point, and how mail leaves.
#[derive(Clone, Debug)]
pub struct MailSettings {
    /// The address people reach the server at, e.g. `https://kopa.kekava.lv`.
    pub public_url: String,
    /// The mail server, e.g. `smtps://user:password@mail.example.lv`; without it, mail stays in
    /// the outbox for the admin to read.
    pub smtp_url: Option<String>,
    /// Who mail comes from, e.g. `Kopa <kopa@kekava.lv>`.
    pub from: String,
}

/// The newest change to a workspace's instrument files, and the day they were read for.
type FilesVersion = (i64, NaiveDate);

/// What every use case shares.
#[derive(Clone)]
pub struct App {
    pub store: Store,
    pub i18n: Arc<I18n>,
    pub mail: Arc<MailSettings>,
    /// Each workspace's instrument files as they stood on a day.
    files: Arc<cache::Cache<(i64, Reach), FilesVersion, Vec<InstrumentFile>>>,
    /// Each workspace's initiatives.
    initiatives: Arc<cache::Cache<i64, i64, Vec<kopa_domain::initiative::Initiative>>>,
    /// Totals of long lists, by workspace and what they count.
    counts: Arc<cache::Cache<(i64, &'static str), i64, i64>>,
    /// Each workspace's home, by role.
    homes: Arc<cache::Cache<home::HomeKey, home::HomeVersion, Home>>,
    /// Workspaces by slug, read on every request.
    workspaces: Arc<cache::Fresh<String, Option<Workspace>>>,
    /// The newest change to a workspace's sources of a kept value.
    versions: Arc<cache::Fresh<(i64, Sources), i64>>,
    /// The results of the analysis of each workspace's street network read last, by its id.
    street_results: Arc<cache::Cache<i64, i64, kopa_mobility::report::Results>>,
    /// Each workspace's latest network tried scenarios on, rebuilt from its extract.
    scenario_networks: Arc<cache::Cache<i64, i64, kopa_mobility::scenario::Network>>,
    /// Each workspace's plan scenario, by the saved scenarios it combines.
    plan_scenarios: Arc<cache::Cache<i64, Vec<i64>, scenarios::CombinedScenario>>,
    /// Where street networks are downloaded from; none when the server may not reach them.
    osm_sources: Option<Arc<osm_sources::OsmSources>>,
}

/// The kinds of record a kept value is read from, as the audit chain names them.
type Sources = &'static [&'static str];

impl App {
    pub fn new(store: Store, mail: MailSettings) -> Result<App, BadFluentFile> {
        Ok(App {
            store,
            i18n: Arc::new(I18n::load()?),
            mail: Arc::new(mail),
            files: Arc::default(),
            initiatives: Arc::default(),
            counts: Arc::default(),
            homes: Arc::default(),
            workspaces: Arc::default(),
            versions: Arc::default(),
            street_results: Arc::default(),
            scenario_networks: Arc::default(),
            plan_scenarios: Arc::default(),
            osm_sources: None,
        })
    }

    /// The app with the servers it downloads street networks from.
    pub fn with_osm_sources(mut self, sources: osm_sources::OsmSources) -> App {
        self.osm_sources = Some(Arc::new(sources));
        self
    }

    /// Where street networks are downloaded from, when the server may reach them.
    pub fn osm_sources(&self) -> Option<&osm_sources::OsmSources> {
        self.osm_sources.as_deref()
    }
}

impl App {
    /// Who acts from the command line: a visitor to the workspace `slug`, or, given an e-mail,
    /// that account with its role there. No password is asked: whoever runs `kopa` holds the
    /// database already.
    pub async fn caller_at(&self, slug: &str, email: Option<&str>) -> Result<Caller, Refusal> {
        let workspace = self.workspace(slug).await?;
        let workspace = workspace.ok_or(Refusal::Refused("error-no-workspace"))?;
        let (user, role) = match email {
            None => (None, None),
            Some(email) => {
                let user = self.store.user_by_email(email).await?;
                let user = user.ok_or(Refusal::Refused("error-no-account"))?;
                let role = self.store.role_of(user.id, workspace.id).await?;
                (Some(user), role)
            }
        };
        Ok(Caller { workspace, user, role })
    }

    /// Who acts from the command line without naming an account: whoever runs `kopa` on the
    /// server holds the database already, so they act as the workspace's admin, and the audit
    /// log records Kopa itself.
    pub async fn operator_at(&self, slug: &str) -> Result<Caller, Refusal> {
        let workspace = self.workspace(slug).await?;
        let workspace = workspace.ok_or(Refusal::Refused("error-no-workspace"))?;
        Ok(Caller {
            workspace,
            user: None,
            role: Some(Role::Admin),
        })
    }

    /// The workspaces of every network, lead partner first: public facts.
    pub async fn workspaces(&self) -> Result<Vec<Workspace>, Refusal> {
        Ok(self.store.workspaces().await?)
    }

    /// Every network with its member cities: public facts.
    pub async fn networks(&self) -> Result<Vec<(Network, Vec<Workspace>)>, Refusal> {
        let workspaces = self.store.workspaces().await?;
        let networks = self.store.networks().await?.into_iter().map(|network| {
            let members = workspaces.iter().filter(|w| w.network_id == network.id);
            let members = members.cloned().collect();
            (network, members)
        });
        Ok(networks.collect())
    }

    /// Now on the workspace's clock: meetings keep its local time.
    pub fn now_local(&self, caller: &Caller) -> NaiveDateTime {
        let zone = i18n::zone(&caller.workspace);
        self.store.now().with_timezone(&zone).naive_local()
    }

    /// The newest change to `sources` in the workspace: the position in the audit chain that
    /// what is kept from them was read at.
    async fn version_of(&self, workspace: i64, sources: Sources) -> Result<i64, StoreError> {
        let writes = self.store.writes_here();
        self.versions
            .get((workspace, sources), writes, || {
                self.store.last_change_to(workspace, sources)
            })
            .await
    }

    /// A total of the workspace's records, such as its open ideas, kept until a record of one
    /// of the kinds counted (`sources`, or any kind when empty) changes.
    async fn kept_count<Fut>(
        &self,
        workspace: i64,
        counted: &'static str,
        sources: Sources,
        count: impl FnOnce() -> Fut,
    ) -> Result<i64, StoreError>
    where
        Fut: std::future::Future<Output = Result<i64, StoreError>>,
    {
        let version = self.version_of(workspace, sources).await?;
        let total = self.counts.get((workspace, counted), version, count).await?;
        Ok(*total)
    }

    /// The workspace with this short name.
    async fn workspace(&self, slug: &str) -> Result<Option<Workspace>, StoreError> {
        if !kopa_domain::validation::is_storable(slug) {
            return Ok(None);
        }
        let writes = self.store.writes_here();
        self.workspaces
            .get(slug.to_owned(), writes, || self.store.workspace_by_slug(slug))
            .await
    }

    /// Whether Kopa can serve requests: its database answers.
    pub async fn ready(&self) -> bool {
        self.store.answers().await
    }

    /// Today where the workspace is: deadlines and standings are counted in its days.
    pub fn today(&self, caller: &Caller) -> NaiveDate {
        self.now_local(caller).date()
    }

    /// The caller's words in `locale`, on their workspace's clock, for documents.
    pub fn wording(&self, caller: &Caller, locale: Locale) -> i18n::Wording<'_> {
        i18n::Wording {
            i18n: &self.i18n,
            locale,
            zone: i18n::zone(&caller.workspace),
        }
    }
}

/// Who acts, and in which workspace.
#[derive(Clone, Debug)]
pub struct Caller {
    pub workspace: Workspace,
    /// The signed-in account; `None` for a visitor.
    pub user: Option<User>,
    /// The account's role in the workspace, if it has one.
    pub role: Option<Role>,
}

impl Caller {
    pub fn may(&self, action: Action) -> bool {
        Role::may(self.role, action)
    }

    /// Refuses unless the role allows `action`: a visitor is asked to sign in first.
    pub fn require(&self, action: Action) -> Result<(), Refusal> {
        match (self.may(action), &self.user) {
            (true, _) => Ok(()),
            (false, None) => Err(Refusal::SignInRequired),
            (false, Some(_)) => Err(Refusal::Forbidden),
        }
    }

    pub fn user_id(&self) -> Option<i64> {
        self.user.as_ref().map(|u| u.id)
    }

    /// The signed-in account's id, or a request to sign in.
    pub fn signed_in(&self) -> Result<i64, Refusal> {
        self.user_id().ok_or(Refusal::SignInRequired)
    }

    /// Who the audit log names: the account, or without one the operator at the command line
    /// (a visitor who is not signed in changes nothing as a caller).
    pub fn actor(&self) -> Actor {
        self.user.as_ref().map_or_else(
            || Actor::system(kopa_domain::audit::SystemActor::Operator),
            |u| Actor::user(u.id, &u.email),
        )
    }

    pub fn workspace_id(&self) -> i64 {
        self.workspace.id
    }
}

/// Whether what the caller writes counts against the per-person limits: moderators' does not,
/// since they clean up after floods.
pub(crate) fn held_to_limits(caller: &Caller) -> bool {
    !caller.may(Action::ModerateIdeas)
}

/// Why a use case did not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("sign in first")]
    SignInRequired,
    #[error("the caller's role does not allow this")]
    Forbidden,
    #[error("no such record here")]
    NotFound,
    /// Input that fails validation, field by field.
    #[error(transparent)]
    Invalid(Invalid),
    /// A rule refused the action; the key says which.
    #[error("refused: {0}")]
    Refused(&'static str),
    /// Too many of these too fast: try again after this many seconds.
    #[error("too many requests; try again in {retry_after_seconds} s")]
    SlowDown { retry_after_seconds: u64 },
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for Refusal {
    fn from(error: StoreError) -> Refusal {
        match error {
            StoreError::Invalid(invalid) => Refusal::Invalid(invalid),
            StoreError::NotFound { .. } => Refusal::NotFound,
            StoreError::Refused(key) => Refusal::Refused(key),
            other => Refusal::Store(other),
        }
    }
}

impl From<Invalid> for Refusal {
    fn from(invalid: Invalid) -> Refusal {
        Refusal::Invalid(invalid)
    }
}

impl App {
    /// Holds back someone who writes too much too fast; moderators are not limited. Only what
    /// was saved counts.
    pub(crate) async fn limited<T>(
        &self,
        caller: &Caller,
        limit: &RateLimit,
        write: impl Future<Output = Result<T, Refusal>>,
    ) -> Result<T, Refusal> {
        if !held_to_limits(caller) {
            return write.await;
        }
        self.counting(limit, &caller.actor().label, write).await
    }

    /// Counts one against `limit` for `key` for `work`, and gives it back if `work` is
    /// refused: only what was done counts.
    pub(crate) async fn counting<T>(
        &self,
        limit: &RateLimit,
        key: &str,
        work: impl Future<Output = Result<T, Refusal>>,
    ) -> Result<T, Refusal> {
        let counted = self.count(limit, key).await?;
        let done = work.await;
        if done.is_err() {
            self.store.give_back(&counted).await?;
        }
        done
    }

    /// Counts one against `limit` for `key`, or says how long to wait.
    pub(crate) async fn count(&self, limit: &RateLimit, key: &str) -> Result<kopa_store::Counted, Refusal> {
        self.store
            .count_against(limit, key)
            .await?
            .map_err(|retry_after_seconds| Refusal::SlowDown { retry_after_seconds })
    }

    /// The workspace's language, for what is written to everyone (people may not have chosen).
    pub(crate) fn workspace_locale(&self, workspace: &Workspace) -> Locale {
        Locale::from_code(&workspace.default_locale).unwrap_or(Locale::En)
    }
}

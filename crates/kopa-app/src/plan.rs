//! The Integrated Action Plan: who reads which version, editing a draft, submitting it to the
//! network (with its gaps said out loud), publishing it, and comments on its items.

use kopa_domain::plan::compare::{SectionChanges, compare};
use kopa_domain::plan::edit::{Edited, PlanEdit};
use kopa_domain::plan::{LinkedInstrument, Milestone, Names, Plan};
use kopa_domain::workspace::Workspace;
use kopa_domain::{Action, Invalid};
use kopa_report::plan::PlanDocument;
use kopa_report::{Report, Words};
use kopa_store::{PlanComment, PlanVersion, User, VersionInfo};

use crate::{App, Caller, Refusal};

/// Where the roadmap of the plan's newest version needs attention today.
pub struct PlanAttention {
    /// The version's number.
    pub number: i64,
    pub overdue: Vec<Milestone>,
    pub upcoming: Vec<Milestone>,
}

impl App {
    /// Version `number`, if the caller may read it: the group reads every version, the
    /// network's readers the submitted ones, and everyone the published ones. A draft shows
    /// its counted indicators as they are today; a submitted version as they were frozen.
    pub async fn plan_version(&self, caller: &Caller, number: i64) -> Result<PlanVersion, Refusal> {
        let version = self.store.plan_version(caller.workspace_id(), number).await?;
        let version = version.ok_or(Refusal::NotFound)?;
        let open = caller.may(Action::ViewPlan) || version.info.published_at.is_some();
        if !open {
            if !self.reads_network_plans(caller).await? {
                caller.require(Action::ViewPlan)?;
            }
            // The network reads what was submitted to it, and never sees a draft.
            if !version.info.is_submitted() {
                return Err(Refusal::NotFound);
            }
        }
        self.with_live_counts(caller, version).await
    }

    /// The version a reader starts from: the newest for the group, the newest published for
    /// anyone else. `None` while the group has not started a plan.
    pub async fn current_plan(&self, caller: &Caller) -> Result<Option<PlanVersion>, Refusal> {
        let workspace = caller.workspace_id();
        let version = if caller.may(Action::ViewPlan) {
            self.store.current_plan(workspace).await?
        } else {
            let published = self.store.published_plan(workspace).await?;
            if published.is_none() {
                caller.require(Action::ViewPlan)?;
            }
            published
        };
        match version {
            Some(version) => Ok(Some(self.with_live_counts(caller, version).await?)),
            None => Ok(None),
        }
    }

    /// The newest version's overdue and coming milestones, for those who work on the plan;
    /// `None` for anyone else, and before the plan starts.
    pub async fn plan_attention(&self, caller: &Caller) -> Result<Option<PlanAttention>, Refusal> {
        if !caller.may(Action::ViewPlan) {
            return Ok(None);
        }
        let Some(version) = self.store.current_plan(caller.workspace_id()).await? else {
            return Ok(None);
        };
        let attention = version.plan.attention(self.today(caller));
        let owned = |list: Vec<&Milestone>| list.into_iter().cloned().collect();
        Ok(Some(PlanAttention {
            number: version.info.number,
            overdue: owned(attention.overdue),
            upcoming: owned(attention.upcoming),
        }))
    }

    /// The number of the newest version open to everyone.
    pub async fn published_plan_number(&self, caller: &Caller) -> Result<Option<i64>, Refusal> {
        let published = self.store.published_plan(caller.workspace_id()).await?;
        Ok(published.map(|v| v.info.number))
    }

    /// Every version's facts, for the group.
    pub async fn plan_versions(&self, caller: &Caller) -> Result<Vec<VersionInfo>, Refusal> {
        caller.require(Action::ViewPlan)?;
        Ok(self.store.plan_versions(caller.workspace_id()).await?)
    }

    /// What changed from version `from` to version `to`, section by section, as stored.
    pub async fn compare_plan_versions(
        &self,
        caller: &Caller,
        from: i64,
        to: i64,
    ) -> Result<Vec<SectionChanges>, Refusal> {
        caller.require(Action::ViewPlan)?;
        let workspace = caller.workspace_id();
        let (old, new) = (
            self.store.plan_version(workspace, from).await?,
            self.store.plan_version(workspace, to).await?,
        );
        match (old, new) {
            (Some(old), Some(new)) => Ok(compare(&old.plan, &new.plan)),
            _ => Err(Invalid::single("to", "error-version").into()),
        }
    }

    /// Whether the caller reads every partner city's submitted plans in the workspace's network.
    pub async fn reads_network_plans(&self, caller: &Caller) -> Result<bool, Refusal> {
        Ok(match caller.user_id() {
            Some(user) => {
                let network = caller.workspace.network_id;
                self.store.reads_network_plans(user, network).await?
            }
            None => false,
        })
    }

    /// Every partner city's submitted versions, in each network whose plans `user` reads.
    pub async fn network_plans(&self, user: &User) -> Result<Vec<(Workspace, Vec<VersionInfo>)>, Refusal> {
        let mut cities = Vec::new();
        for workspace in self.store.workspaces().await? {
            if !self.store.reads_network_plans(user.id, workspace.network_id).await? {
                continue;
            }
            let versions = self.store.plan_versions(workspace.id).await?;
            cities.push((
                workspace,
                versions.into_iter().filter(VersionInfo::is_submitted).collect(),
            ));
        }
        if cities.is_empty() {
            return Err(Refusal::Forbidden);
        }
        Ok(cities)
    }

    /// The names behind the ids version shows, and no more, so a plan reads as fast in a
    /// large workspace.
    pub async fn plan_names(&self, caller: &Caller, version: &PlanVersion) -> Result<Names, Refusal> {
        let workspace = caller.workspace_id();
        let mut names = self.people_and_organisations(workspace).await?;
        let found = self.store.plan_names(workspace, &version.plan.references()).await?;
        names.initiatives = found.initiatives;
        names.meetings = found
            .meetings
            .into_iter()
            .map(|(id, (title, starts_at))| (id, Names::meeting_label(&title, starts_at)))
            .collect();
        names.decisions = found
            .decisions
            .into_iter()
            .map(|(id, (meeting, title, text))| (id, (meeting, Names::decision_label(&title, &text))))
            .collect();
        names.instruments = found.instruments;
        let scenarios: Vec<i64> = version.plan.references().scenarios.into_iter().collect();
        names.scenarios = self.scenario_names(workspace, Some(&scenarios)).await?;
        Ok(names)
    }

    /// The names an item page shows. Those who edit the plan get every record an item could
    /// point to, for the forms that choose one; anyone else only those the version shows.
    pub async fn plan_item_names(&self, caller: &Caller, version: &PlanVersion) -> Result<Names, Refusal> {
        if !caller.may(Action::ManagePlan) {
            return self.plan_names(caller, version).await;
        }
        let workspace = caller.workspace_id();
        let mut names = self.people_and_organisations(workspace).await?;
        names.initiatives = (self.store.initiatives(workspace).await?)
            .into_iter()
            .map(|i| (i.id, i.title))
            .collect();
        names.meetings = (self.store.meetings(workspace, true).await?)
            .into_iter()
            .map(|m| {
                (
                    m.meeting.id,
                    Names::meeting_label(&m.meeting.title, m.meeting.starts_at),
                )
            })
            .collect();
        names.decisions = (self.store.workspace_decisions(workspace, true, i64::MAX).await?)
            .into_iter()
            .map(|d| {
                let label = Names::decision_label(&d.meeting_title, &d.decision.text);
                (d.decision.id, (d.decision.meeting_id, label))
            })
            .collect();
        names.scenarios = self.scenario_names(workspace, None).await?;
        for instrument in self.store.instruments(workspace).await? {
            let linked = LinkedInstrument {
                kind: instrument.kind,
                subject: instrument.subject,
                status: instrument.status,
            };
            names
                .instruments
                .entry(instrument.initiative_id)
                .or_default()
                .push(linked);
        }
        Ok(names)
    }

    /// Saved scenarios by id, with their title and expected effect.
    async fn scenario_names(
        &self,
        workspace: i64,
        ids: Option<&[i64]>,
    ) -> Result<std::collections::HashMap<i64, (String, kopa_domain::street_network::Expected)>, Refusal> {
        Ok((self.store.street_scenarios(workspace, ids).await?)
            .into_iter()
            .map(|s| (s.id, (s.title, s.expected)))
            .collect())
    }

    /// The group's people and organisations: few, and wanted whole by every plan page.
    async fn people_and_organisations(&self, workspace: i64) -> Result<Names, Refusal> {
        Ok(Names {
            people: (self.store.people(workspace).await?)
                .into_iter()
                .map(|p| (p.id, p.name))
                .collect(),
            organisations: (self.store.organisations(workspace).await?)
                .into_iter()
                .map(|o| (o.id, o.name))
                .collect(),
            ..Names::default()
        })
    }

    /// Version `number` as one document in the reader's words, for whoever may read it.
    pub async fn plan_report(&self, caller: &Caller, number: i64, words: &impl Words) -> Result<Report, Refusal> {
        let version = self.plan_version(caller, number).await?;
        let names = self.plan_names(caller, &version).await?;
        let network = (self.store.networks().await?)
            .into_iter()
            .find(|n| n.id == caller.workspace.network_id)
            .map(|n| format!("{} ({})", n.name, n.programme))
            .unwrap_or_default();
        Ok(kopa_report::plan::report(
            words,
            &PlanDocument {
                plan: &version.plan,
                number: version.info.number,
                submitted_at: version.info.submitted_at,
                municipality: &caller.workspace.municipality,
                network: &network,
                names: &names,
                today: self.today(caller),
                written_in: self.workspace_locale(&caller.workspace).language(),
            },
        ))
    }

    async fn with_live_counts(&self, caller: &Caller, mut version: PlanVersion) -> Result<PlanVersion, Refusal> {
        if !version.info.is_submitted() {
            let expected = self.expected_score(caller.workspace_id(), &version.plan).await?;
            let measured = self.store.measured(caller.workspace_id(), expected).await?;
            version.plan.record_feeds(&measured, self.today(caller));
        }
        Ok(version)
    }

    /// The score the plan's actions would reach together, where any has a scenario, to a
    /// tenth of a point as the analyses' scores are kept.
    async fn expected_score(&self, workspace: i64, plan: &Plan) -> Result<Option<f64>, Refusal> {
        let combined = self.plan_scenario(workspace, plan).await?;
        Ok(combined
            .and_then(|c| c.effect.score_after)
            .map(kopa_mobility::report::kept_score))
    }

    /// Opens the next draft, a copy of the newest version, and returns its number.
    pub async fn open_plan_draft(&self, caller: &Caller) -> Result<i64, Refusal> {
        caller.require(Action::ManagePlan)?;
        Ok(self
            .store
            .open_plan_draft(&caller.actor(), caller.workspace_id())
            .await?)
    }

    /// One change to a draft, validated against the plan and what it points to.
    pub async fn edit_plan(&self, caller: &Caller, number: i64, edit: &PlanEdit) -> Result<Edited, Refusal> {
        caller.require(Action::ManagePlan)?;
        Ok(self
            .store
            .edit_plan(&caller.actor(), caller.workspace_id(), number, edit)
            .await?)
    }

    /// Submits draft `number` to the network. While the readiness check still finds gaps, the
    /// coordinator must say they submit with them (`with_gaps`).
    pub async fn submit_plan(&self, caller: &Caller, number: i64, with_gaps: bool) -> Result<VersionInfo, Refusal> {
        caller.require(Action::ManagePlan)?;
        let workspace = caller.workspace_id();
        let version = self.store.plan_version(workspace, number).await?;
        let version = version.ok_or(Refusal::NotFound)?;
        if version.info.is_submitted() {
            return Err(Refusal::Refused("error-plan-submitted"));
        }
        if !version.plan.readiness().is_empty() && !with_gaps {
            return Err(Refusal::Refused("error-plan-gaps-unconfirmed"));
        }
        let expected = self.expected_score(workspace, &version.plan).await?;
        self.store
            .submit_plan(&caller.actor(), workspace, number, expected)
            .await?;
        self.version_info(workspace, number).await
    }

    /// Opens submitted version `number` to everyone, residents included.
    pub async fn publish_plan(&self, caller: &Caller, number: i64) -> Result<VersionInfo, Refusal> {
        caller.require(Action::ManagePlan)?;
        let workspace = caller.workspace_id();
        self.store.publish_plan(&caller.actor(), workspace, number).await?;
        self.version_info(workspace, number).await
    }

    async fn version_info(&self, workspace: i64, number: i64) -> Result<VersionInfo, Refusal> {
        let version = self.store.plan_version(workspace, number).await?;
        Ok(version.ok_or(Refusal::NotFound)?.info)
    }

    /// The group's comments on the current plan's items, oldest first; `item` (such as
    /// `action:3`) keeps one item's.
    pub async fn plan_comments(&self, caller: &Caller, item: Option<&str>) -> Result<Vec<PlanComment>, Refusal> {
        caller.require(Action::ViewPlan)?;
        let comments = self.store.plan_comments(caller.workspace_id()).await?;
        Ok(comments
            .into_iter()
            .filter(|c| item.is_none_or(|item| c.item == item))
            .collect())
    }

    /// A group member comments on an item of the current plan, named `kind:id`.
    pub async fn comment_on_plan(&self, caller: &Caller, item: &str, body: &str) -> Result<i64, Refusal> {
        caller.require(Action::ViewPlan)?;
        let actor = caller.actor();
        Ok(self
            .store
            .comment_on_plan(&actor, caller.workspace_id(), item, body)
            .await?)
    }
}

//! Who may do what in a workspace. The web layer asks [`Role::may`] for every route, and the
//! role × action table is tested as a whole.

use crate::code_enum;
use crate::validation::Code;

code_enum! {
    /// A person's role in one workspace. Anonymous visitors have no role.
    Role {
        Admin => "admin",
        Coordinator => "coordinator",
        Auditor => "auditor",
        Member => "member",
        Partner => "partner",
        Public => "public",
    }
}

/// Everything the server authorises. Each route maps to exactly one action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Published pages: the network, a workspace's home, public meetings and their decisions.
    ViewPublished,
    /// Register oneself for a meeting that is open for registration.
    RegisterForMeeting,
    /// The group's organisations, bodies and memberships, and unpublished meetings.
    ViewGroup,
    /// The stakeholder assessment and its power/interest matrix.
    ViewStakeholders,
    /// Contact details, registrations and attendance lists.
    ViewPersonalData,
    /// Create and edit organisations, people, memberships and assessments.
    ManageGroup,
    /// Create and edit meetings, agendas, speakers, attendance, minutes and decisions.
    ManageMeetings,
    /// Read the audit log.
    ViewAuditLog,
    /// Invite people with the member, partner or public role.
    InviteMembers,
    /// Invite coordinators and admins, and change anyone's role.
    ManageRoles,
    /// Propose ideas, comment on them and support them.
    Participate,
    /// Hide, merge and answer ideas.
    ModerateIdeas,
    /// Create initiatives, move them through the workflow and link them.
    ManageInitiatives,
    /// A partner's own instruments, obligations and inspections, and offering new ones.
    OfferCooperation,
    /// The partner register and every instrument with its records.
    ViewCooperation,
    /// Record partners, instruments, approvals, publications, obligations and inspections.
    ManageCooperation,
    /// Open and download any instrument's audit pack.
    ViewAuditPacks,
    /// Read the Integrated Action Plan's draft and versions, and comment on its items.
    ViewPlan,
    /// Edit the plan's draft, submit it and open the next one.
    ManagePlan,
    /// Every analysis of the street network, those not yet published too.
    ViewStreetAnalyses,
    /// Import the street network, analyse it and publish an analysis.
    AnalyseStreetNetwork,
}

impl Action {
    pub const ALL: [Action; 21] = [
        Action::ViewPublished,
        Action::RegisterForMeeting,
        Action::ViewGroup,
        Action::ViewStakeholders,
        Action::ViewPersonalData,
        Action::ManageGroup,
        Action::ManageMeetings,
        Action::ViewAuditLog,
        Action::InviteMembers,
        Action::ManageRoles,
        Action::Participate,
        Action::ModerateIdeas,
        Action::ManageInitiatives,
        Action::OfferCooperation,
        Action::ViewCooperation,
        Action::ManageCooperation,
        Action::ViewAuditPacks,
        Action::ViewPlan,
        Action::ManagePlan,
        Action::ViewStreetAnalyses,
        Action::AnalyseStreetNetwork,
    ];

    /// The least role that may do this; `None` means anyone, signed in or not.
    fn least_role(self) -> Option<Role> {
        use Action::*;
        match self {
            ViewPublished | RegisterForMeeting => None,
            Participate => Some(Role::Public),
            ViewGroup | OfferCooperation | ViewPlan => Some(Role::Partner),
            ViewStakeholders | ViewStreetAnalyses => Some(Role::Member),
            ViewPersonalData | ManageGroup | ManageMeetings | ViewAuditLog | InviteMembers | ModerateIdeas
            | ManageInitiatives | ViewCooperation | ManageCooperation | ViewAuditPacks | ManagePlan
            | AnalyseStreetNetwork => Some(Role::Coordinator),
            ManageRoles => Some(Role::Admin),
        }
    }
}

impl Role {
    /// Higher is more trusted. Partners are outside the group, so below members. Auditors
    /// stand outside the order: they read audit packs and what is published, nothing else.
    fn rank(self) -> u8 {
        match self {
            Role::Auditor => 0,
            Role::Public => 1,
            Role::Partner => 2,
            Role::Member => 3,
            Role::Coordinator => 4,
            Role::Admin => 5,
        }
    }

    /// Whether someone with `role` (or no role, when anonymous) may do `action`.
    pub fn may(role: Option<Role>, action: Action) -> bool {
        match (action.least_role(), role) {
            (None, _) => true,
            (Some(_), None) => false,
            (Some(_), Some(Role::Auditor)) => action == Action::ViewAuditPacks,
            (Some(least), Some(role)) => role.rank() >= least.rank(),
        }
    }

    /// The roles that someone with `self` may hand out in an invitation.
    pub fn may_invite(self) -> Vec<Role> {
        Role::ALL
            .iter()
            .copied()
            .filter(|invited| {
                if invited.rank() >= Role::Coordinator.rank() || *invited == Role::Auditor {
                    Role::may(Some(self), Action::ManageRoles)
                } else {
                    Role::may(Some(self), Action::InviteMembers)
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_whole_role_by_action_table() {
        use Action::*;
        // Columns: anonymous, auditor, public, partner, member, coordinator, admin.
        let table: [(Action, [bool; 7]); 21] = [
            (ViewPublished, [true, true, true, true, true, true, true]),
            (RegisterForMeeting, [true, true, true, true, true, true, true]),
            (ViewGroup, [false, false, false, true, true, true, true]),
            (ViewStakeholders, [false, false, false, false, true, true, true]),
            (ViewPersonalData, [false, false, false, false, false, true, true]),
            (ManageGroup, [false, false, false, false, false, true, true]),
            (ManageMeetings, [false, false, false, false, false, true, true]),
            (ViewAuditLog, [false, false, false, false, false, true, true]),
            (InviteMembers, [false, false, false, false, false, true, true]),
            (ManageRoles, [false, false, false, false, false, false, true]),
            (Participate, [false, false, true, true, true, true, true]),
            (ModerateIdeas, [false, false, false, false, false, true, true]),
            (ManageInitiatives, [false, false, false, false, false, true, true]),
            (OfferCooperation, [false, false, false, true, true, true, true]),
            (ViewCooperation, [false, false, false, false, false, true, true]),
            (ManageCooperation, [false, false, false, false, false, true, true]),
            (ViewAuditPacks, [false, true, false, false, false, true, true]),
            (ViewPlan, [false, false, false, true, true, true, true]),
            (ManagePlan, [false, false, false, false, false, true, true]),
            (ViewStreetAnalyses, [false, false, false, false, true, true, true]),
            (AnalyseStreetNetwork, [false, false, false, false, false, true, true]),
        ];
        let roles = [
            None,
            Some(Role::Auditor),
            Some(Role::Public),
            Some(Role::Partner),
            Some(Role::Member),
            Some(Role::Coordinator),
            Some(Role::Admin),
        ];
        for (action, expected) in table {
            for (role, allowed) in roles.iter().zip(expected) {
                assert_eq!(Role::may(*role, action), allowed, "{role:?} {action:?}");
            }
        }
        assert_eq!(table.len(), Action::ALL.len());
    }

    #[test]
    fn coordinators_invite_only_below_themselves() {
        assert_eq!(
            Role::Coordinator.may_invite(),
            vec![Role::Member, Role::Partner, Role::Public]
        );
        assert_eq!(Role::Admin.may_invite().len(), 6);
        assert!(Role::Member.may_invite().is_empty());
    }

    #[test]
    fn roles_round_trip_through_their_codes() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(*role));
        }
        assert_eq!(Role::from_code("owner"), None);
    }
}

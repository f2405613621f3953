//! What is still missing before a plan goes to the network. The check advises; the
//! coordinator decides whether to submit with gaps.

use serde::Serialize;

use super::{Feed, ItemId, ObjectiveLevel, Plan, Section};
use crate::validation::Code;

/// One thing missing: where, which item, and the message key that says what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gap {
    pub section: Section,
    /// The item's code (or title) as the reader knows it; empty for a whole section.
    pub item: String,
    /// The item's address on the plan page, e.g. `action-7`.
    pub anchor: String,
    pub key: &'static str,
}

impl Plan {
    pub fn readiness(&self) -> Vec<Gap> {
        let mut gaps = Vec::new();
        let mut gap = |section: Section, item: &str, anchor: String, key: &'static str| {
            gaps.push(Gap {
                section,
                item: item.to_owned(),
                anchor,
                key,
            })
        };
        let whole = |section: Section| section.code().replace('_', "-");
        let at = |kind: &str, id: ItemId| format!("{kind}-{id}");

        if self.problem_tree.core.is_blank() {
            gap(
                Section::Context,
                "",
                whole(Section::Context),
                "readiness-no-core-problem",
            );
        }
        if !self.problem_tree.nodes.iter().any(|n| n.kind == super::NodeKind::Cause) {
            gap(Section::Context, "", whole(Section::Context), "readiness-no-causes");
        }
        if self.vision.is_blank() {
            gap(Section::Vision, "", whole(Section::Vision), "readiness-no-vision");
        }
        if !self.objectives.iter().any(|o| o.level == ObjectiveLevel::Strategic) {
            gap(
                Section::Objectives,
                "",
                whole(Section::Objectives),
                "readiness-no-objectives",
            );
        }
        for o in &self.objectives {
            let anchor = at("objective", o.id);
            if o.level == ObjectiveLevel::Strategic && !self.objectives.iter().any(|s| s.parent == Some(o.id)) {
                gap(
                    Section::Objectives,
                    &o.code,
                    anchor.clone(),
                    "readiness-objective-without-specific",
                );
            }
            if o.level == ObjectiveLevel::Specific && !self.indicators.iter().any(|i| i.objective == Some(o.id)) {
                gap(
                    Section::Objectives,
                    &o.code,
                    anchor,
                    "readiness-objective-without-indicator",
                );
            }
        }
        if self.actions.is_empty() {
            gap(Section::Actions, "", whole(Section::Actions), "readiness-no-actions");
        }
        for a in &self.actions {
            let anchor = at("action", a.id);
            if a.lead.is_none() {
                gap(
                    Section::Actions,
                    &a.code,
                    anchor.clone(),
                    "readiness-action-without-lead",
                );
            }
            if a.owner.is_none() {
                gap(Section::Actions, &a.code, anchor.clone(), "readiness-without-owner");
            }
            if a.funded() < a.cost {
                gap(Section::Actions, &a.code, anchor, "readiness-cost-without-funding");
            }
        }
        if self.risks.is_empty() {
            gap(Section::Risks, "", whole(Section::Risks), "readiness-no-risks");
        }
        for r in &self.risks {
            let label = self.risk_code(r.id);
            if r.mitigation.is_blank() {
                gap(
                    Section::Risks,
                    &label,
                    at("risk", r.id),
                    "readiness-risk-without-mitigation",
                );
            }
            if r.owner.is_none() {
                gap(Section::Risks, &label, at("risk", r.id), "readiness-without-owner");
            }
        }
        if self.indicators.is_empty() {
            gap(
                Section::Indicators,
                "",
                whole(Section::Indicators),
                "readiness-no-indicators",
            );
        }
        for i in &self.indicators {
            let anchor = at("indicator", i.id);
            // A counted indicator's baseline is still the group's choice of starting point.
            if i.baseline.is_none() {
                gap(
                    Section::Indicators,
                    &i.code,
                    anchor.clone(),
                    "readiness-indicator-without-baseline",
                );
            }
            if i.target.is_none() {
                gap(
                    Section::Indicators,
                    &i.code,
                    anchor.clone(),
                    "readiness-indicator-without-target",
                );
            }
            if i.feed == Feed::Manual && i.owner.is_none() {
                gap(Section::Indicators, &i.code, anchor, "readiness-without-owner");
            }
        }
        if self.implementation.governance.is_blank() {
            gap(
                Section::Implementation,
                "",
                whole(Section::Implementation),
                "readiness-no-governance",
            );
        }
        if self.implementation.review_cycle.is_blank() {
            gap(
                Section::Implementation,
                "",
                whole(Section::Implementation),
                "readiness-no-review-cycle",
            );
        }
        if self.milestones.is_empty() {
            gap(Section::Roadmap, "", whole(Section::Roadmap), "readiness-no-milestones");
        }
        for criterion in super::Criterion::ALL {
            if self.assessment_of(*criterion).and_then(|a| a.score).is_none() {
                gap(
                    Section::Assessment,
                    criterion.code(),
                    whole(Section::Assessment),
                    "readiness-criterion-unscored",
                );
            }
        }
        gaps
    }
}

#[cfg(test)]
mod tests {
    use super::super::edit::tests::{known, save, small_plan};
    use super::super::edit::{ItemKind, PlanEdit};
    use super::*;

    fn keys_for(plan: &Plan, item: &str) -> Vec<&'static str> {
        plan.readiness()
            .into_iter()
            .filter(|g| g.item == item)
            .map(|g| g.key)
            .collect()
    }

    #[test]
    fn an_action_without_a_lead_or_enough_funding_is_flagged() {
        let mut plan = small_plan();
        assert_eq!(
            keys_for(&plan, "A1"),
            ["readiness-without-owner", "readiness-cost-without-funding"],
            "A1 has a lead but no owner and no funding"
        );
        plan.actions[0].lead = None;
        plan.actions[0].owner = Some(1);
        assert_eq!(
            keys_for(&plan, "A1"),
            ["readiness-action-without-lead", "readiness-cost-without-funding"]
        );
        plan.actions[0].lead = Some(10);
        plan.actions[0].cost = 0;
        assert!(keys_for(&plan, "A1").is_empty());
    }

    #[test]
    fn an_indicator_without_a_baseline_is_flagged_until_it_has_one() {
        let mut plan = small_plan();
        save(
            &mut plan,
            ItemKind::Indicator,
            &[
                ("code", "I1"),
                ("kind", "result"),
                ("objective", "2"),
                ("title_lv", "Velo"),
                ("unit_lv", "%"),
                ("owner", "1"),
                ("target_value", "15"),
                ("target_on", "2025-09-01"),
            ],
        )
        .unwrap();
        assert_eq!(keys_for(&plan, "I1"), ["readiness-indicator-without-baseline"]);
        assert!(
            keys_for(&plan, "O1.1").is_empty(),
            "the specific objective now has an indicator"
        );
        let id = plan.indicators[0].id;
        let fixed = PlanEdit::save(
            ItemKind::Indicator,
            Some(id),
            &super::super::edit::tests::fields(&[
                ("code", "I1"),
                ("kind", "result"),
                ("objective", "2"),
                ("title_lv", "Velo"),
                ("unit_lv", "%"),
                ("owner", "1"),
                ("baseline_value", "4"),
                ("baseline_on", "2020-09-01"),
                ("target_value", "15"),
                ("target_on", "2025-09-01"),
            ]),
        )
        .unwrap();
        plan.apply(&fixed, &known()).unwrap();
        assert!(keys_for(&plan, "I1").is_empty());
    }

    #[test]
    fn an_empty_plan_lacks_every_section() {
        let keys: Vec<&str> = Plan::default().readiness().into_iter().map(|g| g.key).collect();
        for key in [
            "readiness-no-core-problem",
            "readiness-no-vision",
            "readiness-no-objectives",
            "readiness-no-actions",
            "readiness-no-risks",
            "readiness-no-indicators",
            "readiness-no-governance",
            "readiness-no-milestones",
        ] {
            assert!(keys.contains(&key), "{key}");
        }
        assert_eq!(keys.iter().filter(|k| **k == "readiness-criterion-unscored").count(), 9);
    }
}

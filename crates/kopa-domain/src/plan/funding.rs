//! The funding summary: what the actions cost and who pays, totalled by source and status.

use serde::Serialize;

use super::{FundingSource, FundingStatus, Plan};
use crate::validation::Code;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceRow {
    pub source: FundingSource,
    /// In the order of [`FundingStatus::ALL`]: secured, applied, planned.
    pub by_status: Vec<i64>,
    pub total: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FundingSummary {
    /// Only the sources that fund something.
    pub rows: Vec<SourceRow>,
    pub by_status: Vec<i64>,
    pub funded: i64,
    pub cost: i64,
    /// What actions cost beyond their funding, summed over the actions short of it.
    pub unfunded: i64,
}

impl Plan {
    pub fn funding_summary(&self) -> FundingSummary {
        let statuses = FundingStatus::ALL;
        let mut rows: Vec<SourceRow> = FundingSource::ALL
            .iter()
            .map(|source| SourceRow {
                source: *source,
                by_status: vec![0; statuses.len()],
                total: 0,
            })
            .collect();
        for funding in self.actions.iter().flat_map(|a| &a.funding) {
            let row = rows
                .iter_mut()
                .find(|r| r.source == funding.source)
                .expect("every source has a row");
            let column = statuses
                .iter()
                .position(|s| *s == funding.status)
                .expect("every status has a column");
            row.by_status[column] += funding.amount;
            row.total += funding.amount;
        }
        rows.retain(|r| r.total > 0);
        let by_status = (0..statuses.len())
            .map(|c| rows.iter().map(|r| r.by_status[c]).sum())
            .collect();
        FundingSummary {
            funded: rows.iter().map(|r| r.total).sum(),
            by_status,
            rows,
            cost: self.actions.iter().map(|a| a.cost).sum(),
            unfunded: self.actions.iter().map(|a| (a.cost - a.funded()).max(0)).sum(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::edit::tests::{fields, known, small_plan};
    use super::super::edit::{ItemKind, PlanEdit};
    use super::*;

    fn fund(plan: &mut Plan, action: u32, source: &str, amount: &str, status: &str) {
        let edit = PlanEdit::save(
            ItemKind::Funding,
            None,
            &fields(&[
                ("action", &action.to_string()),
                ("source", source),
                ("amount", amount),
                ("status", status),
            ]),
        )
        .unwrap();
        plan.apply(&edit, &known()).unwrap();
    }

    #[test]
    fn totals_by_source_and_status_add_up() {
        let mut plan = small_plan();
        let first = plan.actions[0].id;
        let mut second = plan.actions[0].clone();
        second.id = 99;
        second.code = "A2".into();
        second.cost = 1_000_000;
        second.funding.clear();
        plan.actions.push(second);
        fund(&mut plan, first, "municipal", "10000", "secured");
        fund(&mut plan, first, "private", "5000,50", "applied");
        fund(&mut plan, 99, "municipal", "2000", "planned");
        fund(&mut plan, 99, "municipal", "3000", "secured");
        fund(&mut plan, 99, "private", "6000", "applied");

        let summary = plan.funding_summary();
        let sources: Vec<FundingSource> = summary.rows.iter().map(|r| r.source).collect();
        assert_eq!(sources, [FundingSource::Municipal, FundingSource::Private]);
        assert_eq!(summary.rows[0].by_status, [1_300_000, 0, 200_000]);
        assert_eq!(summary.rows[0].total, 1_500_000);
        assert_eq!(summary.rows[1].by_status, [0, 1_100_050, 0]);
        assert_eq!(summary.by_status, [1_300_000, 1_100_050, 200_000]);
        assert_eq!(summary.funded, 2_600_050);
        assert_eq!(summary.cost, 2_500_000 + 1_000_000);
        // A1 costs 25 000 and has 15 000,50; A2 costs 10 000 and has 11 000, which does not
        // make up for A1.
        assert_eq!(summary.unfunded, 999_950);
    }
}

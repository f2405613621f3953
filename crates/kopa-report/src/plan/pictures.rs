//! The plan's pictures in the reader's language: the problem tree, the Gantt chart of actions
//! and milestones, the risk heat map and each indicator's trend. The plan page and every
//! export draw the same SVG.

use crate::charts::{Bar, Gantt, HeatMap, Mark, Placed, ProblemTree, Trend, TrendPoint};
use kopa_domain::plan::{NodeKind, Plan};

use crate::Words;

/// Rows per Gantt chart, so that each one fits a printed page.
pub const GANTT_ROWS: usize = 40;

pub fn problem_tree(words: &impl Words, plan: &Plan) -> String {
    let of = |kind| -> Vec<String> {
        plan.problem_tree
            .nodes
            .iter()
            .filter(|n| n.kind == kind)
            .map(|n| words.label(&n.text))
            .collect()
    };
    let (causes, effects) = (of(NodeKind::Cause), of(NodeKind::Effect));
    ProblemTree {
        title: words.t("chart-tree-title"),
        description: words.t("chart-tree-description"),
        core: words.label(&plan.problem_tree.core),
        causes: &causes,
        effects: &effects,
        causes_label: words.t("plan-causes"),
        effects_label: words.t("plan-effects"),
    }
    .svg()
}

/// The actions, then the milestones, in charts of at most [`GANTT_ROWS`] rows.
pub fn gantt(words: &impl Words, plan: &Plan) -> Vec<String> {
    let mut bars: Vec<Bar> = plan
        .actions
        .iter()
        .map(|a| Bar {
            label: format!("{} {}", a.code, words.label(&a.title)),
            starts: a.starts_on,
            ends: a.ends_on,
        })
        .collect();
    bars.sort_by_key(|b| b.starts);
    let mut marks: Vec<Mark> = plan
        .milestones
        .iter()
        .map(|m| Mark {
            label: format!("◆ {}", words.label(&m.title)),
            on: m.due_on,
            done: m.done_on.is_some(),
        })
        .collect();
    marks.sort_by_key(|m| m.on);
    let chunks = (bars.len() + marks.len()).div_ceil(GANTT_ROWS).max(1);
    let mut charts = Vec::with_capacity(chunks);
    let (mut bars, mut marks) = (bars.as_slice(), marks.as_slice());
    for _ in 0..chunks {
        let take_bars = bars.len().min(GANTT_ROWS);
        let take_marks = marks.len().min(GANTT_ROWS - take_bars);
        charts.push(
            Gantt {
                title: words.t("chart-gantt-title"),
                description: words.t("chart-gantt-description"),
                bars: &bars[..take_bars],
                marks: &marks[..take_marks],
                legend_done: words.t("chart-milestone-done"),
                legend_open: words.t("chart-milestone-open"),
            }
            .svg(),
        );
        bars = &bars[take_bars..];
        marks = &marks[take_marks..];
    }
    charts
}

pub fn heat_map(words: &impl Words, plan: &Plan) -> String {
    let risks: Vec<Placed> = plan
        .risks
        .iter()
        .map(|r| Placed {
            label: plan.risk_code(r.id),
            likelihood: r.likelihood,
            impact: r.impact,
        })
        .collect();
    HeatMap {
        title: words.t("chart-heat-title"),
        description: words.t("chart-heat-description"),
        risks: &risks,
        likelihood_label: words.t("chart-likelihood"),
        impact_label: words.t("chart-impact"),
    }
    .svg()
}

/// One chart per indicator with a baseline, a target or a measurement: caption and picture.
pub fn trends(words: &impl Words, plan: &Plan) -> Vec<(String, String)> {
    let point = |p: &kopa_domain::plan::Point| TrendPoint {
        on: p.on,
        value: p.value,
    };
    plan.indicators
        .iter()
        .filter(|i| i.baseline.is_some() || i.target.is_some() || !i.measurements.is_empty())
        .map(|i| {
            let caption = format!("{} {}", i.code, words.label(&i.title));
            let measured: Vec<TrendPoint> = i.measurements.iter().map(point).collect();
            let svg = Trend {
                title: caption.clone(),
                description: words.t("chart-trend-description"),
                unit: words.label(&i.unit),
                baseline: i.baseline.as_ref().map(point),
                target: i.target.as_ref().map(point),
                measured: &measured,
                baseline_label: words.t("chart-baseline"),
                target_label: words.t("chart-target"),
                measured_label: words.t("chart-measured"),
                planned_label: words.t("chart-planned"),
            }
            .svg();
            (caption, svg)
        })
        .collect()
}

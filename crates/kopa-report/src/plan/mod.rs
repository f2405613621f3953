//! The whole plan as one document in the reader's language: a cover, the contents, every
//! section with its tables and pictures, and the funding summary. The same [`Report`] becomes
//! the HTML file, the PDF and the Word document. Text missing in the chosen language is shown
//! in the other one, marked with that language's code, and the cover says so.

pub mod pictures;

use chrono::{DateTime, NaiveDate, Utc};
use kopa_domain::plan::funding::FundingSummary;
use kopa_domain::plan::{Criterion, FundingStatus, Language, LinkedInstrument, Names, Plan, Point};
use kopa_domain::validation::Code;

use crate::{Report, Section, Table, Words, number};

/// One version of a plan, with what its document needs around it.
pub struct PlanDocument<'a> {
    pub plan: &'a Plan,
    /// The version's number.
    pub number: i64,
    pub submitted_at: Option<DateTime<Utc>>,
    pub municipality: &'a str,
    /// The network the plan is owed to, with its programme.
    pub network: &'a str,
    pub names: &'a Names,
    /// The day milestones are judged on.
    pub today: NaiveDate,
    /// The language the workspace's own records (initiatives, instruments) are written in;
    /// a reader of the other one sees them marked.
    pub written_in: Language,
}

fn table(columns: Vec<String>, rows: Vec<Vec<String>>, empty: String) -> Table {
    Table {
        caption: String::new(),
        columns,
        rows,
        empty,
    }
}

/// Whether any text of the plan lacks `language` and will show the other one.
fn falls_back(plan: &Plan, language: Language) -> bool {
    plan.texts()
        .iter()
        .any(|(_, _, _, text)| text.shown_in(language).fallback.is_some())
}

/// An instrument as a plan's action names it: its legal form, its subject and its status.
pub fn instrument_named(words: &impl Words, instrument: &LinkedInstrument) -> String {
    format!(
        "{}: {} ({})",
        words.code("instrument-kind", instrument.kind),
        instrument.subject,
        words.code("instrument-status", instrument.status).to_lowercase()
    )
}

/// The plan on one page, for a reader with a minute: the vision, the objectives, the
/// actions with their cost and time, the budget by source and the key indicators.
fn summary(words: &impl Words, plan: &Plan, funding: &FundingSummary) -> Section {
    let t = |key: &str| words.t(key);
    let l = |text| words.label(text);
    let mut by_source: Vec<Vec<String>> = funding
        .rows
        .iter()
        .map(|r| vec![words.code("funding-source", r.source), words.money(r.total)])
        .collect();
    if !by_source.is_empty() {
        by_source.push(vec![t("plan-total"), words.money(funding.funded)]);
    }
    let point = |p: &Option<Point>| p.map(|p| number(p.value)).unwrap_or_else(|| "–".into());
    let mut summary = Section::new(t("plan-section-summary"));
    summary.own_page = true;
    summary
        .paragraph(l(&plan.vision))
        .fact(t("plan-total-cost"), words.money(funding.cost))
        .fact(t("plan-unfunded"), words.money(funding.unfunded))
        .table(Table {
            caption: t("plan-section-objectives"),
            ..table(
                vec![t("plan-field-code"), t("plan-field-title")],
                plan.objectives
                    .iter()
                    .map(|o| vec![o.code.clone(), l(&o.title)])
                    .collect(),
                t("plan-empty"),
            )
        })
        .table(Table {
            caption: t("plan-section-actions"),
            ..table(
                vec![
                    t("plan-field-code"),
                    t("plan-field-title"),
                    t("plan-period"),
                    t("plan-field-cost"),
                ],
                plan.actions
                    .iter()
                    .map(|a| {
                        vec![
                            a.code.clone(),
                            l(&a.title),
                            format!("{} – {}", words.date(a.starts_on), words.date(a.ends_on)),
                            words.money(a.cost),
                        ]
                    })
                    .collect(),
                t("plan-empty"),
            )
        })
        .table(Table {
            caption: t("plan-summary-budget"),
            ..table(
                vec![t("plan-field-source"), t("plan-total")],
                by_source,
                t("plan-no-funding"),
            )
        })
        .table(Table {
            caption: t("plan-summary-indicators"),
            ..table(
                vec![
                    t("plan-field-code"),
                    t("plan-field-title"),
                    t("plan-field-unit"),
                    t("plan-field-baseline"),
                    t("plan-field-target"),
                ],
                plan.indicators
                    .iter()
                    .map(|i| {
                        vec![
                            i.code.clone(),
                            l(&i.title),
                            l(&i.unit),
                            point(&i.baseline),
                            point(&i.target),
                        ]
                    })
                    .collect(),
                t("plan-empty"),
            )
        })
}

/// The document of one version, in the reader's language.
pub fn report(words: &impl Words, document: &PlanDocument) -> Report {
    let PlanDocument {
        plan,
        names,
        today,
        municipality,
        network,
        written_in,
        ..
    } = *document;
    // A record's name shown in the language it was written in, not the reader's, says so.
    let in_its_language = |name: String| {
        if words.language() == written_in || name.is_empty() {
            name
        } else {
            format!("{name} [{}]", written_in.code().to_uppercase())
        }
    };
    let t = |key: &str| words.t(key);
    let l = |text| words.label(text);
    let date = |d: NaiveDate| words.date(d);
    let money = |cents: i64| words.money(cents);
    let version_number = words.t1("plan-version-number", "number", document.number);

    let mut notices = Vec::new();
    let mut watermark = String::new();
    let state = match document.submitted_at {
        Some(at) => words.t1("export-submitted-on", "date", words.date(words.local(&at).date())),
        None => {
            notices.push(t("export-draft-notice"));
            watermark = t("export-draft-watermark");
            t("plan-state-draft")
        }
    };
    let names_foreign = words.language() != written_in && plan.actions.iter().any(|a| a.initiative.is_some());
    if falls_back(plan, words.language()) || names_foreign {
        notices.push(words.code("export-fallback", words.language().other()));
    }

    let funding = plan.funding_summary();
    let mut sections = vec![summary(words, plan, &funding)];

    let causes_and_effects: Vec<Vec<String>> = plan
        .problem_tree
        .nodes
        .iter()
        .map(|n| vec![words.code("plan-node", n.kind), l(&n.text), l(&n.evidence)])
        .collect();
    let mut context = Section::new(t("plan-section-context"))
        .fact(t("plan-core-problem"), l(&plan.problem_tree.core))
        .figure(t("chart-tree-title"), pictures::problem_tree(words, plan));
    context = context.table(table(
        vec![
            t("plan-field-node-kind"),
            t("plan-field-text"),
            t("plan-field-evidence"),
        ],
        causes_and_effects,
        t("plan-empty"),
    ));
    sections.push(context);

    sections.push(Section::new(t("plan-section-vision")).paragraph(l(&plan.vision)));

    let objectives = plan
        .objectives
        .iter()
        .map(|o| {
            let parent = o
                .parent
                .and_then(|p| plan.objective(p))
                .map(|p| p.code.clone())
                .unwrap_or_default();
            vec![
                o.code.clone(),
                words.code("plan-level", o.level),
                l(&o.title),
                parent,
                names.person(o.owner),
            ]
        })
        .collect();
    sections.push(Section::new(t("plan-section-objectives")).table(table(
        vec![
            t("plan-field-code"),
            t("plan-field-level"),
            t("plan-field-title"),
            t("plan-field-parent"),
            t("plan-field-owner"),
        ],
        objectives,
        t("plan-empty"),
    )));

    let code_of = |id| plan.objective(id).map(|o| o.code.clone()).unwrap_or_default();
    let who_and_where = plan
        .actions
        .iter()
        .map(|a| {
            vec![
                a.code.clone(),
                l(&a.title),
                code_of(a.objective),
                names.organisation(a.lead),
                a.partners.clone(),
                l(&a.location),
                format!("{} – {}", date(a.starts_on), date(a.ends_on)),
                names.person(a.owner),
            ]
        })
        .collect();
    let money_and_links = plan
        .actions
        .iter()
        .map(|a| {
            let funding: Vec<String> = a
                .funding
                .iter()
                .map(|f| {
                    let detail = if f.detail.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", f.detail)
                    };
                    format!(
                        "{}{detail}: {}, {}",
                        words.code("funding-source", f.source),
                        money(f.amount),
                        words.code("funding-status", f.status).to_lowercase()
                    )
                })
                .collect();
            let linked = match a.initiative {
                Some(id) => {
                    let mut linked = in_its_language(names.initiative(Some(id)));
                    for i in names.instruments_of(id) {
                        linked = format!("{linked}; {}", in_its_language(instrument_named(words, i)));
                    }
                    linked
                }
                None => String::new(),
            };
            let outputs = match (l(&a.outputs), words.expected_effect(names, a)) {
                (outputs, None) => outputs,
                (outputs, Some(expected)) if outputs.is_empty() => expected,
                // The expected effect is a sentence of its own after the outputs.
                (outputs, Some(expected)) if outputs.ends_with(['.', '!', '?']) => format!("{outputs} {expected}"),
                (outputs, Some(expected)) => format!("{outputs}. {expected}"),
            };
            vec![a.code.clone(), money(a.cost), funding.join("; "), linked, outputs]
        })
        .collect();
    let mut actions = Section::new(t("plan-section-actions"));
    actions = actions.table(Table {
        caption: t("export-actions-who"),
        ..table(
            vec![
                t("plan-field-code"),
                t("plan-field-title"),
                t("plan-field-objective"),
                t("plan-field-lead"),
                t("plan-field-partners"),
                t("plan-field-location"),
                t("plan-period"),
                t("plan-field-owner"),
            ],
            who_and_where,
            t("plan-empty"),
        )
    });
    actions = actions.table(Table {
        caption: t("export-actions-money"),
        ..table(
            vec![
                t("plan-field-code"),
                t("plan-field-cost"),
                t("plan-funding"),
                t("export-initiative-instruments"),
                t("plan-field-outputs"),
            ],
            money_and_links,
            t("plan-empty"),
        )
    });
    sections.push(actions);

    let summary = &funding;
    let mut columns = vec![t("plan-field-source")];
    columns.extend(FundingStatus::ALL.iter().map(|s| words.code("funding-status", s)));
    columns.push(t("plan-total"));
    let mut rows: Vec<Vec<String>> = summary
        .rows
        .iter()
        .map(|r| {
            let mut row = vec![words.code("funding-source", r.source)];
            row.extend(r.by_status.iter().map(|c| money(*c)));
            row.push(money(r.total));
            row
        })
        .collect();
    if !rows.is_empty() {
        let mut total = vec![t("plan-total")];
        total.extend(summary.by_status.iter().map(|c| money(*c)));
        total.push(money(summary.funded));
        rows.push(total);
    }
    sections.push(
        Section::new(t("plan-funding-summary"))
            .fact(t("plan-total-cost"), money(summary.cost))
            .fact(t("plan-unfunded"), money(summary.unfunded))
            .table(table(columns, rows, t("plan-no-funding"))),
    );

    let small = plan
        .small_actions
        .iter()
        .map(|s| {
            vec![
                s.code.clone(),
                l(&s.title),
                l(&s.hypothesis),
                format!("{} – {}", date(s.starts_on), date(s.ends_on)),
                money(s.budget),
                l(&s.learning),
                words.code("scale-up", s.decision),
            ]
        })
        .collect();
    sections.push(Section::new(t("plan-section-small_actions")).table(table(
        vec![
            t("plan-field-code"),
            t("plan-field-title"),
            t("plan-field-hypothesis"),
            t("plan-period"),
            t("plan-field-budget"),
            t("plan-field-learning"),
            t("plan-field-decision"),
        ],
        small,
        t("plan-empty"),
    )));

    let risks = plan
        .risks
        .iter()
        .map(|r| {
            let action = r
                .action
                .and_then(|a| plan.action(a))
                .map(|a| a.code.clone())
                .unwrap_or_default();
            vec![
                plan.risk_code(r.id),
                l(&r.title),
                r.likelihood.to_string(),
                r.impact.to_string(),
                r.score().to_string(),
                l(&r.mitigation),
                action,
                names.person(r.owner),
            ]
        })
        .collect();
    sections.push(
        Section::new(t("plan-section-risks"))
            .figure(t("chart-heat-title"), pictures::heat_map(words, plan))
            .table(table(
                vec![
                    t("plan-risk-number"),
                    t("plan-field-title"),
                    t("plan-field-likelihood"),
                    t("plan-field-impact"),
                    t("plan-risk-score"),
                    t("plan-field-mitigation"),
                    t("plan-field-action"),
                    t("plan-field-owner"),
                ],
                risks,
                t("plan-empty"),
            )),
    );

    let point = |p: &Option<Point>| {
        p.map(|p| format!("{} ({})", number(p.value), date(p.on)))
            .unwrap_or_else(|| "–".into())
    };
    let indicators = plan
        .indicators
        .iter()
        .map(|i| {
            let measured: Vec<String> = i
                .measurements
                .iter()
                .map(|m| format!("{}: {}", date(m.on), number(m.value)))
                .collect();
            vec![
                i.code.clone(),
                words.code("indicator-kind", i.kind),
                l(&i.title),
                l(&i.unit),
                i.objective.map(code_of).unwrap_or_default(),
                point(&i.baseline),
                point(&i.target),
                measured.join("; "),
                words.code("feed", i.feed),
            ]
        })
        .collect();
    let mut results = Section::new(t("plan-section-indicators")).table(table(
        vec![
            t("plan-field-code"),
            t("plan-field-kind"),
            t("plan-field-title"),
            t("plan-field-unit"),
            t("plan-field-objective"),
            t("plan-field-baseline"),
            t("plan-field-target"),
            t("plan-measurements"),
            t("plan-field-feed"),
        ],
        indicators,
        t("plan-empty"),
    ));
    for (caption, svg) in pictures::trends(words, plan) {
        results = results.figure(caption, svg);
    }
    sections.push(results);

    let adoption = match plan.implementation.adoption_decision {
        Some(_) => names.decision(plan.implementation.adoption_decision),
        None => t("plan-not-adopted"),
    };
    sections.push(
        Section::new(t("plan-section-implementation"))
            .fact(t("plan-field-governance"), l(&plan.implementation.governance))
            .fact(t("plan-field-review_cycle"), l(&plan.implementation.review_cycle))
            .fact(t("plan-field-adoption_decision"), adoption)
            .fact(t("plan-field-owner"), names.person(plan.implementation.owner)),
    );

    let milestones = plan
        .milestones
        .iter()
        .map(|m| {
            vec![
                date(m.due_on),
                l(&m.title),
                words.code("milestone-state", m.state(today)),
                names.meeting(m.meeting),
                names.person(m.owner),
            ]
        })
        .collect();
    let mut roadmap = Section::new(t("plan-section-roadmap"));
    for svg in pictures::gantt(words, plan) {
        roadmap = roadmap.figure(t("chart-gantt-title"), svg);
    }
    sections.push(roadmap.table(table(
        vec![
            t("plan-field-due_on"),
            t("plan-field-title"),
            t("plan-milestone-state"),
            t("plan-field-meeting"),
            t("plan-field-owner"),
        ],
        milestones,
        t("plan-empty"),
    )));

    let assessment = Criterion::ALL
        .iter()
        .map(|c| {
            let found = plan.assessment_of(*c);
            vec![
                words.code("criterion", c),
                found
                    .and_then(|a| a.score)
                    .map(|s| format!("{s} / 5"))
                    .unwrap_or_else(|| "–".into()),
                found.map(|a| l(&a.note)).unwrap_or_default(),
            ]
        })
        .collect();
    sections.push(Section::new(t("plan-section-assessment")).table(table(
        vec![t("plan-field-criterion"), t("plan-field-score"), t("plan-field-note")],
        assessment,
        t("plan-empty"),
    )));

    Report {
        lang: words.lang().into(),
        title: t("plan-heading"),
        subtitle: municipality.to_owned(),
        notices,
        sections,
        footer: format!("{municipality} · {} · {}", t("plan-heading"), version_number.clone()),
        cover_line: network.to_owned(),
        cover: vec![
            (t("plan-version"), version_number),
            (t("plan-version-state"), state),
            (t("export-printed-on"), date(today)),
            (t("export-language"), words.code("language", words.language())),
        ],
        contents: t("plan-contents"),
        watermark,
        ..Report::default()
    }
}

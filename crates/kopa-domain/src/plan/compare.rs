//! Comparing two versions of a plan section by section: which items were added, removed or
//! changed, and in a changed item which fields, with their values before and after.

use serde::Serialize;
use serde_json::Value;

use super::{Plan, Section};
use crate::code_enum;
use crate::validation::Code;

code_enum! {
    ChangeKind {
        Added => "added",
        Removed => "removed",
        Changed => "changed",
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub before: Value,
    pub after: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemChange {
    pub kind: ChangeKind,
    /// The item as a reader knows it: its code, else its title.
    pub label: String,
    pub fields: Vec<FieldChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectionChanges {
    pub section: Section,
    /// Empty when the section is the same in both.
    pub changes: Vec<ItemChange>,
}

/// One comparable item of a section: its key, its label and its content.
type Keyed = (String, String, Value);

fn value(item: &impl Serialize) -> Value {
    serde_json::to_value(item).unwrap_or(Value::Null)
}

/// A label from an item's code, else its title in either language.
fn label_of(item: &Value) -> String {
    let text = |field: &str| {
        let t = &item[field];
        [&t["en"], &t["lv"]]
            .iter()
            .filter_map(|v| v.as_str())
            .find(|s| !s.is_empty())
            .map(str::to_owned)
    };
    item["code"]
        .as_str()
        .map(str::to_owned)
        .or_else(|| item["criterion"].as_str().map(str::to_owned))
        .or_else(|| text("title"))
        .or_else(|| text("text"))
        .unwrap_or_default()
}

fn listed<T: Serialize>(items: &[T]) -> Vec<Keyed> {
    items
        .iter()
        .map(|item| {
            let v = value(item);
            let key = v["id"].to_string() + v["criterion"].as_str().unwrap_or_default();
            (key, label_of(&v), v)
        })
        .collect()
}

fn single(key: &str, item: Value) -> Vec<Keyed> {
    vec![(key.to_owned(), String::new(), item)]
}

impl Plan {
    /// A section's items, keyed so that the same item matches across versions.
    fn section_items(&self, section: Section) -> Vec<Keyed> {
        match section {
            Section::Context => {
                let core = serde_json::json!({ "core": self.problem_tree.core, "owner": self.problem_tree.owner });
                let mut items = single("core", core);
                items.extend(listed(&self.problem_tree.nodes));
                items
            }
            Section::Vision => single("vision", serde_json::json!({ "vision": self.vision })),
            Section::Objectives => listed(&self.objectives),
            Section::Actions => listed(&self.actions),
            Section::SmallActions => listed(&self.small_actions),
            Section::Risks => listed(&self.risks),
            Section::Indicators => listed(&self.indicators),
            Section::Implementation => single("implementation", value(&self.implementation)),
            Section::Roadmap => listed(&self.milestones),
            Section::Assessment => listed(&self.assessment),
        }
    }
}

fn field_changes(before: &Value, after: &Value) -> Vec<FieldChange> {
    let (Some(b), Some(a)) = (before.as_object(), after.as_object()) else {
        return Vec::new();
    };
    let mut names: Vec<&String> = b.keys().chain(a.keys()).filter(|k| *k != "id").collect();
    names.sort();
    names.dedup();
    names
        .into_iter()
        .filter_map(|name| {
            let (old, new) = (b.get(name).unwrap_or(&Value::Null), a.get(name).unwrap_or(&Value::Null));
            (old != new).then(|| FieldChange {
                field: name.clone(),
                before: old.clone(),
                after: new.clone(),
            })
        })
        .collect()
}

/// Every section in reading order, with what changed from `old` to `new`.
pub fn compare(old: &Plan, new: &Plan) -> Vec<SectionChanges> {
    Section::ALL
        .iter()
        .map(|section| {
            let (before, after) = (old.section_items(*section), new.section_items(*section));
            let mut changes = Vec::new();
            for (key, label, was) in &before {
                match after.iter().find(|(k, _, _)| k == key) {
                    None => changes.push(ItemChange {
                        kind: ChangeKind::Removed,
                        label: label.clone(),
                        fields: Vec::new(),
                    }),
                    Some((_, new_label, now)) if now != was => changes.push(ItemChange {
                        kind: ChangeKind::Changed,
                        label: new_label.clone(),
                        fields: field_changes(was, now),
                    }),
                    Some(_) => {}
                }
            }
            for (key, label, _) in &after {
                if !before.iter().any(|(k, _, _)| k == key) {
                    changes.push(ItemChange {
                        kind: ChangeKind::Added,
                        label: label.clone(),
                        fields: Vec::new(),
                    });
                }
            }
            SectionChanges {
                section: *section,
                changes,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::edit::tests::{known, save, small_plan};
    use super::super::edit::{ItemKind, PlanEdit, VisionInput};
    use super::*;

    #[test]
    fn two_versions_differ_by_what_was_added_removed_and_changed() {
        let old = small_plan();
        let mut new = old.clone();
        new.apply(
            &PlanEdit::Vision(VisionInput {
                vision_lv: "Velosipēdiem draudzīgākais novads".into(),
                vision_en: String::new(),
            }),
            &known(),
        )
        .unwrap();
        new.actions[0].cost = 3_000_000;
        new.actions[0].title.en = "Crossing by the school".into();
        save(
            &mut new,
            ItemKind::Risk,
            &[("title_en", "Owner withdraws"), ("likelihood", "2"), ("impact", "4")],
        )
        .unwrap();
        let specific = new.objectives[1].id;
        let action = new.actions[0].id;
        new.apply(&PlanEdit::Remove(ItemKind::Action, action), &known())
            .unwrap();
        new.apply(&PlanEdit::Remove(ItemKind::Objective, specific), &known())
            .unwrap();

        let changes = compare(&old, &new);
        assert_eq!(changes.len(), Section::ALL.len(), "every section is listed");
        let of = |section: Section| &changes.iter().find(|c| c.section == section).unwrap().changes;
        assert_eq!(of(Section::Vision)[0].kind, ChangeKind::Changed);
        assert_eq!(of(Section::Vision)[0].fields[0].field, "vision");
        let objectives = of(Section::Objectives);
        assert_eq!(objectives.len(), 1);
        assert_eq!(
            (objectives[0].kind, objectives[0].label.as_str()),
            (ChangeKind::Removed, "O1.1")
        );
        assert_eq!(of(Section::Actions)[0].kind, ChangeKind::Removed);
        assert_eq!(of(Section::Risks)[0].kind, ChangeKind::Added);
        assert_eq!(of(Section::Risks)[0].label, "Owner withdraws");
        assert!(of(Section::Indicators).is_empty());
    }

    #[test]
    fn a_changed_item_names_its_fields_with_both_values() {
        let old = small_plan();
        let mut new = old.clone();
        new.actions[0].cost = 3_000_000;
        new.actions[0].lead = None;
        let changes = compare(&old, &new);
        let actions = &changes.iter().find(|c| c.section == Section::Actions).unwrap().changes;
        assert_eq!(actions[0].label, "A1");
        let fields: Vec<(&str, &Value, &Value)> = actions[0]
            .fields
            .iter()
            .map(|f| (f.field.as_str(), &f.before, &f.after))
            .collect();
        assert_eq!(
            fields,
            [
                ("cost", &Value::from(2_500_000), &Value::from(3_000_000)),
                ("lead", &Value::from(10), &Value::Null)
            ]
        );
        assert!(compare(&old, &old).iter().all(|s| s.changes.is_empty()));
    }
}

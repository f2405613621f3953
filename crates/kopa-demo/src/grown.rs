//! The demo grown to what a municipality holds after some years of use, to see that pages stay
//! fast as data accumulates. Everything it adds is invented and marked as an example.
//!
//! It goes through the store like any other change, so the audit chain holds every event and
//! the data obeys every rule a person would meet. The same seed gives the same data.

use chrono::{DateTime, Days, NaiveDate, Utc};
use kopa_domain::Role;
use kopa_domain::audit::SystemActor;
use kopa_domain::cooperation::instrument::{ApprovalBody, InstrumentKind, InstrumentStatus, NewApproval, Step};
use kopa_domain::cooperation::obligation::{NewInspection, NewObligation};
use kopa_domain::idea::{NewComment, NewIdea, Place};
use kopa_domain::initiative::NewInitiative;
use kopa_domain::meeting::{Attendance, MeetingKind, MeetingMode, NewDecision, NewMeeting, Votes};
use kopa_store::{Actor, Author, Origin, Result, Store, StoreError};

use crate::cooperation::{Draft, business, draft, official, partner};
use crate::{KEKAVA, date};

/// How much to add. [`Growth::YEARS`] is some years of a municipality's use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Growth {
    pub ideas: usize,
    pub comments: usize,
    pub supports: usize,
    pub meetings: usize,
    pub initiatives: usize,
    pub instruments: usize,
}

impl Growth {
    /// 20,000 ideas with 100,000 comments and supports, 2,000 meetings, 500 initiatives and
    /// 1,000 instruments.
    pub const YEARS: Growth = Growth {
        ideas: 20_000,
        comments: 60_000,
        supports: 40_000,
        meetings: 2_000,
        initiatives: 500,
        instruments: 1_000,
    };

    /// Each amount divided by `by`, for a quicker run of the same shape.
    pub fn divided_by(self, by: usize) -> Growth {
        let by = by.max(1);
        Growth {
            ideas: self.ideas / by,
            comments: self.comments / by,
            supports: self.supports / by,
            meetings: self.meetings / by,
            initiatives: self.initiatives / by,
            instruments: self.instruments / by,
        }
    }
}

/// Residents who support ideas: each supports an idea at most once, so there must be as many
/// as the most supports one idea gets.
const RESIDENTS: usize = 40;
/// Businesses the grown agreements are made with.
const BUSINESSES: usize = 25;

/// A fixed sequence of numbers in [0, 1), so every run grows the same data.
struct Dice(u64);

impl Dice {
    fn roll(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    /// One of `0..n`.
    fn pick(&mut self, n: usize) -> usize {
        ((self.roll() * n as f64) as usize).min(n.saturating_sub(1))
    }

    /// A day from 2021 to late 2026.
    fn day(&mut self) -> NaiveDate {
        date(2021, 1, 4) + Days::new(self.pick(2_150) as u64)
    }

    fn moment(&mut self) -> DateTime<Utc> {
        let day = self.day();
        let minutes = 7 * 60 + self.pick(14 * 60) as u32;
        day.and_hms_opt(minutes / 60, minutes % 60, 0)
            .unwrap_or_default()
            .and_utc()
    }
}

/// Grows the Ķekava demo workspace, which must be loaded.
pub async fn grow(store: &Store, growth: &Growth) -> Result<()> {
    let ws = store
        .workspace_by_slug(KEKAVA)
        .await?
        .ok_or(StoreError::Refused("the Ķekava demo is not loaded"))?
        .id;
    // The day the group chose to be the most bicycle-friendly municipality.
    let mut dice = Dice(20_201_110);
    let residents = residents(store, ws).await?;
    let ideas = ideas(store, ws, growth, &mut dice, &residents).await?;
    comments_and_supports(store, ws, growth, &mut dice, &residents, &ideas).await?;
    meetings(store, ws, growth, &mut dice).await?;
    let initiatives = initiatives(store, ws, growth, &mut dice).await?;
    instruments(store, ws, growth, &mut dice, &initiatives).await
}

async fn residents(store: &Store, ws: i64) -> Result<Vec<Author>> {
    let system = Actor::system(SystemActor::DemoLoader);
    let mut residents = Vec::with_capacity(RESIDENTS);
    for n in 1..=RESIDENTS {
        let email = format!("iedzivotajs-{n}@kekava.example");
        let user = match store.user_by_email(&email).await? {
            Some(user) => user,
            None => {
                let name = format!("Iedzīvotājs {n} (piemērs)");
                let user = store.create_user(&system, &email, &name, crate::DEMO_PASSWORD).await?;
                store.grant_role(&system, user.id, ws, Role::Public).await?;
                user
            }
        };
        residents.push(Author {
            user_id: Some(user.id),
            name: user.display_name,
        });
    }
    Ok(residents)
}

const WISHES: [&str; 6] = [
    "Velonovietne pie veikala",
    "Apgaismojums veloceļam",
    "Droša pāreja pie skolas",
    "Veloceļš uz staciju",
    "Soliņš un velostatīvs pie parka",
    "Platāka ietve pie pieturas",
];

async fn ideas(store: &Store, ws: i64, growth: &Growth, dice: &mut Dice, residents: &[Author]) -> Result<Vec<i64>> {
    let system = Actor::system(SystemActor::DemoLoader);
    let mut ids = Vec::with_capacity(growth.ideas);
    while ids.len() < growth.ideas {
        let n = ids.len() + 1;
        let new = NewIdea {
            title: format!("{} Nr. {n} (piemērs)", WISHES[dice.pick(WISHES.len())]),
            body: "Ikdienā šeit brauc daudzi ar velosipēdu, bet vietas un drošības trūkst (piemērs).".into(),
            place: Some(Place::Point([24.10 + dice.roll() * 0.35, 56.72 + dice.roll() * 0.14])),
            is_example: true,
            proposed_at: Some(dice.moment()),
        };
        let author = &residents[dice.pick(residents.len())];
        // A point drawn in the box but outside the municipality is refused: draw again.
        match store.create_idea(&system, ws, author, &new).await {
            Ok(idea) => ids.push(idea.id),
            Err(StoreError::Invalid(_)) => {}
            Err(other) => return Err(other),
        }
    }
    Ok(ids)
}

async fn comments_and_supports(
    store: &Store,
    ws: i64,
    growth: &Growth,
    dice: &mut Dice,
    residents: &[Author],
    ideas: &[i64],
) -> Result<()> {
    if ideas.is_empty() {
        return Ok(());
    }
    let system = Actor::system(SystemActor::DemoLoader);
    for _ in 0..growth.comments {
        // Squared, so a few ideas draw most of the talk, as they do.
        let idea = ideas[dice.pick(ideas.len()).pow(2) / ideas.len()];
        let comment = NewComment {
            body: "Piekrītu, te tiešām vajag (piemērs).".into(),
            parent_id: None,
        };
        let author = &residents[dice.pick(residents.len())];
        store.comment_on_idea(&system, ws, idea, author, &comment).await?;
    }
    let mut given = 0;
    while given < growth.supports {
        let idea = ideas[dice.pick(ideas.len()).pow(2) / ideas.len()];
        let resident = residents[dice.pick(residents.len())].user_id.unwrap_or_default();
        if store.support_idea(&system, ws, idea, resident).await? {
            given += 1;
        }
    }
    Ok(())
}

async fn meetings(store: &Store, ws: i64, growth: &Growth, dice: &mut Dice) -> Result<()> {
    let system = Actor::system(SystemActor::DemoLoader);
    for n in 1..=growth.meetings {
        let day = dice.day();
        let starts_at = day.and_hms_opt(17, 0, 0).unwrap_or_default();
        let kind = if n % 10 == 0 {
            MeetingKind::PublicDiscussion
        } else {
            MeetingKind::Group
        };
        let meeting = NewMeeting {
            kind,
            title: format!("Darba grupas sanāksme Nr. {n} (piemērs)"),
            starts_at,
            ends_at: starts_at + chrono::Duration::hours(2),
            mode: MeetingMode::InPerson,
            link: None,
            place: Some("Ķekavas novada pašvaldība (piemērs)".into()),
            capacity: None,
            registration_open: false,
            published: true,
            is_example: true,
            // The most votes a decision below casts is fifteen.
            attendance: kind.decides().then_some(Attendance { seats: 15, present: 15 }),
        };
        let meeting = store.create_meeting(&system, ws, &meeting).await?;
        if n % 2 == 0 {
            let decision = NewDecision {
                text: format!("Atbalstīt velo infrastruktūras priekšlikumu Nr. {n} (piemērs)"),
                votes: Votes {
                    votes_for: 5 + dice.pick(8) as i64,
                    against: dice.pick(2) as i64,
                    abstain: dice.pick(3) as i64,
                },
                legal_reference: None,
            };
            store.record_decision(&system, ws, meeting.id, &decision).await?;
        }
    }
    Ok(())
}

async fn initiatives(store: &Store, ws: i64, growth: &Growth, dice: &mut Dice) -> Result<Vec<i64>> {
    let system = Actor::system(SystemActor::DemoLoader);
    let types = store.cooperation_type_codes(ws).await?;
    let mut ids: Vec<i64> = Vec::with_capacity(growth.initiatives);
    for n in 1..=growth.initiatives {
        // One in four is a step of an earlier initiative.
        let parent_id = (n % 4 == 0 && !ids.is_empty()).then(|| ids[dice.pick(ids.len())]);
        let new = NewInitiative {
            title: format!("Velo infrastruktūras iniciatīva Nr. {n} (piemērs)"),
            description: Some("Izaugusi no iedzīvotāju idejām un darba grupas lēmumiem (piemērs).".into()),
            cooperation_type: types[dice.pick(types.len())].clone(),
            place: None,
            parent_id,
            weight: 1,
            progress: dice.pick(101) as i64,
            is_example: true,
            created_at: Some(dice.moment()),
        };
        ids.push(
            store
                .create_initiative(&system, ws, &new, "Darba grupas lēmums (piemērs)")
                .await?
                .id,
        );
    }
    Ok(ids)
}

/// Cooperation agreements with example businesses: most signed, in force and inspected once, the
/// rest drafts.
async fn instruments(store: &Store, ws: i64, growth: &Growth, dice: &mut Dice, initiatives: &[i64]) -> Result<()> {
    if initiatives.is_empty() {
        return Ok(());
    }
    let system = Actor::system(SystemActor::DemoLoader);
    let today = store.today_in("Europe/Riga")?;
    let executive = official(
        store,
        ws,
        "Izpilddirektora vietnieks (piemērs)",
        "Izpilddirektora vietnieks",
    )
    .await?;
    // Grown again, the same businesses are partners already.
    let existing = store.partners(ws).await?;
    let mut partners = Vec::with_capacity(BUSINESSES);
    for n in 1..=BUSINESSES {
        let organisation = business(store, ws, &format!("SIA Riteņu Piemērs {n}"), &format!("4000388{n:04}")).await?;
        let known = existing.iter().find(|p| p.organisation_id == organisation);
        partners.push(match known {
            Some(known) => known.id,
            None => {
                partner(
                    store,
                    ws,
                    organisation,
                    "Valdes loceklis (piemērs)",
                    "Kontaktpersona (piemērs)",
                )
                .await?
            }
        });
    }
    for n in 1..=growth.instruments {
        let starts_on = dice.day();
        let subject = format!("Sadarbības memorands par velo kampaņu Nr. {n} (piemērs)");
        let id = draft(
            store,
            ws,
            Draft {
                initiative: initiatives[dice.pick(initiatives.len())],
                partner: partners[dice.pick(partners.len())],
                kind: InstrumentKind::CooperationAgreement,
                subject: &subject,
                purpose: "Kopīga velo kampaņa skolās un uzņēmumos",
                euros: 0,
                term: (starts_on, starts_on.checked_add_months(chrono::Months::new(24))),
                origin: Origin::Drafted,
                drafted_on: starts_on - Days::new(30),
            },
        )
        .await?;
        if n % 4 == 0 {
            continue;
        }
        store
            .move_instrument(
                &system,
                ws,
                id,
                &Step::new(
                    InstrumentStatus::Submitted,
                    "Iesniegts (piemērs)",
                    starts_on - Days::new(14),
                ),
                today,
            )
            .await?;
        let approval = NewApproval {
            body: ApprovalBody::Official,
            decision_number: format!("R-{n}/2026 (piemērs)"),
            decided_on: starts_on,
            official_person_id: executive,
            meeting_decision_id: None,
            typed_votes: None,
        };
        store.approve_instrument(&system, ws, id, &approval, today).await?;
        store
            .move_instrument(
                &system,
                ws,
                id,
                &Step::new(InstrumentStatus::Active, "Parakstīts (piemērs)", starts_on),
                today,
            )
            .await?;
        let obligation = NewObligation {
            title: "Kampaņas pasākumi notiek, kā norunāts".into(),
            access_hours: None,
            maintenance_standard: Some("Vismaz divi pasākumi gadā (piemērs)".into()),
            penalty: None,
            starts_on,
            ends_on: None,
            inspect_every_months: 12,
        };
        let obligation = store.add_obligation(&system, ws, id, &obligation).await?;
        let inspected_on = (starts_on + Days::new(30)).min(today);
        if inspected_on >= starts_on {
            let inspection = NewInspection {
                inspected_on,
                inspector: "Attīstības nodaļa (piemērs)".into(),
                compliant: true,
                notes: None,
                remedy: None,
                remedy_due: None,
            };
            store.add_inspection(&system, ws, obligation.id, &inspection).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_demo_grows_by_what_was_asked_every_change_logged() {
        let growth = Growth {
            ideas: 30,
            comments: 40,
            supports: 50,
            meetings: 6,
            initiatives: 8,
            instruments: 8,
        };
        for db in kopa_store::testing::every_backend().await {
            let store = &db.store;
            crate::load(store).await.unwrap();
            let ws = store.workspace_by_slug(KEKAVA).await.unwrap().unwrap().id;
            let today = store.today_in("Europe/Riga").unwrap();
            let before = (
                store.ideas(ws, true).await.unwrap().len(),
                store.meetings(ws, true).await.unwrap().len(),
                store.initiatives(ws).await.unwrap().len(),
                store.instrument_files(ws, today).await.unwrap().len(),
            );
            grow(store, &growth).await.unwrap();
            let ideas = store.ideas(ws, true).await.unwrap();
            assert_eq!(ideas.len(), before.0 + 30, "{}", db.name);
            let grown: Vec<&kopa_domain::idea::Idea> = ideas.iter().filter(|i| i.title.contains(" Nr. ")).collect();
            assert!(grown.iter().all(|i| i.is_example), "{}", db.name);
            let talk: (i64, i64) = grown
                .iter()
                .map(|i| (i.supporters, i.comments))
                .fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
            assert_eq!((grown.len(), talk), (30, (50, 40)), "{}", db.name);
            assert_eq!(
                store.meetings(ws, true).await.unwrap().len(),
                before.1 + 6,
                "{}",
                db.name
            );
            assert_eq!(store.initiatives(ws).await.unwrap().len(), before.2 + 8, "{}", db.name);
            let files = store.instrument_files(ws, today).await.unwrap();
            assert_eq!(files.len(), before.3 + 8, "{}", db.name);
            // Three in four are signed and in force; the rest stay drafts.
            let active = files
                .iter()
                .filter(|f| {
                    f.instrument.subject.contains("velo kampaņu") && f.instrument.status == InstrumentStatus::Active
                })
                .count();
            assert_eq!(active, 6, "{}", db.name);
            assert_eq!(store.verify_audit_chain().await.unwrap().broken, None, "{}", db.name);
        }
    }
}

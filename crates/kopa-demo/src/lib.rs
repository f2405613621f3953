//! The Ķekava demo. Dates, names of bodies, the unanimous decision of 10 Nov 2020, the public
//! discussion of 2 Dec 2020 and its speakers are public facts (the municipality's report of
//! 16 Dec 2020). People, businesses, assessments, times of day and vote counts are invented to
//! show the features, and are marked as examples.

mod cooperation;
pub mod grown;
mod ideas;
mod plan;
pub mod sample;

pub use grown::{Growth, grow};

use chrono::{NaiveDate, NaiveDateTime};
use kopa_domain::Role;
use kopa_domain::audit::SystemActor;
use kopa_domain::group::{Body, NewMembership, NewOrganisation, NewPerson, NewStakeholder, Sector, Strategy};
use kopa_domain::meeting::{
    Attendance, MeetingKind, MeetingMode, NewAgendaItem, NewDecision, NewMeeting, NewSpeaker, Votes,
};
use kopa_store::{Actor, NewWorkspace, Result, Store};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "kopa-demo-parole";

/// The demo accounts: e-mail, display name, role in Ķekava.
pub const DEMO_ACCOUNTS: [(&str, &str, Role); 6] = [
    ("admin@kekava.example", "Administrators (piemērs)", Role::Admin),
    (
        "koordinators@kekava.example",
        "Anna Piemēra (piemērs)",
        Role::Coordinator,
    ),
    ("biedrs@kekava.example", "Jānis Paraugs (piemērs)", Role::Member),
    ("partneris@kekava.example", "SIA Velo Piemērs (piemērs)", Role::Partner),
    ("iedzivotajs@kekava.example", "Līga Iedzīvotāja (piemērs)", Role::Public),
    (
        "revidents@kekava.example",
        "Valsts kontroles revidents (piemērs)",
        Role::Auditor,
    ),
];

/// The network's lead expert (an example account): reads every partner city's submitted plans.
pub const NETWORK_READER: (&str, &str) = ("eksperts@cities4csr.example", "Vadošais eksperts (piemērs)");

/// The slug of the demo's fully populated workspace.
pub const KEKAVA: &str = "kekava";

/// Whether the demo was loaded now or was there already.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loaded {
    Now,
    Already,
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn at(y: i32, m: u32, d: u32, hour: u32, minute: u32) -> NaiveDateTime {
    date(y, m, d).and_hms_opt(hour, minute, 0).unwrap_or_default()
}

/// Loads the Cities4CSR network and the Ķekava workspace, unless they are there already.
pub async fn load(store: &Store) -> Result<Loaded> {
    if let Some(kekava) = store.workspace_by_slug(KEKAVA).await? {
        catch_up(store, &kekava).await?;
        return Ok(Loaded::Already);
    }
    let system = Actor::system(SystemActor::DemoLoader);
    let network = store
        .create_network(
            &system,
            &kopa_domain::workspace::NewNetwork {
                name: "Cities4CSR".into(),
                programme: "URBACT III Action Planning Network".into(),
                lead_expert: None,
                starts_on: date(2020, 5, 1),
                ends_on: date(2022, 8, 31),
            },
        )
        .await?;
    let cities = [
        ("milano", "Milano", "IT", true, "Europe/Rome"),
        ("bratislava", "Bratislava", "SK", false, "Europe/Bratislava"),
        ("sofia", "Sofia", "BG", false, "Europe/Sofia"),
        ("vratsa", "Vratsa", "BG", false, "Europe/Sofia"),
        ("molina-de-segura", "Molina de Segura", "ES", false, "Europe/Madrid"),
        ("nantes-metropole", "Nantes Métropole", "FR", false, "Europe/Paris"),
        ("rijeka", "Rijeka", "HR", false, "Europe/Zagreb"),
        ("budaors", "Budaörs", "HU", false, "Europe/Budapest"),
        ("guimaraes", "Guimarães", "PT", false, "Europe/Lisbon"),
    ];
    for (slug, name, country, lead, time_zone) in cities {
        let new = NewWorkspace {
            slug: slug.into(),
            municipality: name.into(),
            country: country.into(),
            policy_challenge: None,
            is_lead_partner: lead,
            default_locale: "en".into(),
            time_zone: time_zone.into(),
        };
        store.create_workspace(&system, network.id, &new).await?;
    }
    let kekava = store
        .create_workspace(
            &system,
            network.id,
            &NewWorkspace {
                slug: KEKAVA.into(),
                municipality: "Ķekavas novads".into(),
                country: "LV".into(),
                policy_challenge: Some(
                    "Zaļā mobilitāte un izglītība: kļūt par velosipēdistiem draudzīgāko novadu. \
                     Green mobility and education: to become the most bicycle-friendly municipality."
                        .into(),
                ),
                is_lead_partner: false,
                default_locale: "lv".into(),
                time_zone: "Europe/Riga".into(),
            },
        )
        .await?;
    let ws = kekava.id;

    for (email, name, role) in DEMO_ACCOUNTS {
        let user = store.create_user(&system, email, name, DEMO_PASSWORD).await?;
        store.grant_role(&system, user.id, ws, role).await?;
    }
    make_site_admin(store).await?;

    let (email, name) = NETWORK_READER;
    let expert = store.create_user(&system, email, name, DEMO_PASSWORD).await?;
    store.add_network_reader(&system, network.id, expert.id).await?;

    load_group(store, ws).await?;
    let sources = load_meetings(store, ws).await?;
    ideas::load(store, ws, &sources).await?;
    cooperation::load(store, ws).await?;
    plan::load(store, ws).await?;
    plan::load_review(store, ws).await?;
    sample::load(store).await?;
    Ok(Loaded::Now)
}

/// Adds to a demo file made by an earlier Kopa what that one did not have yet: the plan, the
/// network's lead expert and the expert's review.
async fn catch_up(store: &Store, kekava: &kopa_domain::workspace::Workspace) -> Result<()> {
    if store.plan_versions(kekava.id).await?.is_empty() {
        plan::load(store, kekava.id).await?;
    }
    let (email, name) = NETWORK_READER;
    if store.user_by_email(email).await?.is_none() {
        let system = Actor::system(SystemActor::DemoLoader);
        let expert = store.create_user(&system, email, name, DEMO_PASSWORD).await?;
        store.add_network_reader(&system, kekava.network_id, expert.id).await?;
    }
    if store.plan_reviews(kekava.id).await?.is_empty() {
        plan::load_review(store, kekava.id).await?;
    }
    make_site_admin(store).await?;
    sample::load(store).await
}

/// The demo's admin also manages the site, so that its page can be seen.
async fn make_site_admin(store: &Store) -> Result<()> {
    if !store.site_admins().await?.is_empty() {
        return Ok(());
    }
    if let Some(admin) = store.user_by_email(DEMO_ACCOUNTS[0].0).await? {
        store
            .set_site_admin(&Actor::system(SystemActor::DemoLoader), admin.id, true)
            .await?;
    }
    Ok(())
}

async fn load_group(store: &Store, ws: i64) -> Result<()> {
    let system = Actor::system(SystemActor::DemoLoader);
    let organisation = |name: &str, sector: Sector, is_example: bool, website: Option<&str>| NewOrganisation {
        name: name.into(),
        registration_number: None,
        sector,
        website: website.map(str::to_owned),
        is_example,
    };
    let council = store
        .create_organisation(
            &system,
            ws,
            &organisation(
                "Ķekavas novada pašvaldība",
                Sector::Public,
                false,
                Some("https://www.kekava.lv"),
            ),
        )
        .await?;
    let region = store
        .create_organisation(
            &system,
            ws,
            &organisation(
                "Rīgas plānošanas reģions",
                Sector::Public,
                false,
                Some("https://rpr.gov.lv"),
            ),
        )
        .await?;
    let association = store
        .create_organisation(
            &system,
            ws,
            &organisation("Ķekavas uzņēmēju biedrība (piemērs)", Sector::Business, true, None),
        )
        .await?;
    let logistics = store
        .create_organisation(
            &system,
            ws,
            &organisation("SIA Velo Piemērs", Sector::Business, true, None),
        )
        .await?;
    let retail = store
        .create_organisation(
            &system,
            ws,
            &organisation("SIA Tirdzniecības centrs Piemērs", Sector::Business, true, None),
        )
        .await?;
    let cyclists = store
        .create_organisation(
            &system,
            ws,
            &organisation("Biedrība Ķekavas riteņbraucēji (piemērs)", Sector::Civic, true, None),
        )
        .await?;
    let school = store
        .create_organisation(
            &system,
            ws,
            &organisation("Vidusskola Piemērs", Sector::Knowledge, true, None),
        )
        .await?;
    let residents = store
        .create_organisation(
            &system,
            ws,
            &organisation(
                "Baložu iedzīvotāju iniciatīvas grupa (piemērs)",
                Sector::Resident,
                true,
                None,
            ),
        )
        .await?;

    let people = [
        (
            "Anna Piemēra",
            Some(council.id),
            "Attīstības un būvniecības pārvalde, projekta koordinatore",
            Body::ManagementGroup,
            "projekta koordinatore",
        ),
        (
            "Mārtiņš Paraugs",
            Some(council.id),
            "Attīstības un būvniecības pārvalde",
            Body::ManagementGroup,
            "projekta vadītājs",
        ),
        (
            "Ieva Piemēra",
            Some(region.id),
            "Plānošanas eksperte",
            Body::Core,
            "reģiona pārstāve",
        ),
        (
            "Kārlis Paraugs",
            Some(association.id),
            "Valdes loceklis",
            Body::Core,
            "uzņēmēju pārstāvis",
        ),
        (
            "Zane Piemēra",
            Some(cyclists.id),
            "Biedrības vadītāja",
            Body::Core,
            "NVO pārstāve",
        ),
        (
            "Roberts Paraugs",
            Some(logistics.id),
            "Mobilitātes vadītājs",
            Body::Wider,
            "uzņēmuma pārstāvis",
        ),
        (
            "Elīna Piemēra",
            Some(school.id),
            "Skolotāja",
            Body::Wider,
            "izglītības eksperte",
        ),
        (
            "Dace Paraudziņa",
            Some(residents.id),
            "Iedzīvotāja",
            Body::Wider,
            "iedzīvotāju pārstāve",
        ),
    ];
    for (name, organisation_id, position, body, role) in people {
        let person = NewPerson {
            name: name.into(),
            email: None,
            organisation_id,
            position: Some(position.into()),
            membership: Some(NewMembership {
                body,
                role: role.into(),
                from_date: date(2020, 1, 15),
                until_date: None,
            }),
            is_example: true,
        };
        store.create_person(&system, ws, &person).await?;
    }

    let assessments = [
        (council.id, 5, 5, Strategy::ManageClosely),
        (region.id, 4, 3, Strategy::ManageClosely),
        (association.id, 3, 4, Strategy::ManageClosely),
        (logistics.id, 2, 4, Strategy::KeepInformed),
        (retail.id, 3, 2, Strategy::KeepSatisfied),
        (cyclists.id, 2, 5, Strategy::KeepInformed),
        (school.id, 2, 3, Strategy::KeepInformed),
        (residents.id, 1, 4, Strategy::KeepInformed),
    ];
    for (organisation_id, power, interest, strategy) in assessments {
        let assessment = NewStakeholder {
            organisation_id,
            power,
            interest,
            strategy,
            note: Some("Piemērs / example".into()),
        };
        store.assess_stakeholder(&system, ws, &assessment).await?;
    }
    Ok(())
}

struct DemoMeeting {
    kind: MeetingKind,
    title: &'static str,
    starts: NaiveDateTime,
    ends: NaiveDateTime,
    mode: MeetingMode,
    place: Option<&'static str>,
    link: Option<&'static str>,
    agenda: &'static [(&'static str, &'static [&'static str])],
    speakers: &'static [(&'static str, &'static str, &'static str)],
    minutes: Option<&'static str>,
    is_example: bool,
    /// Seats and members present, where the demo shows a vote.
    attendance: Option<(i64, i64)>,
}

impl DemoMeeting {
    fn new_meeting(&self) -> NewMeeting {
        NewMeeting {
            kind: self.kind,
            title: self.title.into(),
            starts_at: self.starts,
            ends_at: self.ends,
            mode: self.mode,
            link: self.link.map(str::to_owned),
            place: self.place.map(str::to_owned),
            capacity: None,
            registration_open: false,
            published: true,
            is_example: self.is_example,
            attendance: self.attendance.map(|(seats, present)| Attendance { seats, present }),
        }
    }
}

async fn add_meeting(store: &Store, ws: i64, demo: &DemoMeeting) -> Result<i64> {
    let system = Actor::system(SystemActor::DemoLoader);
    let meeting = store.create_meeting(&system, ws, &demo.new_meeting()).await?;
    for (title, children) in demo.agenda {
        let parent = store
            .add_agenda_item(
                &system,
                ws,
                meeting.id,
                &NewAgendaItem {
                    title: (*title).into(),
                    parent_id: None,
                    presenter: None,
                    duration_minutes: None,
                },
            )
            .await?;
        for child in *children {
            let item = NewAgendaItem {
                title: (*child).into(),
                parent_id: Some(parent.id),
                presenter: None,
                duration_minutes: None,
            };
            store.add_agenda_item(&system, ws, meeting.id, &item).await?;
        }
    }
    for (name, affiliation, topic) in demo.speakers {
        let speaker = NewSpeaker {
            name: (*name).into(),
            affiliation: Some((*affiliation).into()),
            topic: Some((*topic).into()),
        };
        store.add_speaker(&system, ws, meeting.id, &speaker).await?;
    }
    if let Some(minutes) = demo.minutes {
        store.record_minutes(&system, ws, meeting.id, minutes).await?;
    }
    Ok(meeting.id)
}

const INITIATIVES: &[&str] = &[
    "Gājēju pārejas, kas būvētas kopā ar konkrētu īpašumu īpašniekiem",
    "Mobilitātes punkti un stāvparki (park&ride) kopā ar uzņēmējiem",
    "Uzņēmēji kā pašvaldības partneri informatīvajās kampaņās",
    "Pašvaldības zeme uzņēmējiem atpūtas vietu izbūvei un uzturēšanai, brīvi pieejamām iedzīvotājiem",
];

async fn load_meetings(store: &Store, ws: i64) -> Result<ideas::Sources> {
    let system = Actor::system(SystemActor::DemoLoader);
    let meetings = [
        DemoMeeting {
            kind: MeetingKind::Group,
            title: "Vietējās rīcības grupas pirmā darbnīca",
            starts: at(2019, 12, 5, 10, 0),
            ends: at(2019, 12, 6, 16, 0),
            mode: MeetingMode::InPerson,
            place: Some("Ķekava"),
            link: None,
            agenda: &[("Darba grupas", &["Vajadzības", "Risinājumi", "Uzticēšanās"])],
            speakers: &[],
            minutes: None,
            is_example: false,
            attendance: None,
        },
        DemoMeeting {
            kind: MeetingKind::Group,
            title: "Vietējās rīcības grupas sanāksme: idejas",
            starts: at(2020, 9, 23, 14, 0),
            ends: at(2020, 9, 23, 16, 0),
            mode: MeetingMode::Online,
            place: None,
            link: None,
            agenda: &[(
                "Grupas idejas",
                &[
                    "Mikromobilitātes punkti pie lielākajiem uzņēmumiem",
                    "Esošās infrastruktūras marķēšana ar informatīviem stendiem",
                    "Uzņēmumu sadarbība darbinieku ceļā uz darbu",
                ],
            )],
            speakers: &[],
            minutes: Some(
                "Grupa apsprieda idejas: mikromobilitātes punkti pie lielākajiem uzņēmumiem, esošās infrastruktūras \
                 marķēšana ar informatīviem stendiem un uzņēmumu sadarbība darbinieku ceļā uz darbu.",
            ),
            is_example: false,
            attendance: None,
        },
        DemoMeeting {
            kind: MeetingKind::Transnational,
            title: "Cities4CSR partneru tiešsaistes sanāksme: nākamie soļi un IRP ceļvedis",
            starts: at(2020, 10, 28, 11, 0),
            ends: at(2020, 10, 28, 13, 0),
            mode: MeetingMode::Online,
            place: None,
            link: None,
            agenda: &[("Nākamie soļi", &[]), ("Integrētā rīcības plāna (IRP) ceļvedis", &[])],
            speakers: &[],
            minutes: None,
            is_example: false,
            attendance: None,
        },
        DemoMeeting {
            kind: MeetingKind::Group,
            title: "Vadības grupas un grupas kodola sanāksme: kopīgā vīzija",
            starts: at(2020, 11, 10, 14, 0),
            ends: at(2020, 11, 10, 16, 0),
            mode: MeetingMode::Online,
            place: None,
            link: None,
            agenda: &[
                ("Kopīgās vīzijas saskaņošana", &[]),
                ("Vēlmes un gaidas", &[]),
                ("Turpmākie soļi", &[]),
            ],
            speakers: &[],
            minutes: Some(
                "Vadības grupa un grupas kodols vienbalsīgi nolēma, ka Ķekavas novads strādās pie zaļās mobilitātes \
                 un izglītības, lai kļūtu par velosipēdistiem draudzīgāko novadu. Balsu un klātesošo skaits \
                 demonstrācijā ir piemērs; lēmums bija vienbalsīgs.",
            ),
            is_example: false,
            attendance: Some((9, 9)),
        },
        DemoMeeting {
            kind: MeetingKind::Transnational,
            title: "Cities4CSR partneru tiešsaistes sanāksme: IRP ceļvedis līdz gada beigām",
            starts: at(2020, 11, 25, 11, 0),
            ends: at(2020, 11, 25, 13, 0),
            mode: MeetingMode::Online,
            place: None,
            link: None,
            agenda: &[
                ("Nākamie soļi", &[]),
                ("IRP ceļvedis: iesniegšana līdz 31.12.2020.", &[]),
            ],
            speakers: &[],
            minutes: None,
            is_example: false,
            attendance: None,
        },
        DemoMeeting {
            kind: MeetingKind::PublicDiscussion,
            title: "Pašvaldības un uzņēmēju sadarbība Zaļajā kursā: iespējas un ierobežojumi",
            starts: at(2020, 12, 2, 10, 0),
            ends: at(2020, 12, 2, 12, 0),
            mode: MeetingMode::Online,
            place: None,
            link: None,
            agenda: &[("Sadarbības iniciatīvas", INITIATIVES)],
            speakers: &[
                (
                    "Edgars Korčagins",
                    "Valsts kontroles padomes loceklis",
                    "Pašvaldību un uzņēmēju sadarbības iespējas un ierobežojumi",
                ),
                (
                    "Atis Egliņš-Eglītis",
                    "Cēsu novada pašvaldības administrācijas vadītājs",
                    "Pašvaldības pieredze",
                ),
            ],
            minutes: None,
            is_example: false,
            attendance: None,
        },
    ];
    let mut ids = std::collections::HashMap::new();
    for demo in &meetings {
        ids.insert(demo.starts.date(), add_meeting(store, ws, demo).await?);
    }
    let meeting_on = |y, m, d| ids.get(&date(y, m, d)).copied().unwrap_or_default();
    let vision_meeting = meeting_on(2020, 11, 10);
    let vision = NewDecision {
        text: "Ķekavas novads strādās pie zaļās mobilitātes un izglītības, lai kļūtu par velosipēdistiem draudzīgāko novadu.".into(),
        votes: Votes { votes_for: 9, against: 0, abstain: 0 },
        legal_reference: None,
    };
    let vision_decision = store.record_decision(&system, ws, vision_meeting, &vision).await?;

    // An example meeting still to come, so registration and the waiting list can be tried.
    let upcoming = NewMeeting {
        kind: MeetingKind::Group,
        title: "Velo infrastruktūras darba grupa (piemērs)".into(),
        starts_at: at(2030, 3, 12, 17, 0),
        ends_at: at(2030, 3, 12, 19, 0),
        mode: MeetingMode::Hybrid,
        link: Some("https://meet.example/kekava-velo".into()),
        place: Some("Ķekavas kultūras nams (piemērs)".into()),
        capacity: Some(25),
        registration_open: true,
        published: true,
        is_example: true,
        attendance: None,
    };
    store.create_meeting(&system, ws, &upcoming).await?;
    Ok(ideas::Sources {
        ideas_meeting: meeting_on(2020, 9, 23),
        discussion: meeting_on(2020, 12, 2),
        vision_decision: vision_decision.id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_demo_loads_once_on_every_backend() {
        for db in kopa_store::testing::every_backend().await {
            let store = &db.store;
            assert_eq!(load(store).await.unwrap(), Loaded::Now);
            assert_eq!(load(store).await.unwrap(), Loaded::Already, "{}", db.name);
            let workspaces = store.workspaces().await.unwrap();
            assert_eq!(workspaces.len(), 11, "ten partner cities and the sample region");
            assert!(workspaces[0].is_lead_partner && workspaces[0].municipality == "Milano");
            let sample = store.workspace_by_slug(sample::SAMPLE).await.unwrap().unwrap();
            assert!(sample.municipality.contains("(piemērs)") && sample.municipality.contains("(example)"));
            assert_ne!(
                sample.network_id, workspaces[0].network_id,
                "the sample is no partner city"
            );
            let kekava = store.workspace_by_slug(KEKAVA).await.unwrap().unwrap();
            let decisions = store.workspace_decisions(kekava.id, false, 10).await.unwrap();
            let vision = decisions
                .iter()
                .find(|d| d.meeting_starts_at.date() == date(2020, 11, 10))
                .unwrap();
            assert!(vision.decision.unanimous, "{}", db.name);
            let meetings = store.meetings(kekava.id, false).await.unwrap();
            let dates: Vec<String> = meetings
                .iter()
                .map(|m| m.meeting.starts_at.date().to_string())
                .collect();
            for day in [
                "2019-12-05",
                "2020-09-23",
                "2020-10-28",
                "2020-11-10",
                "2020-11-25",
                "2020-12-02",
            ] {
                assert!(dates.contains(&day.to_owned()), "{day} missing on {}", db.name);
            }
            assert!(
                store
                    .check_sign_in("koordinators@kekava.example", DEMO_PASSWORD)
                    .await
                    .unwrap()
                    .is_some()
            );
            assert_eq!(store.verify_audit_chain().await.unwrap().broken, None);

            // A demo file from before the plan gets it on the next start.
            kopa_store::testing::execute_raw(&db.url, "DELETE FROM plan_versions").await;
            assert_eq!(load(store).await.unwrap(), Loaded::Already);
            let plan = store.current_plan(kekava.id).await.unwrap().unwrap();
            assert_eq!((plan.info.number, plan.plan.actions.len()), (1, 4), "{}", db.name);
            assert!(plan.plan.vision.lv.contains("velosipēdistiem draudzīgākais"));
        }
    }

    #[tokio::test]
    async fn the_example_cooperation_shows_every_status_and_both_warnings() {
        use kopa_domain::cooperation::file::Flag;
        use kopa_domain::cooperation::instrument::{InstrumentKind, InstrumentStatus};
        use kopa_domain::validation::Code;
        for db in kopa_store::testing::every_backend().await {
            let store = &db.store;
            load(store).await.unwrap();
            let ws = store.workspace_by_slug(KEKAVA).await.unwrap().unwrap().id;
            let today = store.today_in("Europe/Riga").unwrap();
            let files = store.instrument_files(ws, today).await.unwrap();
            for status in InstrumentStatus::ALL {
                assert!(
                    files.iter().any(|f| f.instrument.status == *status),
                    "{status} on {}",
                    db.name
                );
            }
            assert!(files.iter().all(|f| f.instrument.is_example && f.partner.is_example));
            let types: std::collections::HashSet<String> = store
                .initiatives(ws)
                .await
                .unwrap()
                .into_iter()
                .filter(|i| files.iter().any(|f| f.instrument.initiative_id == i.id))
                .map(|i| i.cooperation_type)
                .collect();
            assert_eq!(types.len(), 4, "one for each kind of initiative");
            let blocked = files
                .iter()
                .find(|f| f.instrument.kind == InstrumentKind::Donation)
                .unwrap();
            assert_eq!(blocked.instrument.status, InstrumentStatus::Submitted);
            assert!(!blocked.standing.uninvolved, "the donor has a pending permit");
            let overdue: Vec<_> = files
                .iter()
                .filter(|f| {
                    f.flags(today)
                        .iter()
                        .any(|flag| matches!(flag, Flag::PublicationOverdue { .. }))
                })
                .collect();
            assert_eq!(overdue.len(), 1);
            let active = files
                .iter()
                .find(|f| f.instrument.status == InstrumentStatus::Active)
                .unwrap();
            assert!(
                active.flags(today).is_empty(),
                "the example lease keeps to its inspections"
            );
            for file in &files {
                let pack = store.audit_pack(ws, file.instrument.id, today).await.unwrap().unwrap();
                assert!(
                    pack.verification.passed(),
                    "{} {:?}",
                    file.instrument.kind.code(),
                    pack.verification
                );
            }
        }
    }
}

//! The demo's base map, ideas and initiatives.
//!
//! The three group ideas of 23 Sep 2020 and the four cooperation initiatives presented at the
//! public discussion of 2 Dec 2020 are public facts. Residents' ideas, their places, supports
//! and comments, and the example mobility point's later steps are invented and marked as
//! examples. The base map is a simplified, approximate outline with a few main roads, drawn
//! by hand for the demo: a real deployment imports the boundary and streets from
//! OpenStreetMap with `kopa map import`.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use kopa_domain::audit::SystemActor;
use kopa_domain::idea::{NewComment, NewIdea, Place};
use kopa_domain::initiative::{InitiativeStatus, LinkKind, NewInitiative, NewMilestone, Transition};
use kopa_domain::map::{Backdrop, PlaceName, PlaceSize, Street, StreetClass, Water, WaterShape};
use kopa_domain::notification::FollowKind;
use kopa_store::{Actor, Author, Result, Store};

/// Where the demo's ideas were discussed and its initiatives presented.
pub struct Sources {
    /// The group meeting of 23 Sep 2020.
    pub ideas_meeting: i64,
    /// The public discussion of 2 Dec 2020.
    pub discussion: i64,
    /// The unanimous decision of 10 Nov 2020.
    pub vision_decision: i64,
}

/// Riga time to UTC (UTC+2 in winter, UTC+3 in summer; the demo's dates say which).
fn riga(y: i32, m: u32, d: u32, hour: u32, minute: u32, offset_hours: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, hour - offset_hours, minute, 0)
        .single()
        .unwrap_or_default()
}

/// The outline of Ķekavas novads (Ķekava, Baloži, Daugmale and Baldone), its main roads, its
/// towns and the Daugava along its north-eastern edge, simplified and approximate.
pub fn backdrop() -> Backdrop {
    let outline = vec![vec![
        [24.07, 56.89],
        [24.12, 56.905],
        [24.17, 56.905],
        [24.21, 56.895],
        [24.27, 56.87],
        [24.35, 56.85],
        [24.45, 56.835],
        [24.53, 56.815],
        [24.56, 56.76],
        [24.50, 56.72],
        [24.45, 56.66],
        [24.35, 56.65],
        [24.25, 56.69],
        [24.18, 56.74],
        [24.10, 56.77],
        [24.03, 56.80],
        [24.02, 56.85],
        [24.07, 56.89],
    ]];
    let road = |class: StreetClass, name: &str, points: &[[f64; 2]]| Street {
        class,
        name: Some(name.to_owned()),
        points: points.to_vec(),
    };
    let streets = vec![
        road(
            StreetClass::Major,
            "A7",
            &[
                [24.155, 56.905],
                [24.19, 56.87],
                [24.225, 56.835],
                [24.235, 56.80],
                [24.24, 56.74],
                [24.25, 56.68],
            ],
        ),
        road(
            StreetClass::Major,
            "A5",
            &[
                [24.04, 56.79],
                [24.14, 56.80],
                [24.22, 56.81],
                [24.30, 56.835],
                [24.34, 56.85],
            ],
        ),
        road(
            StreetClass::Major,
            "P85",
            &[[24.21, 56.885], [24.28, 56.86], [24.36, 56.84], [24.47, 56.815]],
        ),
        road(
            StreetClass::Major,
            "P89",
            &[[24.235, 56.815], [24.30, 56.785], [24.37, 56.755], [24.40, 56.744]],
        ),
        road(
            StreetClass::Minor,
            "Rīgas iela",
            &[[24.07, 56.865], [24.118, 56.876], [24.16, 56.885]],
        ),
        road(
            StreetClass::Path,
            "Ķekavas veloceliņš (piemērs)",
            &[[24.225, 56.835], [24.2305, 56.8265], [24.236, 56.818]],
        ),
    ];
    let town = |name: &str, at: [f64; 2]| PlaceName {
        name: name.to_owned(),
        at,
        size: PlaceSize::Town,
    };
    let daugava = Water {
        shape: WaterShape::Line,
        name: Some("Daugava".to_owned()),
        points: vec![
            [24.19, 56.915],
            [24.22, 56.90],
            [24.275, 56.877],
            [24.35, 56.857],
            [24.45, 56.842],
            [24.535, 56.822],
            [24.60, 56.80],
        ],
    };
    Backdrop::new(
        outline,
        streets,
        "Vienkāršota demonstrācijas karte: kontūra, ceļi, Daugava un pilsētu vietas ir aptuvenas / \
         simplified demo map: the outline, roads, the Daugava and the towns' places are approximate",
    )
    .unwrap_or_else(|| unreachable!("the demo outline is a closed ring"))
    .with_places(vec![
        town("Ķekava", [24.23, 56.829]),
        town("Baloži", [24.118, 56.876]),
        town("Baldone", [24.40, 56.742]),
    ])
    .with_water(vec![daugava])
}

fn idea(
    title: &str,
    body: &str,
    place: Option<Place>,
    is_example: bool,
    proposed_at: Option<DateTime<Utc>>,
) -> NewIdea {
    NewIdea {
        title: title.into(),
        body: body.into(),
        place,
        is_example,
        proposed_at,
    }
}

pub async fn load(store: &Store, ws: i64, sources: &Sources) -> Result<()> {
    let system = Actor::system(SystemActor::DemoLoader);
    store.set_backdrop(&system, ws, &backdrop()).await?;

    // The group's ideas of 23 Sep 2020, from the meeting's minutes.
    let group = Author {
        user_id: None,
        name: "Vietējā rīcības grupa".into(),
    };
    let on_23_september = Some(riga(2020, 9, 23, 14, 0, 3));
    let group_ideas = [
        (
            "Mikromobilitātes punkti pie lielākajiem uzņēmumiem",
            "Vietas velosipēdiem un skrejriteņiem pie lielākajiem novada uzņēmumiem, ko iekārto kopā ar uzņēmumiem.",
        ),
        (
            "Esošās infrastruktūras marķēšana ar informatīviem stendiem",
            "Informatīvi stendi, kas parāda esošos veloceliņus un gājēju ceļus, lai tos vairāk izmantotu.",
        ),
        (
            "Uzņēmumu sadarbība darbinieku ceļā uz darbu",
            "Uzņēmumi kopā plāno, kā darbinieki var nokļūt darbā ar velosipēdu, kājām vai kopbraucienos.",
        ),
    ];
    let mut group_idea_ids = Vec::new();
    for (title, body) in group_ideas {
        let created = store
            .create_idea(&system, ws, &group, &idea(title, body, None, false, on_23_september))
            .await?;
        group_idea_ids.push(created.id);
    }

    // Residents' ideas, invented to show the map, support and comments.
    let resident = store.user_by_email("iedzivotajs@kekava.example").await?;
    let member = store.user_by_email("biedrs@kekava.example").await?;
    let (Some(resident), Some(member)) = (resident, member) else {
        return Ok(());
    };
    let author = |user: &kopa_store::User| Author {
        user_id: Some(user.id),
        name: user.display_name.clone(),
    };
    let examples = [
        (
            "Velonovietne pie Ķekavas vidusskolas (piemērs)",
            "Skolēni brauc ar velosipēdiem, bet novietot tos droši nav kur. Jumts un statīvi pie ieejas.",
            Place::Point([24.2283, 56.8291]),
        ),
        (
            "Gājēju pāreja pie veikala Baložos (piemērs)",
            "Pie veikala iela ir plata un mašīnas brauc ātri. Pāreja ar saliņu palīdzētu bērniem un vecākiem.",
            Place::Point([24.1195, 56.8768]),
        ),
        (
            "Veloceliņš no Ķekavas līdz Baložiem (piemērs)",
            "Droša saikne starp abām apdzīvotajām vietām, atdalīta no automašīnām.",
            Place::LineString(vec![[24.2283, 56.8291], [24.19, 56.85], [24.1195, 56.8768]]),
        ),
        (
            "Atpūtas vieta pie Daugavas (piemērs)",
            "Pašvaldības zeme pie upes, ko uzņēmums varētu iekārtot un uzturēt kā brīvi pieejamu atpūtas vietu.",
            Place::Polygon(vec![vec![
                [24.300, 56.848],
                [24.310, 56.848],
                [24.310, 56.843],
                [24.300, 56.843],
                [24.300, 56.848],
            ]]),
        ),
        (
            "Velostatīvi pie Baldones centra (piemērs)",
            "Vairāk velostatīvu pie veikaliem un bibliotēkas.",
            Place::Point([24.4005, 56.7437]),
        ),
    ];
    let mut example_ids = Vec::new();
    for (title, body, place) in examples {
        let created = store
            .create_idea(
                &system,
                ws,
                &author(&resident),
                &idea(title, body, Some(place), true, None),
            )
            .await?;
        example_ids.push(created.id);
    }
    for id in &example_ids {
        store.follow(resident.id, FollowKind::Idea, *id).await?;
    }
    for id in &example_ids[..3] {
        store.support_idea(&system, ws, *id, member.id).await?;
        store.follow(member.id, FollowKind::Idea, *id).await?;
    }
    let comment = NewComment {
        body: "Atbalstu: mani bērni arī brauktu, ja būtu kur novietot (piemērs).".into(),
        parent_id: None,
    };
    store
        .comment_on_idea(&system, ws, example_ids[0], &author(&member), &comment)
        .await?;

    // The four cooperation initiatives of the public discussion of 2 Dec 2020.
    let on_2_december = Some(riga(2020, 12, 2, 12, 0, 2));
    let presented = "Prezentēta publiskajā diskusijā 2020. gada 2. decembrī \
                     (\"Pašvaldības un uzņēmēju sadarbība Zaļajā kursā: iespējas un ierobežojumi\").";
    let initiatives = [
        (
            "Gājēju pārejas, kas būvētas kopā ar īpašumu īpašniekiem",
            "crossing_with_owners",
            "Gājēju pārejas, ko pašvaldība būvē kopā ar konkrētu īpašumu īpašniekiem.",
        ),
        (
            "Mobilitātes punkti un stāvparki kopā ar uzņēmējiem",
            "mobility_point",
            "Mobilitātes punkti un stāvparki (park&ride), ko iekārto kopā ar uzņēmējiem.",
        ),
        (
            "Uzņēmēji kā partneri informatīvajās kampaņās",
            "information_campaign",
            "Uzņēmēji kā pašvaldības partneri informatīvajās kampaņās.",
        ),
        (
            "Pašvaldības zeme atpūtas vietām, ko uztur uzņēmēji",
            "recreation_place",
            "Pašvaldības zeme, ko uzņēmēji izbūvē un uztur kā iedzīvotājiem brīvi pieejamas atpūtas vietas.",
        ),
    ];
    let mut initiative_ids = Vec::new();
    for (title, cooperation_type, description) in initiatives {
        let new = NewInitiative {
            title: title.into(),
            description: Some(description.into()),
            cooperation_type: cooperation_type.into(),
            place: None,
            parent_id: None,
            weight: 1,
            progress: 0,
            is_example: false,
            created_at: on_2_december,
        };
        let created = store.create_initiative(&system, ws, &new, presented).await?;
        store
            .link_initiative(&system, ws, created.id, LinkKind::Meeting, sources.discussion)
            .await?;
        initiative_ids.push(created.id);
    }
    let mobility_points = initiative_ids[1];
    store
        .link_initiative(&system, ws, mobility_points, LinkKind::Idea, group_idea_ids[0])
        .await?;
    store
        .link_initiative(&system, ws, initiative_ids[2], LinkKind::Idea, group_idea_ids[1])
        .await?;
    for id in [mobility_points, initiative_ids[2]] {
        store
            .link_initiative(&system, ws, id, LinkKind::Meeting, sources.ideas_meeting)
            .await?;
    }

    // An example mobility point under the second initiative, a few steps along.
    let example = NewInitiative {
        title: "Mobilitātes punkts pie uzņēmuma Ķekavā (piemērs)".into(),
        description: Some(
            "Velonovietne, skrejriteņu stāvvieta un sabiedriskā transporta informācija pie uzņēmuma ieejas.".into(),
        ),
        cooperation_type: "mobility_point".into(),
        place: Some(Place::Point([24.2350, 56.8190])),
        parent_id: Some(mobility_points),
        weight: 1,
        progress: 40,
        is_example: true,
        created_at: Some(riga(2021, 2, 15, 10, 0, 2)),
    };
    let point = store
        .create_initiative(&system, ws, &example, "Uzņēmums piedāvāja vietu (piemērs).")
        .await?;
    let steps = [
        (
            InitiativeStatus::Idea,
            InitiativeStatus::Assessed,
            riga(2021, 3, 10, 10, 0, 2),
            "Izvērtēts: vieta, izmaksas un sadarbības līgums (piemērs).",
        ),
        (
            InitiativeStatus::Assessed,
            InitiativeStatus::Agreed,
            riga(2021, 4, 14, 15, 0, 3),
            "Grupa vienojās sanāksmē (piemērs).",
        ),
    ];
    for (from, to, at, reason) in steps {
        let transition = Transition { from, to, at: Some(at) };
        store.move_initiative(&system, ws, point.id, transition, reason).await?;
    }
    for (title, due, done) in [
        (
            "Vieta saskaņota ar uzņēmumu (piemērs)",
            (2021, 3, 1),
            Some((2021, 3, 10)),
        ),
        ("Līgums parakstīts (piemērs)", (2021, 5, 1), Some((2021, 4, 28))),
        ("Velostatīvi un nojume uzstādīti (piemērs)", (2021, 8, 1), None),
        ("Lietojuma uzskaite pirmajā gadā (piemērs)", (2022, 8, 1), None),
        ("Sabiedriskā transporta informācija (piemērs)", (2021, 9, 1), None),
    ] {
        let day = |(y, m, d): (i32, u32, u32)| NaiveDate::from_ymd_opt(y, m, d);
        let milestone = NewMilestone {
            title: title.into(),
            due_on: day(due),
        };
        let added = store.add_milestone(&system, ws, point.id, &milestone).await?;
        if let Some(done) = done {
            store
                .set_milestone_done(&system, ws, point.id, added.id, day(done))
                .await?;
        }
    }
    store
        .link_initiative(&system, ws, point.id, LinkKind::Idea, group_idea_ids[0])
        .await?;
    store
        .link_initiative(&system, ws, point.id, LinkKind::Decision, sources.vision_decision)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_places_lie_in_the_demo_outline() {
        let map = backdrop();
        for place in [
            Place::Point([24.2305, 56.8265]),
            Place::Point([24.1195, 56.8768]),
            Place::Point([24.4005, 56.7437]),
            Place::Point([24.2350, 56.8190]),
        ] {
            assert!(map.contains(&place), "{place:?} lies outside");
        }
        assert!(
            !map.contains(&Place::Point([24.1052, 56.9496])),
            "Riga's old town lies outside"
        );
        assert_eq!(map.find_street("rigas iela"), Some([24.118, 56.876]));
    }

    #[test]
    fn the_demo_map_names_its_towns_its_main_roads_and_the_daugava() {
        let names: Vec<String> = backdrop().labels().into_iter().map(|(_, name, _)| name).collect();
        for name in ["Ķekava", "Baloži", "Baldone", "Daugava", "A7", "A5"] {
            assert!(names.iter().any(|n| n == name), "{name} is not named: {names:?}");
        }
        assert!(!names.iter().any(|n| n == "Rīgas iela"), "only main roads are named");
    }
}

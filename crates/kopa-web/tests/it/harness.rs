//! An in-process client for the app: a cookie jar and the CSRF token, on a fresh database of
//! each backend holding either an empty workspace with just the people a test needs
//! ([`every_workspace`]) or the whole demo ([`every_app`], for the tests of what the demo shows).

use kopa_domain::audit::SystemActor;
use kopa_domain::cooperation::instrument::Step;
use std::collections::HashMap;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use kopa_domain::Role;
use kopa_domain::validation::Code;
use kopa_store::testing::{StatementCount, TestDatabase, every_backend, every_backend_counted};
use kopa_web::{AppState, Settings};
use tower::ServiceExt;

pub struct TestResponse {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    /// The body as it came, for downloads that are not text.
    pub bytes: Vec<u8>,
}

impl TestResponse {
    pub fn location(&self) -> Option<&str> {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

pub struct TestApp {
    pub db: TestDatabase,
    /// The workspace the test works in: [`TOWN`] or the demo's Ķekava.
    pub slug: &'static str,
    /// The e-mail of each role's account there.
    accounts: Vec<(Role, String)>,
    /// The app's shared state, for what runs beside the requests (the daily digests).
    pub state: AppState,
    router: Router,
    cookies: HashMap<String, String>,
    /// What the reverse proxy says of this visitor's address, in `X-Forwarded-For`.
    forwarded_for: Option<String>,
}

/// The slug of the empty workspace [`every_workspace`] makes.
pub const TOWN: &str = "town";

/// The password of every test account, the demo's included.
pub const PASSWORD: &str = kopa_demo::DEMO_PASSWORD;

/// The app on every backend, each with an empty workspace, [`TOWN`], and one account for each
/// of `roles` (`coordinator@town.test` and so on). The workspace speaks Latvian, on Riga's
/// clock, like the municipalities Kopa is made for.
pub async fn every_workspace(roles: &[Role]) -> Vec<TestApp> {
    let mut apps = Vec::new();
    for db in every_backend().await {
        let system = kopa_store::Actor::system(SystemActor::Setup);
        let store = &db.store;
        let network = store
            .create_network(
                &system,
                &kopa_domain::workspace::NewNetwork {
                    name: "Test network".into(),
                    programme: "URBACT IV".into(),
                    lead_expert: None,
                    starts_on: day(2026, 1, 1),
                    ends_on: day(2028, 12, 31),
                },
            )
            .await
            .expect("a network");
        let new = kopa_store::NewWorkspace {
            slug: TOWN.into(),
            municipality: "Testa novads".into(),
            country: "LV".into(),
            policy_challenge: None,
            is_lead_partner: false,
            default_locale: "lv".into(),
            time_zone: "Europe/Riga".into(),
        };
        let ws = store
            .create_workspace(&system, network.id, &new)
            .await
            .expect("a workspace");
        let mut accounts = Vec::new();
        for &role in roles {
            let email = format!("{}@{TOWN}.test", role.code());
            let user = store
                .create_user(&system, &email, &format!("Test {}", role.code()), PASSWORD)
                .await
                .expect("an account");
            store.grant_role(&system, user.id, ws.id, role).await.expect("a role");
            accounts.push((role, email));
        }
        apps.push(app_on(db, TOWN, accounts));
    }
    apps
}

/// The app on every backend over an empty database: no network, no workspace, no account,
/// as `kopa init` finds it.
pub async fn every_empty_site() -> Vec<TestApp> {
    every_backend()
        .await
        .into_iter()
        .map(|db| app_on(db, KEKAVA_SET_UP.slug, Vec::new()))
        .collect()
}

/// Ķekava as its README sets it up from nothing.
pub struct KekavaSetUp {
    pub slug: &'static str,
    pub admin: &'static str,
    pub password: &'static str,
}

pub const KEKAVA_SET_UP: KekavaSetUp = KekavaSetUp {
    slug: "kekava",
    admin: "admin@kekava.lv",
    password: "pirmā-admina-parole",
};

/// Ķekava as the README's "run it for real" sets it up: what `kopa init` is given.
pub fn kekava_set_up() -> kopa_app::SetUp<'static> {
    use kopa_domain::workspace::{NetworkInput, WorkspaceInput};
    kopa_app::SetUp {
        network: kopa_app::NetworkChoice::New(NetworkInput {
            name: "Cities4CSR",
            programme: "URBACT III Action Planning Network",
            lead_expert: "",
            starts_on: "2020-05-01",
            ends_on: "2022-08-31",
        }),
        workspace: WorkspaceInput {
            slug: KEKAVA_SET_UP.slug,
            municipality: "Ķekavas novads",
            country: "LV",
            policy_challenge: "",
            language: "lv",
            time_zone: "Europe/Riga",
            is_lead_partner: false,
        },
        admin_email: KEKAVA_SET_UP.admin,
        admin_name: "Anna Admina",
        admin_password: KEKAVA_SET_UP.password,
    }
}

fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

/// The app on every backend, each with the demo loaded.
pub async fn every_app() -> Vec<TestApp> {
    demos_on(every_backend().await).await
}

/// As [`every_app`], with the SQL statements of each request counted for query budgets.
pub async fn every_counted_app() -> (StatementCount, Vec<TestApp>) {
    let (count, databases) = every_backend_counted(std::sync::Arc::new(kopa_store::SystemClock)).await;
    (count, demos_on(databases).await)
}

async fn demos_on(databases: Vec<TestDatabase>) -> Vec<TestApp> {
    let mut apps = Vec::new();
    for db in databases {
        kopa_demo::load(&db.store).await.expect("load the demo");
        let accounts = kopa_demo::DEMO_ACCOUNTS
            .iter()
            .map(|(email, _, role)| (*role, (*email).to_owned()))
            .collect();
        apps.push(app_on(db, kopa_demo::KEKAVA, accounts));
    }
    apps
}

fn app_on(db: TestDatabase, slug: &'static str, accounts: Vec<(Role, String)>) -> TestApp {
    let state = state_over(db.store.clone());
    let router = kopa_web::app(state.clone());
    TestApp {
        db,
        slug,
        accounts,
        state,
        router,
        cookies: HashMap::new(),
        forwarded_for: None,
    }
}

fn state_over(store: kopa_store::Store) -> AppState {
    state_behind(store, None)
}

/// The state of a server that takes the client's address from `header`, as set by the
/// reverse proxy before it.
fn state_behind(store: kopa_store::Store, client_address_header: Option<&str>) -> AppState {
    let settings = Settings {
        public_url: "http://kopa.test".into(),
        secure_cookies: false,
        map_tiles: None,
        smtp_url: None,
        mail_from: "kopa@kopa.test".into(),
        client_address_header: client_address_header.map(|name| name.parse().unwrap()),
    };
    AppState::new(store, settings).expect("Fluent files")
}

impl TestApp {
    pub fn backend(&self) -> &'static str {
        self.db.name
    }

    /// A new cooperation agreement, submitted and waiting for its approval, which an
    /// authorised official may give alone. It is of the workspace's first initiative and
    /// partner, made here (as examples) when the workspace has none.
    pub async fn submitted_instrument(&self) -> i64 {
        use kopa_domain::cooperation::instrument::{InstrumentInput, InstrumentStatus};
        let store = &self.db.store;
        let ws = self.workspace_id().await;
        let actor = kopa_store::Actor::system(SystemActor::Setup);
        let initiative = match store.initiatives(ws).await.unwrap().first() {
            Some(initiative) => initiative.id,
            None => {
                let input = kopa_domain::initiative::InitiativeInput {
                    title: "Velonovietnes pie skolām (piemērs)".into(),
                    cooperation_type: "mobility_point".into(),
                    ..Default::default()
                };
                let types = [String::from("mobility_point")];
                let new = input.validate(&types).unwrap();
                store.create_initiative(&actor, ws, &new, "Pārbaude").await.unwrap().id
            }
        };
        let partner = match store.partners(ws).await.unwrap().first() {
            Some(partner) => partner.id,
            None => {
                let business = kopa_domain::group::NewOrganisation {
                    name: "SIA Paraugs (piemērs)".into(),
                    registration_number: Some("40003000001".into()),
                    sector: kopa_domain::group::Sector::Business,
                    website: None,
                    is_example: true,
                };
                let business = store.create_organisation(&actor, ws, &business).await.unwrap();
                let new = kopa_domain::cooperation::partner::NewPartner {
                    organisation_id: business.id,
                    beneficial_owners: "Pēteris Paraugs (piemērs)".into(),
                    contact_name: None,
                    contact_email: None,
                    contact_phone: None,
                };
                store.add_partner(&actor, ws, &new).await.unwrap().id
            }
        };
        let input = InstrumentInput {
            initiative_id: initiative.to_string(),
            partner_id: partner.to_string(),
            kind: "cooperation_agreement".into(),
            subject: "Sadarbības memorands (piemērs)".into(),
            purpose: "Kopīga velokampaņa".into(),
            value: "0".into(),
            starts_on: "2021-05-01".into(),
            ends_on: "2022-04-30".into(),
        };
        let new = input.validate().unwrap();
        let today = store.today_in("Europe/Riga").unwrap();
        // Drafted and submitted before any approval a test records.
        let early = chrono::NaiveDate::from_ymd_opt(2021, 1, 4).unwrap();
        let made = store
            .create_instrument(&actor, ws, &new, kopa_store::Origin::Drafted, true, early)
            .await
            .unwrap();
        store
            .move_instrument(
                &actor,
                ws,
                made.id,
                &Step::new(InstrumentStatus::Submitted, "Iesniegts", early),
                today,
            )
            .await
            .unwrap();
        made.id
    }

    /// A published public discussion in 2030, open for registration, with `seats` seats
    /// (none for no limit).
    pub async fn meeting_open_for_registration(&self, seats: &str) -> kopa_domain::meeting::Meeting {
        let input = kopa_domain::meeting::MeetingInput {
            kind: "public_discussion".into(),
            title: "Publiskā apspriešana (piemērs)".into(),
            starts_at: "2030-06-01T18:00".into(),
            ends_at: "2030-06-01T20:00".into(),
            mode: "in_person".into(),
            place: "Kultūras nams".into(),
            capacity: seats.into(),
            registration_open: Some("on".into()),
            published: Some("on".into()),
            ..Default::default()
        };
        let ws = self.workspace_id().await;
        let new = input.validate().unwrap();
        self.db
            .store
            .create_meeting(&kopa_store::Actor::system(SystemActor::Setup), ws, &new)
            .await
            .unwrap()
    }

    /// An official of the municipality, one of the group's people, who may sign approvals.
    pub async fn official(&self) -> i64 {
        let new = kopa_domain::group::NewPerson {
            name: "Izpilddirektors (piemērs)".into(),
            email: None,
            organisation_id: None,
            position: Some("Pašvaldības izpilddirektors".into()),
            membership: None,
            is_example: true,
        };
        let ws = self.workspace_id().await;
        self.db
            .store
            .create_person(&kopa_store::Actor::system(SystemActor::Setup), ws, &new)
            .await
            .unwrap()
            .id
    }

    /// The same app with nothing kept from earlier requests, as a server just started, so that
    /// what a request costs when it must read everything can be counted.
    pub fn forget_what_is_kept(&mut self) {
        self.serve_from(self.db.store.clone());
    }

    /// The app serving from `store`: the same database reached another way, such as through
    /// a relay a test can cut.
    pub fn serve_from(&mut self, store: kopa_store::Store) {
        self.state = state_over(store);
        self.router = kopa_web::app(self.state.clone());
    }

    /// The id of the workspace the test works in.
    pub async fn workspace_id(&self) -> i64 {
        self.workspace_id_of(self.slug).await
    }

    /// The id of another workspace, such as the demo's sample region.
    pub async fn workspace_id_of(&self, slug: &str) -> i64 {
        self.db.store.workspace_by_slug(slug).await.unwrap().unwrap().id
    }

    /// Sets Ķekava up from nothing, as `kopa init` does: the network, the workspace and its
    /// first admin.
    pub async fn set_up_kekava(&self) -> kopa_app::SetUpDone {
        let done = self.state.app.set_up(&kekava_set_up()).await;
        done.unwrap_or_else(|e| panic!("{}: set-up: {e:?}", self.backend()))
    }

    /// The newest link in the outbox of workspace `slug` (or of mail for no workspace) that
    /// starts with `prefix`, such as `/invitations/`, with the mail's recipient.
    pub async fn link_in_outbox(&self, slug: Option<&str>, prefix: &str) -> (String, String) {
        let store = &self.db.store;
        let mails = match slug {
            Some(slug) => {
                let ws = store.workspace_by_slug(slug).await.unwrap().expect("the workspace");
                store.outbox(ws.id, 50).await.unwrap()
            }
            None => store.unsent_mail(50).await.unwrap().into_iter().rev().collect(),
        };
        let start = format!("http://kopa.test{prefix}");
        for mail in mails {
            if let Some(at) = mail.body.find(&start) {
                let link = mail.body[at..].split_whitespace().next().unwrap();
                return (link.trim_start_matches("http://kopa.test").to_owned(), mail.to_email);
            }
        }
        panic!("no {prefix} link in the outbox");
    }

    /// A second visitor to the same server, with cookies of its own.
    /// The same server, downloading street networks from these sources.
    pub fn downloading_from(mut self, sources: kopa_app::osm_sources::OsmSources) -> TestApp {
        self.state = self.state.with_osm_sources(sources);
        self.router = kopa_web::app(self.state.clone());
        self
    }

    pub fn another_client(&self) -> TestApp {
        TestApp {
            db: self.db.again(),
            slug: self.slug,
            accounts: self.accounts.clone(),
            state: self.state.clone(),
            router: self.router.clone(),
            cookies: HashMap::new(),
            forwarded_for: None,
        }
    }

    /// The same visitor after the server restarted: a new app, with its own connections to
    /// the same database.
    pub async fn restarted(&self) -> TestApp {
        let store = kopa_store::Store::open(&self.db.url).await.expect("the database again");
        self.through(state_behind(store, None))
    }

    /// The same visitor, through a server that reads the client's address from
    /// `X-Forwarded-For`, as a reverse proxy in front of it sets it.
    pub fn behind_proxy(&self) -> TestApp {
        self.through(state_behind(self.db.store.clone(), Some("x-forwarded-for")))
    }

    /// Sends `X-Forwarded-For: value` from now on.
    pub fn forwarded_for(&mut self, value: &str) {
        self.forwarded_for = Some(value.to_owned());
    }

    fn through(&self, state: AppState) -> TestApp {
        TestApp {
            db: self.db.again(),
            slug: self.slug,
            accounts: self.accounts.clone(),
            router: kopa_web::app(state.clone()),
            state,
            cookies: self.cookies.clone(),
            forwarded_for: self.forwarded_for.clone(),
        }
    }

    pub async fn sign_in_with_password(&mut self, email: &str, password: &str) {
        let response = self
            .post_form("/signin", &[("email", email), ("password", password), ("next", "/")])
            .await;
        assert_eq!(
            response.status,
            StatusCode::SEE_OTHER,
            "sign in as {email}: {}",
            response.body
        );
    }

    /// The e-mail of the account with `role` in the workspace.
    pub fn account(&self, role: Role) -> String {
        let found = self.accounts.iter().find(|(r, _)| *r == role);
        found
            .unwrap_or_else(|| panic!("no {role} account in {}", self.slug))
            .1
            .clone()
    }

    pub async fn sign_in_as(&mut self, role: Role) {
        self.sign_in(&self.account(role)).await;
    }

    pub async fn send(&mut self, request: Request<Body>) -> TestResponse {
        let mut request = request;
        if !self.cookies.is_empty() {
            let jar: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
            request
                .headers_mut()
                .insert(header::COOKIE, jar.join("; ").parse().unwrap());
        }
        if let Some(value) = &self.forwarded_for {
            request.headers_mut().insert("x-forwarded-for", value.parse().unwrap());
        }
        let response = self.router.clone().oneshot(request).await.unwrap();
        for value in response.headers().get_all(header::SET_COOKIE) {
            let text = value.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() || text.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }

    /// The app and this visitor's cookies, for requests sent side by side from other tasks.
    pub fn side_by_side(&self) -> (Router, String) {
        let jar: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
        (self.router.clone(), jar.join("; "))
    }

    /// The body of a GET as the frames it arrived in, to see that it was streamed.
    pub async fn frames(&mut self, path: &str) -> (StatusCode, Vec<Vec<u8>>) {
        let request = Request::get(path).body(Body::empty()).unwrap();
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let mut body = response.into_body();
        let mut frames = Vec::new();
        while let Some(frame) = body.frame().await {
            if let Ok(data) = frame.unwrap().into_data() {
                frames.push(data.to_vec());
            }
        }
        (status, frames)
    }

    pub async fn get(&mut self, path: &str) -> TestResponse {
        self.send(Request::get(path).body(Body::empty()).unwrap()).await
    }

    /// A DELETE as a browser's script sends it, with the CSRF token in its header.
    pub async fn delete(&mut self, path: &str) -> TestResponse {
        let csrf = self.csrf().await;
        let request = Request::delete(path)
            .header("x-csrf-token", csrf)
            .body(Body::empty())
            .unwrap();
        self.send(request).await
    }

    /// The token this visitor's forms must carry, as a page shows it.
    pub async fn csrf(&mut self) -> String {
        let page = self.get("/signin").await.body;
        let marker = "name=\"csrf\" value=\"";
        let start = page.find(marker).expect("a CSRF field") + marker.len();
        page[start..start + 64].to_owned()
    }

    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let csrf = self.csrf().await;
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf", &csrf));
        let body = serde_urlencoded::to_string(&all).unwrap();
        self.post_raw(path, "application/x-www-form-urlencoded", body.into_bytes())
            .await
    }

    /// As [`TestApp::post_form`], with values made at run time.
    pub async fn post_owned(&mut self, path: &str, fields: &[(&str, String)]) -> TestResponse {
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.post_form(path, &borrowed).await
    }

    /// A multipart upload as a browser sends it: the CSRF token first (unless `with_csrf` is
    /// false), then the text fields, then the files as (field, file name, bytes).
    pub async fn post_upload(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        files: &[(&str, &str, Vec<u8>)],
        with_csrf: bool,
    ) -> TestResponse {
        let boundary = "kopa-test-boundary-7MA4YWxkTrZu0gW";
        let csrf = self.csrf().await;
        let mut body = Vec::new();
        let mut text = |name: &str, value: &str| {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        };
        if with_csrf {
            text("csrf", &csrf);
        }
        for (name, value) in fields {
            text(name, value);
        }
        for (name, file_name, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        self.post_raw(path, &format!("multipart/form-data; boundary={boundary}"), body)
            .await
    }

    pub async fn post_raw(&mut self, path: &str, content_type: &str, body: Vec<u8>) -> TestResponse {
        let request = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    pub async fn post_json(&mut self, path: &str, json: serde_json::Value) -> TestResponse {
        self.send_json(Method::POST, path, json).await
    }

    pub async fn put_json(&mut self, path: &str, json: serde_json::Value) -> TestResponse {
        self.send_json(Method::PUT, path, json).await
    }

    async fn send_json(&mut self, method: Method, path: &str, json: serde_json::Value) -> TestResponse {
        let csrf = self.csrf().await;
        let request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-csrf-token", csrf)
            .body(Body::from(json.to_string()))
            .unwrap();
        self.send(request).await
    }

    pub async fn sign_in(&mut self, email: &str) {
        self.sign_in_with_password(email, PASSWORD).await;
    }

    pub fn sign_out_locally(&mut self) {
        self.cookies.clear();
    }

    /// Forgets the session, as signing out does, but the browser keeps its other cookies.
    pub fn forget_session(&mut self) {
        self.cookies.remove("kopa_session");
    }

    pub fn set_language(&mut self, code: &str) {
        self.cookies.insert("kopa_lang".into(), code.into());
    }
}

pub const COORDINATOR: &str = "koordinators@kekava.example";
pub const ADMIN: &str = "admin@kekava.example";
pub const MEMBER: &str = "biedrs@kekava.example";
pub const PARTNER: &str = "partneris@kekava.example";
pub const RESIDENT: &str = "iedzivotajs@kekava.example";
pub const AUDITOR: &str = "revidents@kekava.example";

pub use kopa_app::testing::png;

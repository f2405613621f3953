//! Kopa's web platform: server-rendered pages that work without JavaScript, the JSON API
//! with its OpenAPI document, accounts and sessions, and the Latvian and English interface.

pub mod api;
mod context;
mod cookies;
mod error;
mod matrix;
mod pages;
mod photos;
mod state;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use tower_http::set_header::SetResponseHeaderLayer;

pub use axum::http::HeaderName;
pub use context::MAX_BODY_BYTES;
pub use kopa_app::i18n;
pub use kopa_app::{I18n, Locale};
pub use state::{AppState, MapLibrary, Settings};

const STYLESHEET: &str = include_str!("../static/kopa.css");
const MAP_SCRIPT: &str = include_str!("../static/map.js");
const ICON: &str = include_str!("../static/favicon.svg");

/// Every route of the site and the API.
pub fn app(state: AppState) -> Router {
    use pages::{
        account, accounts, audit, calendar, cooperation, group, home, ideas, initiatives, map, meetings, notifications,
        plan, scenarios, signup, site, street_network, tokens, where_to_act,
    };
    let workspace = Router::new()
        .route("/", get(home::workspace))
        .route("/group", get(group::show))
        .route("/group/organisations", post(group::add_organisation))
        .route("/group/people", post(group::add_person))
        .route("/group/memberships", post(group::add_membership))
        .route("/group/memberships/{id}/end", post(group::end_membership))
        .route("/stakeholders", get(group::stakeholders).post(group::assess))
        .route("/signup", get(signup::form).post(signup::sign_up))
        .route("/join", post(signup::join))
        .route("/ideas", get(ideas::list).post(ideas::propose))
        .route("/ideas/{id}", get(ideas::show))
        .route("/ideas/{id}/support", post(ideas::support))
        .route("/ideas/{id}/comments", post(ideas::comment))
        .route(
            "/ideas/{id}/photos",
            post(ideas::add_photos).layer(axum::extract::DefaultBodyLimit::max(context::MAX_UPLOAD_BYTES)),
        )
        .route("/ideas/{id}/photos/{photo}", get(ideas::photo))
        .route("/ideas/{id}/photos/{photo}/thumbnail", get(ideas::thumbnail))
        .route("/ideas/{id}/moderation", post(ideas::moderate))
        .route("/ideas/{id}/initiative", post(initiatives::from_idea))
        .route("/network", get(street_network::show))
        .route(
            "/network/analyses",
            post(street_network::import).layer(axum::extract::DefaultBodyLimit::max(context::MAX_NETWORK_UPLOAD_BYTES)),
        )
        .route("/network/fetches", post(street_network::fetch))
        .route("/network/analyses/{id}", get(street_network::analysis))
        .route("/network/analyses/{id}/publish", post(street_network::publish))
        .route("/network/analyses/{id}/streets/{segment}", get(street_network::street))
        .route("/network/analyses/{id}/files/{name}", get(street_network::download))
        .route(
            "/network/analyses/{id}/stress.geojson",
            get(street_network::stress_layer),
        )
        .route("/network/analyses/{id}/act", get(where_to_act::list))
        .route(
            "/network/analyses/{id}/scenario",
            get(scenarios::show).post(scenarios::save),
        )
        .route("/network/scenarios/{id}", get(scenarios::saved))
        .route("/network/analyses/{id}/act/{rank}", get(where_to_act::place))
        .route("/network/analyses/{id}/act/{rank}/invite", post(where_to_act::invite))
        .route("/map", get(map::show))
        .route("/map/features.geojson", get(map::features))
        .route("/map/backdrop.geojson", get(map::backdrop))
        .route("/initiatives", get(initiatives::list).post(initiatives::create))
        .route("/cooperation-types", post(initiatives::add_type))
        .route("/initiatives/{id}", get(initiatives::show))
        .route("/initiatives/{id}/steps", post(initiatives::step))
        .route("/initiatives/{id}/links", post(initiatives::link))
        .route("/initiatives/{id}/edit", post(initiatives::edit))
        .route("/initiatives/{id}/milestones", post(initiatives::add_milestone))
        .route(
            "/initiatives/{id}/milestones/{milestone}",
            post(initiatives::mark_milestone),
        )
        .route("/meetings", get(meetings::list).post(meetings::create))
        .route("/meetings/new", get(meetings::new_form))
        .route("/meetings/{id}", get(meetings::show))
        .route("/meetings/{id}/edit", get(meetings::edit_form).post(meetings::update))
        .route("/meetings/{id}/calendar.ics", get(calendar::meeting))
        .route("/meetings/{id}/agenda", post(meetings::add_agenda_item))
        .route(
            "/meetings/{id}/agenda/{item}/delete",
            post(meetings::remove_agenda_item),
        )
        .route("/meetings/{id}/speakers", post(meetings::add_speaker))
        .route("/meetings/{id}/decisions", post(meetings::record_decision))
        .route("/meetings/{id}/minutes", post(meetings::record_minutes))
        .route("/meetings/{id}/registrations", post(meetings::register))
        .route(
            "/meetings/{id}/registrations/{registration}/attendance",
            post(meetings::set_attendance),
        )
        .route(
            "/meetings/{id}/registrations/{registration}/cancel",
            post(meetings::cancel_registration),
        )
        .route("/calendar.ics", get(calendar::feed))
        .route("/accounts", get(accounts::accounts))
        .route("/accounts/invitations", post(accounts::invite))
        .route("/accounts/invitations/{id}/{change}", post(accounts::change_invitation))
        .route("/accounts/{id}/role", post(accounts::change_role))
        .route("/accounts/{id}/{change}", post(accounts::set_active))
        .route("/audit", get(audit::log))
        .route("/notifications", get(notifications::list))
        .route("/notifications/read", post(notifications::mark_read))
        .route("/notifications/email", post(notifications::set_email))
        .route("/follow", post(notifications::follow))
        .route("/outbox", get(notifications::outbox))
        .route("/agreements", get(cooperation::register::show))
        .route("/business", get(cooperation::business::show))
        .route("/business/offers", post(cooperation::business::offer))
        .route("/business/instruments/{id}", get(cooperation::business::instrument))
        .route("/audit-packs", get(cooperation::packs::list))
        .route("/audit-packs/{id}", get(cooperation::packs::html))
        .route("/audit-packs/{id}/pack.pdf", get(cooperation::packs::pdf))
        .route("/audit-packs/{id}/pack.json", get(cooperation::packs::json))
        .route("/cooperation", get(cooperation::show))
        .route(
            "/cooperation/rules",
            get(cooperation::rules::show).post(cooperation::rules::save),
        )
        .route(
            "/cooperation/rules/defaults",
            post(cooperation::rules::restore_defaults),
        )
        .route("/cooperation/partners", post(cooperation::add_partner))
        .route("/cooperation/partners/{id}", get(cooperation::partners::show))
        .route("/cooperation/partners/{id}/edit", post(cooperation::partners::edit))
        .route(
            "/cooperation/partners/{id}/procedures",
            post(cooperation::partners::add_procedure),
        )
        .route(
            "/cooperation/partners/{id}/procedures/close",
            post(cooperation::partners::close_procedure),
        )
        .route(
            "/cooperation/partners/{id}/tax-checks",
            post(cooperation::partners::add_tax_check),
        )
        .route(
            "/cooperation/partners/{id}/accounts",
            post(cooperation::partners::link_account),
        )
        .route("/cooperation/instruments", post(cooperation::add_instrument))
        .route("/cooperation/instruments/{id}", get(cooperation::instruments::show))
        .route(
            "/cooperation/instruments/{id}/edit",
            post(cooperation::instruments::edit),
        )
        .route(
            "/cooperation/instruments/{id}/steps",
            post(cooperation::instruments::step),
        )
        .route(
            "/cooperation/instruments/{id}/approval",
            post(cooperation::instruments::approve),
        )
        .route(
            "/cooperation/instruments/{id}/justification",
            post(cooperation::instruments::justify),
        )
        .route(
            "/cooperation/instruments/{id}/records",
            post(cooperation::instruments::record),
        )
        .route(
            "/cooperation/instruments/{id}/declarations",
            post(cooperation::instruments::declare),
        )
        .route(
            "/cooperation/instruments/{id}/publication",
            post(cooperation::instruments::publish),
        )
        .route(
            "/cooperation/instruments/{id}/documents",
            post(cooperation::instruments::add_document),
        )
        .route(
            "/cooperation/instruments/{id}/obligations",
            post(cooperation::instruments::add_obligation),
        )
        .route(
            "/cooperation/instruments/{id}/obligations/{obligation}/inspections",
            post(cooperation::instruments::inspect),
        )
        .route(
            "/cooperation/instruments/{id}/obligations/{obligation}/remedied",
            post(cooperation::instruments::remedied),
        )
        .route(
            "/cooperation/instruments/{id}/inspections/{inspection}/photos",
            post(cooperation::instruments::add_photos)
                .layer(axum::extract::DefaultBodyLimit::max(context::MAX_UPLOAD_BYTES)),
        )
        .route(
            "/cooperation/instruments/{id}/inspections/{inspection}/photos/{photo}",
            get(cooperation::instruments::photo),
        )
        .route("/plan", get(plan::current))
        .route("/plan/draft", post(plan::open_draft))
        .route("/plan/comments", post(plan::comment))
        .route("/plan/versions", get(plan::versions))
        .route("/plan/versions/{number}", get(plan::version))
        .route("/plan/versions/{number}/readiness", get(plan::readiness))
        .route("/plan/versions/{number}/translations", get(plan::translations))
        .route("/plan/versions/{number}/submit", post(plan::submit))
        .route("/plan/versions/{number}/publish", post(plan::publish))
        .route(
            "/plan/versions/{number}/export/{lang}/{format}",
            get(plan::export::export),
        )
        .route(
            "/plan/versions/{number}/parts/{part}",
            get(plan::items::part_form).post(plan::items::save_part),
        )
        .route(
            "/plan/versions/{number}/items/{kind}/new",
            get(plan::items::new_form).post(plan::items::add),
        )
        .route(
            "/plan/versions/{number}/items/{kind}/{id}",
            get(plan::items::show).post(plan::items::save),
        )
        .route(
            "/plan/versions/{number}/items/{kind}/{id}/remove",
            post(plan::items::remove),
        )
        .route(
            "/plan/versions/{number}/indicators/{id}/measurements",
            post(plan::items::measure),
        )
        .route(
            "/plan/versions/{number}/indicators/{id}/measurements/{on}/remove",
            post(plan::items::remove_measurement),
        );

    Router::new()
        .route("/", get(home::network))
        .route("/network/plans", get(plan::network))
        .route("/signin", get(accounts::sign_in_form).post(accounts::sign_in))
        .route("/signout", post(accounts::sign_out))
        .route("/language/{code}", get(accounts::switch_language))
        .route("/account", get(account::show))
        .route("/account/password", post(account::change_password))
        .route("/account/sessions/others", post(account::sign_out_elsewhere))
        .route("/password/forgot", get(account::forgot_form).post(account::forgot))
        .route("/password/reset/{token}", get(account::reset_form).post(account::reset))
        .route("/admin", get(site::show))
        .route("/admin/networks", post(site::create_network))
        .route("/admin/networks/{id}/workspaces", post(site::create_workspace))
        .route("/admin/networks/{id}/lead-partner", post(site::set_lead_partner))
        .route("/admin/networks/{id}/readers", post(site::add_reader))
        .route("/admin/networks/{id}/readers/{user}/remove", post(site::remove_reader))
        .route("/admin/site-admins", post(site::site_admin))
        .route("/admin/accounts", post(site::account))
        .route("/account/tokens", get(tokens::list).post(tokens::create))
        .route("/account/tokens/{id}/revoke", post(tokens::revoke))
        .route(
            "/invitations/{token}",
            get(accounts::invitation).post(accounts::accept_invitation),
        )
        .route(
            "/static/kopa.css",
            get(|| async { asset("text/css; charset=utf-8", STYLESHEET) }),
        )
        .route(
            "/static/map.js",
            get(|| async { asset("text/javascript; charset=utf-8", MAP_SCRIPT) }),
        )
        .route("/static/favicon.svg", get(|| async { asset("image/svg+xml", ICON) }))
        // Where browsers and feed readers look without being told.
        .route("/favicon.ico", get(|| async { asset("image/svg+xml", ICON) }))
        .route("/static/maplibre-gl.js", get(pages::map::library_script))
        .route("/static/maplibre-gl.css", get(pages::map::library_stylesheet))
        // Alive: the process answers. Ready: its database answers too.
        .route("/health", get(|| async { "ok" }))
        .route("/ready", get(ready))
        .nest("/w/{slug}", workspace)
        .nest("/api/v1", api::router())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            context::session_layer,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            error::render_failures,
        ))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(context::MAX_UPLOAD_BYTES))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            content_security_policy(state.settings.map_tiles.as_deref()),
        ))
        .with_state(state)
}

async fn ready(axum::extract::State(state): axum::extract::State<AppState>) -> (axum::http::StatusCode, &'static str) {
    if state.app.ready().await {
        (axum::http::StatusCode::OK, "ready")
    } else {
        (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "the database does not answer",
        )
    }
}

/// What pages may load: only this site's own scripts, styles and images, with no inline script
/// or style; the interactive map's workers (which MapLibre starts from `blob:`), and the tile
/// server when one is configured.
fn content_security_policy(tiles: Option<&str>) -> HeaderValue {
    let tiles = tiles
        .and_then(|template| url::Url::parse(template).ok())
        .map(|url| url.origin())
        .filter(|origin| origin.is_tuple())
        .map(|origin| format!(" {}", origin.ascii_serialization()))
        .unwrap_or_default();
    let policy = format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:{tiles}; \
         connect-src 'self'{tiles}; worker-src 'self' blob:; child-src blob:; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    HeaderValue::from_str(&policy).unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"))
}

/// A file the pages load, with its type.
fn asset(content_type: &'static str, body: impl Into<axum::body::Body>) -> axum::response::Response {
    ([(header::CONTENT_TYPE, content_type)], body.into()).into_response()
}

/// Serves the app on `listener` until Ctrl-C.
pub async fn serve(listener: tokio::net::TcpListener, state: AppState) -> std::io::Result<()> {
    // The client's address lets sign-ups be limited per address.
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}

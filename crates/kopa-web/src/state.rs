//! What every handler shares: the application with its use cases, and what only the web needs
//! (cookies, the map library, the map's cache).

use std::sync::Arc;

use chrono::NaiveDate;
use kopa_app::{App, BadFluentFile, MailSettings, Reach};
use kopa_store::Store;

use crate::pages::cooperation::Listed;
use crate::pages::map::Item;
use kopa_app::cache::Cache;

/// How the server presents itself.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The address people reach the server at, for links in invitations.
    pub public_url: String,
    /// Mark cookies `Secure`: on when served over HTTPS.
    pub secure_cookies: bool,
    /// An online tile layer under the maps, e.g. `https://tile.openstreetmap.org/{z}/{x}/{y}.png`;
    /// without it, maps draw only the workspace's own base map.
    pub map_tiles: Option<String>,
    /// The mail server, e.g. `smtps://user:password@mail.example.lv`; without it, mail stays in
    /// the outbox for the admin to read.
    pub smtp_url: Option<String>,
    /// Who mail comes from, e.g. `Kopa <kopa@kekava.lv>`.
    pub mail_from: String,
    /// The header in which a trusted reverse proxy gives the client's address, e.g.
    /// `X-Forwarded-For`; without it, the connection's address is the client's.
    pub client_address_header: Option<axum::http::HeaderName>,
}

/// MapLibre GL, served to make the maps interactive; without it they stay server-drawn SVG.
pub struct MapLibrary {
    pub script: Vec<u8>,
    pub stylesheet: Vec<u8>,
}

impl MapLibrary {
    /// Reads `maplibre-gl.js` and `maplibre-gl.css` from MapLibre's `dist` folder.
    pub fn load(dir: &std::path::Path) -> std::io::Result<MapLibrary> {
        let read = |name: &str| {
            std::fs::read(dir.join(name))
                .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", dir.join(name).display())))
        };
        Ok(MapLibrary {
            script: read("maplibre-gl.js")?,
            stylesheet: read("maplibre-gl.css")?,
        })
    }
}

/// A workspace's id and a language's code.
type InLanguage = (i64, &'static str);

/// A workspace's id, which of its instrument files, and a language's code.
type FilesInLanguage = (i64, Reach, &'static str);

/// What every handler shares: the application, and what only the web needs.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub settings: Settings,
    pub map_library: Option<Arc<MapLibrary>>,
    /// The map's items of each workspace in each language.
    pub items: Arc<Cache<InLanguage, i64, Vec<Item>>>,
    /// Each workspace's instrument files in each language, as they stood on a day.
    pub files: Arc<Cache<FilesInLanguage, (i64, NaiveDate), Vec<Listed>>>,
    /// What the street network page draws from each workspace's analysis shown last, by its id.
    pub street_views: Arc<Cache<i64, i64, crate::pages::street_network::NetworkView>>,
}

impl AppState {
    pub fn new(store: Store, settings: Settings) -> Result<AppState, BadFluentFile> {
        let mail = MailSettings {
            public_url: settings.public_url.clone(),
            smtp_url: settings.smtp_url.clone(),
            from: settings.mail_from.clone(),
        };
        Ok(AppState {
            app: App::new(store, mail)?,
            settings,
            map_library: None,
            items: Arc::default(),
            files: Arc::default(),
            street_views: Arc::default(),
        })
    }

    /// Serves MapLibre GL so that maps become interactive.
    pub fn with_map_library(self, library: MapLibrary) -> AppState {
        AppState {
            map_library: Some(Arc::new(library)),
            ..self
        }
    }

    /// Downloads street networks by name from these servers, for coordinators to choose.
    pub fn with_osm_sources(self, sources: kopa_app::osm_sources::OsmSources) -> AppState {
        AppState {
            app: self.app.with_osm_sources(sources),
            ..self
        }
    }
}

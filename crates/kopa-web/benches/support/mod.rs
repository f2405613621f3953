//! What the benchmarks share: the Ķekava demo on a SQLite file, the whole app around it, and
//! one GET through it as a visitor with the given cookies.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use kopa_store::SystemClock;
use kopa_store::testing::{TestDatabase, sqlite};
use kopa_web::{AppState, Settings};
use tower::ServiceExt;

pub struct Served {
    pub runtime: tokio::runtime::Runtime,
    pub router: Router,
    /// Sent with every request: none for an anonymous visitor.
    pub cookies: String,
    /// Kept open while serving; some benchmarks change it between runs.
    #[allow(dead_code)]
    pub db: TestDatabase,
}

/// The demo loaded, `prepare` run on it, and the app serving it.
pub fn serve<F, Fut>(prepare: F) -> Served
where
    F: FnOnce(TestDatabase) -> Fut,
    Fut: Future<Output = TestDatabase>,
{
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let (db, router) = runtime.block_on(async {
        let db = sqlite(std::sync::Arc::new(SystemClock)).await;
        kopa_demo::load(&db.store).await.expect("the demo");
        let settings = Settings {
            public_url: "http://kopa.bench".into(),
            secure_cookies: false,
            map_tiles: None,
            smtp_url: None,
            mail_from: "kopa@kopa.test".into(),
            client_address_header: None,
        };
        let router = kopa_web::app(AppState::new(db.store.clone(), settings).expect("Fluent files"));
        (prepare(db).await, router)
    });
    Served {
        runtime,
        router,
        cookies: String::new(),
        db,
    }
}

impl Served {
    /// The size of the answer to a GET, which must succeed.
    pub fn get(&self, path: &str) -> usize {
        self.runtime.block_on(async {
            let request = Request::get(path)
                .header(header::COOKIE, &self.cookies)
                .body(Body::empty())
                .expect("request");
            let response = self.router.clone().oneshot(request).await.expect("response");
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            response.into_body().collect().await.expect("body").to_bytes().len()
        })
    }
}

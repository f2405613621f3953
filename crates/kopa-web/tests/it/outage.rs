//! When the database server goes away, pages and the API say so within a second, in the
//! visitor's language and with when to try again, and come back by themselves once it returns.

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

use crate::harness::every_workspace;

/// A TCP relay to the database server that a test can cut and restore, as a server that stops
/// and starts again would look from Kopa.
struct Relay {
    port: u16,
    target: String,
    running: Option<JoinHandle<()>>,
}

impl Relay {
    async fn to(target: &str) -> Relay {
        let mut relay = Relay {
            port: 0,
            target: target.to_owned(),
            running: None,
        };
        relay.restore().await;
        relay
    }

    /// Listens again (on the same port, once it has one) and relays every connection.
    async fn restore(&mut self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).await.unwrap();
        self.port = listener.local_addr().unwrap().port();
        let target = self.target.clone();
        self.running = Some(tokio::spawn(async move {
            // Dropped with this task when cut, which ends every connection it relays.
            let mut connections = tokio::task::JoinSet::new();
            while let Ok((mut client, _)) = listener.accept().await {
                let target = target.clone();
                connections.spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
            }
        }));
    }

    /// Stops listening and ends every connection, as a stopped server does.
    async fn cut(&mut self) {
        if let Some(running) = self.running.take() {
            running.abort();
            let _ = running.await;
        }
    }
}

#[tokio::test]
async fn an_outage_is_said_within_a_second_and_passes_by_itself() {
    for mut app in every_workspace(&[]).await {
        if app.backend() != "postgres" {
            continue; // A SQLite file has no server to lose.
        }
        let mut address = url::Url::parse(&app.db.url).unwrap();
        let target = format!("{}:{}", address.host_str().unwrap(), address.port().unwrap_or(5432));
        let mut relay = Relay::to(&target).await;
        address.set_port(Some(relay.port)).unwrap();
        let relayed = kopa_store::Store::open(address.as_str()).await.unwrap();
        app.serve_from(relayed);
        assert_eq!(app.get("/w/town/ideas").await.status, StatusCode::OK);
        assert_eq!(app.get("/ready").await.status, StatusCode::OK);

        relay.cut().await;
        for path in ["/w/town/ideas", "/api/v1/workspaces/town/ideas"] {
            let started = Instant::now();
            let answer = app.get(path).await;
            let waited = started.elapsed();
            assert_eq!(
                answer.status,
                StatusCode::SERVICE_UNAVAILABLE,
                "{path}: {}",
                answer.body
            );
            assert!(waited < Duration::from_millis(1500), "{path} took {waited:?}");
            assert_eq!(answer.headers["retry-after"], "5", "{path}");
            assert!(
                answer.body.contains("nevar sasniegt savu datubāzi")
                    || answer.body.contains("cannot reach its database"),
                "{path}: {}",
                answer.body
            );
        }
        assert_eq!(app.get("/ready").await.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(app.get("/health").await.status, StatusCode::OK, "the process is alive");

        relay.restore().await;
        let back = Instant::now();
        loop {
            if app.get("/w/town/ideas").await.status == StatusCode::OK {
                break;
            }
            assert!(back.elapsed() < Duration::from_secs(10), "no recovery");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(app.get("/ready").await.status, StatusCode::OK);
    }
}

//! Mail through a real SMTP conversation: a small server on loopback that takes what it is
//! given, as a mail server would.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use crate::harness::every_workspace;

/// Accepts mail on loopback and keeps each message's DATA; `refuse` answers every message
/// with a temporary failure instead.
async fn mail_server(refuse: bool) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let received = Arc::new(Mutex::new(Vec::new()));
    let kept = received.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let kept = kept.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 kopa.test ESMTP\r\n").await.ok();
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(message) = data.as_mut() {
                        if line == "." {
                            let reply: &[u8] = if refuse {
                                b"451 try later\r\n"
                            } else {
                                b"250 queued\r\n"
                            };
                            if !refuse {
                                kept.lock().unwrap().push(std::mem::take(message));
                            }
                            data = None;
                            write.write_all(reply).await.ok();
                        } else {
                            message.push_str(&line);
                            message.push('\n');
                        }
                        continue;
                    }
                    let verb = line.split(' ').next().unwrap_or_default().to_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250 kopa.test\r\n",
                        "DATA" => {
                            data = Some(String::new());
                            b"354 go on\r\n"
                        }
                        "QUIT" => {
                            write.write_all(b"221 bye\r\n").await.ok();
                            break;
                        }
                        _ => b"250 ok\r\n",
                    };
                    write.write_all(reply).await.ok();
                }
            });
        }
    });
    (url, received)
}

fn state_with(app: &crate::harness::TestApp, smtp_url: Option<String>) -> kopa_web::AppState {
    kopa_web::AppState::new(
        app.db.store.clone(),
        kopa_web::Settings {
            public_url: "http://kopa.test".into(),
            secure_cookies: false,
            map_tiles: None,
            smtp_url,
            mail_from: "Kopa <kopa@kopa.test>".into(),
            client_address_header: None,
        },
    )
    .unwrap()
}

#[tokio::test]
async fn the_outbox_goes_out_through_the_mail_server_once_and_waits_when_refused() {
    for app in every_workspace(&[]).await {
        let ws = app.workspace_id().await;
        let store = app.db.store.clone();
        store
            .queue_mail(
                Some(ws),
                "iedzivotajs@town.test",
                "Jauns komentārs: Soliņi",
                "Labdien!\n\nTeksts.",
            )
            .await
            .unwrap();

        // Without a mail server, nothing leaves and the outbox says so.
        assert_eq!(state_with(&app, None).app.deliver_outbox().await, Ok(0));

        let (busy, _) = mail_server(true).await;
        assert_eq!(state_with(&app, Some(busy)).app.deliver_outbox().await, Ok(0));
        assert!(
            store.outbox(ws, 1).await.unwrap()[0].sent_at.is_none(),
            "refused mail waits"
        );

        let (url, received) = mail_server(false).await;
        let state = state_with(&app, Some(url));
        assert_eq!(state.app.deliver_outbox().await, Ok(1), "{}", app.backend());
        assert_eq!(state.app.deliver_outbox().await, Ok(0), "never twice");
        let messages = received.lock().unwrap().clone();
        assert_eq!(messages.len(), 1);
        assert!(messages[0].contains("To: iedzivotajs@town.test"), "{}", messages[0]);
        assert!(messages[0].contains("From: Kopa <kopa@kopa.test>"));
        assert!(store.outbox(ws, 1).await.unwrap()[0].sent_at.is_some());

        let broken = state_with(&app, Some("carrier-pigeon://loft".into()));
        store.queue_mail(Some(ws), "a@b.lv", "x", "y").await.unwrap();
        let refused = broken.app.deliver_outbox().await.unwrap_err();
        assert!(
            refused.contains("carrier-pigeon://loft"),
            "names the bad address: {refused}"
        );
    }
}

//! The `kopa` command: serve the platform, run the demo, and look after the database.

mod audit;
mod fetch;
mod init;
mod map;
mod network;
mod plan;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use kopa_store::Store;
use kopa_web::{AppState, Settings};

#[derive(Parser)]
#[command(
    name = "kopa",
    version,
    about = "Kopa: municipalities and businesses planning green mobility together"
)]
struct Cli {
    /// The database: a SQLite file path (the default), or a postgres:// URL.
    #[arg(long, global = true, env = "KOPA_DATABASE", default_value = "kopa.sqlite")]
    database: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web platform and the API.
    Serve(ServeArgs),
    /// Load the Ķekava demo (once) into its own SQLite file, then serve it.
    Demo {
        #[command(flatten)]
        serve: ServeArgs,
        /// The demo's database; created when missing, reused when present.
        #[arg(long = "demo-database", default_value = "kopa-demo.sqlite")]
        demo_database: String,
        /// When loading the demo, grow it to some years of use: 20,000 example ideas with their
        /// comments and supports, 2,000 meetings, 500 initiatives and 1,000 agreements.
        #[arg(long)]
        grown: bool,
    },
    /// Set a municipality up from nothing: the network (new, or one to join), its workspace
    /// and the first admin. Asks for what the flags leave out.
    Init(init::InitArgs),
    /// Apply the database migrations (they are also applied at every start).
    Migrate,
    /// Check the audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// The bicycle-network engine: traffic stress on the real street network.
    Network {
        #[command(subcommand)]
        command: network::NetworkCommand,
    },
    /// The Integrated Action Plan.
    Plan {
        #[command(subcommand)]
        command: plan::PlanCommand,
    },
    /// A workspace's own base map, for maps without a tile server.
    Map {
        #[command(subcommand)]
        command: map::MapCommand,
    },
    /// Send the daily digests of notifications that are due now (the server also sends them
    /// every day at --digest-hour).
    Digest,
    /// Write a consistent copy of the database to FILE, also while the server runs.
    Backup { file: PathBuf },
    /// Replace the database with the backup in FILE. Stop the server first.
    Restore { file: PathBuf },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Walk the hash chain and report the first broken link. Prints the chain's head: kept
    /// outside the database, it shows later that no event up to it was removed.
    Verify {
        /// A head seen before, as printed here or sealed in an audit pack (`seq:hash`), to
        /// confirm; may be given more than once.
        #[arg(long = "head")]
        heads: Vec<kopa_domain::audit::ChainHead>,
        /// A witness file outside the database, one head per line: each is confirmed, and the
        /// head found now is added to it.
        #[arg(long)]
        witness: Option<PathBuf>,
    },
    /// Check a downloaded audit pack (JSON): its checksum, its events' hashes and the
    /// verification done when it was made. Needs no database.
    VerifyPack { file: PathBuf },
}

#[derive(clap::Args)]
struct ServeArgs {
    /// Where to listen.
    #[arg(long, env = "KOPA_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// The address people use to reach the server, for links in invitations.
    #[arg(long, env = "KOPA_PUBLIC_URL")]
    public_url: Option<String>,
    /// Mark cookies Secure (when served over HTTPS).
    #[arg(long, env = "KOPA_SECURE_COOKIES")]
    secure_cookies: bool,
    /// An online tile layer under the maps, e.g. https://tile.openstreetmap.org/{z}/{x}/{y}.png.
    /// Without it, maps draw only the workspace's own base map and work offline.
    #[arg(long, env = "KOPA_MAP_TILES")]
    map_tiles: Option<String>,
    /// MapLibre GL's dist folder, which makes the maps interactive (installed by `npm ci`).
    /// Without it, maps are drawn on the server and work without JavaScript.
    #[arg(long, env = "KOPA_MAP_LIBRARY", default_value = "node_modules/maplibre-gl/dist")]
    map_library: PathBuf,
    /// The mail server, e.g. smtps://user:password@mail.example.lv (smtp:// for plain, port
    /// as :587). Without it, mail stays in each workspace's outbox for its admin to read.
    #[arg(long, env = "KOPA_SMTP_URL")]
    smtp_url: Option<String>,
    /// Who mail comes from.
    #[arg(long, env = "KOPA_MAIL_FROM", default_value = "Kopa <kopa@localhost>")]
    mail_from: String,
    /// The header in which the reverse proxy in front gives the client's address, e.g.
    /// X-Forwarded-For (its last address is taken). Set it only behind a proxy that sets it:
    /// otherwise clients could claim any address and slip past the limits per address.
    #[arg(long, env = "KOPA_CLIENT_ADDRESS_HEADER")]
    client_address_header: Option<String>,
    /// The Overpass API that coordinators may fetch a street network from, by an area's name.
    #[arg(long, env = "KOPA_OVERPASS", default_value = kopa_app::osm_sources::OVERPASS_ENDPOINT)]
    overpass: String,
    /// The Geofabrik mirror that coordinators may fetch a region's street network from.
    #[arg(long, env = "KOPA_GEOFABRIK", default_value = kopa_app::osm_sources::GEOFABRIK_MIRROR)]
    geofabrik: String,
    /// Offer no downloads of street networks, for a server that cannot reach them: networks
    /// are then uploaded as files.
    #[arg(long, env = "KOPA_NO_OSM_DOWNLOADS")]
    no_osm_downloads: bool,
    /// The hour, Riga time, at which the daily digests of notifications are sent.
    #[arg(long, env = "KOPA_DIGEST_HOUR", default_value_t = 7, value_parser = clap::value_parser!(u32).range(0..24))]
    digest_hour: u32,
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    match run(Cli::parse()).await {
        Ok(code) => code,
        Err(error) => {
            eprintln!("kopa: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve(args) => {
            let store = open(&cli.database).await?;
            serve(store, args, None).await?;
        }
        Command::Demo {
            serve: args,
            demo_database,
            grown,
        } => {
            let store = open(&demo_database).await?;
            let loaded = kopa_demo::load(&store).await.context("loading the demo")?;
            if grown && loaded == kopa_demo::Loaded::Now {
                println!("Growing the demo to some years of use; this takes a few minutes.");
                kopa_demo::grow(&store, &kopa_demo::Growth::YEARS)
                    .await
                    .context("growing the demo")?;
            }
            let app = kopa_app::App::new(store.clone(), mail_settings()).map_err(|e| anyhow::anyhow!(e))?;
            if kopa_demo::sample::analyse(&app).await.map_err(|e| anyhow::anyhow!(e))? {
                println!("Analysed the sample region's street network (Liechtenstein, © OpenStreetMap contributors).");
            }
            let note = match loaded {
                kopa_demo::Loaded::Now => format!("Loaded the Ķekava demo into {demo_database}."),
                kopa_demo::Loaded::Already => {
                    format!("Reusing the Ķekava demo in {demo_database}.")
                }
            };
            serve(store, args, Some(note)).await?;
        }
        Command::Init(args) => init::run(&app(&cli.database).await?, &cli.database, args).await?,
        Command::Migrate => {
            open(&cli.database).await?;
            println!("The database {} is up to date.", cli.database);
        }
        Command::Audit {
            command: AuditCommand::Verify { heads, witness },
        } => return audit::verify(&open(&cli.database).await?, heads, witness.as_deref()).await,
        Command::Audit {
            command: AuditCommand::VerifyPack { file },
        } => {
            let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            return Ok(match kopa_domain::cooperation::pack::verify_sealed(&text) {
                Ok(pack) => {
                    println!(
                        "The audit pack verifies: instrument {} ({}), {} audit events, made {}.",
                        pack.file.instrument.id,
                        pack.file.instrument.subject,
                        pack.trail.len(),
                        pack.generated_at
                    );
                    if let Some(head) = &pack.verification.head {
                        println!("The chain's head then was {head}: `kopa audit verify --head {head}` confirms it.");
                    }
                    ExitCode::SUCCESS
                }
                Err(problem) => {
                    println!("The audit pack does not verify: {problem}.");
                    ExitCode::from(2)
                }
            });
        }
        Command::Network { command } => network::run(command, &cli.database).await?,
        Command::Map { command } => map::run(&open(&cli.database).await?, command).await?,
        Command::Plan { command } => plan::run(&app(&cli.database).await?, command).await?,
        Command::Digest => {
            let mail_server = std::env::var("KOPA_SMTP_URL").is_ok();
            let app = app(&cli.database).await?;
            let sent = app.send_digests().await?;
            println!("Queued {sent} daily digests in the outbox.");
            let delivered = app.deliver_outbox().await.map_err(|e| anyhow::anyhow!(e))?;
            if mail_server {
                println!("The mail server took {delivered} mails.");
            }
        }
        Command::Backup { file } => {
            let store = open(&cli.database).await?;
            store.backup(&file).await?;
            println!("Backed up {} to {}.", cli.database, file.display());
        }
        Command::Restore { file } => {
            Store::restore(&cli.database, &file).await?;
            open(&cli.database).await?;
            println!("Restored {} from {}.", cli.database, file.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn open(database: &str) -> anyhow::Result<Store> {
    Store::open(database)
        .await
        .with_context(|| format!("opening the database {database}"))
}

/// Mail as the environment sets it.
fn mail_settings() -> kopa_app::MailSettings {
    kopa_app::MailSettings {
        public_url: std::env::var("KOPA_PUBLIC_URL").unwrap_or_else(|_| "http://127.0.0.1:8080".into()),
        smtp_url: std::env::var("KOPA_SMTP_URL").ok(),
        from: std::env::var("KOPA_MAIL_FROM").unwrap_or_else(|_| "Kopa <kopa@localhost>".into()),
    }
}

/// The use cases over the database, with mail as the environment sets it.
async fn app(database: &str) -> anyhow::Result<kopa_app::App> {
    let mail = mail_settings();
    kopa_app::App::new(open(database).await?, mail).map_err(|e| anyhow::anyhow!(e))
}

async fn serve(store: Store, args: ServeArgs, note: Option<String>) -> anyhow::Result<()> {
    // Held until the server stops, so that `kopa restore` refuses meanwhile.
    let _serving = store.hold_while_serving().await?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("listening on {}", args.listen))?;
    let address = listener.local_addr()?;
    let public_url = args.public_url.unwrap_or_else(|| format!("http://{address}"));
    if public_url.starts_with("https://") && !args.secure_cookies {
        tracing::warn!("serving at an https address without --secure-cookies");
    }
    let client_address_header = args
        .client_address_header
        .map(|name| {
            kopa_web::HeaderName::try_from(name.as_str()).with_context(|| format!("--client-address-header {name:?}"))
        })
        .transpose()?;
    let state = AppState::new(
        store,
        Settings {
            public_url: public_url.clone(),
            secure_cookies: args.secure_cookies,
            map_tiles: args.map_tiles,
            smtp_url: args.smtp_url,
            mail_from: args.mail_from,
            client_address_header,
        },
    )
    .map_err(|e| anyhow::anyhow!(e))?;
    let state = match kopa_web::MapLibrary::load(&args.map_library) {
        Ok(library) => state.with_map_library(library),
        Err(error) => {
            tracing::info!("maps are drawn on the server only; MapLibre GL was not found ({error})");
            state
        }
    };
    let state = match args.no_osm_downloads {
        true => state,
        false => state.with_osm_sources(kopa_app::osm_sources::OsmSources {
            overpass: args.overpass,
            geofabrik: args.geofabrik,
        }),
    };
    if let Some(note) = note {
        println!("{note}");
        println!();
        println!("Kopa is running at {public_url}/w/{}", kopa_demo::KEKAVA);
        println!("Demo sign-ins (password for all: {}):", kopa_demo::DEMO_PASSWORD);
        for (email, _, role) in kopa_demo::DEMO_ACCOUNTS {
            match role {
                kopa_domain::Role::Admin => {
                    println!("  {role:<12} {email}  (also the site admin, at {public_url}/admin)")
                }
                _ => println!("  {role:<12} {email}"),
            }
        }
        println!(
            "  {:<12} {}  (reads every city's submitted plan at {public_url}/network/plans)",
            "network",
            kopa_demo::NETWORK_READER.0
        );
        println!("Press Ctrl-C to stop.");
    } else {
        println!("Kopa is running at {public_url}");
    }
    let interrupted = state
        .app
        .fail_interrupted_street_analyses()
        .await
        .map_err(|e| anyhow::anyhow!(e))?;
    if interrupted > 0 {
        tracing::warn!(
            "{interrupted} street network analyses were left unfinished by the last server and are marked failed"
        );
    }
    tokio::spawn(kopa_app::send_digests_daily(state.app.clone(), args.digest_hour));
    tokio::spawn(kopa_app::deliver_outbox_continually(state.app.clone()));
    kopa_web::serve(listener, state).await.context("serving")?;
    Ok(())
}

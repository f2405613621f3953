//! `kopa init`: a municipality's Kopa from nothing: the network (new, or one to join), the
//! workspace and its first admin. What the flags leave out is asked for at a terminal.

use std::io::IsTerminal;

use anyhow::bail;
use kopa_app::{App, Locale, NetworkChoice, Refusal, SetUp};
use kopa_domain::workspace::{NetworkInput, WorkspaceInput};

#[derive(clap::Args)]
pub struct InitArgs {
    /// Join the network of this name (or number) that this database already holds.
    #[arg(long, conflicts_with_all = ["network_name", "programme", "lead_expert", "network_starts", "network_ends"])]
    join_network: Option<String>,
    /// A new network's name, e.g. "Cities4CSR".
    #[arg(long)]
    network_name: Option<String>,
    /// The programme the network belongs to, e.g. "URBACT IV Action Planning Network".
    #[arg(long)]
    programme: Option<String>,
    /// The network's lead expert.
    #[arg(long)]
    lead_expert: Option<String>,
    /// The day the network starts (YYYY-MM-DD).
    #[arg(long)]
    network_starts: Option<String>,
    /// The day the network ends (YYYY-MM-DD).
    #[arg(long)]
    network_ends: Option<String>,
    /// The workspace's short name in addresses, e.g. kekava for /w/kekava.
    #[arg(long)]
    slug: Option<String>,
    /// The municipality, e.g. "Ķekavas novads".
    #[arg(long)]
    municipality: Option<String>,
    /// Its country, as ISO 3166-1 alpha-2, e.g. LV.
    #[arg(long)]
    country: Option<String>,
    /// The language people see first: lv or en (both are always offered).
    #[arg(long)]
    language: Option<String>,
    /// The IANA time zone of its meetings, e.g. Europe/Riga.
    #[arg(long)]
    time_zone: Option<String>,
    /// The policy challenge the workspace takes on in the network.
    #[arg(long)]
    policy_challenge: Option<String>,
    /// The workspace leads its network.
    #[arg(long)]
    lead_partner: bool,
    /// The first admin's e-mail.
    #[arg(long)]
    admin_email: Option<String>,
    /// The first admin's name, as others see it.
    #[arg(long)]
    admin_name: Option<String>,
    /// Never ask; fail naming what is missing. The admin's password then comes from
    /// KOPA_ADMIN_PASSWORD.
    #[arg(long)]
    no_input: bool,
}

/// Asks for what the flags left out, when someone is there to answer.
struct Asker {
    interactive: bool,
    missing: Vec<&'static str>,
}

impl Asker {
    fn value(&mut self, given: Option<String>, flag: &'static str, question: &str, default: Option<&str>) -> String {
        if let Some(given) = given {
            return given;
        }
        if !self.interactive {
            match default {
                Some(default) => return default.to_owned(),
                None => {
                    self.missing.push(flag);
                    return String::new();
                }
            }
        }
        let mut input = dialoguer::Input::<String>::new().with_prompt(question);
        if let Some(default) = default {
            input = input.default(default.to_owned());
        }
        input
            .allow_empty(default.is_some())
            .interact_text()
            .unwrap_or_else(|_| {
                self.missing.push(flag);
                String::new()
            })
    }

    fn optional(&mut self, given: Option<String>, question: &str) -> String {
        match (given, self.interactive) {
            (Some(given), _) => given,
            (None, false) => String::new(),
            (None, true) => dialoguer::Input::<String>::new()
                .with_prompt(format!("{question} (optional)"))
                .allow_empty(true)
                .interact_text()
                .unwrap_or_default(),
        }
    }

    fn password(&mut self) -> String {
        if let Ok(password) = std::env::var("KOPA_ADMIN_PASSWORD") {
            return password;
        }
        if !self.interactive {
            self.missing.push("KOPA_ADMIN_PASSWORD");
            return String::new();
        }
        dialoguer::Password::new()
            .with_prompt("The admin's password (at least 10 characters)")
            .with_confirmation("Once more", "The two differ; again")
            .interact()
            .unwrap_or_default()
    }
}

/// Which flag a set-up field comes from, to name it when it is wrong.
fn flag_of(field: &str) -> &str {
    match field {
        "network" => "--join-network",
        "network_name" => "--network-name",
        "programme" => "--programme",
        "lead_expert" => "--lead-expert",
        "starts_on" => "--network-starts",
        "ends_on" => "--network-ends",
        "slug" => "--slug",
        "municipality" => "--municipality",
        "country" => "--country",
        "language" => "--language",
        "time_zone" => "--time-zone",
        "policy_challenge" => "--policy-challenge",
        "admin_email" => "--admin-email",
        "admin_name" => "--admin-name",
        "admin_password" => "KOPA_ADMIN_PASSWORD",
        other => other,
    }
}

pub async fn run(app: &App, database: &str, args: InitArgs) -> anyhow::Result<()> {
    let interactive = !args.no_input && std::io::stdin().is_terminal();
    let mut ask = Asker {
        interactive,
        missing: Vec::new(),
    };
    if interactive {
        println!("Setting Kopa up in {database}. Press Enter to take a value in [brackets].");
    }
    let join = match args.join_network {
        Some(name) => Some(name),
        None if args.network_name.is_none() && interactive => {
            let networks = app.store.networks().await?;
            match networks.is_empty() {
                true => None,
                false => {
                    let names: Vec<_> = networks.iter().map(|n| n.name.as_str()).collect();
                    println!("This database holds the networks: {}.", names.join(", "));
                    let name = ask.optional(None, "Join which one? Leave empty to make a new one");
                    Some(name).filter(|name| !name.trim().is_empty())
                }
            }
        }
        None => None,
    };
    let network_values = match &join {
        Some(_) => None,
        None => Some([
            ask.value(args.network_name, "--network-name", "The network's name", None),
            ask.value(args.programme, "--programme", "Its programme", None),
            ask.optional(args.lead_expert, "Its lead expert"),
            ask.value(
                args.network_starts,
                "--network-starts",
                "It starts on (YYYY-MM-DD)",
                None,
            ),
            ask.value(args.network_ends, "--network-ends", "It ends on (YYYY-MM-DD)", None),
        ]),
    };
    let municipality = ask.value(args.municipality, "--municipality", "The municipality", None);
    let suggested_slug = slug_for(&municipality);
    let slug = ask.value(
        args.slug,
        "--slug",
        "Its short name in addresses",
        Some(&suggested_slug).filter(|_| interactive).map(|s| s.as_str()),
    );
    let country = ask.value(args.country, "--country", "Its country (two letters, e.g. LV)", None);
    let language = ask.value(
        args.language,
        "--language",
        "The language people see first (lv or en)",
        Some("lv"),
    );
    let time_zone = ask.value(args.time_zone, "--time-zone", "Its time zone", Some("Europe/Riga"));
    let policy_challenge = ask.optional(args.policy_challenge, "Its policy challenge");
    let admin_email = ask.value(args.admin_email, "--admin-email", "The first admin's e-mail", None);
    let admin_name = ask.value(args.admin_name, "--admin-name", "The first admin's name", None);
    let admin_password = ask.password();
    if !ask.missing.is_empty() {
        bail!(
            "kopa init needs {} (or run it at a terminal to be asked)",
            ask.missing.join(", ")
        );
    }
    let network = match (&join, &network_values) {
        (Some(name), _) => NetworkChoice::Join(name),
        (None, Some([name, programme, lead_expert, starts_on, ends_on])) => NetworkChoice::New(NetworkInput {
            name,
            programme,
            lead_expert,
            starts_on,
            ends_on,
        }),
        (None, None) => bail!("no network to set the workspace up in"),
    };
    let set_up = SetUp {
        network,
        workspace: WorkspaceInput {
            slug: &slug,
            municipality: &municipality,
            country: &country,
            policy_challenge: &policy_challenge,
            language: &language,
            time_zone: &time_zone,
            is_lead_partner: args.lead_partner,
        },
        admin_email: &admin_email,
        admin_name: &admin_name,
        admin_password: &admin_password,
    };
    let done = match app.set_up(&set_up).await {
        Ok(done) => done,
        Err(Refusal::Invalid(invalid)) => {
            let problems: Vec<String> = invalid
                .errors
                .iter()
                .map(|e| {
                    format!(
                        "  {}: {}",
                        flag_of(&e.field),
                        app.i18n.text(Locale::En, &e.message, &[])
                    )
                })
                .collect();
            bail!(
                "nothing was set up; fix these and run it again:\n{}",
                problems.join("\n")
            );
        }
        Err(other) => return Err(anyhow::anyhow!(other)),
    };
    let url = app.base_url().to_owned();
    let ws = &done.workspace;
    println!(
        "Set up {} (/w/{}) in the network {}.",
        ws.municipality, ws.slug, done.network.name
    );
    let site = if done.site_admin {
        ", who is also the site admin"
    } else {
        ""
    };
    println!("Its first admin is {}{site}.", done.admin.email);
    println!();
    println!("Next:");
    println!("  1. Serve it:   kopa serve --database {database} --public-url {url}");
    println!("     Behind HTTPS add --secure-cookies; set KOPA_SMTP_URL so that mail leaves.");
    println!("  2. Sign in at {url}/signin as {}.", done.admin.email);
    println!("  3. Invite the coordinators at {url}/w/{}/accounts.", ws.slug);
    println!(
        "     Without a mail server, invitations wait in {url}/w/{}/outbox.",
        ws.slug
    );
    println!("  4. Back it up every day:   kopa backup --database {database} kopa-backup.sqlite");
    Ok(())
}

/// A short name for addresses from a municipality's name: "Ķekavas novads" → "kekavas-novads".
fn slug_for(municipality: &str) -> String {
    let ascii = deunicode::deunicode(municipality).to_lowercase();
    let words: Vec<&str> = ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words
        .join("-")
        .chars()
        .take(40)
        .collect::<String>()
        .trim_end_matches('-')
        .to_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_municipality_gives_a_short_ascii_name() {
        assert_eq!(super::slug_for("Ķekavas novads"), "kekavas-novads");
        assert_eq!(super::slug_for("  Milano "), "milano");
    }
}

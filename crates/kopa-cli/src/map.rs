//! `kopa map`: a workspace's own base map, drawn from OpenStreetMap so that maps need no
//! tile server.

use kopa_domain::audit::SystemActor;
use std::path::PathBuf;

use anyhow::Context;
use kopa_domain::map::{Backdrop, Street, StreetClass};
use kopa_mobility::ATTRIBUTION;
use kopa_mobility::osm::OsmData;
use kopa_store::{Actor, Store};

use crate::network::{area_choice, read_clipped};

#[derive(clap::Subcommand)]
pub enum MapCommand {
    /// Draw a workspace's base map (outline and streets) from an OpenStreetMap extract.
    Import {
        /// The workspace's short name, e.g. kekava.
        workspace: String,
        /// An .osm.pbf, .osm, .osm.gz or Overpass .json file.
        file: PathBuf,
        /// The administrative boundary of this name in the extract becomes the outline, e.g.
        /// "Ķekavas novads". Without an area, the hull around the streets stands in.
        #[arg(long, conflicts_with = "area_file")]
        area: Option<String>,
        /// The polygons of this GeoJSON file become the outline.
        #[arg(long)]
        area_file: Option<PathBuf>,
    },
}

pub async fn run(store: &Store, command: MapCommand) -> anyhow::Result<()> {
    let MapCommand::Import {
        workspace,
        file,
        area,
        area_file,
    } = command;
    let found = store
        .workspace_by_slug(&workspace)
        .await?
        .with_context(|| format!("there is no workspace \"{workspace}\""))?;
    let choice = area_choice(area, area_file)?;
    let (osm, area) = read_clipped(&file, choice)?;
    let outline = area.map(|a| a.outer_rings()).unwrap_or_default();
    let streets = streets(&osm);
    let backdrop = Backdrop::new(outline, streets, ATTRIBUTION)
        .with_context(|| format!("{} holds no streets to draw a map from", file.display()))?
        .with_places(kopa_app::place_names(&osm))
        .with_water(kopa_app::water(&osm));
    store
        .set_backdrop(&Actor::system(SystemActor::MapImport), found.id, &backdrop)
        .await?;
    println!(
        "Drew the base map of {} from {}: {} streets, {} named places, {} rivers and lakes, an outline of {} ring(s).",
        found.municipality,
        file.display(),
        backdrop.streets.len(),
        backdrop.places.len(),
        backdrop.water.len(),
        backdrop.outline.len()
    );
    Ok(())
}

/// The ways a base map shows, with their names.
fn streets(osm: &OsmData) -> Vec<Street> {
    osm.ways
        .iter()
        .filter_map(|way| {
            let class = StreetClass::of_highway(way.tags.get("highway")?)?;
            Some(Street {
                class,
                name: way.tags.get("name").map(str::to_owned),
                points: osm.positions(&way.nodes),
            })
        })
        .collect()
}

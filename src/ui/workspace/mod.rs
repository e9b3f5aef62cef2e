//! The workspace: the panes arranged by `egui_tiles`. Panes can be resized, dragged,
//! stacked as tabs, closed and reopened; each declares a minimum useful size, and
//! [`fit::fit_to`] turns a pane that cannot get it into a tab instead of crushing it.
//! One layout per connection, saved between runs, with defaults for small, medium and
//! large screens.

mod fit;
mod layouts;

use std::collections::HashMap;

use egui::Vec2;
use egui_tiles::{Container, Tile, TileId, Tiles, Tree};
use serde::{Deserialize, Serialize};

pub use fit::{Metrics, fit_to, min_size_of};
pub use layouts::{ScreenClass, default_tree};

/// The workspace size assumed before the first frame has measured it.
const DEFAULT_SIZE: Vec2 = Vec2::new(1280.0, 760.0);

/// Key of the saved layouts in eframe's storage.
const LAYOUTS_KEY: &str = "topicscope.layouts";
/// Key of the panes the build that saved the layouts knew: a pane added since is put
/// into saved layouts once, where a pane the user closed stays closed.
const KNOWN_PANES_KEY: &str = "topicscope.layouts.panes";
/// The panes of the builds that saved layouts before [`KNOWN_PANES_KEY`] existed.
const FIRST_PANES: [Pane; 5] = [
    Pane::Tree,
    Pane::Inspector,
    Pane::Charts,
    Pane::Publish,
    Pane::Subscriptions,
];

/// A pane of the window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Pane {
    Tree,
    Inspector,
    Charts,
    Publish,
    Subscriptions,
    /// Saved commands.
    Commands,
    /// Top talkers now.
    Traffic,
    /// What the broker says about itself in `$SYS`.
    Broker,
    /// The fleet: devices recognised from their conventions.
    Devices,
    /// Home Assistant discovery configs, their devices and entities, and orphans.
    Discovery,
}

impl Pane {
    pub const ALL: [Pane; 10] = [
        Pane::Tree,
        Pane::Inspector,
        Pane::Charts,
        Pane::Devices,
        Pane::Traffic,
        Pane::Publish,
        Pane::Commands,
        Pane::Subscriptions,
        Pane::Broker,
        Pane::Discovery,
    ];

    /// False for panes opened only on demand (Panes menu, palette): they are in no
    /// default layout and are not added to saved layouts when new in a build.
    pub fn in_default_layouts(self) -> bool {
        !matches!(self, Pane::Broker | Pane::Discovery)
    }

    /// The tab title: an icon and the name (the icon also tells the tab from a button
    /// of the same name, for a person and for the accessibility tree).
    pub fn tab_title(self) -> String {
        let icon = match self {
            Pane::Tree => "🌲",
            Pane::Inspector => "🔎",
            Pane::Charts => "📈",
            Pane::Publish => "📤",
            Pane::Subscriptions => "📡",
            Pane::Commands => "⚡",
            Pane::Traffic => "🔥",
            Pane::Broker => "📊",
            Pane::Devices => "📟",
            Pane::Discovery => "🏠",
        };
        format!("{icon} {}", self.title())
    }

    /// The pane's name in menus and the palette.
    pub fn title(self) -> String {
        match self {
            Pane::Tree => crate::tr!("chrome-pane-topics"),
            Pane::Inspector => crate::tr!("chrome-pane-inspector"),
            Pane::Charts => crate::tr!("chrome-pane-charts"),
            Pane::Publish => crate::tr!("chrome-pane-publish"),
            Pane::Subscriptions => crate::tr!("chrome-pane-subscriptions"),
            Pane::Commands => crate::tr!("cmd-pane"),
            Pane::Traffic => crate::tr!("rate-pane"),
            Pane::Broker => crate::tr!("sys-pane"),
            Pane::Devices => crate::tr!("dev-pane"),
            Pane::Discovery => crate::tr!("ha-pane"),
        }
    }

    /// The smallest size at which the pane is still useful (its tab bar included): below
    /// it a topic wraps one syllable per line, or a plot has no room for its axes.
    pub fn min_size(self) -> Vec2 {
        match self {
            Pane::Tree => Vec2::new(260.0, 180.0),
            Pane::Inspector => Vec2::new(380.0, 260.0),
            Pane::Charts => Vec2::new(340.0, 240.0),
            Pane::Publish => Vec2::new(340.0, 200.0),
            Pane::Subscriptions => Vec2::new(280.0, 140.0),
            Pane::Commands => Vec2::new(300.0, 160.0),
            Pane::Traffic => Vec2::new(320.0, 200.0),
            Pane::Broker => Vec2::new(320.0, 220.0),
            Pane::Devices => Vec2::new(340.0, 220.0),
            Pane::Discovery => Vec2::new(340.0, 220.0),
        }
    }
}

/// The layouts of the open connections, by connection name.
#[derive(Debug, Default)]
pub struct Workspace {
    trees: HashMap<String, Tree<Pane>>,
    /// The connection whose layout is shown.
    current: String,
    /// The size the workspace had last frame (for the default of a new layout).
    last_size: Option<Vec2>,
}

impl Workspace {
    /// The saved layouts, or none.
    pub fn load(storage: Option<&dyn eframe::Storage>) -> Self {
        let trees: HashMap<String, Tree<Pane>> = storage
            .and_then(|s| eframe::get_value(s, LAYOUTS_KEY))
            .unwrap_or_default();
        // A layout from an older build may lack a pane or hold a broken tree: keep only
        // the ones that still hold every pane at most once.
        let mut trees: HashMap<String, Tree<Pane>> = trees.into_iter().filter(|(_, t)| layout_is_sound(t)).collect();
        let known: Vec<Pane> = storage
            .and_then(|s| eframe::get_value(s, KNOWN_PANES_KEY))
            .unwrap_or_else(|| FIRST_PANES.to_vec());
        add_new_panes(&mut trees, &known);
        Self {
            trees,
            current: String::new(),
            last_size: None,
        }
    }

    pub fn save(&self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, LAYOUTS_KEY, &self.trees);
        eframe::set_value(storage, KNOWN_PANES_KEY, &Pane::ALL.to_vec());
    }

    /// Shows connection `name`'s layout; a connection seen for the first time starts from
    /// the layout shown so far (or the default for the screen).
    pub fn switch_to(&mut self, name: &str) {
        if self.current == name && self.trees.contains_key(name) {
            return;
        }
        if !self.trees.contains_key(name) {
            let tree = match self.trees.get(&self.current) {
                Some(t) => t.clone(),
                None => default_tree(ScreenClass::of(self.last_size.unwrap_or(DEFAULT_SIZE))),
            };
            self.trees.insert(name.to_owned(), tree);
        }
        name.clone_into(&mut self.current);
    }

    /// The layout shown.
    pub fn tree_mut(&mut self, size: Vec2) -> &mut Tree<Pane> {
        if self.last_size.is_none() {
            self.last_size = Some(size);
        }
        let current = self.current.clone();
        self.trees
            .entry(current)
            .or_insert_with(|| default_tree(ScreenClass::of(size)))
    }

    pub fn tree(&self) -> Option<&Tree<Pane>> {
        self.trees.get(&self.current)
    }

    pub fn set_last_size(&mut self, size: Vec2) {
        self.last_size = Some(size);
    }

    /// Puts the default layout for the current size back.
    pub fn reset(&mut self) {
        let size = self.last_size.unwrap_or(DEFAULT_SIZE);
        self.trees
            .insert(self.current.clone(), default_tree(ScreenClass::of(size)));
    }

    /// True when `pane` is in the layout (in front or one tab away).
    pub fn pane_open(&self, pane: Pane) -> bool {
        self.tree().is_some_and(|t| t.tiles.find_pane(&pane).is_some())
    }

    /// True when `pane` is on screen (not a hidden tab, not closed).
    pub fn pane_visible(&self, pane: Pane) -> bool {
        self.tree().is_some_and(|t| {
            t.tiles
                .find_pane(&pane)
                .is_some_and(|id| t.active_tiles().contains(&id))
        })
    }

    /// Where `pane` was drawn in the last frame (its tab bar excluded); `None` when it is
    /// closed or a hidden tab.
    pub fn pane_rect(&self, pane: Pane) -> Option<egui::Rect> {
        let t = self.tree()?;
        let id = t.tiles.find_pane(&pane)?;
        t.tiles.rect(id)
    }

    /// Opens `pane` (reopening it if it was closed) and brings its tab to the front.
    pub fn show_pane(&mut self, pane: Pane) {
        let size = self.last_size.unwrap_or(DEFAULT_SIZE);
        let tree = self.tree_mut(size);
        let id = match tree.tiles.find_pane(&pane) {
            Some(id) => id,
            None => insert_pane(tree, pane),
        };
        tree.make_active(|tile_id, _| tile_id == id);
    }

    pub fn close_pane(&mut self, pane: Pane) {
        let size = self.last_size.unwrap_or(DEFAULT_SIZE);
        let tree = self.tree_mut(size);
        if let Some(id) = tree.tiles.find_pane(&pane) {
            tree.remove_recursively(id);
        }
    }
}

/// Adds `pane` to the layout: as a tab beside the pane it fits best with, else beside
/// the root's children.
fn insert_pane(tree: &mut Tree<Pane>, pane: Pane) -> TileId {
    let new = tree.tiles.insert_pane(pane);
    // Where each pane goes back to: publish and subscriptions with each other, charts
    // with publish, else the inspector's tabs.
    let partners: &[Pane] = match pane {
        Pane::Tree => &[Pane::Subscriptions, Pane::Publish],
        Pane::Inspector => &[Pane::Charts, Pane::Traffic, Pane::Tree],
        Pane::Charts => &[Pane::Publish, Pane::Inspector],
        Pane::Publish => &[Pane::Commands, Pane::Subscriptions, Pane::Charts, Pane::Tree],
        Pane::Subscriptions => &[Pane::Publish, Pane::Tree],
        Pane::Commands => &[Pane::Publish, Pane::Subscriptions, Pane::Tree],
        Pane::Traffic => &[Pane::Charts, Pane::Inspector],
        Pane::Broker => &[Pane::Charts, Pane::Subscriptions, Pane::Inspector],
        Pane::Devices => &[Pane::Charts, Pane::Traffic, Pane::Inspector],
        Pane::Discovery => &[Pane::Devices, Pane::Charts, Pane::Inspector],
    };
    for p in partners {
        if let Some(partner) = tree.tiles.find_pane(p)
            && let Some(parent) = tree.tiles.parent_of(partner)
            && let Some(Tile::Container(Container::Tabs(tabs))) = tree.tiles.get_mut(parent)
        {
            tabs.add_child(new);
            return new;
        }
    }
    match tree.root {
        Some(root) => match tree.tiles.get_mut(root) {
            Some(Tile::Container(c)) => c.add_child(new),
            _ => {
                let tabs = tree.tiles.insert_tab_tile(vec![root, new]);
                tree.root = Some(tabs);
            }
        },
        None => {
            let tabs = tree.tiles.insert_tab_tile(vec![new]);
            tree.root = Some(tabs);
        }
    }
    new
}

/// True when every pane appears at most once and the root exists.
/// Puts the panes that builds before this one did not have into saved layouts (beside
/// their partners), so a new pane is seen once; panes the user closed stay closed.
fn add_new_panes(trees: &mut HashMap<String, Tree<Pane>>, known: &[Pane]) {
    for pane in Pane::ALL
        .into_iter()
        .filter(|p| p.in_default_layouts() && !known.contains(p))
    {
        for tree in trees.values_mut() {
            if tree.tiles.find_pane(&pane).is_none() {
                insert_pane(tree, pane);
            }
        }
    }
}

fn layout_is_sound(tree: &Tree<Pane>) -> bool {
    let Some(root) = tree.root else { return false };
    if tree.tiles.get(root).is_none() {
        return false;
    }
    let mut seen = Vec::new();
    for tile in tree.tiles.tiles() {
        if let Tile::Pane(p) = tile {
            if seen.contains(p) {
                return false;
            }
            seen.push(*p);
        }
    }
    !seen.is_empty()
}

/// The panes in `tiles` below `id` (itself included).
pub fn panes_below(tiles: &Tiles<Pane>, id: TileId) -> Vec<Pane> {
    match tiles.get(id) {
        Some(Tile::Pane(p)) => vec![*p],
        Some(Tile::Container(c)) => c.children().flat_map(|&c| panes_below(tiles, c)).collect(),
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A layout as an older build saved it: no Commands pane.
    fn old_layout() -> Tree<Pane> {
        let mut tree = default_tree(ScreenClass::Medium);
        if let Some(id) = tree.tiles.find_pane(&Pane::Commands) {
            tree.remove_recursively(id);
        }
        tree
    }

    #[test]
    fn a_pane_new_in_this_build_joins_saved_layouts_beside_its_partner() {
        let mut trees = HashMap::from([("broker".to_owned(), old_layout())]);
        add_new_panes(&mut trees, &FIRST_PANES);
        let tree = &trees["broker"];
        let commands = tree.tiles.find_pane(&Pane::Commands).expect("added");
        let publish = tree.tiles.find_pane(&Pane::Publish).unwrap();
        assert_eq!(
            tree.tiles.parent_of(commands),
            tree.tiles.parent_of(publish),
            "a tab beside Publish"
        );
        assert!(layout_is_sound(tree));
    }

    #[test]
    fn a_pane_the_user_closed_stays_closed() {
        let mut trees = HashMap::from([("broker".to_owned(), old_layout())]);
        add_new_panes(&mut trees, &Pane::ALL);
        assert!(trees["broker"].tiles.find_pane(&Pane::Commands).is_none());
    }
}

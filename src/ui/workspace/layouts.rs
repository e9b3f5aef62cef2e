//! The default layouts, one per class of screen, as a person would arrange them: the
//! tree and a readable inspector always side by side; charts under or beside the
//! inspector only where there is room for both, else one tab away.

use egui::Vec2;
use egui_tiles::{Container, Linear, LinearDir, TileId, Tiles, Tree};

use super::Pane;

/// Screens by the room the workspace gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScreenClass {
    /// A laptop (1024×700 and up to about 1200 wide).
    Small,
    /// 1280×800 to 1920×1080.
    Medium,
    /// 2560×1440 and more.
    Large,
}

impl ScreenClass {
    pub fn of(size: Vec2) -> Self {
        if size.x < 1200.0 || size.y < 640.0 {
            Self::Small
        } else if size.x < 2200.0 {
            Self::Medium
        } else {
            Self::Large
        }
    }
}

/// The default layout for a class of screen.
pub fn default_tree(class: ScreenClass) -> Tree<Pane> {
    let mut tiles = Tiles::default();
    let root = match class {
        // Tree over publish on the left; inspector with charts and subscriptions as tabs.
        ScreenClass::Small => {
            let tree = tabs(&mut tiles, &[Pane::Tree]);
            let publish = tabs(&mut tiles, &[Pane::Publish, Pane::Commands]);
            let left = linear(&mut tiles, LinearDir::Vertical, &[(tree, 0.62), (publish, 0.38)]);
            let right = tabs(
                &mut tiles,
                &[
                    Pane::Inspector,
                    Pane::Charts,
                    Pane::Devices,
                    Pane::Traffic,
                    Pane::Subscriptions,
                ],
            );
            linear(&mut tiles, LinearDir::Horizontal, &[(left, 0.4), (right, 0.6)])
        }
        // Tree | inspector | charts over publish and subscriptions.
        ScreenClass::Medium => {
            let tree = tabs(&mut tiles, &[Pane::Tree]);
            let inspector = tabs(&mut tiles, &[Pane::Inspector]);
            let charts = tabs(&mut tiles, &[Pane::Charts, Pane::Devices, Pane::Traffic]);
            let publish = tabs(&mut tiles, &[Pane::Publish, Pane::Commands, Pane::Subscriptions]);
            // Publish's form is about 280 px tall: more left it mostly empty at 1080.
            let right = linear(&mut tiles, LinearDir::Vertical, &[(charts, 0.62), (publish, 0.38)]);
            linear(
                &mut tiles,
                LinearDir::Horizontal,
                &[(tree, 0.28), (inspector, 0.4), (right, 0.32)],
            )
        }
        // Everything at once.
        ScreenClass::Large => {
            let tree = tabs(&mut tiles, &[Pane::Tree]);
            let subs = tabs(&mut tiles, &[Pane::Subscriptions]);
            let left = linear(&mut tiles, LinearDir::Vertical, &[(tree, 0.72), (subs, 0.28)]);
            let inspector = tabs(&mut tiles, &[Pane::Inspector]);
            let charts = tabs(&mut tiles, &[Pane::Charts, Pane::Devices, Pane::Traffic]);
            let publish = tabs(&mut tiles, &[Pane::Publish, Pane::Commands]);
            let right = linear(&mut tiles, LinearDir::Vertical, &[(charts, 0.62), (publish, 0.38)]);
            linear(
                &mut tiles,
                LinearDir::Horizontal,
                &[(left, 0.22), (inspector, 0.38), (right, 0.4)],
            )
        }
    };
    Tree::new(egui::Id::unique("workspace"), root, tiles)
}

fn tabs(tiles: &mut Tiles<Pane>, panes: &[Pane]) -> TileId {
    let ids = panes.iter().map(|p| tiles.insert_pane(*p)).collect();
    tiles.insert_tab_tile(ids)
}

fn linear(tiles: &mut Tiles<Pane>, dir: LinearDir, children: &[(TileId, f32)]) -> TileId {
    let mut l = Linear::new(dir, children.iter().map(|c| c.0).collect());
    for &(id, share) in children {
        l.shares.set_share(id, share);
    }
    tiles.insert_container(Container::Linear(l))
}

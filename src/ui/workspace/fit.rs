//! Keeps every pane at its minimum useful size. Run before the tiles are laid out: in a
//! row or column whose children cannot all get their minimum, the last child joins its
//! neighbour's tabs; otherwise the shares are moved so that each child gets at least its
//! minimum (a divider dragged too far springs back to the limit).

use egui::Vec2;
use egui_tiles::{Container, LinearDir, Tile, TileId, Tiles, Tree};

use super::Pane;

/// The sizes the tiles use between children and for a tab bar.
#[derive(Clone, Copy, Debug)]
pub struct Metrics {
    pub gap: f32,
    pub tab_bar: f32,
}

/// The smallest size `id` can take with every pane below it at its minimum.
pub fn min_size_of(tiles: &Tiles<Pane>, id: TileId, m: Metrics) -> Vec2 {
    match tiles.get(id) {
        Some(Tile::Pane(p)) => p.min_size(),
        Some(Tile::Container(Container::Tabs(t))) => {
            let inner = t
                .children
                .iter()
                .map(|&c| min_size_of(tiles, c, m))
                .fold(Vec2::ZERO, Vec2::max);
            inner + Vec2::new(0.0, m.tab_bar)
        }
        Some(Tile::Container(Container::Linear(l))) => {
            let kids: Vec<Vec2> = visible(tiles, &l.children).map(|c| min_size_of(tiles, c, m)).collect();
            let gaps = m.gap * kids.len().saturating_sub(1) as f32;
            match l.dir {
                LinearDir::Horizontal => Vec2::new(
                    kids.iter().map(|k| k.x).sum::<f32>() + gaps,
                    kids.iter().map(|k| k.y).fold(0.0, f32::max),
                ),
                LinearDir::Vertical => Vec2::new(
                    kids.iter().map(|k| k.x).fold(0.0, f32::max),
                    kids.iter().map(|k| k.y).sum::<f32>() + gaps,
                ),
            }
        }
        Some(Tile::Container(Container::Grid(g))) => g
            .children()
            .map(|&c| min_size_of(tiles, c, m))
            .fold(Vec2::ZERO, Vec2::max),
        None => Vec2::ZERO,
    }
}

fn visible<'a>(tiles: &'a Tiles<Pane>, children: &'a [TileId]) -> impl Iterator<Item = TileId> + 'a {
    children.iter().copied().filter(|&c| tiles.is_visible(c))
}

/// Makes the layout fit `size`; true when it changed.
pub fn fit_to(tree: &mut Tree<Pane>, size: Vec2, m: Metrics) -> bool {
    match tree.root {
        Some(root) => fit_tile(&mut tree.tiles, root, size, m),
        None => false,
    }
}

fn fit_tile(tiles: &mut Tiles<Pane>, id: TileId, size: Vec2, m: Metrics) -> bool {
    let mut changed = false;
    // Each merge removes a child, so this ends.
    loop {
        match tiles.get(id) {
            Some(Tile::Container(Container::Linear(l))) => {
                let dir = l.dir;
                let children: Vec<TileId> = visible(tiles, &l.children).collect();
                let along = |v: Vec2| if dir == LinearDir::Horizontal { v.x } else { v.y };
                let extent = along(size);
                let mins: Vec<f32> = children.iter().map(|&c| along(min_size_of(tiles, c, m))).collect();
                let gaps = m.gap * children.len().saturating_sub(1) as f32;
                if children.len() > 1 && mins.iter().sum::<f32>() + gaps > extent {
                    let victim = children[children.len() - 1];
                    let neighbour = children[children.len() - 2];
                    merge_into_tabs(tiles, id, victim, neighbour);
                    changed = true;
                    continue;
                }
                let sizes = sizes_with_minimums(tiles, id, &children, &mins, (extent - gaps).max(0.0));
                if let Some(sizes) = &sizes {
                    if let Some(Tile::Container(Container::Linear(l))) = tiles.get_mut(id) {
                        for (c, s) in children.iter().zip(sizes) {
                            l.shares.set_share(*c, *s);
                        }
                    }
                    changed = true;
                }
                let sizes = sizes.unwrap_or_else(|| current_sizes(tiles, id, &children, (extent - gaps).max(0.0)));
                for (c, s) in children.iter().zip(sizes) {
                    let child_size = if dir == LinearDir::Horizontal {
                        Vec2::new(s, size.y)
                    } else {
                        Vec2::new(size.x, s)
                    };
                    changed |= fit_tile(tiles, *c, child_size, m);
                }
            }
            Some(Tile::Container(Container::Tabs(t))) => {
                let kids = t.children.clone();
                let inner = size - Vec2::new(0.0, m.tab_bar);
                for c in kids {
                    changed |= fit_tile(tiles, c, inner, m);
                }
            }
            _ => {}
        }
        return changed;
    }
}

fn current_sizes(tiles: &Tiles<Pane>, id: TileId, children: &[TileId], avail: f32) -> Vec<f32> {
    match tiles.get(id) {
        Some(Tile::Container(Container::Linear(l))) => l.shares.split(children, avail),
        _ => vec![avail / children.len().max(1) as f32; children.len()],
    }
}

/// New sizes when some child is under its minimum (`None` when all are fine): the
/// children under it get exactly it, the rest share what is left as before.
fn sizes_with_minimums(
    tiles: &Tiles<Pane>,
    id: TileId,
    children: &[TileId],
    mins: &[f32],
    avail: f32,
) -> Option<Vec<f32>> {
    let shares: Vec<f32> = match tiles.get(id) {
        Some(Tile::Container(Container::Linear(l))) => children.iter().map(|&c| l.shares[c].max(0.0)).collect(),
        _ => return None,
    };
    let sum: f32 = shares.iter().sum();
    let current: Vec<f32> = shares
        .iter()
        .map(|s| {
            if sum > 0.0 {
                avail * s / sum
            } else {
                avail / shares.len() as f32
            }
        })
        .collect();
    if current.iter().zip(mins).all(|(c, m)| *c + 0.5 >= *m) {
        return None;
    }
    let mut fixed = vec![false; children.len()];
    let mut sizes = current;
    loop {
        let taken: f32 = mins.iter().zip(&fixed).filter(|(_, f)| **f).map(|(m, _)| *m).sum();
        let free_shares: f32 = shares.iter().zip(&fixed).filter(|(_, f)| !**f).map(|(s, _)| *s).sum();
        let remaining = (avail - taken).max(0.0);
        let mut newly = false;
        for i in 0..children.len() {
            if fixed[i] {
                sizes[i] = mins[i];
                continue;
            }
            sizes[i] = if free_shares > 0.0 {
                remaining * shares[i] / free_shares
            } else {
                remaining / fixed.iter().filter(|f| !**f).count().max(1) as f32
            };
        }
        for i in 0..children.len() {
            if !fixed[i] && sizes[i] < mins[i] {
                fixed[i] = true;
                newly = true;
            }
        }
        if !newly {
            return Some(sizes);
        }
    }
}

/// Moves every pane below `victim` into the tabs of `neighbour` (or a new tabs
/// container in its place), and removes `victim` from `parent`.
fn merge_into_tabs(tiles: &mut Tiles<Pane>, parent: TileId, victim: TileId, neighbour: TileId) {
    let panes = pane_tiles_below(tiles, victim);
    remove_containers_below(tiles, victim);
    if let Some(Tile::Container(c)) = tiles.get_mut(parent) {
        c.remove_child(victim);
    }
    let target = match first_tabs(tiles, neighbour) {
        Some(t) => t,
        None => {
            let t = tiles.insert_tab_tile(vec![]);
            if let Some(Tile::Container(c)) = tiles.get_mut(parent) {
                let _ = c.replace_child(neighbour, t);
            }
            if let Some(Tile::Container(Container::Tabs(tabs))) = tiles.get_mut(t) {
                tabs.add_child(neighbour);
            }
            t
        }
    };
    if let Some(Tile::Container(Container::Tabs(tabs))) = tiles.get_mut(target) {
        let keep_active = tabs.active;
        for p in panes {
            tabs.add_child(p);
        }
        // Keep what the user was looking at in front.
        if let Some(a) = keep_active {
            tabs.set_active(a);
        }
    }
}

fn pane_tiles_below(tiles: &Tiles<Pane>, id: TileId) -> Vec<TileId> {
    match tiles.get(id) {
        Some(Tile::Pane(_)) => vec![id],
        Some(Tile::Container(c)) => c.children().flat_map(|&c| pane_tiles_below(tiles, c)).collect(),
        None => Vec::new(),
    }
}

fn remove_containers_below(tiles: &mut Tiles<Pane>, id: TileId) {
    if let Some(Tile::Container(c)) = tiles.get(id) {
        for child in c.children_vec() {
            remove_containers_below(tiles, child);
        }
        tiles.remove(id);
    }
}

/// The first tabs container at or below `id`, following first children.
fn first_tabs(tiles: &Tiles<Pane>, id: TileId) -> Option<TileId> {
    match tiles.get(id)? {
        Tile::Container(Container::Tabs(_)) => Some(id),
        Tile::Container(c) => c.children().next().and_then(|&c| first_tabs(tiles, c)),
        Tile::Pane(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{ScreenClass, default_tree, panes_below};
    use super::*;

    const M: Metrics = Metrics {
        gap: 1.0,
        tab_bar: 24.0,
    };

    /// The on-screen width of `pane`'s column when the tree is laid out at `size`.
    fn width_of(tree: &Tree<Pane>, pane: Pane, size: Vec2) -> f32 {
        fn walk(tiles: &Tiles<Pane>, id: TileId, size: Vec2, pane: Pane) -> Option<f32> {
            match tiles.get(id)? {
                Tile::Pane(p) => (*p == pane).then_some(size.x),
                Tile::Container(Container::Tabs(t)) => t
                    .children
                    .iter()
                    .find_map(|&c| walk(tiles, c, size - Vec2::new(0.0, M.tab_bar), pane)),
                Tile::Container(Container::Linear(l)) => {
                    let kids: Vec<TileId> = l.children.clone();
                    let extent = if l.dir == LinearDir::Horizontal { size.x } else { size.y };
                    let sizes = l.shares.split(&kids, extent - M.gap * (kids.len() - 1) as f32);
                    kids.iter().zip(sizes).find_map(|(&c, s)| {
                        let cs = if l.dir == LinearDir::Horizontal {
                            Vec2::new(s, size.y)
                        } else {
                            Vec2::new(size.x, s)
                        };
                        walk(tiles, c, cs, pane)
                    })
                }
                Tile::Container(_) => None,
            }
        }
        walk(&tree.tiles, tree.root.unwrap(), size, pane).unwrap()
    }

    #[test]
    fn the_medium_layout_on_a_laptop_turns_charts_into_tabs_instead_of_crushing_the_inspector() {
        let size = Vec2::new(1024.0, 640.0);
        let mut tree = default_tree(ScreenClass::Medium);
        assert!(fit_to(&mut tree, size, M));
        for p in Pane::ALL.into_iter().filter(|p| p.in_default_layouts()) {
            assert!(tree.tiles.find_pane(&p).is_some(), "{p:?} was lost");
            assert!(
                width_of(&tree, p, size) + 0.5 >= p.min_size().x,
                "{p:?} below its minimum"
            );
        }
        // A second pass changes nothing: the layout is stable.
        assert!(!fit_to(&mut tree, size, M));
    }

    #[test]
    fn a_divider_dragged_too_far_springs_back_to_the_minimum() {
        let size = Vec2::new(1440.0, 860.0);
        let mut tree = default_tree(ScreenClass::Medium);
        let root = tree.root.unwrap();
        let inspector_column = tree
            .tiles
            .parent_of(tree.tiles.find_pane(&Pane::Inspector).unwrap())
            .unwrap();
        if let Some(Tile::Container(Container::Linear(l))) = tree.tiles.get_mut(root) {
            l.shares.set_share(inspector_column, 0.01);
        }
        assert!(fit_to(&mut tree, size, M));
        let w = width_of(&tree, Pane::Inspector, size);
        assert!((w - Pane::Inspector.min_size().x).abs() < 1.0, "inspector {w} px");
        // The three columns are still side by side.
        let in_layouts = Pane::ALL.iter().filter(|p| p.in_default_layouts()).count();
        assert_eq!(panes_below(&tree.tiles, root).len(), in_layouts);
    }

    #[test]
    fn every_default_layout_fits_its_screen() {
        for (class, size) in [
            (ScreenClass::Small, Vec2::new(1024.0, 640.0)),
            (ScreenClass::Medium, Vec2::new(1440.0, 840.0)),
            (ScreenClass::Large, Vec2::new(2560.0, 1380.0)),
        ] {
            let mut tree = default_tree(class);
            assert!(!fit_to(&mut tree, size, M), "{class:?} needed fixing at {size:?}");
        }
    }
}

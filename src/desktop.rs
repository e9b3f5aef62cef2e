//! Topicscope as a desktop application: its id, its icon (embedded, so the window and
//! `topicscope desktop-install` need no files beside the binary), and the installation
//! of the `.desktop` entry, the icons and the AppStream metadata into the user's XDG
//! data folder, which puts Topicscope in the application menu of Linux and BSD desktops.

use std::path::{Path, PathBuf};

/// The reverse-DNS id: the `.desktop` file's name, the icon's name, the AppStream id
/// and the window's app id (Wayland's app_id, X11's WM_CLASS) are all this.
pub const APP_ID: &str = "io.github.topicscope.Topicscope";

/// The icon as PNGs, by size in pixels (rendered from `assets/icons/topicscope.svg` by
/// `assets/icons/render.py`).
pub const ICON_PNGS: [(u32, &[u8]); 7] = [
    (16, include_bytes!("../assets/icons/topicscope-16.png")),
    (32, include_bytes!("../assets/icons/topicscope-32.png")),
    (48, include_bytes!("../assets/icons/topicscope-48.png")),
    (64, include_bytes!("../assets/icons/topicscope-64.png")),
    (128, include_bytes!("../assets/icons/topicscope-128.png")),
    (256, include_bytes!("../assets/icons/topicscope-256.png")),
    (512, include_bytes!("../assets/icons/topicscope-512.png")),
];
const ICON_SVG: &str = include_str!("../assets/icons/topicscope.svg");
const DESKTOP_ENTRY: &str = include_str!("../assets/io.github.topicscope.Topicscope.desktop");
const METAINFO: &str = include_str!("../assets/io.github.topicscope.Topicscope.metainfo.xml");

/// The icon the window shows in the task bar and title bar.
pub fn window_icon() -> Option<egui::IconData> {
    let png = ICON_PNGS.iter().find(|(size, _)| *size == 256).map(|(_, png)| *png)?;
    eframe::icon_data::from_png_bytes(png).ok()
}

/// The user's XDG data folder: `$XDG_DATA_HOME`, else `~/.local/share`.
pub fn default_data_home() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|d| d.data_dir().to_path_buf())
}

/// Every file the installation writes under `data_home`, with its contents.
fn files(data_home: &Path, exec: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = vec![
        (
            data_home.join("applications").join(format!("{APP_ID}.desktop")),
            desktop_entry(exec).into_bytes(),
        ),
        (
            data_home.join("metainfo").join(format!("{APP_ID}.metainfo.xml")),
            METAINFO.as_bytes().to_vec(),
        ),
        (
            data_home
                .join("icons/hicolor/scalable/apps")
                .join(format!("{APP_ID}.svg")),
            ICON_SVG.as_bytes().to_vec(),
        ),
    ];
    for (size, png) in ICON_PNGS {
        let dir = data_home.join(format!("icons/hicolor/{size}x{size}/apps"));
        out.push((dir.join(format!("{APP_ID}.png")), png.to_vec()));
    }
    out
}

/// The `.desktop` entry, starting `exec` by its full path: the menu's session often
/// has a shorter PATH than a terminal (`~/.cargo/bin` is rarely on it).
fn desktop_entry(exec: &Path) -> String {
    let exec = quote_exec(&exec.display().to_string());
    DESKTOP_ENTRY
        .lines()
        .map(|line| match line {
            "Exec=topicscope" => format!("Exec={exec}\nTryExec={exec}"),
            other => other.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// A program path as the Desktop Entry spec wants it in `Exec`: quoted when it holds
/// anything but plain characters, with `"`, `` ` ``, `$` and `\` escaped.
fn quote_exec(path: &str) -> String {
    if path.chars().all(|c| c.is_alphanumeric() || "/._-+".contains(c)) {
        return path.to_owned();
    }
    let mut q = String::from("\"");
    for c in path.chars() {
        if matches!(c, '"' | '`' | '$' | '\\') {
            q.push('\\');
        }
        q.push(c);
    }
    q.push('"');
    // A literal percent sign is written twice in `Exec`, quoted or not.
    q.replace('%', "%%")
}

/// Writes the menu entry, icons and metadata under `data_home`; returns the files written.
pub fn install(data_home: &Path, exec: &Path) -> Result<Vec<PathBuf>, String> {
    let mut written = Vec::new();
    for (path, bytes) in files(data_home, exec) {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| {
                crate::tr!(
                    "desk-install-cannot-create",
                    path = dir.display().to_string(),
                    error = e.to_string()
                )
            })?;
        }
        std::fs::write(&path, bytes).map_err(|e| {
            crate::tr!(
                "desk-install-cannot-write",
                path = path.display().to_string(),
                error = e.to_string()
            )
        })?;
        written.push(path);
    }
    Ok(written)
}

/// Removes what [`install`] wrote; returns the files removed (missing ones are skipped).
pub fn uninstall(data_home: &Path) -> Result<Vec<PathBuf>, String> {
    let mut removed = Vec::new();
    for (path, _) in files(data_home, Path::new("topicscope")) {
        match std::fs::remove_file(&path) {
            Ok(()) => removed.push(path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(crate::tr!(
                    "desk-install-cannot-remove",
                    path = path.display().to_string(),
                    error = e.to_string()
                ));
            }
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn install_writes_the_entry_with_the_full_path_and_every_icon_size_and_uninstall_removes_them() {
        let home = tempfile::tempdir().unwrap();
        let exec = Path::new("/opt/my tools/topicscope");
        let written = install(home.path(), exec).unwrap();
        assert_eq!(written.len(), 3 + ICON_PNGS.len());
        let entry =
            std::fs::read_to_string(home.path().join("applications").join(format!("{APP_ID}.desktop"))).unwrap();
        assert!(entry.contains("\nExec=\"/opt/my tools/topicscope\"\n"), "{entry}");
        assert!(entry.contains("\nIcon=io.github.topicscope.Topicscope\n"), "{entry}");
        for size in [16, 48, 512] {
            let png = home
                .path()
                .join(format!("icons/hicolor/{size}x{size}/apps/{APP_ID}.png"));
            let img = image::open(&png).unwrap();
            assert_eq!((img.width(), img.height()), (size, size), "{}", png.display());
        }
        assert_eq!(uninstall(home.path()).unwrap().len(), written.len());
        assert!(written.iter().all(|p| !p.exists()));
    }

    #[test]
    fn exec_paths_are_quoted_only_when_needed() {
        assert_eq!(
            quote_exec("/home/a/.cargo/bin/topicscope"),
            "/home/a/.cargo/bin/topicscope"
        );
        assert_eq!(quote_exec("/x/a \"b\"$"), "\"/x/a \\\"b\\\"\\$\"");
        assert_eq!(quote_exec("/x/100%"), "\"/x/100%%\"");
    }

    #[test]
    fn the_window_icon_decodes() {
        let icon = window_icon().unwrap();
        assert_eq!((icon.width, icon.height), (256, 256));
        assert_eq!(icon.rgba.len(), 256 * 256 * 4);
    }
}

//! `topicscope desktop-install`: puts Topicscope in the application menu of a Linux or
//! BSD desktop (the `.desktop` entry, the icons in every size, the AppStream metadata,
//! under `$XDG_DATA_HOME`, normally `~/.local/share`), or takes it out again.

use std::path::PathBuf;

use clap::Args;

use crate::desktop;

/// Options of `desktop-install`.
#[derive(Debug, Clone, Args)]
pub struct DesktopArgs {
    /// The data folder to install into (default: $XDG_DATA_HOME, else ~/.local/share).
    #[arg(long, value_name = "DIR")]
    pub data_home: Option<PathBuf>,
    /// Remove the menu entry, icons and metadata instead.
    #[arg(long)]
    pub uninstall: bool,
}

pub fn run(args: &DesktopArgs) -> Result<(), String> {
    if cfg!(any(target_os = "windows", target_os = "macos")) {
        return Err("desktop-install is for Linux and BSD desktops (freedesktop.org menus)".into());
    }
    let data_home = match &args.data_home {
        Some(d) => d.clone(),
        None => desktop::default_data_home().ok_or("cannot find the home folder; give --data-home")?,
    };
    if args.uninstall {
        let removed = desktop::uninstall(&data_home)?;
        for p in &removed {
            println!("removed {}", p.display());
        }
        if removed.is_empty() {
            println!("nothing to remove under {}", data_home.display());
        }
        return Ok(());
    }
    let exec = std::env::current_exe()
        .and_then(|p| p.canonicalize())
        .map_err(|e| format!("cannot tell where this program is: {e}"))?;
    for p in desktop::install(&data_home, &exec)? {
        println!("installed {}", p.display());
    }
    println!(
        "Topicscope is in the application menu (starting {}); some desktops show it after logging in again.",
        exec.display()
    );
    Ok(())
}

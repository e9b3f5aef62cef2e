//! `topicscope desktop-install`: puts Topicscope in the application menu of a Linux or
//! BSD desktop (the `.desktop` entry, the icons in every size, the AppStream metadata,
//! under `$XDG_DATA_HOME`, normally `~/.local/share`), or takes it out again.

use std::path::PathBuf;

use clap::Args;

use crate::desktop;

/// Options of `desktop-install`.
#[derive(Debug, Clone, Args)]
pub struct DesktopArgs {
    #[arg(help = crate::tr!("clihelp-desktop-args-data-home"), long, value_name = "DIR")]
    pub data_home: Option<PathBuf>,
    #[arg(help = crate::tr!("clihelp-desktop-args-uninstall"), long)]
    pub uninstall: bool,
}

pub fn run(args: &DesktopArgs) -> Result<(), String> {
    if cfg!(any(target_os = "windows", target_os = "macos")) {
        return Err(crate::tr!("desk-install-unix-only"));
    }
    let data_home = match &args.data_home {
        Some(d) => d.clone(),
        None => desktop::default_data_home().ok_or_else(|| crate::tr!("desk-install-no-home"))?,
    };
    if args.uninstall {
        let removed = desktop::uninstall(&data_home)?;
        for p in &removed {
            println!("{}", crate::tr!("desk-install-removed", path = p.display().to_string()));
        }
        if removed.is_empty() {
            println!(
                "{}",
                crate::tr!("desk-install-nothing", path = data_home.display().to_string())
            );
        }
        return Ok(());
    }
    let exec = std::env::current_exe()
        .and_then(|p| p.canonicalize())
        .map_err(|e| crate::tr!("desk-install-no-exe", error = e.to_string()))?;
    for p in desktop::install(&data_home, &exec)? {
        println!(
            "{}",
            crate::tr!("desk-install-installed", path = p.display().to_string())
        );
    }
    println!("{}", crate::tr!("desk-install-done", exec = exec.display().to_string()));
    Ok(())
}

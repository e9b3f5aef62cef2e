//! The command line's help in the user's language.
//!
//! The texts of the commands, options and values are catalogue messages
//! (`locales/*/clihelp.ftl`, given to clap as `help = tr!(…)` in the derives); this
//! module translates what clap writes itself: the "Usage:" line, the headings over
//! commands, options and arguments, its `--help` and `--version` flags and its `help`
//! subcommand. What stays English: clap's own error messages and the bracketed notes
//! after an option (`[default: 10]`, `[possible values: …]`, `[env: …]`).

use clap::builder::StyledStr;
use clap::{Arg, ArgAction, Command, CommandFactory, FromArgMatches};

use super::Cli;

/// The whole command line, its help in the current language.
pub fn command() -> Command {
    let mut cmd = localize(Cli::command());
    // clap adds its `help` subcommands when it builds the command: translate them afterwards.
    cmd.build();
    translate_help_commands(cmd)
}

fn translate_help_commands(mut cmd: Command) -> Command {
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_owned()).collect();
    for name in names {
        cmd = cmd.mut_subcommand(&name, |sub| {
            let sub = if name == "help" {
                sub.about(crate::tr!("clihelp-help-command"))
            } else {
                sub
            };
            translate_help_commands(sub)
        });
    }
    cmd
}

/// Parses the process's arguments as [`Cli::parse`] does, with the help in the
/// current language; on an error or `--help`, prints and exits as clap does.
pub fn parse() -> Cli {
    let mut cmd = command();
    let mut matches = cmd.clone().get_matches();
    Cli::from_arg_matches_mut(&mut matches).unwrap_or_else(|e| e.format(&mut cmd).exit())
}

fn localize(cmd: Command) -> Command {
    let template = template(&cmd, &crate::tr!("clihelp-usage"));
    let mut cmd = cmd
        .help_template(template)
        .subcommand_help_heading(crate::tr!("clihelp-heading-commands"))
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(crate::tr!("clihelp-help")),
        );
    // `propagate_version` gives every subcommand a `--version`; so does this.
    cmd = cmd.disable_version_flag(true).arg(
        Arg::new("version")
            .short('V')
            .long("version")
            .action(ArgAction::Version)
            .help(crate::tr!("clihelp-version")),
    );
    let (options, arguments) = (
        crate::tr!("clihelp-heading-options"),
        crate::tr!("clihelp-heading-arguments"),
    );
    cmd = cmd.mut_args(|arg| {
        if arg.get_help_heading().is_some() {
            arg
        } else if arg.is_positional() {
            arg.help_heading(arguments.clone())
        } else {
            arg.help_heading(options.clone())
        }
    });
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_owned()).collect();
    for name in names {
        cmd = cmd.mut_subcommand(name, localize);
    }
    cmd
}

/// clap's help template with `usage` in place of its "Usage:", in the style clap
/// gives that heading.
fn template(cmd: &Command, usage: &str) -> StyledStr {
    use std::fmt::Write as _;
    let style = cmd.get_styles().get_usage();
    let mut out = StyledStr::new();
    let _ = write!(
        out,
        "{{before-help}}{{about-with-newline}}\n{style}{usage}{style:#} {{usage}}\n\n{{all-args}}{{after-help}}"
    );
    out
}

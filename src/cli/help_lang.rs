//! The command line's help and mistakes in the user's language.
//!
//! The texts of the commands, options and values are catalogue messages
//! (`locales/*/clihelp.ftl`, given to clap as `help = tr!(…)` in the derives); this
//! module translates what clap writes itself: the "Usage:" line, the headings over
//! commands, options and arguments, its `--help` and `--version` flags, its `help`
//! subcommands, and the usual parse errors ([`LocalizedErrors`]). What stays English:
//! the rarer parse errors and the bracketed notes after an option (`[default: 10]`,
//! `[possible values: …]`, `[env: …]`).

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

fn translate_help_commands(cmd: Command) -> Command {
    each_subcommand(cmd, |sub| {
        let sub = if sub.get_name() == "help" {
            sub.about(crate::tr!("clihelp-help-command"))
        } else {
            sub
        };
        translate_help_commands(sub)
    })
}

/// `cmd` with `f` applied to each of its subcommands.
fn each_subcommand(mut cmd: Command, f: impl Fn(Command) -> Command) -> Command {
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_owned()).collect();
    for name in names {
        cmd = cmd.mut_subcommand(name, &f);
    }
    cmd
}

/// Parses the process's arguments as `Cli::parse` (clap's `Parser`) does, with the help in the
/// current language; on an error or `--help`, prints and exits as clap does.
pub fn parse() -> Cli {
    let mut cmd = command();
    let parsed = cmd
        .try_get_matches_from_mut(std::env::args_os())
        .and_then(|mut matches| Cli::from_arg_matches_mut(&mut matches));
    match parsed {
        Ok(cli) => cli,
        Err(e) => {
            let e = e.format(&mut cmd);
            if error_message(&e).is_some() {
                e.apply::<LocalizedErrors>().exit()
            } else {
                // `--help`, `--version`, and the rarer mistakes: as clap words them.
                e.exit()
            }
        }
    }
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
    each_subcommand(cmd, localize)
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

/// clap's parse errors in the current language: the usual mistakes (an unknown option or
/// command, a bad or missing value, options that exclude each other) in catalogue
/// words, with clap's suggestion and the usage line; anything rarer as clap words it.
pub struct LocalizedErrors;

impl clap::error::ErrorFormatter for LocalizedErrors {
    fn format_error(error: &clap::error::Error<Self>) -> StyledStr {
        use std::fmt::Write as _;
        // `parse` gives this formatter only the errors it has words for.
        let message = error_message(error).unwrap_or_else(|| error.kind().to_string());
        let mut out = StyledStr::new();
        let _ = write!(out, "{}", error_heading(&crate::tr!("clihelp-err-prefix")));
        let _ = write!(out, " {message}");
        let suggestion = [
            ContextKind::SuggestedArg,
            ContextKind::SuggestedSubcommand,
            ContextKind::SuggestedValue,
        ]
        .into_iter()
        .find_map(|kind| error.get(kind).and_then(context_text));
        if let Some(suggestion) = suggestion {
            let _ = write!(
                out,
                "\n\n  {}",
                crate::tr!("clihelp-err-did-you-mean", suggestion = suggestion)
            );
        }
        if let Some(ContextValue::StyledStr(usage)) = error.get(ContextKind::Usage) {
            let usage = usage
                .ansi()
                .to_string()
                .replacen("Usage:", &crate::tr!("clihelp-usage"), 1);
            let _ = write!(out, "\n\n{usage}");
        }
        let _ = write!(out, "\n\n{}\n", crate::tr!("clihelp-err-more-info", help = "--help"));
        out
    }
}

use clap::error::{ContextKind, ContextValue, ErrorKind};

/// The one line of `error`, or `None` for the kinds clap words better than a generic line.
fn error_message<F: clap::error::ErrorFormatter>(error: &clap::error::Error<F>) -> Option<String> {
    let text = |kind| error.get(kind).and_then(context_text);
    let arg = text(ContextKind::InvalidArg);
    let value = text(ContextKind::InvalidValue);
    Some(match error.kind() {
        ErrorKind::UnknownArgument => crate::tr!("clihelp-err-unknown-argument", arg = arg?),
        ErrorKind::InvalidSubcommand => {
            crate::tr!(
                "clihelp-err-unknown-subcommand",
                name = text(ContextKind::InvalidSubcommand)?
            )
        }
        ErrorKind::InvalidValue => {
            let line = crate::tr!(
                "clihelp-err-invalid-value",
                arg = arg?,
                value = value.unwrap_or_default()
            );
            match text(ContextKind::ValidValue) {
                Some(values) => format!(
                    "{line}\n  {}",
                    crate::tr!("clihelp-err-possible-values", values = values)
                ),
                None => line,
            }
        }
        ErrorKind::ValueValidation => {
            let line = crate::tr!(
                "clihelp-err-invalid-value",
                arg = arg?,
                value = value.unwrap_or_default()
            );
            match std::error::Error::source(error) {
                Some(why) => crate::tr!("clihelp-err-because", line = line, why = number_reason(why)),
                None => line,
            }
        }
        ErrorKind::MissingRequiredArgument => crate::tr!("clihelp-err-missing-required", args = arg?),
        ErrorKind::ArgumentConflict => {
            let other = text(ContextKind::PriorArg);
            match other {
                Some(other) if other != *arg.as_ref()? => {
                    crate::tr!("clihelp-err-conflict", arg = arg?, other = other)
                }
                _ => crate::tr!("clihelp-err-repeated", arg = arg?),
            }
        }
        ErrorKind::MissingSubcommand => {
            crate::tr!(
                "clihelp-err-missing-subcommand",
                name = text(ContextKind::InvalidSubcommand)?
            )
        }
        ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            crate::tr!("clihelp-err-value-count", arg = arg?)
        }
        _ => return None,
    })
}

/// Why a value was refused: a number parser's reason in words of the catalogue (Rust's
/// own are English), any other as its parser gave it (ours are translated already).
fn number_reason(why: &(dyn std::error::Error + 'static)) -> String {
    use std::num::IntErrorKind;
    if let Some(e) = why.downcast_ref::<std::num::ParseIntError>() {
        return match e.kind() {
            IntErrorKind::Empty => crate::tr!("clihelp-err-number-empty"),
            IntErrorKind::PosOverflow | IntErrorKind::NegOverflow => crate::tr!("clihelp-err-number-range"),
            _ => crate::tr!("clihelp-err-number-whole"),
        };
    }
    if why.downcast_ref::<std::num::ParseFloatError>().is_some() {
        return crate::tr!("clihelp-err-number");
    }
    why.to_string()
}

/// A context value as text: lists joined by commas.
fn context_text(value: &ContextValue) -> Option<String> {
    match value {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(list) if !list.is_empty() => Some(list.join(", ")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `text` in the style clap gives "error:".
fn error_heading(text: &str) -> StyledStr {
    use std::fmt::Write as _;
    let style = clap::builder::Styles::default();
    let style = style.get_error();
    let mut out = StyledStr::new();
    let _ = write!(out, "{style}{text}{style:#}");
    out
}

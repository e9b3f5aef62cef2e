//! `topicscope export` (the writing is [`crate::record::export`]'s): a recording (or part of it) as JSON Lines — the same shape as
//! `sub --format json` — or as CSV of its numeric series, one column per series (a
//! topic with a number payload, or a topic and a JSON path), one row per moment.

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

use crate::record::export::{self, ExportError, RecordingSource};
use crate::record::{Recording, RecordingQuery};

/// Output format of `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    #[value(help = crate::tr!("clihelp-export-format-jsonl"))]
    Jsonl,
    #[value(help = crate::tr!("clihelp-export-format-csv"))]
    Csv,
}

/// Arguments of `export`.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    #[arg(help = crate::tr!("clihelp-export-args-file"), value_name = "FILE")]
    pub file: PathBuf,
    #[arg(help = crate::tr!("clihelp-export-args-topics"), long = "topic", short = 't', value_name = "FILTER")]
    pub topics: Vec<String>,
    #[arg(help = crate::tr!("clihelp-export-args-from"), long, value_name = "TIME")]
    pub from: Option<String>,
    #[arg(help = crate::tr!("clihelp-export-args-to"), long, value_name = "TIME")]
    pub to: Option<String>,
    #[arg(help = crate::tr!("clihelp-export-args-format"), long, short = 'F', value_enum)]
    pub format: ExportFormat,
    #[arg(help = crate::tr!("clihelp-export-args-output"), long, short = 'o', value_name = "OUT")]
    pub output: Option<PathBuf>,
}

/// A time given on the command line: RFC 3339, or a duration after `start_us`.
fn parse_time(text: &str, start_us: i64) -> Result<i64, String> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text.trim()) {
        return Ok(t.timestamp_micros());
    }
    match super::duration_arg::parse_interval(text) {
        Ok(d) => Ok(start_us.saturating_add(d.as_micros().min(i64::MAX as u128) as i64)),
        Err(_) => Err(crate::tr!("rec-bad-time", text = text)),
    }
}

pub fn run(args: &ExportArgs) -> Result<(), String> {
    let recording = Recording::open(&args.file).map_err(|e| e.to_string())?;
    super::check_filters(&args.topics)?;
    let start = recording
        .time_span()
        .map_err(|e| e.to_string())?
        .map_or(recording.meta.started_us, |(first, _)| first);
    let query = RecordingQuery {
        filters: args.topics.clone(),
        from_us: args.from.as_deref().map(|t| parse_time(t, start)).transpose()?,
        to_us: args.to.as_deref().map(|t| parse_time(t, start)).transpose()?,
    };
    let sink: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(std::fs::File::create(path).map_err(|e| {
            crate::tr!(
                "rec-error-io",
                path = crate::i18n::shown(path.display()),
                why = crate::i18n::shown(e)
            )
        })?),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = std::io::BufWriter::with_capacity(64 * 1024, sink);
    let format = match args.format {
        ExportFormat::Jsonl => export::ExportFormat::Jsonl,
        ExportFormat::Csv => export::ExportFormat::Csv,
    };
    let source = RecordingSource {
        recording: &recording,
        query: &query,
    };
    let written = export::write(&source, format, &mut out).and_then(|()| out.flush().map_err(ExportError::Write));
    match written {
        Ok(()) => Ok(()),
        Err(ExportError::Source(e)) => Err(e),
        // A closed pipe (`| head`) is no failure: stop quietly.
        Err(ExportError::Write(e)) if super::terminal::is_closed_pipe(&e) => Ok(()),
        Err(ExportError::Write(e)) => Err(crate::tr!("worker-cli-stdout-failed", error = crate::i18n::shown(e))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_absolute_or_after_the_start() {
        assert_eq!(parse_time("1970-01-01T00:00:01Z", 0), Ok(1_000_000));
        assert_eq!(parse_time("10s", 5), Ok(10_000_005));
        assert!(parse_time("yesterday", 0).is_err());
    }
}

//! `topicscope bench`: runs one benchmark (see [`crate::bench`]) and prints its figures.

use clap::{Args, Subcommand, ValueEnum};

use crate::bench::{
    decode_bench, e2e, e2e_live, flood, model_bench, peers, record_bench, seek_bench, ui_bench, window, window_stream,
};

/// Arguments of `bench`.
#[derive(Debug, Clone, Args)]
pub struct BenchArgs {
    #[command(subcommand)]
    pub what: BenchWhat,
}

/// Which benchmark.
#[derive(Debug, Clone, Subcommand)]
pub enum BenchWhat {
    /// Ingest rate into tree + history, memory per topic and per stored message.
    Model {
        #[arg(long, default_value_t = 100_000)]
        topics: usize,
        #[arg(long, default_value_t = 2_000_000)]
        messages: usize,
    },
    /// Per-message cost of each payload decoder (and of the typed decode the inspector
    /// uses), and the extra cost of a Sparkplug B message on arrival.
    Decode {
        /// Calls per round (the best of five rounds is printed).
        #[arg(long, default_value_t = 100_000)]
        iterations: usize,
    },
    /// Headless frames of the full window while messages arrive.
    Ui {
        #[arg(long, default_value_t = 100_000)]
        topics: usize,
        /// Messages per second ingested during the frames.
        #[arg(long, default_value_t = 10_000)]
        rate: usize,
        #[arg(long, default_value_t = 300)]
        frames: usize,
        /// One scenario (default: all).
        #[arg(long, value_enum)]
        scenario: Option<ScenarioArg>,
    },
    /// A burst of retained messages from a local mosquitto, against mosquitto_sub; with
    /// `--live N`, N live messages over `--topics` topics instead.
    E2e {
        #[arg(long, default_value_t = 200_000)]
        topics: usize,
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// Also read the burst with the headless window drawing at 60 Hz, and, under a
        /// display, with the real window (time to show them all, peak resident memory).
        #[arg(long, conflicts_with = "live")]
        window: bool,
        /// Read this many live messages, published as fast as the broker takes them
        /// (e.g. `--live 300000 --topics 10000`).
        #[arg(long)]
        live: Option<usize>,
    },
    /// Spawn to first frame of the real window (needs a display).
    Startup {
        #[arg(long, default_value_t = 3)]
        runs: usize,
    },
    /// CPU used by the real window connected to an idle broker (needs a display).
    Idle {
        #[arg(long, default_value_t = 5)]
        seconds: u64,
    },
    /// CPU of the real window (whole process, by thread) under a steady stream from a
    /// local mosquitto (needs a display).
    Stream {
        #[arg(long, default_value_t = 20_000)]
        rate: usize,
        #[arg(long, default_value_t = 20_000)]
        topics: usize,
        #[arg(long, default_value_t = 20)]
        seconds: u64,
        /// The window records every message from its start (to a temporary file).
        #[arg(long)]
        record: bool,
        /// Runs the broker and the publisher at this nice level (0-19), as if they were
        /// other machines: on two cores they otherwise take turns from the window.
        #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=19))]
        load_nice: u8,
    },
    /// Side by side with mqttui and mosquitto_sub on the same workloads: a retained
    /// burst, a live stream, the viewers' CPU and memory under a steady stream, and a
    /// million retained topics into the viewers (needs a display, mosquitto, tmux).
    Peers {
        /// The mqttui program to compare with (built from its repository, see BENCHMARKS.md).
        #[arg(long, value_name = "PATH")]
        mqttui: std::path::PathBuf,
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// Small sizes, for a smoke run.
        #[arg(long)]
        quick: bool,
        /// Only these workloads (default: all four).
        #[arg(long, value_enum, value_delimiter = ',')]
        only: Vec<peers::Workload>,
        /// How long each viewer may take to show the million topics, in seconds
        /// (default 90; 30 with --quick).
        #[arg(long, value_name = "SECONDS")]
        viewer_cap: Option<u64>,
    },
    /// One memory figure in a fresh process (used by `bench model`).
    #[command(hide = true)]
    MemoryProbe {
        #[arg(value_enum)]
        probe: ProbeArg,
        #[arg(long)]
        count: usize,
    },
    /// Recording throughput (messages written per second) and bytes on disk per message.
    Record {
        #[arg(long, default_value_t = 1_000_000)]
        messages: usize,
        #[arg(long, default_value_t = 1_000)]
        topics: usize,
        /// Payload bytes per message.
        #[arg(long, default_value_t = 100)]
        payload: usize,
        /// Record under this size limit (500MB, 2MB), as `record --max-size` does.
        #[arg(long, value_name = "SIZE", value_parser = crate::record::size::parse_size)]
        max_size: Option<u64>,
    },
    /// Opening a recording and seeking to its middle: time until the model holds the
    /// state at that moment (the first picture).
    Seek {
        #[arg(long, default_value_t = 1_000_000)]
        messages: usize,
        #[arg(long, default_value_t = 1_000)]
        topics: usize,
        /// Payload bytes per message.
        #[arg(long, default_value_t = 100)]
        payload: usize,
    },
    /// A sustained flood into the headless window: memory over time against the budget.
    Flood {
        #[arg(long, default_value_t = 300)]
        seconds: u64,
        #[arg(long, default_value_t = 50_000)]
        rate: usize,
        #[arg(long, default_value_t = 10_000)]
        topics: usize,
        #[arg(long, default_value_t = 64)]
        budget_mib: usize,
    },
}

/// What `bench memory-probe` measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProbeArg {
    Topics,
    Messages,
}

/// Scenarios of `bench ui`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScenarioArg {
    Tree,
    Plot,
    PayloadText,
    PayloadHex,
    Traffic,
    Devices,
    Sparkplug,
    Recording,
}

impl From<ScenarioArg> for ui_bench::Scenario {
    fn from(s: ScenarioArg) -> Self {
        match s {
            ScenarioArg::Tree => Self::Tree,
            ScenarioArg::Plot => Self::Plot,
            ScenarioArg::PayloadText => Self::PayloadText,
            ScenarioArg::PayloadHex => Self::PayloadHex,
            ScenarioArg::Traffic => Self::Traffic,
            ScenarioArg::Devices => Self::Devices,
            ScenarioArg::Sparkplug => Self::Sparkplug,
            ScenarioArg::Recording => Self::Recording,
        }
    }
}

pub fn run(args: &BenchArgs) -> Result<(), String> {
    if cfg!(debug_assertions) {
        eprintln!("topicscope: warning: this is a debug build; benchmark a release build (cargo run --release)");
    }
    match args.what {
        BenchWhat::Model { topics, messages } => model_bench::run(topics, messages),
        BenchWhat::Decode { iterations } => decode_bench::run(iterations),
        BenchWhat::MemoryProbe { probe, count } => {
            let probe = match probe {
                ProbeArg::Topics => model_bench::MemoryProbe::Topics,
                ProbeArg::Messages => model_bench::MemoryProbe::Messages,
            };
            model_bench::run_memory_probe(probe, count);
            Ok(())
        }
        BenchWhat::Ui {
            topics,
            rate,
            frames,
            scenario,
        } => {
            let scenarios: Vec<ui_bench::Scenario> =
                scenario.map_or_else(|| ui_bench::Scenario::ALL.to_vec(), |s| vec![s.into()]);
            ui_bench::run(&scenarios, topics, rate, frames)
        }
        BenchWhat::Record {
            messages,
            topics,
            payload,
            max_size,
        } => record_bench::run(messages, topics, payload, max_size),
        BenchWhat::Seek {
            messages,
            topics,
            payload,
        } => seek_bench::run(messages, topics, payload),
        BenchWhat::E2e {
            topics,
            runs,
            live: Some(messages),
            ..
        } => e2e_live::run(messages, topics, runs),
        BenchWhat::E2e {
            topics, runs, window, ..
        } => e2e::run(topics, runs, window),
        BenchWhat::Startup { runs } => window::run_startup(runs),
        BenchWhat::Idle { seconds } => window::run_idle(seconds),
        BenchWhat::Stream {
            rate,
            topics,
            seconds,
            record,
            load_nice,
        } => window_stream::run(rate, topics, seconds, record, load_nice),
        BenchWhat::Flood {
            seconds,
            rate,
            topics,
            budget_mib,
        } => flood::run(seconds, rate, topics, budget_mib),
        BenchWhat::Peers {
            ref mqttui,
            runs,
            quick,
            ref only,
            viewer_cap,
        } => peers::run(
            mqttui,
            runs,
            quick,
            only,
            viewer_cap.map(std::time::Duration::from_secs),
        ),
    }
}

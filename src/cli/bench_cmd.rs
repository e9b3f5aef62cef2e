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
    #[command(about = crate::tr!("clihelp-bench-what-model"))]
    Model {
        #[arg(long, default_value_t = 100_000)]
        topics: usize,
        #[arg(long, default_value_t = 2_000_000)]
        messages: usize,
    },
    #[command(about = crate::tr!("clihelp-bench-what-decode"))]
    Decode {
        #[arg(help = crate::tr!("clihelp-bench-what-decode-iterations"), long, default_value_t = 100_000)]
        iterations: usize,
    },
    #[command(about = crate::tr!("clihelp-bench-what-ui"))]
    Ui {
        #[arg(long, default_value_t = 100_000)]
        topics: usize,
        #[arg(help = crate::tr!("clihelp-bench-what-ui-rate"), long, default_value_t = 10_000)]
        rate: usize,
        #[arg(long, default_value_t = 300)]
        frames: usize,
        #[arg(help = crate::tr!("clihelp-bench-what-ui-scenario"), long, value_enum)]
        scenario: Option<ScenarioArg>,
    },
    #[command(about = crate::tr!("clihelp-bench-what-e2e"))]
    E2e {
        #[arg(long, default_value_t = 200_000)]
        topics: usize,
        #[arg(long, default_value_t = 3)]
        runs: usize,
        #[arg(help = crate::tr!("clihelp-bench-what-e2e-window"), long, conflicts_with = "live")]
        window: bool,
        #[arg(help = crate::tr!("clihelp-bench-what-e2e-live"), long)]
        live: Option<usize>,
    },
    #[command(about = crate::tr!("clihelp-bench-what-startup"))]
    Startup {
        #[arg(long, default_value_t = 3)]
        runs: usize,
    },
    #[command(about = crate::tr!("clihelp-bench-what-idle"))]
    Idle {
        #[arg(long, default_value_t = 5)]
        seconds: u64,
    },
    #[command(about = crate::tr!("clihelp-bench-what-stream"))]
    Stream {
        #[arg(long, default_value_t = 20_000)]
        rate: usize,
        #[arg(long, default_value_t = 20_000)]
        topics: usize,
        #[arg(long, default_value_t = 20)]
        seconds: u64,
        #[arg(help = crate::tr!("clihelp-bench-what-stream-record"), long)]
        record: bool,
        #[arg(help = crate::tr!("clihelp-bench-what-stream-smooth"), long)]
        smooth: bool,
        #[arg(help = crate::tr!("clihelp-bench-what-stream-load-nice"), long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=19))]
        load_nice: u8,
    },
    #[command(about = crate::tr!("clihelp-bench-what-peers"))]
    Peers {
        #[arg(help = crate::tr!("clihelp-bench-what-peers-mqttui"), long, value_name = "PATH")]
        mqttui: std::path::PathBuf,
        #[arg(long, default_value_t = 3)]
        runs: usize,
        #[arg(help = crate::tr!("clihelp-bench-what-peers-quick"), long)]
        quick: bool,
        #[arg(help = crate::tr!("clihelp-bench-what-peers-only"), long, value_enum, value_delimiter = ',')]
        only: Vec<peers::Workload>,
        #[arg(help = crate::tr!("clihelp-bench-what-peers-viewer-cap"), long, value_name = "SECONDS")]
        viewer_cap: Option<u64>,
    },
    #[command(about = crate::tr!("clihelp-bench-what-memory-probe"), hide = true)]
    MemoryProbe {
        #[arg(value_enum)]
        probe: ProbeArg,
        #[arg(long)]
        count: usize,
    },
    #[command(about = crate::tr!("clihelp-bench-what-record"))]
    Record {
        #[arg(long, default_value_t = 1_000_000)]
        messages: usize,
        #[arg(long, default_value_t = 1_000)]
        topics: usize,
        #[arg(help = crate::tr!("clihelp-bench-what-record-payload"), long, default_value_t = 100)]
        payload: usize,
        #[arg(help = crate::tr!("clihelp-bench-what-record-max-size"), long, value_name = "SIZE", value_parser = crate::record::size::parse_limit)]
        max_size: Option<u64>,
    },
    #[command(about = crate::tr!("clihelp-bench-what-seek"))]
    Seek {
        #[arg(long, default_value_t = 1_000_000)]
        messages: usize,
        #[arg(long, default_value_t = 1_000)]
        topics: usize,
        #[arg(help = crate::tr!("clihelp-bench-what-seek-payload"), long, default_value_t = 100)]
        payload: usize,
    },
    #[command(about = crate::tr!("clihelp-bench-what-flood"))]
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
            smooth,
            load_nice,
        } => window_stream::run(rate, topics, seconds, record, smooth, load_nice),
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

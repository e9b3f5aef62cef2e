//! The `topicscope` binary: the window by default, headless subcommands otherwise.

use clap::Parser;
use topicscope::app::{StartConnect, StartOptions, run_gui};
use topicscope::cli::{self, Cli};
use topicscope::profiles::Profile;

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            // rumqttc warns about refused subscribes and publishes, which the worker reports
            // itself in words: its warnings would say the same thing twice.
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "warn,rumqttd=off,rumqttc=error".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Cli::parse();
    let code = match args.command {
        Some(cmd) => cli::run(cmd),
        None => {
            let connect = match (args.broker, args.profile) {
                (Some(url), _) => Some(match args.mqtt_version {
                    Some(version) => {
                        let mut profile = Profile::new("command line", &url);
                        profile.mqtt_version = version;
                        StartConnect::Ready(Box::new(profile))
                    }
                    None => StartConnect::Broker(url),
                }),
                (None, Some(name)) => Some(StartConnect::Profile(name)),
                (None, None) => None,
            };
            #[cfg(feature = "broker")]
            let connect = if args.demo { Some(StartConnect::Demo) } else { connect };
            run_gui(StartOptions {
                connect,
                ..StartOptions::default()
            })
        }
    };
    std::process::exit(code);
}

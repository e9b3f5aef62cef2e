//! The `topicscope` binary: the window by default, headless subcommands otherwise.

use topicscope::app::{StartConnect, StartOptions, run_gui};
use topicscope::cli;
use topicscope::profiles::Profile;

fn main() {
    // Before parsing, so that argument errors from our own parsers speak the user's language.
    topicscope::i18n::set_lang(topicscope::i18n::detect());
    let args = cli::parse();
    #[cfg(feature = "broker")]
    let directives = match &args.command {
        Some(cli::Cmd::Broker(_)) => cli::logging::BROKER_DIRECTIVES,
        _ => cli::logging::DEFAULT_DIRECTIVES,
    };
    #[cfg(not(feature = "broker"))]
    let directives = cli::logging::DEFAULT_DIRECTIVES;
    cli::logging::init(directives);
    let code = match args.command {
        Some(cmd) => cli::run(cmd),
        None => {
            let connect = match (args.broker, args.profile) {
                (Some(url), _) => Some(match args.mqtt_version {
                    Some(version) => {
                        let mut profile = Profile::new(topicscope::app::COMMAND_LINE_NAME, &url);
                        profile.mqtt_version = version;
                        StartConnect::Ready(Box::new(profile))
                    }
                    None => StartConnect::Broker(url),
                }),
                (None, Some(name)) => Some(StartConnect::Profile(name)),
                (None, None) => args.open.map(StartConnect::Recording),
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

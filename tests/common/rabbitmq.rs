//! RabbitMQ 3.x with its MQTT plugin, as a test broker (Debian's `rabbitmq-server`;
//! `.ci/run` installs it). Started straight from `/usr/lib/rabbitmq/bin` so it runs as
//! the current user, with everything (config, database, logs, Erlang cookie) in the
//! test's temporary directory, its own node name and ports, and in its own process
//! group: the start script leaves the Erlang VM as a grandchild, so stopping kills the
//! group.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::HOST;

/// The start script, when RabbitMQ is installed.
pub fn server_path() -> Option<PathBuf> {
    let path = PathBuf::from("/usr/lib/rabbitmq/bin/rabbitmq-server");
    path.is_file().then_some(path)
}

/// The command that starts RabbitMQ with MQTT on `mqtt_port` (AMQP and Erlang
/// distribution on two more free ports), writing its files under `dir`.
pub fn command(dir: &Path, mqtt_port: u16, amqp_port: u16, dist_port: u16) -> Command {
    let server = server_path().expect(
        "RabbitMQ is not installed (apt-get install rabbitmq-server; .ci/run does): \
         the RabbitMQ tests cannot run without it",
    );
    fs::write(dir.join("enabled_plugins"), "[rabbitmq_mqtt].\n").expect("write enabled_plugins");
    fs::write(
        dir.join("rabbitmq.conf"),
        format!(
            "listeners.tcp.default = {HOST}:{amqp_port}\n\
             mqtt.listeners.tcp.default = {HOST}:{mqtt_port}\n\
             mqtt.allow_anonymous = true\n\
             loopback_users = none\n"
        ),
    )
    .expect("write rabbitmq.conf");
    let mut command = Command::new(server);
    command
        .current_dir(dir)
        .env("HOME", dir)
        .env("RABBITMQ_CONFIG_FILE", dir.join("rabbitmq"))
        .env("RABBITMQ_ENABLED_PLUGINS_FILE", dir.join("enabled_plugins"))
        .env("RABBITMQ_MNESIA_BASE", dir.join("mnesia"))
        .env("RABBITMQ_LOG_BASE", dir.join("log"))
        .env("RABBITMQ_NODENAME", format!("topicscope-{mqtt_port}@localhost"))
        .env("RABBITMQ_DIST_PORT", dist_port.to_string());
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    command
}

/// Kills the broker's whole process group (the script and the Erlang VM under it).
/// Through the shell's `kill`: procps-ng 4.0.2's `kill -KILL -PGID` reports success and
/// leaves the group running.
pub fn kill_group(pid: u32) {
    let _ = Command::new("sh").args(["-c", &format!("kill -KILL -{pid}")]).status();
}

//! Tests for broker address parsing: every accepted form, credentials, errors, Display.

use super::*;

fn parsed(input: &str) -> BrokerUrl {
    BrokerUrl::parse(input).unwrap_or_else(|error| panic!("{input:?} failed: {error}"))
}

/// (transport, host, port, path) of a parsed address, for compact asserts.
fn parts(input: &str) -> (Transport, String, u16, Option<String>) {
    let url = parsed(input);
    (url.transport, url.host, url.port, url.path)
}

fn tcp(host: &str, port: u16) -> (Transport, String, u16, Option<String>) {
    (Transport::Tcp, host.to_owned(), port, None)
}

#[test]
fn mqtt_scheme_with_and_without_port() {
    assert_eq!(parts("mqtt://localhost:1883"), tcp("localhost", 1883));
    assert_eq!(parts("mqtt://broker.example.com"), tcp("broker.example.com", 1883));
    assert_eq!(parts("mqtt://10.0.0.5:1884/"), tcp("10.0.0.5", 1884));
    assert_eq!(parts("  mqtt://localhost:1883  "), tcp("localhost", 1883));
}

#[test]
fn tcp_and_ssl_aliases() {
    assert_eq!(parts("tcp://h:1"), tcp("h", 1));
    assert_eq!(parts("ssl://h"), (Transport::Tls, "h".to_owned(), 8883, None));
}

#[test]
fn mqtts_defaults_to_8883() {
    assert_eq!(
        parts("mqtts://broker"),
        (Transport::Tls, "broker".to_owned(), 8883, None)
    );
    assert_eq!(
        parts("mqtts://broker:8884"),
        (Transport::Tls, "broker".to_owned(), 8884, None)
    );
}

#[test]
fn websocket_ports_and_paths() {
    assert_eq!(
        parts("ws://host:9001/mqtt"),
        (Transport::Ws, "host".to_owned(), 9001, Some("/mqtt".to_owned()))
    );
    assert_eq!(
        parts("ws://host"),
        (Transport::Ws, "host".to_owned(), 80, Some("/".to_owned()))
    );
    assert_eq!(
        parts("ws://host:80/"),
        (Transport::Ws, "host".to_owned(), 80, Some("/".to_owned()))
    );
    assert_eq!(
        parts("wss://host"),
        (Transport::Wss, "host".to_owned(), 443, Some("/".to_owned()))
    );
    assert_eq!(
        parts("wss://host:8443/mqtt?token=abc"),
        (
            Transport::Wss,
            "host".to_owned(),
            8443,
            Some("/mqtt?token=abc".to_owned())
        )
    );
}

#[test]
fn bare_host_and_host_port_mean_mqtt() {
    assert_eq!(parts("localhost"), tcp("localhost", 1883));
    assert_eq!(parts("localhost:1884"), tcp("localhost", 1884));
    assert_eq!(parts("192.168.1.10:1884"), tcp("192.168.1.10", 1884));
    assert_eq!(parts("192.168.1.10"), tcp("192.168.1.10", 1883));
}

#[test]
fn ipv6_hosts() {
    assert_eq!(parts("[::1]:1883"), tcp("::1", 1883));
    assert_eq!(parts("[::1]"), tcp("::1", 1883));
    assert_eq!(parts("mqtt://[::1]:1884"), tcp("::1", 1884));
    assert_eq!(
        parts("ws://[::1]:9001/mqtt"),
        (Transport::Ws, "::1".to_owned(), 9001, Some("/mqtt".to_owned()))
    );
    let url = parsed("[::1]:1883");
    assert_eq!(url.socket_host(), "[::1]");
    assert_eq!(url.to_string(), "mqtt://[::1]:1883");
}

#[test]
fn scheme_and_host_are_case_insensitive() {
    assert_eq!(parts("MQTT://Broker.Local:1883"), tcp("broker.local", 1883));
    assert_eq!(parts("WSS://Host/Path").3, Some("/Path".to_owned()));
}

#[test]
fn credentials_are_percent_decoded() {
    let url = parsed("mqtt://alice:s%40cret%3A1@host:1883");
    assert_eq!(url.username.as_deref(), Some("alice"));
    assert_eq!(url.password.as_deref(), Some("s@cret:1"));
    assert_eq!((url.host.as_str(), url.port), ("host", 1883));

    let url = parsed("mqtt://bob@host");
    assert_eq!(url.username.as_deref(), Some("bob"));
    assert_eq!(url.password, None);

    let url = parsed("mqtt://:pw@host");
    assert_eq!(url.username, None);
    assert_eq!(url.password.as_deref(), Some("pw"));

    let url = parsed("ws://u%C3%A9:p%zz@host:9001/mqtt");
    assert_eq!(url.username.as_deref(), Some("ué"));
    assert_eq!(url.password.as_deref(), Some("p%zz"));
    assert_eq!(url.path.as_deref(), Some("/mqtt"));

    let url = parsed("user:pass@localhost:1884");
    assert_eq!(url.username.as_deref(), Some("user"));
    assert_eq!(url.password.as_deref(), Some("pass"));
    assert_eq!(url.port, 1884);
}

#[test]
fn no_credentials_means_none() {
    let url = parsed("mqtt://host");
    assert_eq!((url.username, url.password), (None, None));
}

#[test]
fn display_and_debug_hide_the_password() {
    let url = parsed("mqtt://alice:topsecret@host:1883");
    assert_eq!(url.to_string(), "mqtt://alice@host:1883");
    assert!(!format!("{url:?}").contains("topsecret"));
    assert!(format!("{url:?}").contains("alice"));
    assert_eq!(parsed("ssl://h").to_string(), "mqtts://h:8883");
    assert_eq!(parsed("ws://host:9001/mqtt").to_string(), "ws://host:9001/mqtt");
    assert_eq!(parsed("localhost").to_string(), "mqtt://localhost:1883");
}

#[test]
fn display_round_trips_without_credentials() {
    for input in ["mqtt://h:1", "mqtts://h:8883", "ws://h:80/x?y=1", "wss://[::1]:443/"] {
        let url = parsed(input);
        assert_eq!(parsed(&url.to_string()), url, "{input}");
    }
}

#[test]
fn websocket_url_for_the_client() {
    assert_eq!(
        parsed("wss://u:p@Host:8443/mqtt").websocket_url().as_deref(),
        Some("wss://host:8443/mqtt")
    );
    assert_eq!(parsed("ws://host").websocket_url().as_deref(), Some("ws://host:80/"));
    assert_eq!(parsed("mqtt://host").websocket_url(), None);
}

#[test]
fn unsupported_scheme_error() {
    let error = BrokerUrl::parse("http://example.com").unwrap_err();
    assert_eq!(error, UrlError::UnsupportedScheme { scheme: "http".into() });
    assert_eq!(
        error.to_string(),
        "unsupported scheme 'http' (use mqtt://, mqtts://, ws:// or wss://)"
    );
    assert_eq!(
        BrokerUrl::parse("://host"),
        Err(UrlError::UnsupportedScheme { scheme: "".into() })
    );
}

#[test]
fn empty_and_missing_host_errors() {
    assert_eq!(BrokerUrl::parse(""), Err(UrlError::Empty));
    assert_eq!(BrokerUrl::parse("   "), Err(UrlError::Empty));
    assert_eq!(BrokerUrl::parse("mqtt://"), Err(UrlError::MissingHost));
    assert_eq!(BrokerUrl::parse("mqtt://:1883"), Err(UrlError::MissingHost));
    assert_eq!(BrokerUrl::parse("ws://"), Err(UrlError::MissingHost));
    assert_eq!(
        UrlError::MissingHost.to_string(),
        "missing host (for example mqtt://localhost:1883)"
    );
}

#[test]
fn invalid_port_errors_quote_the_port() {
    let invalid = |port: &str| Err(UrlError::InvalidPort { port: port.into() });
    assert_eq!(BrokerUrl::parse("mqtt://host:abc"), invalid("abc"));
    assert_eq!(BrokerUrl::parse("host:99999"), invalid("99999"));
    assert_eq!(BrokerUrl::parse("host:0"), invalid("0"));
    assert_eq!(BrokerUrl::parse("[::1]:65536"), invalid("65536"));
    assert_eq!(BrokerUrl::parse("ws://u:p@host:x1/mqtt"), invalid("x1"));
    assert_eq!(
        BrokerUrl::parse("host:abc").unwrap_err().to_string(),
        "invalid port 'abc' (use a number from 1 to 65535)"
    );
}

#[test]
fn path_only_for_websockets() {
    assert_eq!(
        BrokerUrl::parse("mqtt://host:1883/mqtt"),
        Err(UrlError::PathNotAllowed { path: "/mqtt".into() })
    );
    assert_eq!(
        BrokerUrl::parse("mqtt://host:1883/mqtt").unwrap_err().to_string(),
        "'/mqtt' after the port is only allowed in ws:// and wss:// addresses"
    );
}

#[test]
fn malformed_hosts_and_fragments() {
    assert!(matches!(BrokerUrl::parse("[::1"), Err(UrlError::InvalidHost { .. })));
    assert!(matches!(
        BrokerUrl::parse("ws://host/mqtt#frag"),
        Err(UrlError::Malformed { .. })
    ));
}

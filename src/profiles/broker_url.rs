//! Parsing the broker address a person types ("mqtt://host:1883", "host", "[::1]:1883",
//! "wss://host/mqtt") into transport, host, port, websocket path and credentials.
//!
//! The `url` crate does the RFC 3986 work (IPv6 brackets, userinfo, ports); this module
//! adds the MQTT schemes, their default ports, and errors worded for a person.

use std::borrow::Cow;
use std::fmt;

use thiserror::Error;
use url::{Host, Url};

/// How the connection to the broker is carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Transport {
    /// Plain TCP (`mqtt://`, `tcp://`).
    Tcp,
    /// TCP with TLS (`mqtts://`, `ssl://`).
    Tls,
    /// WebSocket (`ws://`).
    Ws,
    /// WebSocket over TLS (`wss://`).
    Wss,
}

impl Transport {
    /// The canonical scheme, used when displaying an address.
    pub fn scheme(self) -> &'static str {
        match self {
            Self::Tcp => "mqtt",
            Self::Tls => "mqtts",
            Self::Ws => "ws",
            Self::Wss => "wss",
        }
    }

    /// The port used when the address names none: IANA's MQTT ports for TCP, and the
    /// HTTP ports for websockets because that is what a ws:// URL implies everywhere else.
    pub fn default_port(self) -> u16 {
        match self {
            Self::Tcp => 1883,
            Self::Tls => 8883,
            Self::Ws => 80,
            Self::Wss => 443,
        }
    }

    /// Whether the connection is encrypted with TLS.
    pub fn uses_tls(self) -> bool {
        matches!(self, Self::Tls | Self::Wss)
    }

    /// Whether the connection is a websocket (and so has a path).
    pub fn is_websocket(self) -> bool {
        matches!(self, Self::Ws | Self::Wss)
    }

    fn from_scheme(scheme: &str) -> Option<Self> {
        match scheme {
            "mqtt" | "tcp" => Some(Self::Tcp),
            "mqtts" | "ssl" => Some(Self::Tls),
            "ws" => Some(Self::Ws),
            "wss" => Some(Self::Wss),
            _ => None,
        }
    }
}

/// Why a broker address was refused. Messages are lower-case phrases so that they
/// read well after "The broker address is not valid: ".
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UrlError {
    /// Nothing was typed.
    #[error("{}", crate::tr!("worker-url-empty"))]
    Empty,
    /// The scheme is not one of the MQTT ones.
    #[error("{}", crate::tr!("worker-url-scheme", scheme = .scheme.as_str()))]
    UnsupportedScheme {
        /// The scheme as typed, lower-cased.
        scheme: String,
    },
    /// No host name or address.
    #[error("{}", crate::tr!("worker-url-no-host"))]
    MissingHost,
    /// The port is not a number from 1 to 65535.
    #[error("{}", crate::tr!("worker-url-port", port = .port.as_str()))]
    InvalidPort {
        /// The port as typed.
        port: String,
    },
    /// The host is not a valid name or IP address.
    #[error("{}", crate::tr!("worker-url-host", why = .reason.as_str()))]
    InvalidHost {
        /// What the URL parser objected to.
        reason: String,
    },
    /// A path, query or fragment on a plain MQTT address, where it would be ignored.
    #[error("{}", crate::tr!("worker-url-path", path = .path.as_str()))]
    PathNotAllowed {
        /// The path (with query) as typed.
        path: String,
    },
    /// Anything else the URL parser refused.
    #[error("{}", crate::tr!("worker-url-malformed", why = .reason.as_str()))]
    Malformed {
        /// What the URL parser objected to.
        reason: String,
    },
}

/// A parsed broker address. `Debug` and `Display` never show the password.
#[derive(Clone, PartialEq, Eq)]
pub struct BrokerUrl {
    /// How the connection is carried.
    pub transport: Transport,
    /// Host name (lower-cased) or IP address; IPv6 without brackets, e.g. "::1".
    pub host: String,
    /// TCP port, filled from the transport's default when the address names none.
    pub port: u16,
    /// HTTP path (with query) for websockets, "/" when none was given; `None` otherwise.
    pub path: Option<String>,
    /// User name from `user@` / `user:pass@`, percent-decoded.
    pub username: Option<String>,
    /// Password from `user:pass@`, percent-decoded.
    pub password: Option<String>,
}

impl BrokerUrl {
    /// Parses an address as typed by a person. See the module docs for accepted forms.
    pub fn parse(input: &str) -> Result<Self, UrlError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(UrlError::Empty);
        }
        // "host" and "host:port" are what people type most; `Url` would read "host:" as
        // a scheme, so give them the default scheme before parsing.
        let full: Cow<'_, str> = if trimmed.contains("://") {
            Cow::Borrowed(trimmed)
        } else {
            Cow::Owned(format!("mqtt://{trimmed}"))
        };
        let (scheme_text, after_scheme) = full.split_once("://").unwrap_or(("", &full));
        let scheme = scheme_text.to_ascii_lowercase();
        let transport = Transport::from_scheme(&scheme).ok_or(UrlError::UnsupportedScheme { scheme })?;

        let url = Url::parse(&full).map_err(|error| map_parse_error(error, after_scheme))?;
        let host = match url.host() {
            None => return Err(UrlError::MissingHost),
            Some(Host::Domain("")) => return Err(UrlError::MissingHost),
            Some(Host::Domain(name)) => name.to_ascii_lowercase(),
            Some(Host::Ipv4(address)) => address.to_string(),
            Some(Host::Ipv6(address)) => address.to_string(),
        };
        let port = match url.port() {
            Some(0) => return Err(UrlError::InvalidPort { port: "0".into() }),
            Some(port) => port,
            None => transport.default_port(),
        };
        if url.fragment().is_some() {
            return Err(UrlError::Malformed {
                reason: crate::tr!("worker-url-fragment"),
            });
        }
        let path_and_query = match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        };
        let path = if transport.is_websocket() {
            Some(if path_and_query.is_empty() {
                "/".to_owned()
            } else {
                path_and_query
            })
        } else if path_and_query.is_empty() || path_and_query == "/" {
            None
        } else {
            return Err(UrlError::PathNotAllowed { path: path_and_query });
        };
        Ok(Self {
            transport,
            host,
            port,
            path,
            username: non_empty(percent_decode(url.username())?),
            password: url.password().map(percent_decode).transpose()?,
        })
    }

    /// The host as it goes before ":port" in a socket address: IPv6 in brackets,
    /// because rumqttc joins host and port with a plain `format!("{host}:{port}")`.
    pub fn socket_host(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        }
    }

    /// For websockets, the URL to hand to the websocket client, without credentials
    /// (they travel in the MQTT CONNECT packet instead). `None` for TCP transports.
    pub fn websocket_url(&self) -> Option<String> {
        let path = self.path.as_deref()?;
        Some(format!(
            "{}://{}:{}{path}",
            self.transport.scheme(),
            self.socket_host(),
            self.port
        ))
    }
}

impl fmt::Display for BrokerUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://", self.transport.scheme())?;
        if let Some(username) = &self.username {
            write!(f, "{username}@")?;
        }
        write!(f, "{}:{}", self.socket_host(), self.port)?;
        if let Some(path) = &self.path {
            f.write_str(path)?;
        }
        Ok(())
    }
}

impl fmt::Debug for BrokerUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BrokerUrl")
            .field("transport", &self.transport)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("path", &self.path)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<hidden>"))
            .finish()
    }
}

fn non_empty(text: String) -> Option<String> {
    (!text.is_empty()).then_some(text)
}

fn map_parse_error(error: url::ParseError, after_scheme: &str) -> UrlError {
    use url::ParseError as E;
    match error {
        E::EmptyHost => UrlError::MissingHost,
        E::InvalidPort => UrlError::InvalidPort {
            port: port_text(after_scheme).to_owned(),
        },
        E::IdnaError | E::InvalidIpv4Address | E::InvalidIpv6Address | E::InvalidDomainCharacter => {
            UrlError::InvalidHost {
                reason: error.to_string(),
            }
        }
        other => UrlError::Malformed {
            reason: other.to_string(),
        },
    }
}

/// Finds the port as typed, only to quote it back in an error message.
fn port_text(after_scheme: &str) -> &str {
    let authority = after_scheme.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, rest)| rest);
    let after_host = match host_port.find(']') {
        Some(end) if host_port.starts_with('[') => &host_port[end + 1..],
        _ => host_port,
    };
    after_host.split_once(':').map_or("", |(_, port)| port)
}

/// Decodes `%XX` escapes in user names and passwords (so "p%40ss" means "p@ss").
/// A '%' not followed by two hex digits is kept as typed.
fn percent_decode(text: &str) -> Result<String, UrlError> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let escaped = (bytes[index] == b'%')
            .then(|| bytes.get(index + 1..index + 3))
            .flatten()
            // Checked digit by digit: `from_str_radix` would also take a sign ("%+1").
            .filter(|hex| hex.iter().all(u8::is_ascii_hexdigit))
            .and_then(|hex| u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok());
        match escaped {
            Some(byte) => {
                decoded.push(byte);
                index += 3;
            }
            None => {
                decoded.push(bytes[index]);
                index += 1;
            }
        }
    }
    String::from_utf8(decoded).map_err(|_| UrlError::Malformed {
        reason: crate::tr!("worker-url-credentials-not-utf8"),
    })
}

#[cfg(test)]
#[path = "broker_url_tests.rs"]
mod tests;

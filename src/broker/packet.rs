//! Just enough MQTT for the broker's front: read one packet, take a CONNECT apart (its
//! protocol level and client id), decide what the front refuses itself, and say what a
//! CONNACK's code means.

use tokio::io::{AsyncRead, AsyncReadExt as _};

/// Largest CONNECT accepted: client id, will topic and will payload are each at most
/// 64 KiB, plus MQTT 5 properties.
const MAX_CONNECT_BYTES: usize = 512 * 1024;

/// A client's CONNECT, as read.
#[derive(Debug, Clone)]
pub struct Connect {
    /// The whole packet, to replay to the broker.
    pub bytes: Vec<u8>,
    /// Protocol level: 3 (MQTT 3.1), 4 (3.1.1) or 5.
    pub level: u8,
    /// The client id, lossily decoded for the log.
    pub client_id: String,
}

impl Connect {
    /// "MQTT 3.1.1" etc., for log lines.
    pub fn version_name(&self) -> String {
        match self.level {
            3 => "MQTT 3.1".to_owned(),
            4 => "MQTT 3.1.1".to_owned(),
            5 => "MQTT 5".to_owned(),
            other => format!("protocol level {other}"),
        }
    }
}

/// Why a packet could not be read as a CONNECT.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("not MQTT: {0}")]
    Malformed(String),
}

/// Reads one whole packet (fixed header included) of at most `max_bytes` remaining length.
pub async fn read_packet<R: AsyncRead + Unpin>(r: &mut R, max_bytes: usize) -> Result<Vec<u8>, ReadError> {
    let first = r.read_u8().await?;
    read_rest(r, first, max_bytes).await
}

/// The rest of a packet whose first byte was `first`.
async fn read_rest<R: AsyncRead + Unpin>(r: &mut R, first: u8, max_bytes: usize) -> Result<Vec<u8>, ReadError> {
    let mut header = vec![first];
    let mut remaining: usize = 0;
    for shift in 0..4 {
        let byte = r.read_u8().await?;
        header.push(byte);
        remaining |= usize::from(byte & 0x7f) << (7 * shift);
        if byte & 0x80 == 0 {
            if remaining > max_bytes {
                return Err(ReadError::Malformed(format!(
                    "a {remaining}-byte packet where at most {max_bytes} are expected"
                )));
            }
            let mut packet = header;
            let start = packet.len();
            packet.resize(start + remaining, 0);
            r.read_exact(&mut packet[start..]).await?;
            return Ok(packet);
        }
    }
    Err(ReadError::Malformed(
        "the remaining length is longer than 4 bytes".into(),
    ))
}

/// Reads the first packet and checks it is a CONNECT.
pub async fn read_connect<R: AsyncRead + Unpin>(r: &mut R) -> Result<Connect, ReadError> {
    let first = r.read_u8().await?;
    // Refuse at once what cannot be a CONNECT (an HTTP request, TLS hello…) instead of
    // waiting for as many bytes as its second byte would announce.
    if first != 0x10 {
        return Err(ReadError::Malformed(format!(
            "the first packet is not a CONNECT (it starts with 0x{first:02x})"
        )));
    }
    parse_connect(read_rest(r, first, MAX_CONNECT_BYTES).await?)
}

/// Takes a CONNECT packet apart.
pub fn parse_connect(bytes: Vec<u8>) -> Result<Connect, ReadError> {
    let bad = |what: &str| ReadError::Malformed(what.to_owned());
    if bytes.first().map(|b| b >> 4) != Some(1) {
        return Err(bad("the first packet is not a CONNECT"));
    }
    // Skip the fixed header: type byte plus 1–4 length bytes.
    let header_len = 1 + bytes[1..].iter().position(|b| b & 0x80 == 0).map_or(4, |i| i + 1);
    let mut cursor = Cursor {
        bytes: bytes.get(header_len..).ok_or_else(|| bad("truncated fixed header"))?,
    };
    let name = cursor.string().ok_or_else(|| bad("truncated protocol name"))?;
    let level = cursor.byte().ok_or_else(|| bad("no protocol level"))?;
    if name != b"MQTT" && name != b"MQIsdp" {
        return Err(bad("the protocol name is neither MQTT nor MQIsdp"));
    }
    let _flags = cursor.byte().ok_or_else(|| bad("no connect flags"))?;
    cursor.take(2).ok_or_else(|| bad("no keep-alive"))?;
    if level == 5 {
        let len = cursor.varint().ok_or_else(|| bad("truncated properties"))?;
        cursor.take(len).ok_or_else(|| bad("truncated properties"))?;
    }
    let client_id = cursor.string().ok_or_else(|| bad("truncated client id"))?;
    let client_id = String::from_utf8_lossy(client_id).into_owned();
    Ok(Connect {
        bytes,
        level,
        client_id,
    })
}

struct Cursor<'a> {
    bytes: &'a [u8],
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.bytes.len() < n {
            return None;
        }
        let (head, tail) = self.bytes.split_at(n);
        self.bytes = tail;
        Some(head)
    }

    fn byte(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn string(&mut self) -> Option<&'a [u8]> {
        let len = self.take(2)?;
        self.take(usize::from(u16::from_be_bytes([len[0], len[1]])))
    }

    fn varint(&mut self) -> Option<usize> {
        let mut value = 0usize;
        for shift in 0..4 {
            let byte = self.byte()?;
            value |= usize::from(byte & 0x7f) << (7 * shift);
            if byte & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }
}

/// A CONNECT the front answers itself, with the CONNACK to send and the reason to log.
#[derive(Debug)]
pub struct Refusal {
    pub connack: Vec<u8>,
    pub reason: String,
}

/// What the front refuses before rumqttd sees it: rumqttd would close these connections
/// without a CONNACK, leaving the client to guess.
pub fn refusal(connect: &Connect) -> Option<Refusal> {
    match connect.level {
        4 | 5 => {}
        // MQTT 3.1.1 §3.2.2.3: return code 1, unacceptable protocol level.
        level => {
            return Some(Refusal {
                connack: vec![0x20, 0x02, 0x00, 0x01],
                reason: format!(
                    "{} is not supported (use MQTT 3.1.1 or 5)",
                    if level == 3 {
                        "MQTT 3.1".to_owned()
                    } else {
                        format!("protocol level {level}")
                    }
                ),
            });
        }
    }
    // rumqttd drops a client whose id contains a wildcard, `/` or `$` without a word.
    if connect.client_id.contains(['+', '#', '/', '$']) {
        let connack = if connect.level == 5 {
            vec![0x20, 0x03, 0x00, 0x85, 0x00] // Client Identifier not valid, no properties
        } else {
            vec![0x20, 0x02, 0x00, 0x02] // identifier rejected
        };
        return Some(Refusal {
            connack,
            reason: "the client id contains '+', '#', '/' or '$', which this broker does not accept".to_owned(),
        });
    }
    None
}

/// Why the broker's CONNACK refused the client, or `None` when it accepted.
pub fn connack_refusal(connack: &[u8], level: u8) -> Option<String> {
    // Fixed header (2 bytes for a CONNACK), acknowledge flags, then the code.
    let code = *connack.get(3)?;
    if code == 0 {
        return None;
    }
    let words = match (level, code) {
        (5, 0x80) => "unspecified error",
        (5, 0x84) => "unsupported protocol version",
        (5, 0x85) => "client identifier not valid",
        (5, 0x86) => "bad user name or password",
        (5, 0x87) => "not authorized",
        (5, 0x95) => "packet too large",
        (5, _) => "refused",
        (_, 1) => "unacceptable protocol version",
        (_, 2) => "identifier rejected",
        (_, 3) => "server unavailable",
        (_, 4) => "bad user name or password",
        (_, 5) => "not authorized",
        _ => "refused",
    };
    Some(format!("{words} (0x{code:02x})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn connect_packet(level: u8, client_id: &str) -> Vec<u8> {
        let mut body = vec![0, 4, b'M', b'Q', b'T', b'T', level, 0x02, 0, 30];
        if level == 5 {
            // Properties: 5 bytes, a session expiry interval (0x11) of 60 s.
            body.extend_from_slice(&[0x05, 0x11, 0, 0, 0, 60]);
        }
        body.extend_from_slice(&(client_id.len() as u16).to_be_bytes());
        body.extend_from_slice(client_id.as_bytes());
        let mut packet = vec![0x10, body.len() as u8];
        packet.extend_from_slice(&body);
        packet
    }

    #[test]
    fn connects_of_both_versions_are_taken_apart() {
        let c = parse_connect(connect_packet(4, "esp32-a")).unwrap();
        assert_eq!((c.level, c.client_id.as_str()), (4, "esp32-a"));
        assert!(refusal(&c).is_none());
        let c = parse_connect(connect_packet(5, "v5-client")).unwrap();
        assert_eq!((c.level, c.client_id.as_str()), (5, "v5-client"));
        assert_eq!(c.version_name(), "MQTT 5");
    }

    #[test]
    fn what_rumqttd_would_drop_silently_gets_a_connack() {
        let c = parse_connect(connect_packet(3, "old")).unwrap();
        let r = refusal(&c).unwrap();
        assert_eq!(r.connack, [0x20, 0x02, 0x00, 0x01]);
        assert!(r.reason.contains("MQTT 3.1 is not supported"), "{}", r.reason);
        let c = parse_connect(connect_packet(5, "a/b")).unwrap();
        assert_eq!(refusal(&c).unwrap().connack[3], 0x85);
    }

    #[test]
    fn garbage_is_not_a_connect() {
        assert!(parse_connect(vec![0x30, 0x00]).is_err());
        assert!(parse_connect(vec![0x10, 0x02, 0x00, 0x04]).is_err());
        assert!(parse_connect(b"\x10\x0cGET / HTTP/1".to_vec()).is_err());
    }

    #[test]
    fn connack_codes_are_put_in_words() {
        assert_eq!(connack_refusal(&[0x20, 2, 0, 0], 4), None);
        assert_eq!(connack_refusal(&[0x20, 2, 0, 5], 4).unwrap(), "not authorized (0x05)");
        assert_eq!(
            connack_refusal(&[0x20, 3, 0, 0x86, 0], 5).unwrap(),
            "bad user name or password (0x86)"
        );
    }

    #[tokio::test]
    async fn an_oversized_or_foreign_first_packet_is_refused_before_it_is_read() {
        let mut input: &[u8] = &[0x10, 0xff, 0xff, 0xff, 0x7f];
        assert!(matches!(read_connect(&mut input).await, Err(ReadError::Malformed(_))));
        // An HTTP request: refused on its first byte, not after 69 more.
        let mut input: &[u8] = b"GET / HTTP/1.1";
        let error = read_connect(&mut input).await.unwrap_err().to_string();
        assert_eq!(
            error,
            "not MQTT: the first packet is not a CONNECT (it starts with 0x47)"
        );
    }
}

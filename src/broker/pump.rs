//! The front's byte pump: forwards one direction of a connection packet by packet, so the
//! topics rumqttd cannot route can be mapped (`topics.rs`).
//!
//! It only looks at each packet's fixed header and, for a PUBLISH, the topic's length and
//! first byte. Everything else (payloads included, however large) is forwarded as read,
//! without waiting for the whole packet; only a SUBSCRIBE or UNSUBSCRIBE whose filters
//! change is held whole (they are small). A rewritten PUBLISH gets a new fixed header and
//! topic length, then its bytes stream on. Output is buffered and flushed whenever the
//! next read would wait, so latency is that of a plain copy.

use std::io;

use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _, BufWriter};

use super::topics::{self, MARKER};

/// Read and write buffer size.
const BUFFER_BYTES: usize = 64 * 1024;

/// The largest SUBSCRIBE or UNSUBSCRIBE held whole to map its filters; a larger one (a
/// filter is at most 64 KiB) passes unchanged.
const MAX_HELD_BYTES: usize = 1024 * 1024;

/// Which way the bytes go, and what is mapped on the way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Client to rumqttd: topics and filters get the marker. `v5` says whether SUBSCRIBE
    /// and UNSUBSCRIBE carry properties.
    ToBroker { v5: bool },
    /// rumqttd to client: PUBLISH topics lose it.
    ToClient,
}

/// What to do with the packet that starts the buffered bytes.
#[derive(Debug, PartialEq, Eq)]
enum Step {
    /// Not enough bytes to decide.
    More,
    /// Forward this many bytes as they are.
    Forward(usize),
    /// Write `head`, skip `skip` bytes of the packet, then forward `then` more.
    Replace { head: Vec<u8>, skip: usize, then: usize },
    /// Hold the whole packet (this many bytes) and map its filters.
    Whole(usize),
    /// Not MQTT any more (a remaining length over 4 bytes): forward everything as it is
    /// and let rumqttd close the connection.
    Raw,
    /// A packet rumqttd cannot be given safely.
    Refuse(&'static str),
}

fn step(bytes: &[u8], direction: Direction) -> Step {
    let Some(parsed) = bytes.get(1..).and_then(topics::varint) else {
        return Step::More;
    };
    let Ok((remaining, used)) = parsed else {
        return Step::Raw;
    };
    let header = 1 + used;
    let total = header + remaining;
    match (bytes[0] >> 4, direction) {
        (3, _) if remaining >= 3 => {
            let Some(peek) = bytes.get(header..header + 3) else {
                return Step::More;
            };
            let topic_len = usize::from(u16::from_be_bytes([peek[0], peek[1]]));
            publish_step(bytes[0], remaining, header, topic_len, peek[2], direction)
        }
        (8 | 10, Direction::ToBroker { .. }) if total <= MAX_HELD_BYTES => Step::Whole(total),
        _ => Step::Forward(total),
    }
}

fn publish_step(
    first: u8,
    remaining: usize,
    header: usize,
    topic_len: usize,
    topic_first: u8,
    direction: Direction,
) -> Step {
    if topic_len == 0 {
        return Step::Forward(header + remaining); // a topic alias alone: nothing to map
    }
    let mut head = vec![first];
    match direction {
        Direction::ToBroker { .. } if topic_first >= 0x80 || topic_first == MARKER => {
            let Ok(len) = u16::try_from(topic_len + 1) else {
                return Step::Refuse("a 65,535-byte topic starting with a non-ASCII character");
            };
            topics::put_varint(&mut head, remaining + 1);
            head.extend_from_slice(&len.to_be_bytes());
            head.push(MARKER);
            Step::Replace {
                head,
                skip: header + 2,
                then: remaining - 2,
            }
        }
        Direction::ToClient if topic_first == MARKER => {
            topics::put_varint(&mut head, remaining - 1);
            head.extend_from_slice(&((topic_len - 1) as u16).to_be_bytes());
            Step::Replace {
                head,
                skip: header + 3,
                then: remaining - 3,
            }
        }
        _ => Step::Forward(header + remaining),
    }
}

/// How a [`pump`] ended.
#[derive(Debug)]
pub enum Ended<W> {
    /// End of stream, passed on: `writer` is shut down.
    Closed,
    /// The client's last packet was a DISCONNECT, then its stream ended: `writer` (to
    /// rumqttd) is handed back open, for the caller to hold until rumqttd closes the
    /// connection itself.
    ///
    /// rumqttd frees a connection's id when its router reads the DISCONNECT and gives it
    /// to the next client at once; an end of stream its link reads after that reaches
    /// the router as a second disconnection of the same id, which drops that new client.
    Disconnected(W),
}

/// Forwards `reader` to `writer` until end of stream (then shuts `writer` down, unless
/// [`Ended::Disconnected`]) or an error.
pub async fn pump<R, W>(mut reader: R, writer: W, direction: Direction) -> io::Result<Ended<W>>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut out = BufWriter::with_capacity(BUFFER_BYTES, writer);
    let mut buf = vec![0u8; BUFFER_BYTES];
    let (mut start, mut end) = (0usize, 0usize);
    // Bytes of the current packet still to forward as they are, and to drop unread.
    let (mut pass, mut skip) = (0usize, 0usize);
    let mut raw = false;
    // The last packet that started was a client's DISCONNECT.
    let mut disconnect = false;
    loop {
        // The replaced header first, then the rest of the packet.
        if start < end && skip > 0 {
            let n = skip.min(end - start);
            start += n;
            skip -= n;
            continue;
        }
        if start < end && (pass > 0 || raw) {
            let n = if raw { end - start } else { pass.min(end - start) };
            out.write_all(&buf[start..start + n]).await?;
            start += n;
            pass -= n.min(pass);
            continue;
        }
        let wanted = if start < end && pass == 0 && skip == 0 && !raw {
            let kind = buf[start] >> 4;
            let step = step(&buf[start..end], direction);
            if step != Step::More {
                disconnect = kind == 14 && matches!(direction, Direction::ToBroker { .. });
            }
            match step {
                Step::More => None,
                Step::Forward(n) => {
                    pass = n;
                    continue;
                }
                Step::Replace { head, skip: s, then } => {
                    out.write_all(&head).await?;
                    skip = s;
                    pass = then;
                    continue;
                }
                Step::Raw => {
                    raw = true;
                    continue;
                }
                Step::Refuse(what) => {
                    out.flush().await?;
                    return Err(io::Error::new(io::ErrorKind::InvalidData, format!("refused {what}")));
                }
                Step::Whole(total) if end - start >= total => {
                    let packet = &buf[start..start + total];
                    let with_options = packet[0] >> 4 == 8;
                    let v5 = matches!(direction, Direction::ToBroker { v5: true });
                    match topics::map_filters(packet, v5, with_options) {
                        Some(mapped) => out.write_all(&mapped).await?,
                        None => out.write_all(packet).await?,
                    }
                    start += total;
                    continue;
                }
                Step::Whole(total) => Some(total),
            }
        } else {
            None
        };
        // Everything buffered is handled or waits for more: read (flushing first, since
        // the read may wait).
        if start == end {
            start = 0;
            end = 0;
        } else if start > 0 {
            buf.copy_within(start..end, 0);
            end -= start;
            start = 0;
        }
        match wanted {
            Some(total) if total > buf.len() => buf.resize(total, 0),
            // Back to the usual size after a large held packet.
            None if buf.len() > BUFFER_BYTES && end <= BUFFER_BYTES => buf.truncate(BUFFER_BYTES),
            _ => {}
        }
        if end == buf.len() {
            // Cannot happen: a held packet fits (resized above), any other step needs at
            // most 8 bytes. Kept as a guard against a zero-length read meaning EOF.
            buf.resize(buf.len() + BUFFER_BYTES, 0);
        }
        out.flush().await?;
        let n = reader.read(&mut buf[end..]).await?;
        if n == 0 {
            // End of stream, possibly inside a packet: pass on what there is.
            out.write_all(&buf[start..end]).await?;
            if disconnect && start == end {
                out.flush().await?;
                return Ok(Ended::Disconnected(out.into_inner()));
            }
            out.shutdown().await?;
            return Ok(Ended::Closed);
        }
        end += n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn publish(topic: &str, payload: &[u8]) -> Vec<u8> {
        let mut body = (topic.len() as u16).to_be_bytes().to_vec();
        body.extend_from_slice(topic.as_bytes());
        body.extend_from_slice(payload);
        let mut p = vec![0x31];
        topics::put_varint(&mut p, body.len());
        p.extend(body);
        p
    }

    async fn through(input: &[u8], direction: Direction, chunk: usize) -> Vec<u8> {
        let (mut client, front_in) = tokio::io::duplex(1024);
        let (front_out, mut broker) = tokio::io::duplex(1024);
        let task = tokio::spawn(pump(front_in, front_out, direction));
        let input = input.to_vec();
        let writer = tokio::spawn(async move {
            for piece in input.chunks(chunk) {
                client.write_all(piece).await.unwrap();
            }
            client.shutdown().await.unwrap();
        });
        let mut got = Vec::new();
        broker.read_to_end(&mut got).await.unwrap();
        writer.await.unwrap();
        assert!(matches!(task.await.unwrap().unwrap(), Ended::Closed));
        got
    }

    #[tokio::test]
    async fn topics_are_marked_on_the_way_in_and_unmarked_on_the_way_out_in_any_chunking() {
        let big = vec![7u8; 200_000];
        let mut input = publish("家/客厅/温度", b"23.5");
        input.extend(publish("a/b", &big));
        input.extend(publish("日本/温度", &big[..100])); // 127 → 128 bytes: longer length
        let mut want = publish("\u{1f}家/客厅/温度", b"23.5");
        want.extend(publish("a/b", &big));
        want.extend(publish("\u{1f}日本/温度", &big[..100]));
        for chunk in [1, 3, 1000, 1 << 20] {
            let to_broker = through(&input, Direction::ToBroker { v5: false }, chunk).await;
            let first_difference = to_broker.iter().zip(&want).position(|(a, b)| a != b);
            assert!(
                to_broker == want,
                "chunk {chunk}: mapped wrong from byte {first_difference:?} ({} bytes, not {})",
                to_broker.len(),
                want.len()
            );
            let back = through(&want, Direction::ToClient, chunk).await;
            assert!(back == input, "chunk {chunk}: unmapped wrong");
        }
    }

    /// Feeds `input` through a pump, then ends the client's stream: how the pump ended,
    /// and whether the far side then read an end of stream.
    async fn ending(input: &[u8], direction: Direction) -> (bool, bool) {
        let (mut client, front_in) = tokio::io::duplex(1024);
        let (front_out, mut broker) = tokio::io::duplex(1024);
        client.write_all(input).await.unwrap();
        client.shutdown().await.unwrap();
        let ended = pump(front_in, front_out, direction).await.unwrap();
        let mut got = vec![0u8; input.len()];
        broker.read_exact(&mut got).await.unwrap();
        assert_eq!(got, input);
        let held = matches!(ended, Ended::Disconnected(_));
        let mut more = [0u8; 1];
        let eof = tokio::time::timeout(std::time::Duration::from_millis(50), broker.read(&mut more))
            .await
            .is_ok_and(|r| r.is_ok_and(|n| n == 0));
        drop(ended);
        (held, eof)
    }

    #[tokio::test]
    async fn a_client_disconnect_then_end_of_stream_keeps_the_broker_side_open() {
        let to_broker = Direction::ToBroker { v5: false };
        let ping_then_disconnect = [0xC0, 0x00, 0xE0, 0x00];
        assert_eq!(ending(&ping_then_disconnect, to_broker).await, (true, false));
        // An MQTT 5 DISCONNECT with a reason code and properties is one too.
        assert_eq!(
            ending(&[0xE0, 0x02, 0x00, 0x00], Direction::ToBroker { v5: true }).await,
            (true, false)
        );
        // Anything after the DISCONNECT, a stream ending without one, or the broker's own
        // DISCONNECT: the end of stream is passed on.
        assert_eq!(ending(&[0xE0, 0x00, 0xC0, 0x00], to_broker).await, (false, true));
        assert_eq!(ending(&[0xC0, 0x00], to_broker).await, (false, true));
        assert_eq!(ending(&[0xE0, 0x00], Direction::ToClient).await, (false, true));
    }

    #[test]
    fn a_publish_with_only_a_topic_alias_or_an_ascii_topic_is_forwarded() {
        let alias_only = [0x30, 0x05, 0x00, 0x00, 0x00, b'h', b'i'];
        assert_eq!(step(&alias_only, Direction::ToBroker { v5: true }), Step::Forward(7));
        let plain = publish("a/b", b"x");
        assert_eq!(step(&plain, Direction::ToClient), Step::Forward(plain.len()));
        assert_eq!(step(&[0x30], Direction::ToClient), Step::More);
        assert_eq!(step(&[0x30, 0xff, 0xff, 0xff, 0xff], Direction::ToClient), Step::Raw);
    }

    #[test]
    fn a_topic_too_long_for_its_marker_is_refused_not_passed_to_rumqttd() {
        // 65,535 bytes of topic starting with '家', then a payload: no room for the marker.
        let mut head = vec![0x30];
        topics::put_varint(&mut head, 2 + 65_535 + 4);
        head.extend_from_slice(&[0xff, 0xff, 0xe5]);
        assert!(matches!(
            step(&head, Direction::ToBroker { v5: false }),
            Step::Refuse(_)
        ));
        // The same topic one byte shorter gets its marker.
        let mut head = vec![0x30];
        topics::put_varint(&mut head, 2 + 65_534 + 4);
        head.extend_from_slice(&[0xff, 0xfe, 0xe5]);
        assert!(matches!(
            step(&head, Direction::ToBroker { v5: false }),
            Step::Replace { .. }
        ));
    }
}

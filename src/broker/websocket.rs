//! The WebSocket side of the broker's front: the HTTP upgrade, then the connection as a
//! byte stream (binary frames in and out) so the same proxy serves it as TCP.

use async_tungstenite::tokio::{TokioAdapter, accept_hdr_async};
use async_tungstenite::tungstenite::handshake::server::{Callback, ErrorResponse, Request, Response};
use async_tungstenite::tungstenite::http::HeaderValue;
use tokio::net::TcpStream;
use ws_stream_tungstenite::WsStream;

/// Completes the WebSocket handshake; the stream reads and writes the MQTT bytes.
pub async fn accept(
    stream: TcpStream,
) -> Result<WsStream<TokioAdapter<TcpStream>>, async_tungstenite::tungstenite::Error> {
    let ws = accept_hdr_async(stream, MqttSubprotocol).await?;
    Ok(WsStream::new(ws))
}

/// MQTT over WebSockets names the subprotocol `mqtt` (MQTT 5 §6; 3.1.1 clients also
/// send `mqttv3.1`); a client that asked for it must see it accepted, and one that did
/// not must not get it (some clients then fail the handshake).
struct MqttSubprotocol;

impl Callback for MqttSubprotocol {
    fn on_request(self, request: &Request, mut response: Response) -> Result<Response, ErrorResponse> {
        let offered = request
            .headers()
            .get_all("sec-websocket-protocol")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .find(|p| p.eq_ignore_ascii_case("mqtt") || p.eq_ignore_ascii_case("mqttv3.1"))
            .map(str::to_owned);
        if let Some(protocol) = offered
            && let Ok(value) = HeaderValue::from_str(&protocol)
        {
            response.headers_mut().insert("sec-websocket-protocol", value);
        }
        Ok(response)
    }
}

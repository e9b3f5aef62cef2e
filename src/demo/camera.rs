//! An ESP32-CAM publishing a small JPEG every 3 s on `esp32cam/d4e5f6/frame`, so the
//! inspector's image preview has something live to show. The picture is synthetic: a
//! gradient, a bright square moving along a Lissajous path, and the frame number drawn as
//! blocks, so consecutive frames visibly differ. `snap` on `esp32cam/d4e5f6/cmd` takes a
//! frame at once.

use image::codecs::jpeg::JpegEncoder;
use image::{ImageError, Rgb, RgbImage};
use serde_json::json;

use super::link::{Device, LinkSpec};
use super::sim::{Now, Outgoing};

pub(crate) const NAME: &str = "esp32cam/d4e5f6";
pub(crate) const WIDTH: u32 = 160;
pub(crate) const HEIGHT: u32 = 120;

const FRAME_EVERY: u64 = 3;
const JPEG_QUALITY: u8 = 70;
const SQUARE: u32 = 18;
/// Pixel size of one block of the frame counter's 3×5 digits.
const BLOCK: u32 = 3;

/// 3×5 bitmaps of the digits 0–9, one row per entry, most significant bit on the left.
const DIGITS: [[u8; 5]; 10] = [
    [0b111, 0b101, 0b101, 0b101, 0b111],
    [0b010, 0b110, 0b010, 0b010, 0b111],
    [0b111, 0b001, 0b111, 0b100, 0b111],
    [0b111, 0b001, 0b111, 0b001, 0b111],
    [0b101, 0b101, 0b111, 0b001, 0b001],
    [0b111, 0b100, 0b111, 0b001, 0b111],
    [0b111, 0b100, 0b111, 0b101, 0b111],
    [0b111, 0b001, 0b001, 0b001, 0b001],
    [0b111, 0b101, 0b111, 0b101, 0b111],
    [0b111, 0b101, 0b111, 0b001, 0b111],
];

/// Where the bright square's top-left corner is in frame `n`.
pub(crate) fn square_position(n: u64) -> (u32, u32) {
    let t = n as f64;
    let x = (f64::from(WIDTH - SQUARE) / 2.0) * (1.0 + (t * 0.45).sin());
    let y = (f64::from(HEIGHT - SQUARE) / 2.0) * (1.0 + (t * 0.31 + 1.0).sin());
    (x.round() as u32, y.round() as u32)
}

/// Draws frame `n`.
pub(crate) fn render_frame(n: u64) -> RgbImage {
    // The gradient's colours creep with the frame number, like changing light.
    let shift = (n % 64) as u32;
    let mut img = RgbImage::from_fn(WIDTH, HEIGHT, |x, y| {
        Rgb([
            (30 + x * 110 / WIDTH + shift) as u8,
            (50 + y * 120 / HEIGHT) as u8,
            (170 - x * 80 / WIDTH - y * 40 / HEIGHT) as u8,
        ])
    });
    let (sx, sy) = square_position(n);
    fill(&mut img, sx, sy, SQUARE, SQUARE, Rgb([255, 244, 140]));

    // The counter: dark plate, white blocks, top-left.
    let text = n.to_string();
    let glyph_w = 4 * BLOCK;
    fill(
        &mut img,
        2,
        2,
        glyph_w * text.len() as u32 + BLOCK,
        7 * BLOCK,
        Rgb([12, 12, 16]),
    );
    for (i, ch) in text.bytes().enumerate() {
        let digit = DIGITS[usize::from(ch - b'0')];
        for (row, bits) in digit.iter().enumerate() {
            for col in 0..3 {
                if bits & (0b100 >> col) != 0 {
                    let x = 2 + BLOCK + i as u32 * glyph_w + col * BLOCK;
                    let y = 2 + BLOCK + row as u32 * BLOCK;
                    fill(&mut img, x, y, BLOCK, BLOCK, Rgb([250, 250, 250]));
                }
            }
        }
    }
    img
}

/// Fills a rectangle, clipped to the image.
fn fill(img: &mut RgbImage, x0: u32, y0: u32, w: u32, h: u32, colour: Rgb<u8>) {
    for y in y0..(y0 + h).min(img.height()) {
        for x in x0..(x0 + w).min(img.width()) {
            img.put_pixel(x, y, colour);
        }
    }
}

/// Frame `n` as a JPEG, a few kilobytes like a low-resolution ESP32-CAM frame.
pub(crate) fn frame_jpeg(n: u64) -> Result<Vec<u8>, ImageError> {
    let mut jpeg = Vec::with_capacity(8 * 1024);
    JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY).encode_image(&render_frame(n))?;
    Ok(jpeg)
}

#[derive(Default)]
pub(crate) struct Camera {
    frames: u64,
    ticks: u64,
}

impl Camera {
    /// The next frame and its metadata, or nothing if encoding failed.
    fn capture(&mut self, now: &Now) -> Vec<Outgoing> {
        self.frames += 1;
        match frame_jpeg(self.frames) {
            Ok(jpeg) => {
                let info = json!({
                    "frame": self.frames,
                    "bytes": jpeg.len(),
                    "width": WIDTH,
                    "height": HEIGHT,
                    "format": "jpeg",
                    "uptime": now.uptime_whole(),
                });
                vec![
                    Outgoing::new(format!("{NAME}/frame"), jpeg),
                    Outgoing::new(format!("{NAME}/info"), info.to_string()),
                ]
            }
            Err(e) => {
                tracing::debug!("camera: cannot encode frame {}: {e}", self.frames);
                Vec::new()
            }
        }
    }
}

impl Device for Camera {
    fn link(&self) -> LinkSpec {
        LinkSpec {
            client_id: "sim-esp32cam_d4e5f6".to_owned(),
            availability_topic: format!("{NAME}/status"),
            online: "online",
            offline: "offline",
            subscriptions: vec![format!("{NAME}/cmd")],
            dropout: None,
        }
    }

    fn on_connect(&mut self, now: &Now) -> Vec<Outgoing> {
        self.capture(now)
    }

    fn on_tick(&mut self, now: &Now) -> Vec<Outgoing> {
        self.ticks += 1;
        if self.ticks.is_multiple_of(FRAME_EVERY) {
            self.capture(now)
        } else {
            Vec::new()
        }
    }

    fn on_message(&mut self, topic: &str, payload: &[u8], now: &Now) -> Vec<Outgoing> {
        if topic != format!("{NAME}/cmd") {
            return Vec::new();
        }
        let command = String::from_utf8_lossy(payload);
        if command.trim().eq_ignore_ascii_case("snap") {
            self.capture(now)
        } else {
            let error = json!({"topic": topic, "error": format!("unknown command {:?}; try \"snap\"", command.trim())});
            vec![Outgoing::new(format!("{NAME}/error"), error.to_string())]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_decode_to_160_by_120() {
        let jpeg = frame_jpeg(1234).unwrap();
        assert_eq!(&jpeg[..2], &[0xFF, 0xD8], "JPEG SOI marker");
        assert!(jpeg.len() < 20_000, "{} bytes", jpeg.len());
        let img = image::load_from_memory(&jpeg).unwrap().to_rgb8();
        assert_eq!(img.dimensions(), (WIDTH, HEIGHT));
        // The moving square survives compression as a bright patch.
        let (x, y) = square_position(1234);
        let centre = img.get_pixel(x + SQUARE / 2, y + SQUARE / 2);
        assert!(centre[0] > 200 && centre[1] > 200, "{centre:?}");
    }

    #[test]
    fn frames_differ_and_square_moves() {
        assert_ne!(frame_jpeg(1).unwrap(), frame_jpeg(2).unwrap());
        assert_ne!(square_position(1), square_position(2));
        for n in 0..500 {
            let (x, y) = square_position(n);
            assert!(x + SQUARE <= WIDTH && y + SQUARE <= HEIGHT);
        }
        // Large counters are clipped, not a panic.
        let _ = render_frame(u64::MAX);
    }

    #[test]
    fn publishes_every_3_s_and_on_snap() {
        let mut cam = Camera::default();
        let frames = (1..=9)
            .flat_map(|s| cam.on_tick(&Now::at(8, f64::from(s))))
            .filter(|o| o.topic == "esp32cam/d4e5f6/frame")
            .count();
        assert_eq!(frames, 3);
        let out = cam.on_message("esp32cam/d4e5f6/cmd", b" SNAP ", &Now::at(8, 10.0));
        assert_eq!(out[0].topic, "esp32cam/d4e5f6/frame");
        let info: serde_json::Value = serde_json::from_slice(&out[1].payload).unwrap();
        assert_eq!(info["frame"], 4);
        assert_eq!(info["bytes"], out[0].payload.len());
        let out = cam.on_message("esp32cam/d4e5f6/cmd", b"zoom", &Now::at(8, 11.0));
        assert_eq!(out[0].topic, "esp32cam/d4e5f6/error");
    }
}

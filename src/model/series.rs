//! Time series for plots: values extracted from one topic's payloads (the whole payload
//! as a number, one JSON field, or a binary field), kept as (time, value) points with x
//! always increasing, capped per series, and decimated (min/max per pixel column) for
//! drawing long windows.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::binary::BinaryNumber;
use super::decode::Decoder;
use super::encoding::TextEncoding;
use super::json_path::JsonPath;
use super::numbers::extract_number;
use super::payload::PayloadKind;
use super::stored::StoredMessage;

/// Points kept per series; the oldest go first beyond this.
pub const MAX_POINTS_PER_SERIES: usize = 200_000;

/// How a number is read from a payload.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Extractor {
    /// The whole payload as a number ("21.5", "1013.2 hPa", "ON").
    Whole,
    /// One field of a JSON payload.
    Json(JsonPath),
    /// A field of a binary payload.
    Binary(BinaryNumber),
    /// A field of a payload decoded first (a struct's `temperature`, a MessagePack
    /// map's `rssi`); the root path plots a payload that decodes to one number.
    Decoded { decoder: Decoder, path: JsonPath },
}

/// What a series plots: a topic and how to read it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SeriesSpec {
    pub topic: String,
    pub extractor: Extractor,
    /// The connection (profile name) the topic is read from, when it is not the chart's
    /// own: a chart may compare the same sensor on two brokers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection: Option<String>,
}

impl SeriesSpec {
    /// "tele/x/SENSOR AM2301.Temperature", or the topic alone for whole payloads.
    pub fn label(&self) -> String {
        let base = self.label_in_own_connection();
        match &self.connection {
            Some(c) => format!("[{c}] {base}"),
            None => base,
        }
    }

    fn label_in_own_connection(&self) -> String {
        match &self.extractor {
            Extractor::Whole => self.topic.clone(),
            Extractor::Json(p) => format!("{} {p}", self.topic),
            Extractor::Binary(b) => format!(
                "{} {}@{} {}",
                self.topic,
                b.kind.name(),
                b.offset,
                if b.little_endian { "LE" } else { "BE" }
            ),
            Extractor::Decoded { decoder, path } if path.is_root() => format!("{} ({})", self.topic, decoder.name()),
            Extractor::Decoded { decoder, path } => format!("{} {path} ({})", self.topic, decoder.name()),
        }
    }

    /// The value of `msg` for this series, if it has one (NaN and infinities never do).
    pub fn extract(&self, msg: &StoredMessage) -> Option<f64> {
        self.extract_in(msg, TextEncoding::Utf8)
    }

    /// [`Self::extract`] for a payload whose text is in `encoding` (a GBK "温度 23.5" or
    /// `{"温度": 23.5}`); binary fields do not depend on it.
    pub fn extract_in(&self, msg: &StoredMessage, encoding: TextEncoding) -> Option<f64> {
        self.extract_with(msg, encoding, None)
    }

    /// [`Self::extract_in`] naming Sparkplug B metrics sent by alias from `sparkplug`
    /// (the connection's births), so `metrics.Temperature` plots from alias-only NDATA.
    pub fn extract_with(
        &self,
        msg: &StoredMessage,
        encoding: TextEncoding,
        sparkplug: Option<&super::SparkplugRegistry>,
    ) -> Option<f64> {
        let value = match &self.extractor {
            Extractor::Decoded {
                decoder: Decoder::Sparkplug,
                path,
            } if sparkplug.is_some() => sparkplug?
                .read(&self.topic, &msg.payload)
                .ok()
                .and_then(|v| path.extract(&v)),
            Extractor::Whole if encoding == TextEncoding::Utf8 => {
                std::str::from_utf8(&msg.payload).ok().and_then(extract_number)
            }
            Extractor::Whole => {
                let decoded = encoding.decode(&msg.payload);
                decoded.is_clean().then(|| extract_number(&decoded.text)).flatten()
            }
            Extractor::Json(path) if encoding == TextEncoding::Utf8 => {
                if !matches!(msg.kind(), PayloadKind::Json) {
                    return None;
                }
                let v: serde_json::Value = serde_json::from_slice(&msg.payload).ok()?;
                path.extract(&v)
            }
            Extractor::Json(path) => {
                let decoded = encoding.decode(&msg.payload);
                if !decoded.is_clean() {
                    return None;
                }
                let v: serde_json::Value = serde_json::from_str(&decoded.text).ok()?;
                path.extract(&v)
            }
            Extractor::Binary(b) => b.read(&msg.payload),
            // A payload that does not decode has no value: it is skipped, as a JSON
            // series skips a message that is not JSON.
            Extractor::Decoded { decoder, path } => decoder.decode(&msg.payload).ok().and_then(|v| path.extract(&v)),
        };
        value.filter(|v| v.is_finite())
    }
}

/// The time span a chart shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TimeWindow {
    Min1,
    #[default]
    Min10,
    Hour1,
    All,
}

impl TimeWindow {
    pub const ALL: [TimeWindow; 4] = [Self::Min1, Self::Min10, Self::Hour1, Self::All];

    /// The span in words, in the interface's language.
    pub fn label(self) -> String {
        match self {
            Self::Min1 => crate::tr!("panes-window-min", n = 1),
            Self::Min10 => crate::tr!("panes-window-min", n = 10),
            Self::Hour1 => crate::tr!("panes-window-h", n = 1),
            Self::All => crate::tr!("panes-window-all"),
        }
    }

    pub fn secs(self) -> Option<f64> {
        match self {
            Self::Min1 => Some(60.0),
            Self::Min10 => Some(600.0),
            Self::Hour1 => Some(3600.0),
            Self::All => None,
        }
    }
}

/// Which series a chart holds and how it shows them: what is saved with the profile.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChartLayout {
    pub title: String,
    pub window: TimeWindow,
    pub series: Vec<SeriesSpec>,
    /// `None` for an automatic Y range.
    pub y_range: Option<(f64, f64)>,
}

/// Seconds since the Unix epoch, the x axis of every plot.
pub fn epoch_secs(t: SystemTime) -> f64 {
    t.duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64())
}

/// A point type the series can store. The model uses `[f64; 2]`; the UI stores egui_plot's
/// own point type so it can lend the points to the plot without copying them per frame.
pub trait Xy: Copy {
    fn new(x: f64, y: f64) -> Self;
    fn x(&self) -> f64;
    fn y(&self) -> f64;
}

impl Xy for [f64; 2] {
    fn new(x: f64, y: f64) -> Self {
        [x, y]
    }
    fn x(&self) -> f64 {
        self[0]
    }
    fn y(&self) -> f64 {
        self[1]
    }
}

/// Summary of the points in a window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SeriesStats {
    pub min: f64,
    pub max: f64,
    pub mean: f64,
    pub last: f64,
    pub count: usize,
}

/// One series' points, x increasing.
#[derive(Debug, Clone)]
pub struct Series<P: Xy = [f64; 2]> {
    pub spec: SeriesSpec,
    points: Vec<P>,
    cap: usize,
    /// Points dropped by the cap.
    pub dropped: u64,
}

impl<P: Xy> Series<P> {
    pub fn new(spec: SeriesSpec) -> Self {
        Self::with_cap(spec, MAX_POINTS_PER_SERIES)
    }

    pub fn with_cap(spec: SeriesSpec, cap: usize) -> Self {
        Self {
            spec,
            points: Vec::new(),
            cap: cap.max(2),
            dropped: 0,
        }
    }

    /// All points, x increasing (borrowed, never copied per frame).
    pub fn points(&self) -> &[P] {
        &self.points
    }

    /// Adds the value of `msg`, if any. Returns true when a point was added.
    pub fn push_message(&mut self, msg: &StoredMessage) -> bool {
        self.push_message_in(msg, TextEncoding::Utf8)
    }

    /// [`Self::push_message`] for a payload whose text is in `encoding`.
    pub fn push_message_in(&mut self, msg: &StoredMessage, encoding: TextEncoding) -> bool {
        self.push_message_with(msg, encoding, None)
    }

    /// [`Self::push_message_in`] with the connection's Sparkplug births.
    pub fn push_message_with(
        &mut self,
        msg: &StoredMessage,
        encoding: TextEncoding,
        sparkplug: Option<&super::SparkplugRegistry>,
    ) -> bool {
        match self.spec.extract_with(msg, encoding, sparkplug) {
            Some(v) => {
                self.push(epoch_secs(msg.time()), v);
                true
            }
            None => false,
        }
    }

    /// Adds a point; an x older than the last (clock skew) is moved up to keep x sorted.
    pub fn push(&mut self, x: f64, y: f64) {
        let x = self.points.last().map_or(x, |last| x.max(last.x()));
        self.points.push(P::new(x, y));
        // Drop in chunks so the cost is amortised O(1) per point.
        if self.points.len() >= self.cap + self.cap / 4 {
            let excess = self.points.len() - self.cap;
            self.points.drain(..excess);
            self.dropped += excess as u64;
        }
    }

    /// Index range of the points with x in `[x_min, x_max]`.
    pub fn range(&self, x_min: f64, x_max: f64) -> std::ops::Range<usize> {
        let start = self.points.partition_point(|p| p.x() < x_min);
        let end = self.points.partition_point(|p| p.x() <= x_max);
        start..end.max(start)
    }

    /// Min, max, mean and last of the points with x in `[x_min, x_max]`.
    pub fn stats(&self, x_min: f64, x_max: f64) -> Option<SeriesStats> {
        let pts = &self.points[self.range(x_min, x_max)];
        let last = pts.last()?.y();
        let (mut min, mut max, mut sum) = (f64::INFINITY, f64::NEG_INFINITY, 0.0);
        for p in pts {
            min = min.min(p.y());
            max = max.max(p.y());
            sum += p.y();
        }
        Some(SeriesStats {
            min,
            max,
            mean: sum / pts.len() as f64,
            last,
            count: pts.len(),
        })
    }
}

/// The points of `pts` reduced to at most ~4 per column of `columns` over `[x_min, x_max]`:
/// first, min, max and last of each column, in x order, so spikes survive.
/// Returns `None` when there are few enough points to draw them all.
pub fn decimate<P: Xy>(pts: &[P], x_min: f64, x_max: f64, columns: usize) -> Option<Vec<P>> {
    let columns = columns.max(1);
    if pts.len() <= columns * 4 || x_max <= x_min {
        return None;
    }
    let width = (x_max - x_min) / columns as f64;
    let mut out = Vec::with_capacity(columns * 4 + 4);
    let n = pts.len();
    let mut i = 0;
    // One comparison per point against the column's right edge: this loop runs over
    // every point of every series on every frame, so it is kept tight.
    while i < n {
        let col = ((pts[i].x() - x_min) / width).floor();
        let right = x_min + (col + 1.0) * width;
        let (mut lo, mut hi) = (i, i);
        let (mut lo_y, mut hi_y) = (pts[i].y(), pts[i].y());
        let mut j = i + 1;
        while j < n {
            let p = &pts[j];
            if p.x() >= right {
                break;
            }
            let y = p.y();
            if y < lo_y {
                (lo, lo_y) = (j, y);
            }
            if y > hi_y {
                (hi, hi_y) = (j, y);
            }
            j += 1;
        }
        let mut picks = [i, lo, hi, j - 1];
        picks.sort_unstable();
        let mut prev = usize::MAX;
        for k in picks {
            if k != prev {
                out.push(pts[k]);
                prev = k;
            }
        }
        i = j;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use std::time::Duration;

    fn msg(payload: &[u8], secs: u64) -> StoredMessage {
        StoredMessage::new(
            Bytes::copy_from_slice(payload),
            0,
            false,
            UNIX_EPOCH + Duration::from_secs(secs),
            None,
        )
    }

    #[test]
    fn extracts_whole_json_and_binary_values() {
        let whole = SeriesSpec {
            topic: "t".into(),
            extractor: Extractor::Whole,
            connection: None,
        };
        assert_eq!(whole.extract(&msg(b"21.5 \xc2\xb0C", 0)), Some(21.5));
        assert_eq!(whole.extract(&msg(b"nan", 0)), None);
        let json = SeriesSpec {
            topic: "t".into(),
            extractor: Extractor::Json(JsonPath::parse("AM2301.Temperature").unwrap()),
            connection: None,
        };
        assert_eq!(json.extract(&msg(br#"{"AM2301":{"Temperature":21.7}}"#, 0)), Some(21.7));
        assert_eq!(json.extract(&msg(b"not json", 0)), None);
        assert_eq!(json.label(), "t AM2301.Temperature");
    }

    #[test]
    fn values_are_read_in_the_payloads_encoding() {
        let whole = SeriesSpec {
            topic: "legacy/t".into(),
            extractor: Extractor::Whole,
            connection: None,
        };
        let json = SeriesSpec {
            extractor: Extractor::Json(JsonPath::parse("温度").unwrap()),
            ..whole.clone()
        };
        // "23.5 度" and {"温度": 23.5} in GBK.
        let gbk_text = msg(b"23.5 \xb6\xc8", 0);
        let gbk_json = msg(b"{\"\xce\xc2\xb6\xc8\": 23.5}", 0);
        assert_eq!(whole.extract(&gbk_text), None);
        assert_eq!(whole.extract_in(&gbk_text, TextEncoding::Gb18030), Some(23.5));
        assert_eq!(json.extract(&gbk_json), None);
        assert_eq!(json.extract_in(&gbk_json, TextEncoding::Gb18030), Some(23.5));
        // A payload with a bad byte in the encoding gives no value rather than a guess.
        assert_eq!(whole.extract_in(&msg(b"23.5\xff", 0), TextEncoding::ShiftJis), None);
    }

    #[test]
    fn every_corpus_entry_extracts_a_finite_value_or_nothing() {
        // numbers.rs pins the exact values of the plain entries; here every entry goes
        // through the same extractors the plots use, JSON fields included.
        let mut plotted_fields = 0;
        for e in crate::model::test_corpus::corpus() {
            let m = msg(&e.payload, 0);
            let whole = SeriesSpec {
                topic: e.topic.clone(),
                extractor: Extractor::Whole,
                connection: None,
            };
            if let Some(v) = whole.extract(&m) {
                assert!(v.is_finite(), "{}: {v}", e.topic);
            }
            if m.kind() == PayloadKind::Json {
                let value: serde_json::Value = serde_json::from_slice(&e.payload).unwrap();
                for (path, v) in crate::model::numeric_paths(&value) {
                    let spec = SeriesSpec {
                        topic: e.topic.clone(),
                        extractor: Extractor::Json(path.clone()),
                        connection: None,
                    };
                    assert_eq!(spec.extract(&m), Some(v), "{} {path}", e.topic);
                    plotted_fields += 1;
                }
            }
        }
        assert!(
            plotted_fields > 40,
            "{plotted_fields} numeric JSON fields in the corpus"
        );
        let sensor = crate::model::test_corpus::corpus()
            .into_iter()
            .find(|e| e.topic == "tele/tasmota_5C3F21/SENSOR")
            .unwrap();
        let spec = SeriesSpec {
            topic: sensor.topic.clone(),
            extractor: Extractor::Json(JsonPath::parse("AM2301.Temperature").unwrap()),
            connection: None,
        };
        assert_eq!(spec.extract(&msg(&sensor.payload, 0)), Some(21.7));
    }

    #[test]
    fn x_stays_increasing_and_the_cap_holds() {
        let mut s: Series = Series::with_cap(
            SeriesSpec {
                topic: "t".into(),
                extractor: Extractor::Whole,
                connection: None,
            },
            100,
        );
        s.push(10.0, 1.0);
        s.push(5.0, 2.0); // clock went backwards
        assert_eq!(s.points(), &[[10.0, 1.0], [10.0, 2.0]]);
        for i in 0..1000 {
            s.push(20.0 + f64::from(i), f64::from(i));
        }
        assert!(
            s.points().len() <= 125 && s.points().len() >= 100,
            "{}",
            s.points().len()
        );
        assert!(s.points().windows(2).all(|w| w[0][0] <= w[1][0]));
        assert_eq!(s.points().last().unwrap()[1], 999.0);
        assert_eq!(s.dropped as usize + s.points().len(), 1002);
    }

    #[test]
    fn stats_and_range_use_the_window() {
        let mut s: Series = Series::new(SeriesSpec {
            topic: "t".into(),
            extractor: Extractor::Whole,
            connection: None,
        });
        for (x, y) in [(1.0, 5.0), (2.0, 1.0), (3.0, 9.0), (4.0, 3.0)] {
            s.push(x, y);
        }
        let st = s.stats(2.0, 3.5).unwrap();
        assert_eq!((st.min, st.max, st.last, st.count), (1.0, 9.0, 9.0, 2));
        assert_eq!(st.mean, 5.0);
        assert!(s.stats(10.0, 20.0).is_none());
    }

    #[test]
    fn decimation_keeps_extremes_and_bounds_the_count() {
        let pts: Vec<[f64; 2]> = (0..100_000)
            .map(|i| [f64::from(i), if i == 51_234 { 1000.0 } else { f64::from(i % 7) }])
            .collect();
        let d = decimate(&pts, 0.0, 100_000.0, 500).unwrap();
        assert!(d.len() <= 2000, "{}", d.len());
        assert!(d.iter().any(|p| p[1] == 1000.0), "the spike survives");
        assert!(d.windows(2).all(|w| w[0][0] <= w[1][0]));
        assert!(decimate(&pts[..100], 0.0, 100.0, 500).is_none());
    }
}

//! Charts: several per window, several series per chart, fed live from the messages the
//! model ingests and back-filled from history when a series is added.

use std::collections::HashMap;

use egui_plot::PlotPoint;

pub use crate::model::series::{ChartLayout, TimeWindow};
use crate::model::series::{Series, SeriesSpec, SeriesStats, Xy, epoch_secs};
use crate::model::{EncodingRules, Model, StoredMessage, TextEncoding};

impl Xy for PlotPoint {
    fn new(x: f64, y: f64) -> Self {
        PlotPoint { x, y }
    }
    fn x(&self) -> f64 {
        self.x
    }
    fn y(&self) -> f64 {
        self.y
    }
}

/// A series as the plots store it: egui_plot points, lent to the plot without copying.
pub type PlotSeries = Series<PlotPoint>;

/// One chart.
#[derive(Debug)]
pub struct Chart {
    pub id: u64,
    /// The connection the chart was made on; its profile saves the chart.
    pub home: String,
    pub title: String,
    pub series: Vec<PlotSeries>,
    pub window: TimeWindow,
    /// Set once the window was chosen to fit the data (or by the user or a saved layout).
    pub window_fitted: bool,
    pub y_range: Option<(f64, f64)>,
    /// `Some(x)` while paused: the right edge stays at `x`.
    pub paused_at: Option<f64>,
    /// The last stats and when they were computed: a pass over every point in the
    /// window (up to millions) is too much for every frame, and four updates a second
    /// read the same to a person.
    stats_cache: std::cell::RefCell<Option<StatsCache>>,
}

#[derive(Debug)]
struct StatsCache {
    at_secs: f64,
    window: TimeWindow,
    paused_at: Option<f64>,
    series: usize,
    stats: Vec<Option<SeriesStats>>,
}

/// How long shown stats may be reused.
const STATS_REFRESH_SECS: f64 = 0.25;

impl Chart {
    /// Picks the shortest window that shows all the points, once, when the chart first
    /// gets data: a chart of seconds-old data should not open on ten minutes.
    pub fn fit_window(&mut self, now_secs: f64) {
        if self.window_fitted {
            return;
        }
        let Some(first) = self.first_x() else {
            self.window = TimeWindow::Min1;
            return;
        };
        let span = (now_secs - first).max(0.0);
        self.window = TimeWindow::ALL
            .into_iter()
            .find(|w| w.secs().is_none_or(|s| span <= s))
            .unwrap_or(TimeWindow::All);
        self.window_fitted = true;
    }

    /// The x range shown, given the current time.
    pub fn x_range(&self, now_secs: f64) -> (f64, f64) {
        let right = self.paused_at.unwrap_or(now_secs);
        match self.window.secs() {
            Some(w) => (right - w, right),
            None => (self.first_x().unwrap_or(right - 60.0), right),
        }
    }

    /// The time of the oldest point of any series.
    fn first_x(&self) -> Option<f64> {
        let first = self
            .series
            .iter()
            .filter_map(|s| s.points().first())
            .map(|p| p.x)
            .fold(f64::INFINITY, f64::min);
        first.is_finite().then_some(first)
    }

    /// [`Chart::stats`], reused for up to a quarter of a second while the window, the
    /// pause and the series stay the same.
    pub fn stats_for_display(&self, now_secs: f64) -> Vec<Option<SeriesStats>> {
        let mut cache = self.stats_cache.borrow_mut();
        if let Some(c) = cache.as_ref()
            && now_secs - c.at_secs < STATS_REFRESH_SECS
            && now_secs >= c.at_secs
            && c.window == self.window
            && c.paused_at == self.paused_at
            && c.series == self.series.len()
        {
            return c.stats.clone();
        }
        let stats = self.stats(now_secs);
        *cache = Some(StatsCache {
            at_secs: now_secs,
            window: self.window,
            paused_at: self.paused_at,
            series: self.series.len(),
            stats: stats.clone(),
        });
        stats
    }

    /// Min/max/mean/last per series over the shown window.
    pub fn stats(&self, now_secs: f64) -> Vec<Option<SeriesStats>> {
        let (a, b) = self.x_range(now_secs);
        self.series.iter().map(|s| s.stats(a, b)).collect()
    }

    /// All points of all series as CSV: `time,series,value`, time in RFC 3339.
    pub fn csv(&self) -> String {
        let mut out = String::from("time,series,value\n");
        for s in &self.series {
            let label = s.spec.label().replace('"', "\"\"");
            for p in s.points() {
                let t = chrono::DateTime::<chrono::Utc>::from_timestamp_micros((p.x * 1e6) as i64)
                    .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
                    .unwrap_or_default();
                out.push_str(&format!("{t},\"{label}\",{}\n", p.y));
            }
        }
        out
    }

    pub fn layout(&self) -> ChartLayout {
        ChartLayout {
            title: self.title.clone(),
            window: self.window,
            series: self.series.iter().map(|s| s.spec.clone()).collect(),
            y_range: self.y_range,
        }
    }
}

/// All charts of the window, and an index from (connection, topic) to the series that
/// follow it. A chart belongs to the connection it was made on (its `home`, whose profile
/// saves it) and may hold series from other connections.
#[derive(Debug, Default)]
pub struct Charts {
    pub charts: Vec<Chart>,
    next_id: u64,
    by_source: HashMap<String, HashMap<String, Vec<(usize, usize)>>>,
}

impl Charts {
    pub fn is_empty(&self) -> bool {
        self.by_source.is_empty()
    }

    /// True when some series follows `topic` on `connection` (checked per message, so it
    /// is at most two lookups).
    pub fn watches(&self, connection: &str, topic: &str) -> bool {
        !self.by_source.is_empty() && self.by_source.get(connection).is_some_and(|t| t.contains_key(topic))
    }

    /// Feeds one ingested message to the series that follow its topic on `connection`.
    /// `encoding` is the one the connection reads `topic` in; `sparkplug` names its
    /// Sparkplug B metrics sent by alias.
    pub fn on_message(
        &mut self,
        connection: &str,
        topic: &str,
        msg: &StoredMessage,
        encoding: TextEncoding,
        sparkplug: &crate::model::SparkplugRegistry,
    ) {
        if let Some(targets) = self.by_source.get(connection).and_then(|t| t.get(topic)) {
            for &(c, s) in targets {
                if let Some(series) = self.charts.get_mut(c).and_then(|c| c.series.get_mut(s)) {
                    series.push_message_with(msg, encoding, Some(sparkplug));
                }
            }
        }
    }

    /// A new empty chart belonging to connection `home`; returns its index.
    pub fn add_chart(&mut self, home: &str) -> usize {
        self.next_id += 1;
        self.charts.push(Chart {
            id: self.next_id,
            home: home.to_owned(),
            title: crate::tr!("chrome-chart-title", n = self.next_id),
            series: Vec::new(),
            window: TimeWindow::default(),
            window_fitted: false,
            y_range: None,
            paused_at: None,
            stats_cache: Default::default(),
        });
        self.charts.len() - 1
    }

    /// Adds a series read from connection `source` (whose model is `model`) to chart
    /// `chart` (a new chart of `source` when `None` or out of range), back-filled from the
    /// topic's history. Returns the chart index; a series already in that chart is not
    /// added twice. A new chart's time window is fitted to the data it starts with.
    pub fn add_series(&mut self, chart: Option<usize>, source: &str, spec: SeriesSpec, model: &Model) -> usize {
        self.add_series_in(chart, source, spec, model, &EncodingRules::default())
    }

    /// [`Self::add_series`], back-filled with payloads read in the source's `encodings`.
    pub fn add_series_in(
        &mut self,
        chart: Option<usize>,
        source: &str,
        mut spec: SeriesSpec,
        model: &Model,
        encodings: &EncodingRules,
    ) -> usize {
        let c = match chart.filter(|&c| c < self.charts.len()) {
            Some(c) => c,
            None => self.add_chart(source),
        };
        spec.connection = (self.charts[c].home != source).then(|| source.to_owned());
        if self.charts[c].series.iter().any(|s| s.spec == spec) {
            return c;
        }
        let mut series = PlotSeries::new(spec);
        let encoding = encodings.for_topic(&series.spec.topic);
        if let Some(id) = model.tree().find(&series.spec.topic) {
            for msg in model.history().messages(id).rev() {
                series.push_message_with(msg, encoding, Some(model.sparkplug()));
            }
        }
        self.charts[c].series.push(series);
        self.charts[c].fit_window(now_secs());
        self.reindex();
        c
    }

    /// The connection series `series` of chart `chart` reads from.
    pub fn source_of(&self, chart: usize, series: usize) -> Option<&str> {
        let c = self.charts.get(chart)?;
        let s = c.series.get(series)?;
        Some(s.spec.connection.as_deref().unwrap_or(&c.home))
    }

    pub fn remove_series(&mut self, chart: usize, series: usize) {
        if let Some(c) = self.charts.get_mut(chart)
            && series < c.series.len()
        {
            c.series.remove(series);
        }
        self.reindex();
    }

    pub fn remove_chart(&mut self, chart: usize) {
        if chart < self.charts.len() {
            self.charts.remove(chart);
        }
        self.reindex();
    }

    /// True when some chart belongs to connection `home`.
    pub fn has_home(&self, home: &str) -> bool {
        self.charts.iter().any(|c| c.home == home)
    }

    /// The layouts to save with `home`'s profile.
    pub fn layouts(&self, home: &str) -> Vec<ChartLayout> {
        self.charts
            .iter()
            .filter(|c| c.home == home)
            .map(Chart::layout)
            .collect()
    }

    /// Replaces `home`'s charts with saved layouts, back-filling each series from the
    /// model of the connection it reads (`model_of` gives it, by connection name).
    pub fn restore<'m>(&mut self, home: &str, layouts: &[ChartLayout], model_of: impl Fn(&str) -> Option<&'m Model>) {
        self.charts.retain(|c| c.home != home);
        let empty = Model::new(0);
        for l in layouts {
            let c = self.add_chart(home);
            self.charts[c].title = l.title.clone();
            self.charts[c].window = l.window;
            self.charts[c].window_fitted = true;
            self.charts[c].y_range = l.y_range;
            for spec in &l.series {
                let source = spec.connection.clone().unwrap_or_else(|| home.to_owned());
                let model = model_of(&source).unwrap_or(&empty);
                self.add_series(Some(c), &source, spec.clone(), model);
            }
        }
        self.reindex();
    }

    /// Forgets the points of every series that reads from `connection` (its tree was cleared).
    pub fn clear_points_of(&mut self, connection: &str) {
        for c in &mut self.charts {
            let home = c.home.clone();
            for s in &mut c.series {
                if s.spec.connection.as_deref().unwrap_or(&home) == connection {
                    *s = PlotSeries::new(s.spec.clone());
                }
            }
        }
    }

    fn reindex(&mut self) {
        self.by_source.clear();
        for (c, chart) in self.charts.iter().enumerate() {
            for (s, series) in chart.series.iter().enumerate() {
                let source = series.spec.connection.as_deref().unwrap_or(&chart.home);
                self.by_source
                    .entry(source.to_owned())
                    .or_default()
                    .entry(series.spec.topic.clone())
                    .or_default()
                    .push((c, s));
            }
        }
    }
}

/// Seconds since the epoch, now.
pub fn now_secs() -> f64 {
    epoch_secs(std::time::SystemTime::now())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::series::Extractor;
    use crate::model::{JsonPath, Message};

    #[test]
    fn displayed_stats_are_reused_for_a_quarter_second_then_refreshed() {
        let mut charts = Charts::default();
        let c = charts.add_chart("c");
        let spec = SeriesSpec {
            topic: "t".into(),
            extractor: Extractor::Whole,
            connection: None,
        };
        charts.add_series(Some(c), "c", spec, &Model::default());
        let chart = &mut charts.charts[c];
        chart.series[0].push(100.0, 1.0);
        let first = chart.stats_for_display(100.5);
        assert_eq!(first[0].map(|s| s.last), Some(1.0));
        chart.series[0].push(100.6, 5.0);
        // Within 0.25 s: the cached figures.
        assert_eq!(chart.stats_for_display(100.7)[0].map(|s| s.last), Some(1.0));
        // Later, or when the window changes: fresh ones.
        assert_eq!(chart.stats_for_display(100.8)[0].map(|s| s.last), Some(5.0));
        chart.series[0].push(100.9, 7.0);
        chart.window = TimeWindow::Hour1;
        assert_eq!(chart.stats_for_display(100.9)[0].map(|s| s.last), Some(7.0));
    }

    #[test]
    fn series_are_backfilled_then_grow_live_and_export_as_csv() {
        let mut model = Model::default();
        for t in [20.5, 21.0] {
            model.ingest(Message::new(
                "tele/plug/SENSOR",
                format!("{{\"AM2301\":{{\"Temperature\":{t}}}}}"),
                0,
                false,
            ));
        }
        let mut charts = Charts::default();
        let spec = SeriesSpec {
            topic: "tele/plug/SENSOR".into(),
            extractor: Extractor::Json(JsonPath::parse("AM2301.Temperature").unwrap()),
            connection: None,
        };
        let c = charts.add_series(None, "c", spec.clone(), &model);
        assert_eq!(
            charts.charts[c].series[0]
                .points()
                .iter()
                .map(|p| p.y)
                .collect::<Vec<_>>(),
            vec![20.5, 21.0]
        );
        assert!(charts.watches("c", "tele/plug/SENSOR"));
        let id = model.ingest(Message::new(
            "tele/plug/SENSOR",
            r#"{"AM2301":{"Temperature":22.25}}"#,
            0,
            false,
        ));
        let msg = model.tree().last_message(id).unwrap().clone();
        charts.on_message("c", "tele/plug/SENSOR", &msg, TextEncoding::Utf8, &Default::default());
        assert_eq!(charts.charts[c].series[0].points().len(), 3);
        let csv = charts.charts[c].csv();
        assert_eq!(csv.lines().count(), 4);
        assert!(
            csv.lines()
                .nth(3)
                .unwrap()
                .ends_with(",\"tele/plug/SENSOR AM2301.Temperature\",22.25"),
            "{csv}"
        );
        // Adding the same series twice does nothing; the layout round-trips.
        charts.add_series(Some(c), "c", spec, &model);
        assert_eq!(charts.charts[c].series.len(), 1);
        let layouts = charts.layouts("c");
        let mut again = Charts::default();
        again.restore("c", &layouts, |_| Some(&model));
        assert_eq!(again.charts[0].series[0].points().len(), 3);
        assert_eq!(again.layouts("c"), layouts);
    }
}

#[cfg(test)]
mod connection_tests {
    use super::*;
    use crate::model::Message;
    use crate::model::series::Extractor;

    fn whole(topic: &str) -> SeriesSpec {
        SeriesSpec {
            topic: topic.into(),
            extractor: Extractor::Whole,
            connection: None,
        }
    }

    #[test]
    fn one_chart_holds_the_same_topic_from_two_connections_apart() {
        let mut local = Model::default();
        let mut cloud = Model::default();
        local.ingest(Message::new("sensor/t", "20", 0, false));
        cloud.ingest(Message::new("sensor/t", "30", 0, false));
        let mut charts = Charts::default();
        let c = charts.add_series(None, "local", whole("sensor/t"), &local);
        charts.add_series(Some(c), "cloud", whole("sensor/t"), &cloud);
        assert_eq!(charts.charts[c].series.len(), 2);
        assert_eq!(charts.source_of(c, 0), Some("local"));
        assert_eq!(charts.source_of(c, 1), Some("cloud"));
        assert_eq!(charts.charts[c].series[1].spec.label(), "[cloud] sensor/t");
        // A message on the cloud broker feeds only the cloud series.
        let id = cloud.ingest(Message::new("sensor/t", "31", 0, false));
        let msg = cloud.tree().last_message(id).unwrap().clone();
        assert!(charts.watches("cloud", "sensor/t"));
        assert!(!charts.watches("other", "sensor/t"));
        charts.on_message("cloud", "sensor/t", &msg, TextEncoding::Utf8, &Default::default());
        let ys = |charts: &Charts, s: usize| {
            charts.charts[c].series[s]
                .points()
                .iter()
                .map(|p| p.y)
                .collect::<Vec<_>>()
        };
        assert_eq!(ys(&charts, 0), vec![20.0]);
        assert_eq!(ys(&charts, 1), vec![30.0, 31.0]);
        // Saved with the home connection; the foreign series keeps its source.
        let saved = charts.layouts("local");
        assert_eq!(saved.len(), 1);
        assert!(charts.layouts("cloud").is_empty());
        assert_eq!(saved[0].series[1].connection.as_deref(), Some("cloud"));
        // Clearing the cloud tree empties only the cloud series.
        charts.clear_points_of("cloud");
        assert_eq!(ys(&charts, 0), vec![20.0]);
        assert!(ys(&charts, 1).is_empty());
    }

    #[test]
    fn a_new_chart_opens_on_a_window_that_fits_its_data() {
        let mut model = Model::default();
        model.ingest(Message::new("t", "1", 0, false));
        let mut charts = Charts::default();
        let c = charts.add_series(None, "a", whole("t"), &model);
        assert_eq!(charts.charts[c].window, TimeWindow::Min1);
        // Data two hours old: the whole of it is shown.
        let mut old = Message::new("u", "2", 0, false);
        old.time = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
        let mut model2 = Model::default();
        model2.ingest(old);
        model2.ingest(Message::new("u", "3", 0, false));
        let c2 = charts.add_series(None, "a", whole("u"), &model2);
        assert_eq!(charts.charts[c2].window, TimeWindow::All);
    }
}

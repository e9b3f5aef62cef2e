//! One frame of the real window (headless, through egui_kittest: the full UI code, no GPU)
//! with a chart of 10 series × 100k points, as the plots issue asks. Run with
//! `cargo bench --bench plot_frame`.

use criterion::{Criterion, criterion_group, criterion_main};
use egui_kittest::Harness;
use topicscope::app::{StartOptions, TopicscopeApp};
use topicscope::model::series::{Extractor, SeriesSpec};

fn frame_with_a_million_points(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().to_path_buf();
    let mut h: Harness<'static, TopicscopeApp> =
        Harness::builder().with_size([1600.0, 1000.0]).build_eframe(move |cc| {
            TopicscopeApp::new(
                cc,
                StartOptions {
                    config_dir: Some(path),
                    ..StartOptions::default()
                },
            )
        });
    let now = topicscope::app::now_secs();
    {
        let app = h.state_mut();
        app.ui.profile_dialog = None;
        app.ui.workspace.show_pane(topicscope::ui::Pane::Charts);
        let model = topicscope::model::Model::default();
        let chart = app.state.charts.add_chart("bench");
        for s in 0..10 {
            let spec = SeriesSpec {
                topic: format!("bench/series{s}"),
                extractor: Extractor::Whole,
                connection: None,
            };
            app.state.charts.add_series(Some(chart), "bench", spec, &model);
        }
        app.state.charts.charts[chart].window = topicscope::app::TimeWindow::Hour1;
        for (s, series) in app.state.charts.charts[chart].series.iter_mut().enumerate() {
            // 100k points over the last hour.
            for i in 0..100_000 {
                let x = now - 3600.0 + f64::from(i) * 0.036;
                series.push(x, (f64::from(i) * 0.001 + s as f64).sin() * 10.0 + s as f64);
            }
        }
    }
    h.step();
    c.bench_function("frame: 10 series x 100k points (1 h window)", |b| b.iter(|| h.step()));
}

criterion_group!(benches, frame_with_a_million_points);
criterion_main!(benches);

//! The Record dialog, its errors, the indicator and the export dialog in Chinese (a
//! binary of its own: the interface language is global to the process, and
//! tests/record_window.rs reads the English labels).

mod common;

use common::TestBroker;
use common::window::*;
use egui_kittest::kittest::Queryable;
use topicscope::i18n::Lang;
use topicscope::ui::Action;

#[test]
fn recording_and_exporting_read_in_chinese() {
    let broker = TestBroker::embedded();
    let dir = tempfile::tempdir().unwrap();
    let mut h = connected_app(&broker, dir.path());
    run_action(&mut h, Action::SetLanguage(Some(Lang::ZhCn)));
    h.get_by_label("⏺ 录制…").click();
    h.step();
    h.step();
    for label in ["文件", "主题过滤器", "大小上限", "开始录制", "取消"] {
        assert!(has_label(&h, label), "{label} is shown");
    }
    let blocker = dir.path().join("not-a-folder");
    std::fs::write(&blocker, b"x").unwrap();
    fill(&mut h, "文件", &blocker.join("x.tsrec").display().to_string());
    h.get_by_label("开始录制").click();
    h.step();
    let error = h.state().ui.record_dialog.as_ref().unwrap().error.clone().unwrap();
    assert!(error.starts_with("无法使用"), "{error}");

    let file = dir.path().join("夜间.tsrec");
    fill(&mut h, "文件", &file.display().to_string());
    h.get_by_label("开始录制").click();
    h.step();
    h.step();
    assert!(
        has_label_containing(&h, "正在录制 夜间.tsrec："),
        "the indicator reads in Chinese"
    );
    feed(&broker, &[("温室/温度", "21.5", false)]);
    step_until(&mut h, "recorded", |h| {
        h.state()
            .state
            .conn()
            .recording
            .as_ref()
            .is_some_and(|r| r.stats().messages >= 1)
    });
    h.get_by_label("⏹ 停止").click();
    h.step();
    assert!(has_label_containing(&h, "已录制"), "the summary reads in Chinese");

    h.get_by_label("温室").click_secondary();
    h.step();
    h.step();
    h.get_by_label("导出消息…").click();
    h.step();
    h.step();
    assert!(
        has_label(&h, "导出到") && has_label(&h, "导出"),
        "the export dialog reads in Chinese"
    );
    assert!(has_label_containing(&h, "历史中保留了此主题及其下级主题的 1 条消息"));
}

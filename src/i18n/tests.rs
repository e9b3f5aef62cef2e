//! The catalogue walks: every key the code uses exists in every language with the
//! same variables, every catalogue parses, nothing in zh-CN is left in English.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use fluent_syntax::ast;

use super::*;

/// Messages whose Chinese text is rightly the same as the English (names, units,
/// protocol words). Keep it short: every entry is a claim that nothing needs saying.
const SAME_IN_BOTH: &[&str] = &[];

/// key → the variables its message uses, for one language.
fn messages(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for (name, text) in lang.catalogue() {
        let resource = fluent_syntax::parser::parse(*text)
            .unwrap_or_else(|(_, e)| panic!("{}/{name} does not parse: {e:?}", lang.tag()));
        for entry in resource.body {
            if let ast::Entry::Message(m) = entry {
                let mut vars = BTreeSet::new();
                if let Some(p) = &m.value {
                    pattern_vars(p, &mut vars);
                }
                for a in &m.attributes {
                    pattern_vars(&a.value, &mut vars);
                }
                let key = m.id.name.to_owned();
                assert!(
                    out.insert(key.clone(), vars).is_none(),
                    "{}: {key} is defined twice",
                    lang.tag()
                );
            }
        }
    }
    out
}

fn pattern_vars(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for el in &p.elements {
        if let ast::PatternElement::Placeable { expression } = el {
            expr_vars(expression, out);
        }
    }
}

fn expr_vars(e: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
    match e {
        ast::Expression::Select { selector, variants } => {
            inline_vars(selector, out);
            for v in variants {
                pattern_vars(&v.value, out);
            }
        }
        ast::Expression::Inline(i) => inline_vars(i, out),
    }
}

fn inline_vars(i: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match i {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                inline_vars(a, out);
            }
        }
        ast::InlineExpression::Placeable { expression } => expr_vars(expression, out),
        _ => {}
    }
}

/// Every Rust source under src/, with its path.
fn sources() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "rs") {
                out.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    out
}

/// Every `tr!("key"` in the sources, with the file it is in.
fn used_keys() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (path, text) in sources() {
        for key in macro_keys(&text) {
            out.insert(key, path.clone());
        }
    }
    out
}

/// The literal first arguments of `tr!(` in `text`, outside `//` comments.
fn macro_keys(text: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
        let mut rest = line;
        while let Some(at) = rest.find("tr!(") {
            // `include_str!(` is not a key.
            let word_before = rest[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_');
            rest = &rest[at + 4..];
            if !word_before
                && let Some(body) = rest.trim_start().strip_prefix('"')
                && let Some(end) = body.find('"')
            {
                keys.push(body[..end].to_owned());
            }
        }
    }
    keys
}

/// All the sources in one text (keys can be chosen at run time, e.g. from a table of
/// `(Action, "key")`; they count as used when quoted somewhere).
fn quoted_everywhere() -> String {
    sources().into_iter().map(|(_, text)| text).collect()
}

#[test]
fn every_key_the_code_uses_exists_in_every_language() {
    let used = used_keys();
    assert!(!used.is_empty(), "the scan found no tr! at all");
    for lang in Lang::ALL {
        let have = messages(lang);
        let missing: Vec<_> = used
            .iter()
            .filter(|(k, _)| !have.contains_key(*k))
            .map(|(k, f)| format!("{k} (used in {f})"))
            .collect();
        assert!(missing.is_empty(), "{} lacks: {missing:#?}", lang.tag());
    }
}

#[test]
fn both_catalogues_have_the_same_keys_and_variables() {
    let en = messages(Lang::En);
    let zh = messages(Lang::ZhCn);
    let only_en: Vec<_> = en.keys().filter(|k| !zh.contains_key(*k)).collect();
    let only_zh: Vec<_> = zh.keys().filter(|k| !en.contains_key(*k)).collect();
    assert!(only_en.is_empty(), "untranslated (only in en-US): {only_en:#?}");
    assert!(only_zh.is_empty(), "only in zh-CN: {only_zh:#?}");
    for (key, vars) in &en {
        assert_eq!(vars, &zh[key], "{key}: the variables differ between en-US and zh-CN");
    }
}

#[test]
fn no_catalogue_key_is_unused() {
    let code = quoted_everywhere();
    let unused: Vec<_> = messages(Lang::En)
        .into_keys()
        .filter(|k| !code.contains(&format!("\"{k}\"")))
        .collect();
    assert!(unused.is_empty(), "keys no code uses: {unused:#?}");
}

#[test]
fn chinese_is_not_english() {
    let same: Vec<_> = messages(Lang::En)
        .into_iter()
        .filter(|(k, _)| !SAME_IN_BOTH.contains(&k.as_str()))
        .filter(|(k, _)| text_in(Lang::En, k, None) == text_in(Lang::ZhCn, k, None))
        .map(|(k, _)| k)
        .collect();
    assert!(same.is_empty(), "zh-CN says the same as en-US: {same:#?}");
}

#[test]
fn numbers_are_grouped_and_plurals_follow_the_language() {
    let mut args = FluentArgs::new();
    args.set("n", 1);
    assert_eq!(text_in(Lang::En, "topic-count", Some(&args)), "1 topic");
    args.set("n", 12345);
    assert_eq!(text_in(Lang::En, "topic-count", Some(&args)), "12,345 topics");
    assert_eq!(text_in(Lang::ZhCn, "topic-count", Some(&args)), "12,345 个主题");
}

#[test]
fn a_missing_key_falls_back_without_panicking() {
    assert_eq!(
        text_in(Lang::ZhCn, "no-such-key-anywhere", None),
        "no-such-key-anywhere"
    );
}

#[test]
fn locales_map_to_languages() {
    assert_eq!(Lang::from_locale("zh_CN.UTF-8"), Some(Lang::ZhCn));
    assert_eq!(Lang::from_locale("zh-Hans-CN"), Some(Lang::ZhCn));
    assert_eq!(Lang::from_locale("en-GB"), Some(Lang::En));
    assert_eq!(Lang::from_locale("C"), None);
    assert_eq!(Lang::from_locale("de_DE@euro"), None);
}

#[test]
fn the_macro_fills_variables() {
    // The macro reads the global language; tests never switch it.
    let mut a = FluentArgs::new();
    a.set("n", 2usize);
    assert_eq!(
        crate::tr!("topic-count", n = 2usize),
        text_in(lang(), "topic-count", Some(&a))
    );
    assert_eq!(crate::tr!("topic-count", n = 2usize), "2 topics");
}

#[test]
fn chinese_drops_the_space_between_an_inserted_chinese_name_and_chinese_text() {
    let with = |name: &str| {
        let mut args = FluentArgs::new();
        args.set("name", name.to_owned());
        text_in(Lang::ZhCn, "rec-win-dialog-title", Some(&args))
    };
    // "录制 { $name }": Chinese meets Chinese, so no space; Latin keeps its space.
    assert_eq!(with("演示设备群"), "录制演示设备群");
    assert_eq!(with("home-broker"), "录制 home-broker");
    // English has no marks and keeps every space.
    let mut args = FluentArgs::new();
    args.set("name", "演示设备群".to_owned());
    assert_eq!(
        text_in(Lang::En, "rec-win-dialog-title", Some(&args)),
        "Record 演示设备群"
    );
}

#[test]
fn cjk_spacing_only_touches_the_edges_of_inserted_values() {
    let (fsi, pdi) = ('\u{2068}', '\u{2069}');
    let marked = |s: &str| s.replace('[', &fsi.to_string()).replace(']', &pdi.to_string());
    assert_eq!(tidy_cjk(marked("[演示设备群] 的订阅")), "演示设备群的订阅");
    assert_eq!(
        tidy_cjk(marked("连接到 [演示设备群]（本机）")),
        "连接到演示设备群（本机）"
    );
    assert_eq!(
        tidy_cjk(marked("连接到 [mqtt://127.0.0.1:1883]：")),
        "连接到 mqtt://127.0.0.1:1883："
    );
    assert_eq!(tidy_cjk(marked("[12] 条消息")), "12 条消息");
    // A space inside a value, or in the text away from a value, is the writer's.
    assert_eq!(tidy_cjk(marked("主题 [客厅 温度] 已清除")), "主题客厅 温度已清除");
    assert_eq!(tidy_cjk(marked("文字 文字 [x]")), "文字 文字 x");
    assert_eq!(tidy_cjk("no marks at all ".to_owned()), "no marks at all ");
    // Identifiers keep their spaces, or a topic or path would run into the sentence.
    assert_eq!(tidy_cjk(marked("删除 [家/客厅] 的编码规则")), "删除 家/客厅 的编码规则");
    assert_eq!(
        tidy_cjk(marked("[/home/me/录音] 中的 [夜间.tsrec]")),
        "/home/me/录音 中的 夜间.tsrec"
    );
    // Two values side by side keep the space between them.
    assert_eq!(tidy_cjk(marked("无法读取[CA 证书] [证书]")), "无法读取CA 证书 证书");
}

#[test]
fn with_latin_values_chinese_keeps_every_space_of_its_catalogue() {
    // Only a Chinese name can lose a space: with Latin values each message reads as the
    // catalogue writes it, marks gone and nothing else changed.
    let zh = &bundles()[Lang::ZhCn.index()];
    let mut args = FluentArgs::new();
    for var in messages(Lang::ZhCn).values().flatten() {
        args.set(var.clone(), "value".to_owned());
    }
    for key in messages(Lang::ZhCn).keys() {
        let Some(pattern) = zh.get_message(key).and_then(|m| m.value()) else {
            continue;
        };
        let mut errors = Vec::new();
        let marked = zh.format_pattern(pattern, Some(&args), &mut errors).into_owned();
        let plain: String = marked.chars().filter(|&c| c != '\u{2068}' && c != '\u{2069}').collect();
        assert_eq!(text_in(Lang::ZhCn, key, Some(&args)), plain, "{key}");
    }
}

//! The interface's words in English and Simplified Chinese, through Fluent.
//!
//! Every string the window shows goes through [`tr!`](crate::tr): a key into the
//! message catalogues under `locales/<lang>/*.ftl` (plain text files a translator can
//! edit; `build.rs` embeds them). Arguments are Fluent variables, so plurals and word
//! order belong to the translation: `tr!("tree-topics", n = 3)`.
//!
//! The language comes from `TOPICSCOPE_LANG`, else the system locale, else English;
//! the settings can override it at run time ([`set_lang`]). A key missing from a
//! catalogue falls back to English, then to the key itself (never a panic); the tests
//! in `tests.rs` fail on any key that is missing, unused or untranslated.

use std::borrow::Cow;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::{Deserialize, Serialize};

mod catalogues {
    include!(concat!(env!("OUT_DIR"), "/catalogues.rs"));
}

#[cfg(test)]
mod tests;

/// A language of the interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    /// English (the source language).
    En,
    /// Simplified Chinese.
    ZhCn,
}

impl Lang {
    /// Every language, in the order the settings list them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhCn];

    /// The BCP 47 tag.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en-US",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// The language's own name for itself (shown untranslated in the picker).
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::ZhCn => "简体中文",
        }
    }

    /// The language a locale string such as `zh_CN.UTF-8`, `zh-Hans` or `en-GB`
    /// asks for; `None` for languages without a translation.
    pub fn from_locale(locale: &str) -> Option<Lang> {
        let lower = locale.trim().to_ascii_lowercase();
        let lang = lower.split(['-', '_', '.', '@']).next().unwrap_or("");
        match lang {
            "zh" => Some(Lang::ZhCn),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    fn catalogue(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Lang::En => catalogues::EN_US,
            Lang::ZhCn => catalogues::ZH_CN,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

static CURRENT: AtomicU8 = AtomicU8::new(0);

/// The language the interface speaks now.
pub fn lang() -> Lang {
    match CURRENT.load(Ordering::Relaxed) {
        1 => Lang::ZhCn,
        _ => Lang::En,
    }
}

/// Switch the interface's language (takes effect on the next frame).
pub fn set_lang(lang: Lang) {
    CURRENT.store(lang as u8, Ordering::Relaxed);
}

/// The language to start in: `TOPICSCOPE_LANG`, then the system locale
/// (`LC_ALL`/`LC_MESSAGES`/`LANG` on Unix), then English.
pub fn detect() -> Lang {
    std::env::var("TOPICSCOPE_LANG")
        .ok()
        .and_then(|l| Lang::from_locale(&l))
        .or_else(|| sys_locale::get_locales().find_map(|l| Lang::from_locale(&l)))
        .unwrap_or(Lang::En)
}

type Bundle = FluentBundle<FluentResource>;

fn bundles() -> &'static [Bundle; 2] {
    static BUNDLES: OnceLock<[Bundle; 2]> = OnceLock::new();
    BUNDLES.get_or_init(|| Lang::ALL.map(build_bundle))
}

fn build_bundle(lang: Lang) -> Bundle {
    let tag: unic_langid::LanguageIdentifier = lang.tag().parse().expect("valid tag");
    let mut bundle = Bundle::new_concurrent(vec![tag]);
    // Unicode isolation marks around arguments would draw as boxes in egui. Chinese
    // keeps them while formatting, to find where an inserted value meets the text
    // ([`tidy_cjk`] takes them out again).
    bundle.set_use_isolating(lang == Lang::ZhCn);
    bundle.set_formatter(Some(format_value));
    for (name, text) in lang.catalogue() {
        let resource = match FluentResource::try_new((*text).to_owned()) {
            Ok(r) => r,
            Err((r, errors)) => {
                tracing::error!("{}/{name}: {} syntax errors", lang.tag(), errors.len());
                r
            }
        };
        if let Err(errors) = bundle.add_resource(resource) {
            tracing::error!("{}/{name}: {errors:?}", lang.tag());
        }
    }
    bundle
}

/// Numbers are grouped by thousands (`12,345`) in both languages; fractions keep
/// the digits the caller gave.
fn format_value<M>(value: &FluentValue, _: &M) -> Option<String> {
    let FluentValue::Number(n) = value else {
        return None;
    };
    let v = n.value;
    if v.fract() != 0.0 || !v.is_finite() || v.abs() >= 1e18 {
        return None;
    }
    let grouped = crate::model::render::thousands(v.abs() as u64);
    Some(if v < 0.0 { format!("-{grouped}") } else { grouped })
}

/// The message `key` in the current language, with `args` filled in.
pub fn text(key: &str, args: Option<&FluentArgs>) -> String {
    text_in(lang(), key, args)
}

/// The message `key` in `lang`; English when that catalogue lacks it; the key
/// itself when no catalogue has it.
pub fn text_in(lang: Lang, key: &str, args: Option<&FluentArgs>) -> String {
    let all = bundles();
    for bundle in [&all[lang.index()], &all[Lang::En.index()]] {
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            continue;
        };
        let mut errors = Vec::new();
        let out = bundle.format_pattern(pattern, args, &mut errors);
        if !errors.is_empty() {
            tracing::debug!("{key}: {errors:?}");
        }
        return tidy_cjk(out.into_owned());
    }
    key.to_owned()
}

/// Unicode's isolation marks, which Fluent puts around each inserted value when asked.
const FSI: char = '\u{2068}';
const PDI: char = '\u{2069}';

/// Chinese writing: Han characters, kana, hangul, and CJK and full-width punctuation.
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}' | '\u{FF00}'..='\u{FFEF}' | '\u{20000}'..='\u{3FFFF}')
}

/// A Chinese message with its inserted values marked (FSI … PDI): the space the
/// catalogue sets between a value and the text goes where a name meets Chinese on both
/// sides ("演示设备群的订阅", not "演示设备群 的订阅"), and stays where a side is Latin
/// or a figure ("连接到 mqtt://…", "12 条消息"), between two values, and beside a value
/// that reads as an identifier (a topic, filter, path or file: "删除 家/客厅 的规则"),
/// which would otherwise run into the sentence; then the marks go. Text without marks
/// (every English message) is returned as it is.
pub fn tidy_cjk(text: String) -> String {
    if !text.contains(FSI) {
        return text;
    }
    let chars: Vec<char> = text.chars().collect();
    // The value that starts at `open` (its FSI), up to its PDI.
    let value_from = |open: usize| chars[open + 1..].iter().take_while(|&&c| c != PDI).copied();
    // The value that ends at `close` (its PDI), back to its FSI.
    let value_to = |close: usize| chars[..close].iter().rev().take_while(|&&c| c != FSI).copied();
    let name_like = |mut value: Box<dyn Iterator<Item = char> + '_>| {
        value.all(|c| !matches!(c, '/' | '\\' | '.' | '#' | '+' | ':' | FSI | PDI))
    };
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == FSI || c == PDI {
            continue;
        }
        if c == ' ' {
            let before = i.checked_sub(1).map(|j| (j, chars[j]));
            let after = chars.get(i + 1).copied();
            let drop = match (before, after) {
                // Between two values: the writer's space.
                (Some((_, PDI)), Some(FSI)) => false,
                (Some((j, PDI)), Some(next)) => {
                    is_cjk(next) && value_to(j).next().is_some_and(is_cjk) && name_like(Box::new(value_to(j)))
                }
                (Some((_, prev)), Some(FSI)) => {
                    is_cjk(prev)
                        && value_from(i + 1).next().is_some_and(is_cjk)
                        && name_like(Box::new(value_from(i + 1)))
                }
                _ => false,
            };
            if drop {
                continue;
            }
        }
        out.push(c);
    }
    out
}

/// Turns a macro argument into a Fluent value (numbers stay numbers so plurals work).
pub fn arg<'a, T: Into<FluentValue<'a>>>(v: T) -> FluentValue<'a> {
    v.into()
}

/// Text for a Fluent argument from anything displayable.
pub fn shown(v: impl std::fmt::Display) -> FluentValue<'static> {
    FluentValue::String(Cow::Owned(v.to_string()))
}

/// The interface text for `key` in the current language.
///
/// `tr!("key")`, or with Fluent variables `tr!("key", n = count, topic = name)`.
/// Values must convert into a `FluentValue` (numbers, `&str`, `String`); wrap other
/// displayable values in [`shown`].
#[macro_export]
macro_rules! tr {
    ($key:literal) => {
        $crate::i18n::text($key, None)
    };
    ($key:literal, $($name:ident = $value:expr),+ $(,)?) => {{
        let mut args = ::fluent_bundle::FluentArgs::new();
        $( args.set(stringify!($name), $crate::i18n::arg($value)); )+
        $crate::i18n::text($key, Some(&args))
    }};
}

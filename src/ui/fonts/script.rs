//! Which writing system a character belongs to, as far as choosing a fallback font goes,
//! and the installed fonts worth trying first for each.

/// A group of characters that one fallback font usually covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Script {
    /// Han ideographs, kana, Hangul, CJK punctuation and fullwidth forms.
    Cjk,
    Arabic,
    Hebrew,
    /// Anything else egui's default fonts lack (Thai, Devanagari, rare symbols...).
    Other,
}

impl Script {
    /// The script of `c`. Only called for characters no installed font has, so it
    /// need not be fast.
    pub fn of(c: char) -> Script {
        match u32::from(c) {
            0x0590..=0x05FF | 0xFB1D..=0xFB4F => Script::Hebrew,
            0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
                Script::Arabic
            }
            0x1100..=0x11FF // Hangul jamo
            | 0x2E80..=0x2FDF // radicals
            | 0x2FF0..=0x303F // description characters, CJK symbols and punctuation
            | 0x3040..=0x31FF // kana, bopomofo, compatibility jamo, kanbun, strokes
            | 0x3200..=0x33FF // enclosed and compatibility CJK
            | 0x3400..=0x4DBF // extension A
            | 0x4E00..=0x9FFF // unified ideographs
            | 0xA960..=0xA97F
            | 0xAC00..=0xD7FF // Hangul syllables and jamo extended B
            | 0xF900..=0xFAFF // compatibility ideographs
            | 0xFE30..=0xFE4F // compatibility forms
            | 0xFF00..=0xFFEF // half- and fullwidth forms
            | 0x20000..=0x3FFFF => Script::Cjk,
            _ => Script::Other,
        }
    }

    /// Installed font families to prefer for this script, best first: the common CJK,
    /// Arabic and Hebrew fonts of Linux, Windows and macOS. Simplified Chinese first,
    /// because most of our CJK users write Chinese; these fonts all carry kana and
    /// Hangul too.
    pub fn preferred_families(self) -> &'static [&'static str] {
        match self {
            Script::Cjk => &[
                "Noto Sans CJK SC",
                "Source Han Sans SC",
                "Source Han Sans CN",
                "Microsoft YaHei",
                "Microsoft YaHei UI",
                "PingFang SC",
                "Hiragino Sans GB",
                "WenQuanYi Micro Hei",
                "WenQuanYi Zen Hei",
                "Noto Sans SC",
                "Noto Sans CJK TC",
                "Noto Sans CJK JP",
                "Noto Sans CJK KR",
                "Source Han Sans",
                "Droid Sans Fallback",
                "Microsoft JhengHei",
                "PingFang TC",
                "Yu Gothic",
                "Meiryo",
                "Hiragino Sans",
                "Malgun Gothic",
                "Apple SD Gothic Neo",
                "SimSun",
                "AR PL UMing CN",
            ],
            Script::Arabic => &[
                "Noto Sans Arabic",
                "Noto Naskh Arabic",
                "Segoe UI",
                "Geeza Pro",
                "Arial",
                "DejaVu Sans",
            ],
            Script::Hebrew => &["Noto Sans Hebrew", "Segoe UI", "Arial Hebrew", "Arial", "DejaVu Sans"],
            Script::Other => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_of_sample_characters() {
        for c in "家客厅溫度センサー거실温度！、。".chars() {
            assert_eq!(Script::of(c), Script::Cjk, "{c}");
        }
        assert_eq!(Script::of('د'), Script::Arabic);
        assert_eq!(Script::of('ש'), Script::Hebrew);
        for c in "aЖλ5 ก".chars() {
            assert_eq!(Script::of(c), Script::Other, "{c}");
        }
    }
}

#!/bin/sh
# Rebuilds the bundled fallback fonts in this folder from Debian's Noto packages.
#
#   assets/fonts/make-subset.sh            (needs apt-get, dpkg-deb, python3 and fonttools:
#                                           pip install fonttools)
#
# The character set is what Chinese, Japanese and Korean device names and payloads use:
# GB2312 (simplified), the Big5 common set (traditional), JIS X 0208 (kana and kanji),
# the 2,350 KS X 1001 Hangul syllables, CJK punctuation and fullwidth forms; and the
# Arabic and Hebrew blocks. Latin, Greek, Cyrillic and emoji are not here: egui's own
# default fonts (Ubuntu-Light, Hack, Noto Emoji) already draw them.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
apt-get download fonts-noto-cjk fonts-noto-core >/dev/null
for deb in *.deb; do dpkg-deb -x "$deb" x; done
cjk=x/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
arabic=x/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf
hebrew=x/usr/share/fonts/truetype/noto/NotoSansHebrew-Regular.ttf

python3 - >cjk-chars.txt <<'PY'
import sys
chars = set()
def table(codec, lead, trail):
    for a in lead:
        for b in trail:
            try:
                chars.update(bytes([a, b]).decode(codec))
            except UnicodeDecodeError:
                pass
table("gb2312", range(0xA1, 0xF8), range(0xA1, 0xFF))   # GB2312: symbols + 6,763 hanzi
table("big5", range(0xA1, 0xA4), range(0x40, 0xFF))     # Big5 symbols
table("big5", range(0xA4, 0xC7), range(0x40, 0xFF))     # Big5 common set (5,401 hanzi)
table("euc_jp", range(0xA1, 0xF5), range(0xA1, 0xFF))   # JIS X 0208: kana + 6,355 kanji
table("euc_kr", range(0xA1, 0xAD), range(0xA1, 0xFF))   # KS X 1001 symbols and jamo
table("euc_kr", range(0xB0, 0xC9), range(0xA1, 0xFF))   # the 2,350 Hangul syllables
for lo, hi in [(0x3000, 0x303F), (0x3040, 0x30FF), (0x3130, 0x318F), (0x31F0, 0x31FF), (0xFF00, 0xFFEF)]:
    chars.update(map(chr, range(lo, hi + 1)))
# Latin, Greek, Cyrillic and symbols the default fonts draw stay out.
chars = sorted(c for c in chars if ord(c) >= 0x2E80)
sys.stdout.write("".join(chars))
PY

# Index 2 of the collection is Noto Sans CJK SC: simplified Chinese glyph shapes first,
# since most of our CJK users write Chinese; traditional and Japanese characters of the
# set are in it too. No hinting and no layout features: egui renders without hinting
# and CJK needs no shaping, and they are a large part of the file.
pyftsubset "$cjk" --font-number=2 --text-file=cjk-chars.txt --no-hinting \
    --layout-features= --name-IDs=0,1,2,3,4,5,6 --output-file="$here/NotoSansCJKsc-Subset.otf"
# Arabic keeps its layout features: its letters join through them.
pyftsubset "$arabic" --unicodes=U+0600-06FF,U+0750-077F,U+FB50-FDFF,U+FE70-FEFF,U+200C-200F \
    --no-hinting --output-file="$here/NotoSansArabic-Subset.ttf"
pyftsubset "$hebrew" --unicodes=U+0590-05FF,U+FB1D-FB4F --no-hinting \
    --output-file="$here/NotoSansHebrew-Subset.ttf"
ls -l "$here"/*.otf "$here"/*.ttf

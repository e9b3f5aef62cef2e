#!/usr/bin/env bash
# Resident memory of the window with and without CJK text (BENCHMARKS.md, "Fonts").
#
#   assets/fonts/measure-rss.sh BIN CASE
#     ascii       10 retained topics with ASCII names and payloads
#     cjk         the same 10 topics named and filled in Chinese (the bundled subset draws them)
#     cjk-many    100 root-level topics of 4 different hanzi each (~40 rows, ~160 glyphs on screen)
#     cjk-system  as cjk, with a full Noto Sans CJK collection installed for the user:
#                 CJK_FONT=/path/NotoSansCJK-Regular.ttc (from fonts-noto-cjk)
#
# Starts a private mosquitto and Xvfb (1400x900), publishes, starts BIN --broker, waits
# 12 s and prints VmRSS, RssAnon and RssFile of the window, and which fallback font it loaded.
set -euo pipefail
bin=$1 case=$2
work=$(mktemp -d); pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nsys_interval 0\n' "$port" >"$work/m.conf"
mosquitto -c "$work/m.conf" >/dev/null 2>&1 & pids+=($!)
for n in $(seq 150 190); do [[ -e /tmp/.X11-unix/X$n || -e /tmp/.X$n-lock ]] || { d=":$n"; break; }; done
Xvfb "$d" -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 & pids+=($!)
sleep 1
pub() { mosquitto_pub -h 127.0.0.1 -p "$port" -r -t "$1" -m "$2"; }
case $case in
  ascii)
    for r in living_room bedroom kitchen study garage; do for s in temperature humidity; do
      pub "home/$r/$s" '{"value": 23.5, "note": "normal"}'; done; done ;;
  cjk | cjk-system)
    for r in 客厅 卧室 厨房 书房 车库; do for s in 温度 湿度; do
      pub "家/$r/$s" '{"value": 23.5, "note": "正常"}'; done; done ;;
  cjk-many)
    python3 -c "
chars = [bytes([a, b]).decode('gb2312') for a in range(0xB0, 0xB8) for b in range(0xA1, 0xFF)]
for i in range(0, 400, 4): print(''.join(chars[i:i + 4]) + '/温度')" |
      while read -r t; do pub "$t" 23.5; done ;;
  *) echo "unknown case $case" >&2; exit 2 ;;
esac
if [[ $case == cjk-system ]]; then
  mkdir -p "$work/data/fonts"; cp "${CJK_FONT:?set CJK_FONT}" "$work/data/fonts/"
fi
DISPLAY=$d TOPICSCOPE_CONFIG_DIR="$work/config" XDG_DATA_HOME="$work/data" RUST_LOG=topicscope=debug \
  "$bin" --broker "mqtt://127.0.0.1:$port" >"$work/app.log" 2>&1 & app=$!; pids+=("$app")
sleep 12
grep -E "VmRSS|RssAnon|RssFile" "/proc/$app/status" | tr -s ' \t' ' ' | tr '\n' ' '; echo " case=$case"
grep -E "fallback font|system fonts scanned" "$work/app.log" | sed 's/\x1b\[[0-9;]*m//g' | cut -c1-160 || true

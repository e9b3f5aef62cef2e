#!/usr/bin/env bash
# Peak memory of `topicscope sub` (BENCHMARKS.md, "sub with a slow reader"); not run in CI.
#
#   tests/interop/sub_memory.sh slow   BINARY [COUNT] [BYTES]   # default 3000 x 1 MB
#   tests/interop/sub_memory.sh topics BINARY [N]               # default 200000 topics
#
# slow:   COUNT messages of BYTES are published (QoS 0) through mosquitto into
#         `BINARY sub -t big/#` whose stdout is a pipe nobody reads; prints the sub's
#         VmHWM/VmRSS once the publisher is done.
# topics: N retained 100-byte messages on N distinct topics are read by
#         `BINARY sub -t '#' -C N > /dev/null`; prints its peak RSS.
# Needs mosquitto and python3 with paho-mqtt; 127.0.0.1 only.
set -u
here=$(cd "$(dirname "$0")" && pwd)
mode=$1 bin=$2
dir=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mosquitto=$(command -v mosquitto || echo /usr/sbin/mosquitto)
printf 'listener %s 127.0.0.1\nallow_anonymous true\nmessage_size_limit 0\nmax_queued_messages 10000000\nmax_queued_bytes 0\nuser root\n' \
  "$port" >"$dir/m.conf"
"$mosquitto" -c "$dir/m.conf" >"$dir/m.log" 2>&1 &
broker=$!
trap 'kill $broker 2>/dev/null; rm -rf "$dir"' EXIT
sleep 0.5
case $mode in
slow)
  mkfifo "$dir/pipe"
  (exec 3<"$dir/pipe"; sleep 100000) &  # the reader that never reads
  reader=$!
  "$bin" sub -b "mqtt://127.0.0.1:$port" -t 'big/#' >"$dir/pipe" 2>"$dir/sub.err" &
  sub=$!
  sleep 1.5
  python3 "$here/flood.py" "$port" big "${3:-3000}" "${4:-1000000}"
  sleep 3
  grep -E 'VmHWM|VmRSS' "/proc/$sub/status"
  kill "$sub" "$reader" 2>/dev/null
  ;;
topics)
  n=${3:-200000}
  python3 "$here/flood.py" "$port" topics "$n" 100
  /usr/bin/time -f "maxrss_kb=%M elapsed_s=%e" "$bin" sub -b "mqtt://127.0.0.1:$port" -t '#' -C "$n" >/dev/null
  ;;
esac
kill "$broker" 2>/dev/null
wait 2>/dev/null

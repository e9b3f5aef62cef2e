# Recordings: the file, `topicscope record`, `export`, `replay` and the Record button.
# Keys start with `rec-`; `{ $name }` parts are filled in by the program.

## File errors (src/record/error.rs)

rec-error-foreign = not a Topicscope recording: { $path } ({ $why })
rec-error-damaged = the file is damaged: { $path } ({ $why }); a copy cut short or a disk error can do this, so try an earlier copy
rec-error-newer = { $path } was recorded by a newer Topicscope (format { $found }; this one reads up to { $known }): update Topicscope to open it
rec-error-io = cannot use { $path }: { $why }
rec-error-exists = { $path } already exists: choose another file name, or pass --overwrite to replace it
rec-error-writer-stopped = the recording stopped: { $why }
rec-why-not-sqlite = it is not an SQLite file
rec-why-other-database = it is an SQLite database of another program
rec-why-no-tables = its tables are missing
rec-why-no-version = it has no format version
rec-bad-size = { $text } is not a size: write e.g. 500MB, 2GB or 64MiB

## topicscope record

rec-cli-recording = recording { $filters } from { $broker } to { $file }; Ctrl+C stops
rec-cli-lost = connection lost, the recording goes on once it is back: { $why }
rec-cli-summary = recorded { $n ->
    [one] { $n } message
   *[other] { $n } messages
} ({ $payload } of payload) in { $secs } s to { $file } (file size { $size })
rec-cli-summary-deleted = ; { $n ->
    [one] { $n } oldest message was
   *[other] { $n } oldest messages were
} deleted to stay under the size limit

## topicscope export

rec-bad-time = { $text } is not a time: write 2026-11-30T02:00:00Z, or a time after the start of the recording such as 90s or 10m

## topicscope replay

rec-bad-speed = { $text } is not a speed: write 1, 10, 60, 0.5 or max
rec-replay-same-broker = this recording was made from { $broker }; replaying it there would send old messages to live devices. Replay into a test broker, or pass --yes-same-broker if you mean it
rec-replay-progress = replayed { $sent } of { $total } ({ $pct }%)
rec-replay-summary = replayed { $n ->
    [one] { $n } message
   *[other] { $n } messages
} in { $secs } s
rec-replay-failures = { $n ->
    [one] { $n } message was
   *[other] { $n } messages were
} not accepted by the broker: { $why }
rec-replay-unconfirmed = the broker did not confirm the last { $n ->
    [one] message
   *[other] { $n } messages
} in time: they may be lost

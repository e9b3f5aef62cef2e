# Recordings: the file, `topicscope record`, `export`, `replay` and the Record button.
# Keys start with `rec-`; `{ $name }` parts are filled in by the program.

## File errors (src/record/error.rs)

rec-error-foreign = not a Topicscope recording: { $path } ({ $why })
rec-error-damaged = the file is damaged: { $path } ({ $why }); a copy cut short or a disk error can do this, so try an earlier copy
rec-error-newer = { $path } was recorded by a newer Topicscope (format { $found }; this one reads up to { $known }): update Topicscope to open it
rec-error-io = cannot use { $path }: { $why }
rec-error-disk-full = the disk is full; the file keeps the messages recorded until now: free some space and record again
rec-error-exists = { $path } already exists: choose another file name, or pass --overwrite to replace it
rec-error-writer-stopped = the recording stopped: { $why }
rec-why-not-sqlite = it is not an SQLite file
rec-why-other-database = it is an SQLite database of another program
rec-why-no-tables = its tables are missing
rec-why-no-version = it has no format version
rec-bad-size = { $text } is not a size: write e.g. 500MB, 2GB or 64MiB
rec-size-too-small = { $text } is too small for a recording: the size limit must be at least { $min }

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
rec-cli-summary-too-large = ; { $n ->
    [one] { $n } message was
   *[other] { $n } messages were
} not recorded, each too large for the size limit

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

## Recording from the window (src/app/recording.rs, src/ui/record_dialog.rs, src/ui/recording_indicator.rs)

rec-win-record-button = ⏺ Record…
rec-win-record-hover = Record this connection's messages to a file, to open, export or replay later
rec-win-cmd-record = Record { $name }…
rec-win-cmd-stop = Stop recording { $name }
rec-win-dialog-title = Record { $name }
rec-win-file = File
rec-win-topics = Topic filters
rec-win-topics-hint = Empty: all topics. Or filters separated by spaces, e.g. greenhouse/# esp32/+/temp
rec-win-topics-all = all topics
rec-win-file-parts = { $file } in { $folder }
rec-win-max-size = Size limit
rec-win-max-size-hint = Empty: no limit. E.g. 500MB for the file and its journal; past it the oldest messages are deleted first
rec-win-max-size-none = no limit
rec-win-start = Start recording
rec-win-stop = ⏹ Stop
rec-win-indicator = recording { $file }: { $size }, { $rate }
rec-win-indicator-hover = { $path }
    { $n ->
        [one] { $n } message recorded
       *[other] { $n } messages recorded
    }
rec-win-indicator-deleted = { $n ->
    [one] { $n } oldest message deleted
   *[other] { $n } oldest messages deleted
} to stay under the size limit
rec-win-too-large = { $n ->
    [one] { $n } message too large
   *[other] { $n } messages too large
} for the size limit
rec-win-too-large-hover = Each of these messages needs more than about a quarter of the size limit; raise the limit to record them
rec-win-tab-hover = Recording to { $path }
rec-win-dropped = { $n ->
    [one] { $n } message not recorded
   *[other] { $n } messages not recorded
}
rec-win-dropped-hover = The disk could not keep up with the traffic; the tree still shows these messages
rec-win-no-path = Choose the file to record to.
rec-win-is-folder = { $path } is a folder: add a file name, e.g. night.tsrec
rec-win-exists = { $path } already exists: choose another file name
rec-win-bad-filter = { $filter } is not a topic filter: { $error }
rec-win-already = { $name } is already being recorded
rec-win-started = Recording { $name } to { $path }
rec-win-stopped = Recorded { $n ->
    [one] { $n } message
   *[other] { $n } messages
} of { $name } to { $path } ({ $size })
rec-win-failed = The recording of { $name } to { $path } stopped: { $why }

## Export from the window (src/app/export.rs, src/ui/export_dialog.rs)

rec-export-menu = Export messages…
rec-export-title = Export { $topic }
rec-export-count = { $n ->
    [one] { $n } message is
   *[other] { $n } messages are
} kept in the history for this topic and the topics below it
rec-export-format = Format
rec-export-jsonl-hover = One JSON object per message, as topicscope sub --format json prints them
rec-export-csv-hover = Numbers only: a time column, then one column per topic or JSON field
rec-export-file = Export to
rec-export-button = Export
rec-export-replace-button = Replace it
rec-export-exists = { $path } already exists: “Replace it” writes over it, or choose another file.
rec-export-no-path = Choose the file to export to.
rec-export-nothing = No message of { $topic } is kept in the history.
rec-export-done = Exported { $n ->
    [one] { $n } message
   *[other] { $n } messages
} to { $path }

## Opening a recording in the window (src/app/playback.rs, src/ui/time_bar.rs)

rec-open-button = 📼 A recording…
rec-open-hover = Open a recording file read-only, without a broker, and move through it in time
rec-open-cmd = Open recording…
rec-open-cmd-play = Play or pause the recording
rec-open-cmd-step = Step to the recording's next message
rec-open-title = Open a recording
rec-open-tab-hover = Recording { $path } (read-only)
rec-open-read-only = { $name } is an opened recording: it is read-only, nothing can be sent on it. Connect to a broker to publish
rec-open-play = Play from this moment
rec-open-pause = Pause
rec-open-step = Step to the next message
rec-open-speed = Speed
rec-open-moment = Moment
rec-open-loading = reading…

## Replaying from the window (src/app/replay_task.rs, src/ui/replay_dialog.rs)

rec-replay-win-button = Replay into broker…
rec-replay-win-title = Replay { $name } into a broker
rec-replay-win-profile = Broker
rec-replay-win-choose = choose a saved connection
rec-replay-win-no-profiles = No saved connections: save one in Connections… first
rec-replay-win-speed = Speed
rec-replay-win-max = as fast as possible
rec-replay-win-prefix = Topic prefix
rec-replay-win-prefix-hint = none; e.g. test/ (a test copy of the topics)
rec-replay-win-confirm = Yes, replay into { $broker }, where it was recorded
rec-replay-win-start = Start replay
rec-replay-win-stop = ⏹ Stop replay
rec-replay-win-progress = replaying into { $name }: { $sent } of { $total }
rec-replay-win-no-recording = open a recording first
rec-replay-win-running = a replay of this recording is running already
rec-replay-win-pick = choose the broker to replay into
rec-replay-win-same-broker = this recording was made from { $broker }; replaying it there would send old messages to live devices. Choose a test broker, or tick the confirmation
rec-replay-win-failed = replay: cannot connect: { $why }
rec-replay-win-stopped = replay stopped after { $n ->
    [one] { $n } message
   *[other] { $n } messages
}
rec-replay-win-done = replayed { $n ->
    [one] { $n } message
   *[other] { $n } messages
} into { $name }

## Export: the time range (src/ui/export_dialog.rs)

rec-export-from = From
rec-export-to = To
rec-export-open-bound = no bound
rec-export-bad-moment = { $text } is not a time: write e.g. 2026-11-30 14:03:07 (local time)

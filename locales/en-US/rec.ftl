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

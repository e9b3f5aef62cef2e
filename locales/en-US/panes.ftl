# The panes: topic tree, inspector, payload views, charts, publish, subscriptions,
# and the sizes, durations and dates they print. `{ $n }` and other `$` names are
# filled in by the program; numbers arrive grouped (12,345).

## Sizes, durations, dates

panes-bytes = { $n ->
    [one] { $n } byte
   *[other] { $n } bytes
}
panes-duration-ms = { $ms } ms
panes-duration-s = { $s } s
panes-duration-min = { $min } min { $s } s
panes-duration-h = { $h } h { $min } min
# A chrono strftime pattern (https://docs.rs/chrono/latest/chrono/format/strftime/).
panes-date-time-pattern = %Y-%m-%d %H:%M:%S%.3f

## Words several panes share

# A topic level or payload with nothing in it.
panes-empty = (empty)
panes-msg-count = { $n ->
    [one] { $n } msg
   *[other] { $n } msgs
}
panes-copy-topic = Copy topic
panes-yes = yes
panes-no = no
panes-save-to-file = Save to file…
panes-remove = Remove
panes-remove-named = Remove { $name }
panes-connect-first = Connect first

## Topic tree

panes-tree-no-match = No topic matches the filter.
panes-tree-waiting = No messages yet from { $name }. Topics appear here as they arrive.
panes-tree-not-connected = Not connected. Pick a broker under Connections…, or try the demo.
# After a collapsed branch: what lies below it.
panes-tree-below = { $topics ->
    [one] { $topics } topic
   *[other] { $topics } topics
}, { $msgs ->
    [one] { $msgs } msg
   *[other] { $msgs } msgs
}
panes-tree-expand-below = Expand all below
panes-tree-clear-retained-below = Clear retained messages below…
panes-tree-filter = Filter
panes-tree-filter-hint = topic or payload… (Ctrl+F)
panes-tree-filter-clear = Clear the filter
panes-tree-sort = Sort
panes-tree-expand-all = Expand all
panes-tree-collapse-all = Collapse all

## Payload kinds and one-line previews

panes-kind-empty = empty
panes-kind-json = json
panes-kind-number = number
panes-kind-text = text
panes-kind-binary = binary
# $format: PNG or JPEG.
panes-kind-image = { $format } image
panes-preview-binary = (binary, { $n ->
    [one] { $n } byte
   *[other] { $n } bytes
})
panes-preview-image = ({ $format } image, { $n ->
    [one] { $n } byte
   *[other] { $n } bytes
})

## Inspector

panes-insp-select = Select a topic
panes-insp-select-hint = Click a topic in the tree to see its payload, history and details.
panes-insp-below = { $topics ->
    [one] { $topics } topic
   *[other] { $topics } topics
} below, { $msgs ->
    [one] { $msgs } message
   *[other] { $msgs } messages
}
panes-insp-clear-retained = Clear retained
panes-insp-clear-retained-hover = Publish an empty retained message to this topic
panes-insp-clear-retained-below = Clear retained below…
panes-insp-no-message = No message on this topic itself.
panes-insp-plot-into = Plot into
panes-insp-new-chart = a new chart
panes-insp-plot = Plot
panes-insp-plot-hover = Plot this topic's value ({ $value })
panes-insp-plot-json-hint = click a number in the JSON view to plot it
# Before the number type of a binary field: "as f32 … at byte 4".
panes-insp-binary-as = as
panes-insp-little-endian = little-endian
panes-insp-at-byte = at byte
panes-insp-plot-field = Plot field
panes-insp-binary-none = (past the end or not a finite number)
panes-insp-received = Received
panes-insp-size = Size
# $size: "1.5 KiB"; $n: the exact count.
panes-insp-size-value = { $size } ({ $n ->
    [one] { $n } byte
   *[other] { $n } bytes
})
panes-insp-retained = Retained
panes-insp-since-previous = Since previous
panes-insp-kind = Kind
panes-insp-messages = Messages
panes-insp-messages-value = { $received } received, { $kept } kept
panes-insp-age = Age
panes-insp-diff = Diff with previous
panes-insp-diff-disabled = Only one message kept for this topic
panes-insp-copy-payload = Copy payload
panes-insp-copy-as = Copy as command
panes-insp-copy-as-hover = A shell command line that publishes this message again (the password is left to a variable)

## MQTT 5 properties of a message

panes-prop-content-type = Content type
panes-prop-payload-format = Payload format
panes-prop-format-utf8 = UTF-8 text
panes-prop-format-bytes = bytes
panes-prop-response-topic = Response topic
panes-prop-correlation = Correlation data
panes-prop-correlation-hex = Correlation data (hex)
panes-prop-expiry = Message expiry
panes-prop-user = User property

## Payload views and the diff

panes-view-auto = Auto
panes-view-text = Text
panes-view-image = Image
panes-view-empty = (empty payload)
panes-view-empty-clears = (empty payload: clears the retained message)
panes-view-showing = showing { $shown } of { $n ->
    [one] { $n } byte
   *[other] { $n } bytes
}
panes-view-show-all = Show all
panes-view-json-scalar = valid JSON, but not an object or array; shown as text
# $at: where and why, as panes-json-at says it.
panes-view-json-invalid = not valid JSON { $at }; shown as text
panes-view-click-to-plot = Click to plot { $path }
panes-view-not-image = not a PNG or JPEG image; choose another view
panes-diff-heading = Diff with the previous message ({ $from } to { $to }): { $n ->
    [one] { $n } changed line
   *[other] { $n } changed lines
}
panes-diff-cut = (long payloads: only the first lines are compared)

## Why JSON does not parse

panes-json-at = at line { $line }, column { $column }: { $reason }
panes-json-eof = the text ends too early (a bracket or string is not closed)
panes-json-expected-value = expected value
panes-json-trailing = trailing characters
panes-json-key-string = key must be a string
panes-json-invalid-number = invalid number
panes-json-expected-colon = expected `:`
panes-json-expected-comma-brace = expected `,` or `{ "}" }`
panes-json-expected-comma-bracket = expected `,` or `]`

## Publish: payload formats and their checks

panes-pub-json-invalid = Invalid JSON { $at }
panes-hex-line-column = line { $line }, column { $column }
panes-hex-position = position { $column }
panes-hex-bare-prefix = '0x' at { $at } has no hex digits after it
panes-hex-not-digit = '{ $char }' at { $at } is not a hex digit
panes-hex-odd = Odd number of hex digits ({ $n }): each byte needs two

## History of a topic

panes-history-title = History ({ $n } kept)
panes-history-follow = Follow newest
# In the time-since-previous column of the oldest entry.
panes-history-first = first

## Charts

panes-charts-heading = Charts
panes-charts-new = New chart
panes-charts-none = No charts yet. Select a topic with a numeric payload and press "Plot", or click a number in the JSON view.
panes-charts-window = Window
panes-charts-auto-y = Auto Y
panes-charts-y-min = Y min
panes-charts-y-max = Y max
panes-charts-following = Following
panes-charts-paused = Paused
panes-charts-export = Export CSV…
panes-charts-remove = Remove chart
panes-charts-col-series = series
panes-charts-col-min = min
panes-charts-col-max = max
panes-charts-col-mean = mean
panes-charts-col-last = last
# The time span a chart shows.
panes-window-min = { $n } min
panes-window-h = { $n } h
panes-window-all = all

## Publish

panes-pub-not-sent = Not sent: { $error }
panes-pub-publishes-to = Publishes to
panes-pub-topic = Topic
panes-pub-recent = Recent
panes-pub-use-selected = Use selected topic
panes-pub-use-selected-hover = Put { $topic } into the topic field
panes-pub-use-selected-none = Select a topic in the tree first
panes-pub-follow-tree = Follow the tree
panes-pub-follow-tree-hover = Fill the topic whenever another topic is selected in the tree
panes-pub-pick = pick…
panes-pub-payload = Payload
panes-pub-format = Format
panes-pub-format-json = Format JSON
panes-pub-format-json-hover = Re-indent the payload; values are kept as typed
panes-pub-too-deep = nested too deeply
panes-pub-cannot-format = Cannot format: { $reason }
panes-pub-valid-json = valid JSON, { $n ->
    [one] { $n } byte
   *[other] { $n } bytes
}
panes-pub-json-needs-value = JSON needs a value
panes-pub-hex-hint = de ad be ef  or  0xde, 0xad  or  de:ad
panes-pub-retain = Retain
panes-pub-retain-hover = The broker keeps this message and hands it to every new subscriber
panes-pub-publish = Publish
panes-pub-publish-hover = Publish ({ $shortcut })
panes-pub-last = Last publish:
panes-pub-history = Publish history ({ $n })
panes-pub-history-empty = Nothing published yet.
panes-pub-load = Load
panes-pub-load-hover = Fill the form with this publish
panes-pub-send-again = Send again
panes-pub-send-again-hover = Publish again to { $topic }
panes-pub-flags-retained = QoS { $qos } retained
# $hex: the first bytes in hex, "…" when there are more.
panes-pub-hex-preview = { $hex } ({ $n ->
    [one] { $n } byte
   *[other] { $n } bytes
})

## Publish: MQTT 5 properties

panes-v5-title = MQTT 5 properties
panes-v5-title-set = MQTT 5 properties ({ $n } set)
panes-v5-response-topic-invalid = Response topic: { $error }
panes-v5-expiry-invalid = Message expiry: '{ $value }' is not a whole number of seconds (0 to { $max })
panes-v5-expiry-secs = Message expiry (s)
panes-v5-never = never
panes-v5-key = Key { $n }
panes-v5-value = Value { $n }
panes-v5-remove-user = Remove this user property
panes-v5-add-user = Add user property

## Subscriptions

panes-subs-of = Filters of { $name }
panes-subs-none = No subscriptions: add a filter below, such as '#' for everything.
panes-subs-col-filter = Filter
panes-subs-col-status = Status
panes-subs-add = Add filter
panes-subs-at-qos = at QoS
panes-subs-subscribe = Subscribe

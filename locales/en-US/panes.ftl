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

## Rates: messages per second now (src/model/rate.rs and where it is shown)
rate-sort = current rate
rate-per-sec = { $rate }/s
rate-insp = Rate
rate-insp-value = { $msgs } · { $bytes }/s (1 min: { $minute })

## The Traffic pane
rate-pane = Traffic
rate-total = All: { $msgs } · { $bytes }/s
rate-topics = { $n ->
    [one] 1 topic
   *[other] { $n } topics
}
rate-quiet = No topic received a message in the last minute.
rate-top-messages = Busiest topics (messages/s)
rate-top-bytes = Busiest topics (bytes/s)
rate-top-subtrees = Busiest subtrees
rate-bytes-per-sec = { $bytes }/s
rate-select-hover = Select it in the tree
rate-total-minute = Last minute: { $msgs }
rate-col-now = 10 s
rate-col-minute = 1 min
rate-held = ⏸ Order held while the pointer is here
rate-live = Re-sorted every second, held while the pointer is here
rate-subtree-topics = { $n } topics
rate-biggest = Biggest payloads
rate-stopped = Stopped ({ $n })
rate-was = was { $rate }
rate-other = other

## topicscope top
rate-cli-title = { $broker }: { $msgs } · { $bytes }/s · { $n ->
    [one] 1 topic
   *[other] { $n } topics
}
rate-cli-topics = TOPIC
rate-cli-subtrees = SUBTREE
rate-cli-msgs = MSG/S
rate-cli-minute = MSG/S 1MIN
rate-cli-bytes = BYTES/S
rate-cli-write-failed = cannot write the table: { $error }

## The inspector's last minute
rate-last-minute = Last minute
rate-last-minute-hover = One bar a second; the highest is { $max ->
    [one] 1 message
   *[other] { $max } messages
}
rate-mean = { $rate } on average
rate-mean-at-least = at least { $rate } on average (older messages are no longer kept)

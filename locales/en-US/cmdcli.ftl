# `topicscope pub`: saved commands (--template), repeats and replies.

cmdcli-bad-interval = '{ $text }' is not an interval: write it as 500ms, 1s, 2.5s or 1m
cmdcli-interval-too-short = the interval '{ $text }' is too short: the shortest is { $min_us } µs
cmdcli-bad-reply-filter = invalid --wait-reply filter '{ $filter }': { $error }
cmdcli-in-profile = profile '{ $profile }': { $error }
cmdcli-cannot-prepare = cannot prepare the command '{ $name }': { $error }
cmdcli-missing-vars = the command '{ $name }' needs { $n ->
    [one] a value for { $vars }
   *[other] values for { $vars }
}: add { $flags }
cmdcli-no-vars = none
cmdcli-unknown-var = --var { $var }: the command '{ $name }' has no variable of that name; its variables: { $known }
cmdcli-reply-subscribe-failed = cannot wait for the reply: the subscription to '{ $filter }' was refused: { $why }
cmdcli-reply-subscribe-timeout = cannot wait for the reply: the broker did not confirm the subscription to '{ $filter }' within { $secs } s
cmdcli-send-failed = publish { $n } failed: { $why }
cmdcli-connection-lost = connection lost after { $n ->
    [one] 1 publish
   *[other] { $n } publishes
}: { $why }
cmdcli-reply = reply on { $topic } after { $ms } ms
cmdcli-reply-n = reply { $n } on { $topic } after { $ms } ms
cmdcli-no-reply = no reply on '{ $filter }' within { $secs } s
cmdcli-no-reply-n = publish { $n }: { $text }
cmdcli-summary = sent { $n ->
    [one] 1 message
   *[other] { $n } messages
}, { $acked } acknowledged, in { $secs } s
cmdcli-skipped = the computer was too busy to keep the interval { $n ->
    [one] once: the sends after it went out later
   *[other] { $n } times: the sends after each went out later
}
cmdcli-failed = { $n } of { $total } publishes failed
cmdcli-unacked = { $n ->
    [one] 1 publish was
   *[other] { $n } publishes were
} not acknowledged by the broker within { $secs } s
cmdcli-replies-missing = { $n } of { $total } requests got no reply in time
cmdcli-round-trips = replies: { $n } of { $total }, round trip { $min } / { $avg } / { $max } ms (min / average / max)
cmdcli-progress = sent { $sent } of { $total }, acknowledged { $acked }
cmdcli-progress-endless = sent { $sent }, acknowledged { $acked } (Ctrl+C stops)
cmdcli-properties-dropped = the MQTT 5 properties of '{ $name }' (response topic, correlation data…) are not sent on this MQTT 3.1.1 connection; add --mqtt-version 5 to send them

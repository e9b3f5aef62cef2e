## Saved commands, repeats and replies (src/model/template.rs, saved_command.rs, the
## Commands pane, the publish pane's repeat and reply rows, `pub --template`).

cmd-var-bad-random = { $text } needs two numbers, the smaller first, e.g. {"{{"}random 0 100{"}}"}
cmd-var-no-arguments = { $text } takes no arguments
cmd-var-missing = no value for {"{{"}{ $name }{"}}"}
cmd-bad-qos = QoS { $qos } does not exist (0, 1 or 2)
cmd-name-empty = a saved command needs a name
cmd-name-taken = there is already a command named “{ $name }”
cmd-none-saved = no saved command “{ $query }”: this profile has no saved commands
cmd-not-found = no saved command “{ $query }”; saved: { $names }
cmd-ambiguous = “{ $query }” is in several collections: { $names } (say which, as collection/name)

## The Commands pane
cmd-pane = Saved commands
cmd-filter-hint = Find a command…
cmd-new = ➕ New
cmd-new-hover = A new saved command, starting from what the publish form holds
cmd-not-kept = Kept until the window closes: this connection has no saved profile. Save it in Connections to keep its commands.
cmd-empty = No saved commands yet. Fill the publish form and press “Save as command…”, or “Save…” on a publish in the history. Commands can hold variables such as {"{{"}counter{"}}"}, {"{{"}now{"}}"}, {"{{"}random 0 100{"}}"}, {"{{"}uuid{"}}"} or your own {"{{"}colour{"}}"}.
cmd-none-match = No command matches.
cmd-no-collection = Not in a collection ({ $n })
cmd-collection = { $name } ({ $n })
cmd-send-hover = { $name }: publish to { $topic }
cmd-menu-hover = More for this command
cmd-menu-edit = Edit…
cmd-menu-load = Load into the publish form
cmd-menu-repeat = Repeat…
cmd-menu-shortcut = Keyboard shortcut…
cmd-menu-copy-mosquitto = Copy as mosquitto_pub
cmd-menu-copy-topicscope = Copy as topicscope pub
cmd-menu-delete = Delete…
cmd-delete-confirm = Delete “{ $name }”?
cmd-delete = Delete
cmd-copied = Command line copied
cmd-not-copied = Not copied: { $error }
cmd-not-sent = “{ $name }” not sent: { $error }
cmd-gone = There is no saved command “{ $name }” on this connection any more
cmd-palette-send = Send command: { $name }

## The command editor
cmd-new-title = New saved command
cmd-edit-title = Edit saved command
cmd-field-name = Name
cmd-field-collection = Collection
cmd-field-reply = Wait for a reply on
cmd-field-reply-hover = After sending, wait for the next message on this topic (wildcards allowed) and show it with the round-trip time: how devices without MQTT 5 answer, e.g. Tasmota on stat/…/POWER
cmd-field-within = within
cmd-field-v5-hover = MQTT 5: the device answers on this topic; with correlation data only the matching answer counts as the reply
cmd-variables = Variables:
cmd-variables-none = none
cmd-variables-hover = Filled each time the command is sent: {"{{"}now{"}}"} (local time), {"{{"}timestamp{"}}"}, {"{{"}timestamp_ms{"}}"}, {"{{"}counter{"}}"} (1, 2, 3… this session), {"{{"}random 0 100{"}}"}, {"{{"}uuid{"}}"}; any other name is asked for when sending.
cmd-var-user = { $name } (asked)
cmd-save = Save
cmd-topic-empty = a saved command needs a topic
cmd-bad-timeout = the reply timeout “{ $value }” is not a whole number of seconds from 1 to 3600

## Values of a command's variables, and its keyboard shortcut
cmd-values-title = Values for “{ $name }”
cmd-values-send = Send
cmd-values-copy = Copy
cmd-key-title = Keyboard shortcut for “{ $name }”
cmd-key-press = Press the keys now.
cmd-key-how = Use Ctrl or Alt with a key, or a function key (F2–F12). Backspace removes the shortcut, Escape cancels.
cmd-key-needs-modifier = { $keys } is typing, not a shortcut: add Ctrl or Alt, or use a function key
cmd-key-reserved = { $keys } already belongs to the window
cmd-key-taken = { $keys } already sends “{ $name }”

## Repeat and load test
cmd-repeat-title = Repeat
cmd-repeat-title-running = Repeat ({ $n } running)
cmd-repeat-every = Every
cmd-unit-ms = ms
cmd-unit-s = s
cmd-repeat-times = times
cmd-repeat-times-hover = Empty or 0: until stopped
cmd-repeat-load = Load test
cmd-repeat-load-hover = Send a numbered payload of a set size instead of the form's payload
cmd-repeat-size = bytes
cmd-repeat-start = ⟳ Repeat
cmd-repeat-start-hover = Start sending it on this schedule
cmd-repeat-stop = ⏹ Stop
cmd-repeat-fast = That is { $rate } messages a second. Press Repeat again to start anyway.
cmd-repeat-bad-interval = “{ $value }” is not an interval: a number greater than 0
cmd-repeat-interval-range = The interval must be between 0.1 ms and 24 hours
cmd-repeat-bad-count = “{ $value }” is not a number of times
cmd-repeat-bad-size = “{ $value }” is not a payload size: a whole number of bytes up to { $max }
cmd-repeat-running = Repeating { $name }
cmd-repeat-stopped = Stopped: { $name }
cmd-repeat-done = Done: { $name }
cmd-repeat-sent-of = { $n } of { $total } sent
cmd-repeat-sent = { $n } sent
cmd-repeat-acked = { $n } acknowledged
cmd-repeat-written = { $n } written
cmd-repeat-rate = { $rate }/s
cmd-repeat-delayed = { $n ->
    [one] delayed once (the window was busy or hidden)
   *[other] delayed { $n } times (the window was busy or hidden)
}
cmd-repeat-failed = { $n } failed

## Replies
cmd-wait-reply = Wait for a reply on
cmd-v5-waits = The reply on the response topic is waited for.
cmd-replies = Replies ({ $n })
cmd-replies-waiting = Waiting for { $n ->
    [one] a reply
   *[other] { $n } replies
}…
cmd-reply-in = reply in { $ms } ms
cmd-reply-none = no reply on { $filter } within { $secs } s

## The publish form and its history
cmd-save-as = Save as command…
cmd-save-as-hover = Keep this publish as a named command, to send with one click, a shortcut or the palette
cmd-history-save = Save…
cmd-history-save-hover = Keep this publish as a named command

## The demo's example commands
cmd-demo-greenhouse = greenhouse
cmd-demo-pump-on = pump on
cmd-demo-pump-off = pump off
cmd-demo-plug = plug
cmd-demo-toggle = toggle
cmd-demo-led-colour = LED colour
cmd-repeat-replies = { $n ->
    [one] 1 reply in { $mean } ms
   *[other] { $n } replies, { $min }–{ $max } ms, mean { $mean } ms
}
cmd-repeat-no-reply = { $n } without a reply
cmd-key-current = Now: { $keys }
cmd-key-none = No shortcut yet.
cmd-example = e.g. { $text }

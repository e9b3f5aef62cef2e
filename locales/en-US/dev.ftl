## Devices: the fleet recognised from Tasmota, ESPHome, Zigbee2MQTT, Home Assistant
## discovery and last wills (src/model/devices, src/ui/panes/devices.rs, topicscope devices)
dev-pane = Devices
dev-count = { $n ->
    [one] 1 device
   *[other] { $n } devices
}
dev-count-offline = { $n } offline
dev-count-silent = { $n } silent
dev-count-flapping = { $n } flapping
dev-filter = Filter devices
dev-filter-hint = name, kind or topic
dev-sort = Sort
dev-sort-offline = Offline first
dev-sort-silent = Silent first
dev-sort-name = By name
dev-none = No devices recognised yet. Devices are found from Tasmota, ESPHome, Zigbee2MQTT and Home Assistant discovery topics, and from last wills such as …/status online/offline.
dev-none-match = No device matches the filter.
dev-online = online
dev-offline = offline
dev-silent = silent
dev-flapping = flapping
dev-unknown = availability unknown
dev-since = { $health } since { $time }
dev-never = never
dev-last-seen-never = not heard from since we connected
dev-last-seen = last seen { $ago } ago
dev-interval = reports every { $every }
dev-rate = rate { $rate }
dev-topics = { $n ->
    [one] 1 topic
   *[other] { $n } topics
}
dev-select-hover = Select it in the tree
dev-command-hover = Publish { $payload } to { $topic }
dev-command-failed = The command to { $topic } was not sent: { $reason }
dev-topic-not-in-tree = { $topic } is not in the tree (it may have been cleared); it shows again with its next message.
dev-toast-offline = { $name } went offline ({ $conn })
dev-toast-silent = { $name } went silent: nothing for three times its usual interval ({ $conn })
dev-toast-flapping = { $name } keeps going offline and online ({ $conn }): check its power, Wi-Fi and client id
dev-cli-head = { "NAME" }	{ "KIND" }	{ "STATE" }	{ "LAST SEEN" }	{ "INTERVAL" }	{ "READINGS" }
dev-cli-none = No devices recognised in { $secs } s. Check that the subscription covers the devices' topics (default #), or wait longer with --wait.
dev-cmd-on = ON
dev-cmd-off = OFF
dev-cmd-toggle = TOGGLE
dev-cmd-press = PRESS
## Client-id collisions (src/model/devices/collisions.rs, src/ui/panes/device_collisions.rs)
dev-count-collisions = { $n ->
    [one] 1 client id collision
   *[other] { $n } client id collisions
}
dev-collision-row = client id collision: { $id }
dev-collision-row-suspected = suspected client id collision: { $pair }
dev-collision-line = Client id { $id } is used by two clients that kick each other off: { $n ->
    [one] 1 takeover
   *[other] { $n } takeovers
} in { $window } (first at { $first }, last at { $last }; from { $source }).
dev-collision-line-suspected = Suspected client id collision: { $pair } go offline and online in step ({ $n } times in { $window }, last at { $last }). No broker said so; it is only the pattern.
dev-collision-source-mosquitto = mosquitto's log ($SYS/broker/log)
dev-collision-source-emqx = EMQX client events
dev-collision-source-embedded = the embedded broker
dev-collision-hint = Two boards flashed with one client id take turns kicking each other off the broker. Give each board its own client id (for example with its MAC address).
dev-toast-collision = Client id { $id } is used by two clients that keep kicking each other off ({ $conn }): give each board its own client id
dev-toast-collision-suspected = { $pair } go offline and online in step ({ $conn }): they may share one client id
## Patterns and thresholds (src/ui/panes/device_settings.rs, src/app/device_settings.rs)
dev-settings = Patterns and thresholds
dev-rules-help = Your own devices: a topic pattern with {"{"}device{"}"} where the board's name is, e.g. sensors/{"{"}device{"}"}/# or +/{"{"}device{"}"}/telemetry. Numbers under it become readings; a status, LWT or availability topic says whether it is online.
dev-rule-new = New pattern
dev-rule-add = Add
dev-rule-remove = Remove
dev-rule-remove-hover = Stop finding devices with { $pattern }
dev-rule-empty = Type a pattern first.
dev-rule-device-levels = { $n ->
    [0] The pattern needs one level that is exactly {"{"}device{"}"}.
   *[other] The pattern has { $n } {"{"}device{"}"} levels; it needs exactly one.
}
dev-rule-hash = # may only be the last level.
dev-rule-mixed = The level "{ $level }" mixes a wildcard or {"{"}device{"}"} with other characters; each must be a level of its own.
dev-rule-duplicate = { $pattern } is already a pattern.
dev-silent-set = Silent after a set time
dev-silent-secs = without a message for
dev-silent-default = (otherwise: three usual reporting intervals, at least 30 s)
dev-flap-changes = Flapping: more than
dev-flap-window = online/offline changes within
dev-unit-secs = s
dev-unit-mins = min
dev-notify = Also as desktop notifications
dev-notify-hover = Offline, silent, flapping and client-id collisions also pop up on the desktop (notify-send).
dev-notify-missing = Desktop notifications are off: { $program } could not be run ({ $reason }). Install libnotify-bin for notify-send, or name another program in the Devices pane's settings.
dev-notify-command = with
dev-toast-silent-set = { $name } went silent: nothing for { $secs } s ({ $conn })
## Timeline and command answers (src/ui/panes/device_timeline.rs, devices.rs)
dev-timeline-unknown = not heard yet
dev-timeline-ago = { $hours ->
    [one] 1 h ago
   *[other] { $hours } h ago
}
dev-timeline-now = now
dev-timeline-span = { $from }–{ $to }: { $state }
dev-answer-waiting = waiting for the device to answer…
dev-answer-missed = no answer within { $secs } s
dev-answer-rtt = answered in { $ms } ms
dev-cmd-set = Set
dev-more-rows = Showing the first { $shown } of { $n } devices, trouble first. Type in the filter to find the others.

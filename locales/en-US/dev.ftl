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

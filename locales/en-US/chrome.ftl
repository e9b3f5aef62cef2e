# The window chrome: top bar, connection tabs, status bar, command palette, shortcuts
# help, pane titles, the connection dialog, and the notices of the application.
# `{ $n }` and other `$` names are filled in by the program.

## Top bar

chrome-open = Open
chrome-open-picker = a connection…
chrome-profile-open = { $name } (open)
chrome-no-profiles = no saved profiles
chrome-demo-hover = A broker inside Topicscope with a simulated ESP32 fleet
chrome-local-broker-hover = Run an MQTT broker on 127.0.0.1 inside Topicscope and connect to it
chrome-disconnect = Disconnect
chrome-connect = Connect
chrome-resume-button = ▶ Resume ({ $n } new)
chrome-pause-button = ⏸ Pause
chrome-pause-hover = Freeze the tree; messages are still recorded (Ctrl+Shift+Space)
chrome-clear = Clear
chrome-clear-hover = Empty this connection's tree and history (the broker keeps its retained messages)
chrome-panes-menu = Panes
chrome-reset-layout = Reset layout
chrome-theme-light = ☀ Light
chrome-theme-dark = 🌙 Dark
chrome-theme-hover = Switch the theme
chrome-language-menu = 🌐 Language
chrome-language-hover = The language of the interface (语言)
chrome-language-system = System
chrome-language-system-detected = System ({ $language })
chrome-commands-button = ⌨ Commands
chrome-commands-hover = Every action by name (Ctrl+K)
chrome-help-hover = Keyboard shortcuts (F1)

## Connection tabs

chrome-new-connection = new connection
chrome-tab-hover = { $name }: { $status }
chrome-tab-close-hover = Disconnect and close { $name }
chrome-add-connection = + Connection
chrome-add-connection-hover = Open another broker beside these
chrome-cert-unchecked = ⚠ certificate not checked
chrome-cert-unchecked-hover = This profile allows invalid certificates: the broker's identity is not verified, so anyone on the network path could read and change this connection.

## Panes

chrome-pane-topics = Topics
chrome-pane-inspector = Inspector
chrome-pane-charts = Charts
chrome-pane-publish = Publish
chrome-pane-subscriptions = Subscriptions

## Status bar

chrome-status-connected = connected
chrome-status-connecting = connecting
chrome-status-reconnecting = reconnecting
chrome-status-disconnected = disconnected
chrome-status-connection = { $name }: { $state }
chrome-status-rate = { $n } msg/s
chrome-status-messages = { $n ->
    [one] { $n } message
   *[other] { $n } messages
}
chrome-status-history = history { $used } / { $budget }
chrome-status-history-hover = { $kept ->
    [one] { $kept } message kept
   *[other] { $kept } messages kept
}; { $dropped } older ones dropped to stay within the budget (every topic keeps its newest)
chrome-status-paused = paused: { $n } new
chrome-status-shed = { $n } shed while paused
chrome-status-publish-failures = { $n ->
    [one] { $n } publish failed
   *[other] { $n } publishes failed
}

## Command palette

chrome-palette-label = Command
chrome-palette-hint = type to search every action…
chrome-palette-no-match = No action matches.
chrome-palette-count = { $n } actions; type to narrow them
chrome-cmd-connections = Connections…
chrome-cmd-connect-to = Connect to { $name }
chrome-cmd-start-demo = Connect to { $name } (simulated ESP32 fleet)
chrome-cmd-start-local-broker = Connect to { $name } (embedded broker)
chrome-cmd-reconnect = Reconnect { $name }
chrome-cmd-disconnect = Disconnect { $name }
chrome-cmd-close-connection = Close connection { $name }
chrome-cmd-switch-to = Switch to { $name }
chrome-cmd-clear-tree = Clear the tree and history
chrome-cmd-clear-retained-below = Clear retained messages below the selected topic…
chrome-cmd-resume = Resume the tree
chrome-cmd-pause = Pause the tree
chrome-cmd-new-chart = New chart
chrome-cmd-toggle-theme = Switch between light and dark theme
chrome-cmd-language = Interface language: { $language }
chrome-cmd-show-pane = Show pane: { $pane }
chrome-cmd-close-pane = Close pane: { $pane }
chrome-cmd-filter = Filter topics
chrome-cmd-expand-all = Expand all topics
chrome-cmd-collapse-all = Collapse all topics
chrome-cmd-sort = Sort topics by { $order }
chrome-cmd-palette = Command palette
chrome-sort-name = name
chrome-sort-messages = messages
chrome-sort-last-update = last update

## Keyboard shortcuts

chrome-keyboard-shortcuts = Keyboard shortcuts
chrome-keys-palette = Ctrl+K  or  Ctrl+Shift+P
chrome-keys-help = F1  or  ?
chrome-key-palette = Command palette: every action by name
chrome-key-filter = Filter the topics
chrome-key-escape = Leave the text field, back to the tree
chrome-key-up-down = Previous / next topic
chrome-key-left-right = Collapse / expand, or go to the parent
chrome-key-home-end = First / last topic
chrome-key-page = One screen of topics up / down
chrome-key-enter = Open or close the selected topic
chrome-key-copy = Copy the selected topic
chrome-key-publish = Publish (in the Publish pane)
chrome-key-pause = Pause / resume the tree
chrome-key-switch = Switch connection
chrome-key-next-tab = Next tab of the pane group under the mouse
chrome-key-help = This list
chrome-help-footer = Every action, including the ones without a shortcut, is in the command palette.
chrome-close = Close
chrome-cancel = Cancel

## Clearing retained messages

chrome-clear-retained-title = Clear retained messages
chrome-clear-retained-below-text = This removes every retained message the broker holds under { $filter }: the { $n } this window knows of, and any others the broker has (found with a short probe subscription, and checked afterwards). Devices that only publish on change will not resend them.
chrome-clear-retained-text = { $n ->
    [one] This removes the retained message of { $n } topic from the broker. Devices that only publish on change will not resend them.
   *[other] This removes the retained message of { $n } topics from the broker. Devices that only publish on change will not resend them.
}
chrome-clear-retained-more = … and { $n } more
chrome-clear-retained-below-button = Clear all under { $filter }
chrome-clear-retained-button = Clear { $n } retained

## Notices and states of the application

chrome-no-such-profile = no saved profile named '{ $name }'
chrome-select-topic-first = select a topic in the tree first
chrome-cleared-topics = cleared the topics of { $name }
chrome-local-broker-failed = could not start the local broker: { $error }
chrome-fleet-failed = could not start the simulated fleet: { $error }
chrome-local-broker-at = local broker at { $url }: boards on this machine can publish to it
chrome-connect-first = connect first
chrome-not-connected = not connected
chrome-clearing-retained = { $n ->
    [one] clearing { $n } retained message
   *[other] clearing { $n } retained messages
}
chrome-probing-retained = looking for retained messages under { $filter }…
chrome-temporary-config-dir = { $error }; using a temporary directory
chrome-worker-start-failed = cannot start the MQTT worker thread: { $error }
chrome-worker-stopped = the MQTT worker has stopped
chrome-subscription-failed = { $name }: subscription '{ $filter }' failed: { $reason }
chrome-publish-sending = sending…
chrome-publish-sent = sent
chrome-publish-acknowledged = acknowledged by the broker
chrome-publish-failed = failed: { $reason }
chrome-publish-history-not-loaded = publish history not loaded: { $error }
chrome-publish-history-not-saved = publish history not saved: { $error }
chrome-chart-title = Chart { $n }
chrome-demo-chart-temperatures = Temperatures
chrome-demo-chart-humidity = Humidity

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
chrome-smooth-redraw = Smooth live updates
chrome-smooth-redraw-hover = Redraw incoming data 60 times a second. Off: 4 times a second, which is easier to read and uses far less CPU under a stream (the window still answers the mouse and keys at once).
chrome-theme-word-light = light
chrome-theme-word-dark = dark
chrome-theme-hover = Switch to the { $theme } theme
chrome-language-menu = 🌐 Language
chrome-language-hover = The language of the interface (语言)
chrome-language-system = System
chrome-language-system-detected = System ({ $language })
chrome-commands-button = ⌨ Commands
chrome-commands-hover = Every action by name (Ctrl+K)
chrome-help-hover = Keyboard shortcuts (F1)

## Connection tabs

chrome-new-connection = new connection
chrome-demo-name = Demo fleet
chrome-local-broker-name = Local broker
chrome-command-line-name = command line
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
chrome-status-recording-file = recording, read-only
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
chrome-cmd-smooth-redraw = Redraw live data 60 times a second (smooth)
chrome-cmd-light-redraw = Redraw live data 4 times a second (light on CPU)
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
chrome-drain-lost = The background thread that applies incoming messages stopped and lost the open connections. Connect again.
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

## The connection dialog

chrome-connections-title = Connections
chrome-profiles = Profiles
chrome-profiles-unreadable = profiles.ron could not be read: { $error } It will not be overwritten; fix or move it.
chrome-profile-deleted = Deleted profile '{ $name }'.
chrome-profile-copied = Saved a copy as '{ $name }'.
chrome-profile-saved = Saved '{ $name }'.
chrome-profile-not-saved = Not saved. { $error }
chrome-profile-unsaved-entry = { $name } (not saved)
chrome-profile-new = New
chrome-profile-new-name = New profile
chrome-profile-duplicate = Duplicate
chrome-profile-delete = Delete
chrome-profile-delete-question = Delete profile { $name }?
chrome-yes = Yes
chrome-no = No
chrome-profile-discard-changes = Discard the unsaved changes to { $name }?
chrome-profile-discard-new = Discard the new profile { $name }?
chrome-profile-discard = Discard
chrome-profile-keep-editing = Keep editing
chrome-profile-save = Save
chrome-profile-connect-hover = Save, then connect with this profile
chrome-profile-new-unsaved = New profile, not saved yet
chrome-profile-unsaved-changes = Unsaved changes
chrome-form-name = Name
chrome-form-broker-url = Broker URL
chrome-form-bad-url = Not a valid broker address: { $error }.
chrome-form-url-over = { $address } over { $transport }
chrome-transport-tcp = plain TCP (not encrypted)
chrome-transport-ws = WebSocket (not encrypted)
chrome-transport-wss = WebSocket over TLS
chrome-form-client-id = Client ID
chrome-form-client-id-hint = empty: the broker picks one
chrome-form-generate = Generate
chrome-form-generate-hover = A new random client ID
chrome-form-username = Username
chrome-form-user-from-url = from the URL: { $user }
chrome-form-password = Password
chrome-form-password-from-url = from the URL
chrome-form-show = Show
chrome-form-keep-alive = Keep-alive (s)
chrome-form-keep-alive-off = off: a dead connection goes unnoticed
chrome-form-clean-session = Clean session
chrome-form-clean-session-hover = Start without the session the broker may have kept for this client ID
chrome-form-mqtt-version = MQTT version
chrome-form-session-expiry = Session expiry (s)
chrome-form-session-expiry-hover = How long the broker keeps this client's session (subscriptions, queued messages) after the connection ends; 4294967295 keeps it forever
chrome-form-session-expiry-zero = 0: the kept session still ends when the connection does
chrome-form-max-packet = Max packet size (MiB)
chrome-form-max-packet-hover = Larger messages are refused, and larger publishes fail
chrome-form-connect-timeout = Connect timeout (s)
chrome-form-no-subscriptions = None: nothing will arrive until you add a filter.
chrome-form-filter = Filter { $n }
chrome-form-filter-qos = QoS of filter { $n }
chrome-form-remove = Remove
chrome-form-remove-hover = Remove filter { $n }
chrome-form-new-filter = New filter
chrome-form-add = Add
chrome-form-tls-unused = These settings are used only with mqtts:// and wss:// addresses.
chrome-form-ca-file = CA file
chrome-form-ca-file-hint = empty: the system's trusted CAs
chrome-form-client-cert = Client certificate
chrome-form-client-cert-hint = PEM, for mutual TLS
chrome-form-client-key = Client key
chrome-form-client-key-hint = PEM private key
chrome-form-no-such-file = No such file.
chrome-form-allow-invalid = Allow invalid certificates
chrome-form-allow-invalid-warning = ⚠ The broker's certificate is not checked: anyone on the network path can read and change this connection. Use this only with test brokers.
chrome-form-last-will = Last will
chrome-form-send-will = Send a last will
chrome-form-send-will-hover = The broker publishes it if Topicscope disappears without disconnecting
chrome-form-will-topic = Will topic
chrome-form-will-payload = Will payload
chrome-form-will-qos = Will QoS
chrome-form-will-retain = Will retain

## Subscription states (SubscriptionStatus::shown)

chrome-sub-pending = pending
chrome-sub-granted = granted QoS { $qos }
chrome-sub-refused = refused: { $reason }

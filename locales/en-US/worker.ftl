# What the MQTT worker, the settings files and the command line tell a person.
# Keys start with `worker-`; `{ $name }` parts are filled in by the program.

## Connection errors (src/mqtt/reason.rs, reason_v5.rs)

worker-no-answer-timeout = no answer from the broker within { $secs } s (timeout)
worker-write-timeout = the broker stopped accepting data (write timeout)
worker-not-mqtt = the server did not answer like an MQTT broker
worker-not-mqtt5 = the server did not answer like an MQTT 5 broker
worker-requests-done = the connection was closed
worker-ws-connect-failed = WebSocket connect failed: { $error }
worker-ws-invalid-url = invalid WebSocket URL: { $error }
worker-ws-handshake-refused = WebSocket handshake refused: { $error }
worker-ws-closed = the broker closed the connection during the WebSocket handshake (is this a websockets port?)
worker-ws-failed = WebSocket failed: { $error }
worker-tls-bad-host = the host in the broker address cannot be used for TLS (for an IPv6 address, use a host name)
worker-tls-closed = the broker closed the connection during the TLS handshake (is this a TLS port?)
worker-tls-failed = TLS failed: { $error }
worker-io-refused = connection refused (is the broker running on that port?)
worker-io-reset = connection reset by the broker
worker-io-closed = the broker closed the connection
worker-io-timed-out = connection timed out
worker-io-unreachable = host unreachable
worker-io-addr-not-available = address not available
worker-io-dns = host not found (DNS lookup failed)
worker-connection-refused = the broker refused the connection: { $why }
worker-refused-no-reason = no reason given
worker-refused-protocol-version = unsupported MQTT protocol version
worker-refused-client-id = client id rejected
worker-refused-unavailable = service unavailable
worker-refused-credentials = bad user name or password
worker-refused-not-authorised = not authorised
worker-keep-alive-timeout = the broker stopped answering (keep-alive timeout)
worker-incoming-too-large = the broker sent a packet of { $bytes } bytes, more than the maximum packet size in the profile (raise it there)
worker-outgoing-too-large-profile = Topicscope did not send a packet of { $bytes } bytes: more than the maximum packet size in the profile ({ $max } bytes)
worker-outgoing-too-large-broker = Topicscope did not send a packet of { $bytes } bytes: more than this broker accepts ({ $max } bytes per packet)
worker-malformed = malformed packet from the broker: { $error }
worker-protocol-error = protocol error: { $error }
worker-normal-disconnection = the broker closed the connection (normal disconnection)
worker-server-disconnect = the broker disconnected us: { $why }
worker-publish-refused = the broker refused it: { $why }
# A reason code: its words, then its number, e.g. "Not authorized (0x87)".
worker-reason-with-code = { $words } ({ $code })
# The same, followed by the broker's own reason string.
worker-reason-with-string = { $words } ({ $code }): { $text }

## MQTT 5 reason codes, in the words of the specification (§2.4)

worker-rc-00 = Success
worker-rc-04 = Disconnect with will message
worker-rc-10 = No matching subscribers
worker-rc-80 = Unspecified error
worker-rc-81 = Malformed packet
worker-rc-82 = Protocol error
worker-rc-83 = Implementation specific error
worker-rc-84 = Unsupported protocol version
worker-rc-85 = Client identifier not valid
worker-rc-86 = Bad user name or password
worker-rc-87 = Not authorized
worker-rc-88 = Server unavailable
worker-rc-89 = Server busy
worker-rc-8a = Banned
worker-rc-8b = Server shutting down
worker-rc-8c = Bad authentication method
worker-rc-8d = Keep alive timeout
worker-rc-8e = Session taken over
worker-rc-8f = Topic filter invalid
worker-rc-90 = Topic name invalid
worker-rc-91 = Packet identifier in use
worker-rc-92 = Packet identifier not found
worker-rc-93 = Receive maximum exceeded
worker-rc-94 = Topic alias invalid
worker-rc-95 = Packet too large
worker-rc-96 = Message rate too high
worker-rc-97 = Quota exceeded
worker-rc-98 = Administrative action
worker-rc-99 = Payload format invalid
worker-rc-9a = Retain not supported
worker-rc-9b = QoS not supported
worker-rc-9c = Use another server
worker-rc-9d = Server moved
worker-rc-9e = Shared subscriptions not supported
worker-rc-9f = Connection rate exceeded
worker-rc-a0 = Maximum connect time
worker-rc-a1 = Subscription identifiers not supported
worker-rc-a2 = Wildcard subscriptions not supported
worker-rc-unknown = Unknown reason

## TLS (src/mqtt/tls_reason.rs)

worker-tls-not-tls = the server did not answer with TLS (is this a plain mqtt:// or ws:// port?)
worker-tls-no-certificate = the broker presented no certificate
worker-tls-incompatible = the broker and Topicscope share no TLS version or cipher ({ $why })
worker-cert-unknown-issuer = the broker's certificate is not signed by a trusted CA (unknown issuer); give the CA file that signed it, or allow invalid certificates for a test broker
worker-cert-expired = the broker's certificate has expired
worker-cert-not-valid-yet = the broker's certificate is not valid yet (check this computer's clock)
worker-cert-wrong-host = the broker's certificate is not valid for the host name in the broker address
worker-cert-no-names = no names at all
worker-cert-wrong-host-names = the broker's certificate is not valid for the host name { $host } (it names { $names }); connect using one of those names
worker-cert-revoked = the broker's certificate has been revoked
worker-cert-bad-signature = the broker's certificate has an invalid signature
worker-cert-malformed = the broker's certificate is malformed
worker-cert-wrong-purpose = the broker's certificate is not meant for a TLS server
worker-cert-unsupported-algorithm = the broker's certificate uses an unsupported signature algorithm
worker-cert-refused = the broker's certificate was refused: { $error }
worker-alert-certificate-required = the broker requires a client certificate; give a certificate and its key
worker-alert-bad-certificate = the broker refused the client certificate (not signed by a CA it trusts, or not for client use)
worker-alert-certificate-expired = the broker refused the client certificate: it has expired
worker-alert-certificate-revoked = the broker refused the client certificate: it has been revoked
worker-alert-handshake-failure = the broker refused the TLS handshake (it may require a client certificate, or support no cipher in common)
worker-alert-protocol-version = the broker does not support TLS 1.2 or 1.3
worker-alert-unrecognised-name = the broker does not serve this host name
worker-alert-other = the broker ended the TLS handshake ({ $alert })

## Packets too large (src/mqtt/too_large.rs)

worker-size-bytes = { $bytes } bytes
worker-size-with-header = { $bytes } bytes ({ $packet } with topic and header)
worker-publish-over-broker-max = not sent: { $size } is more than this broker accepts ({ $max } bytes per packet)
worker-publish-over-profile-max = not sent: { $size } is more than the maximum packet size in the profile ({ $max } bytes)
worker-subscribe-over-broker-max = not subscribed: the SUBSCRIBE packet ({ $bytes } bytes) is more than this broker accepts ({ $max } bytes per packet)
worker-subscribe-over-profile-max = not subscribed: the SUBSCRIBE packet ({ $bytes } bytes) is more than the maximum packet size in the profile ({ $max } bytes)

## Connection state (src/mqtt/mod.rs), retries (health.rs), the worker's own refusals

worker-state-disconnected = disconnected
worker-state-disconnected-because = disconnected: { $why }
worker-state-connecting = connecting to { $broker }…
worker-state-connected = connected to { $broker }
worker-state-reconnecting = reconnecting in { $secs } s: { $why }
worker-same-failure = the same failure { $n } times: { $why }
worker-busy = the MQTT worker is busy (command queue full); try again
worker-stopped = the MQTT worker has stopped
worker-not-connected = not connected
worker-offline-queue-full = offline queue full; not sent
worker-disconnected-before-delivery = disconnected before it was delivered
worker-keep-session-needs-client-id = keeping the session (clean session off) needs a client id
worker-subscription-refused-v3 = the broker refused the subscription (not authorised or invalid filter)
worker-unknown-topic-alias = protocol error: the broker sent a message with topic alias { $alias }, which it never set up (MQTT 5 §3.3.2.3.4); the connection was closed
worker-no-mqtt5 = { $why }: the broker does not speak MQTT 5; connect with MQTT 3.1.1 (the profile's MQTT version, or --mqtt-version 3)
worker-maybe-mqtt3-only = the broker closed the connection without accepting the MQTT 5 CONNECT; it may speak only MQTT 3.1.1: connect with MQTT 3.1.1 (the profile's MQTT version, or --mqtt-version 3)

## Publishes and subscriptions (src/mqtt/session.rs)

worker-publish-not-queued = could not queue the publish: { $error }
worker-publish-failed = publish to '{ $topic }' failed: { $why }
worker-closed-after-invalid-packet = protocol error: Topicscope closed the connection after an invalid packet from the broker
worker-hung-up-on-publish = the broker closed the connection as soon as it got this publish ({ $bytes } bytes to '{ $topic }'): it is probably larger than the broker accepts (e.g. mosquitto's max_packet_size) or not allowed; not sent again
worker-hung-up-on-publish-unanswered = the broker closed the connection as soon as it got this publish ({ $bytes } bytes to '{ $topic }'), without answering: it is probably larger than the broker accepts (e.g. mosquitto's max_packet_size) or not allowed; not sent again
worker-after-publish = { $why } right after a publish of { $bytes } bytes to '{ $topic }'
worker-hung-up-on-subscribe = the broker closed the connection instead of answering; not subscribed
worker-after-subscribe = { $why } right after subscribing to '{ $filter }'

## Clearing retained messages (src/mqtt/retained.rs)

worker-clear-failed = could not clear the retained messages under { $filter }: { $why }
worker-clear-then-failed = cleared { $n ->
        [one] { $n } retained message
       *[other] { $n } retained messages
    } under { $filter }, then: { $why }
worker-clear-nothing = no retained messages under { $filter }
worker-clear-done = cleared { $n ->
        [one] { $n } retained message
       *[other] { $n } retained messages
    } under { $filter }
worker-clear-refused = ; the broker refused to clear { $n }: { $why }
worker-clear-none-left = ; none left
worker-clear-still-retained = ; still retained: { $topics }
worker-clear-check-failed = could not check what is left: { $why }
worker-clear-ack-timeout = the broker did not acknowledge every clear in time
worker-probe-no-answer = no answer from the broker within { $secs } s
worker-probe-no-suback = the broker did not answer the subscription to '{ $filter }'
worker-probe-sub-refused = the broker refused the subscription to '{ $filter }': { $why }

## TLS files (src/mqtt/tls.rs)

worker-tls-file-ca = CA file
worker-tls-file-client-certificate = client certificate file
worker-tls-file-client-key = client key file
worker-tls-cannot-read = cannot read the { $what } { $path }: { $error }
worker-tls-no-certificate-in-file = the { $what } { $path } contains no PEM certificate (a "-----BEGIN CERTIFICATE-----" block)
worker-tls-bad-pem = the { $what } { $path } is not valid PEM: { $why }
worker-tls-unusable-ca = the CA file { $path } holds no certificate that can be trusted: { $why }
worker-tls-no-key = the client key file { $path } contains no PEM private key (a "-----BEGIN … PRIVATE KEY-----" block)
worker-tls-cert-without-key = a client certificate needs its private key file as well, and a key its certificate
worker-tls-bad-identity = the client certificate and key cannot be used: { $why }
worker-tls-no-system-roots = no trusted CA certificates found on this system ({ $why }); give the broker's CA file
worker-tls-trust-store-empty = the trust store is empty
worker-tls-key-mismatch = the private key does not belong to the certificate
worker-tls-key-kind = the private key is of a kind that cannot be used ({ $why })

## Profiles (src/profiles/error.rs, profile.rs, store.rs, merge.rs)

worker-profile-no-name = The profile has no name; give it one.
worker-profile-bad-url = The broker address is not valid: { $why }.
worker-profile-empty-client-id = The client ID is empty, which brokers only accept with a clean session; enter a client ID or turn clean session on.
worker-profile-bad-subscription = The subscription '{ $filter }' is not valid. { $why }
worker-profile-bad-qos = QoS { $qos } for { $what } is not valid; use 0, 1 or 2.
worker-profile-bad-will-topic = The last-will topic is not valid. { $why }
worker-profile-password-without-user = MQTT 3.1.1 does not allow a password without a user name; enter a user name or switch to MQTT 5.
worker-profile-cert-without-key = A TLS client certificate and its private key go together; set both or neither.
worker-profile-bad-max-packet = The maximum packet size ({ $bytes } bytes) must be between 1 KiB and 256 MiB.
worker-profile-zero-timeout = The connect timeout must be at least 1 second.
worker-profile-not-found = There is no profile named '{ $name }'.
worker-profile-name-taken = A profile named '{ $name }' already exists; choose another name.
worker-qos-of-subscription = the subscription '{ $filter }'
worker-qos-of-will = the last-will message
worker-copy-name = { $name } (copy)
worker-copy-name-n = { $name } (copy { $n })
worker-merge-added = '{ $name }' was added by another Topicscope window.
worker-merge-changed = '{ $name }' was changed by another Topicscope window.
worker-merge-deleted = '{ $name }' was deleted by another Topicscope window.
worker-merge-deleted-here = '{ $name }' was deleted here but changed by another Topicscope window; its changed version was kept.
worker-merge-deleted-there = '{ $name }' was deleted by another Topicscope window but changed here; it was kept.
worker-merge-other-name = { $name } (other window)
worker-merge-other-name-n = { $name } (other window { $n })
worker-merge-both-changed = '{ $name }' was changed both here and in another Topicscope window; the other window's version was kept as '{ $new_name }'.

## Broker addresses (src/profiles/broker_url.rs): phrases read after "The broker address is not valid: "

worker-url-empty = the broker address is empty (for example mqtt://localhost:1883)
worker-url-scheme = unsupported scheme '{ $scheme }' (use mqtt://, mqtts://, ws:// or wss://)
worker-url-no-host = missing host (for example mqtt://localhost:1883)
worker-url-port = invalid port '{ $port }' (use a number from 1 to 65535)
worker-url-host = invalid host ({ $why })
worker-url-path = '{ $path }' after the port is only allowed in ws:// and wss:// addresses
worker-url-malformed = not a valid address ({ $why })
worker-url-credentials-not-utf8 = the user name or password is not valid UTF-8 once %-escapes are decoded
worker-url-fragment = a '#' part has no meaning in a broker address

## Topics (src/profiles/topic.rs)

worker-topic-empty = The topic is empty; enter a topic such as 'sensors/kitchen/temperature'.
worker-topic-nul = The topic contains a NUL character, which MQTT does not allow.
worker-topic-too-long = The topic is { $bytes } bytes long; MQTT allows at most { $max } bytes.
worker-topic-wildcard = A topic to publish to cannot contain the wildcard '{ $wildcard }'; wildcards are only for subscribing.
worker-topic-hash-not-last = The wildcard '#' must be the last level of a filter, as in 'sensors/#'.
worker-topic-wildcard-not-whole-level = The wildcard '{ $wildcard }' must be a whole level on its own, as in 'sensors/{ $wildcard }', not part of a word like 'sensors{ $wildcard }'.

## Settings files (src/profiles/ron_file.rs)

worker-file-read = Could not read { $path }: { $error }.
worker-file-damaged = { $path } is damaged at line { $line }, column { $column }: { $why }.
worker-file-encode = Could not encode the settings for { $path }: { $why }.
worker-file-write = Could not save { $path }: { $error }.
worker-file-newer = { $path } was written by a newer version of Topicscope (format { $version }; this version reads up to format { $supported }), so it was not loaded.
worker-file-read-only = Not saving to { $path }, so as not to overwrite it: it could not be loaded when Topicscope started. Fix or move that file, then restart Topicscope. { $why }
worker-file-not-regular = Could not read { $path }: it is { $what }, not a regular file.
worker-file-kind-fifo = a named pipe (FIFO)
worker-file-kind-device = a device
worker-file-kind-socket = a socket
worker-file-kind-other = not a regular file
worker-file-too-large = Could not read { $path }: it is larger than { $mib } MiB, far more than a settings file holds; move it away if it is not yours.
worker-file-locked = Could not save { $path }: another Topicscope process has been saving it for more than { $secs } s.
worker-file-changed-on-disk = Not saving to { $path }: another program changed it since it was loaded, and its new content cannot be merged: { $why }
worker-file-no-config-dir = Could not find a configuration directory (no home directory?); set TOPICSCOPE_CONFIG_DIR to choose one.
worker-file-not-utf8 = the file is not UTF-8 text

## The command line (src/cli/): messages to a person, on standard error

worker-cli-warning = warning: { $text }
worker-cli-cannot-connect = cannot connect to { $broker }: { $why }
worker-cli-no-such-profile = no saved profile named '{ $name }' (see `topicscope profiles`)
worker-cli-session-expiry-needs-v5 = --session-expiry needs MQTT 5 (add --mqtt-version 5)
worker-cli-tls-flags-ignored = { $flags } ignored: TLS is used only with mqtts:// and wss:// addresses, not { $scheme }://
worker-cli-insecure = the broker's TLS certificate is not checked (--insecure or "allow invalid certificates"): anyone on the network path can read and change this connection
worker-cli-no-answer = no answer within { $secs } s (timeout)
worker-cli-bad-mqtt-version = '{ $text }' is not an MQTT version: use 3 (3.1.1) or 5
worker-cli-not-key-value = '{ $text }' is not KEY=VALUE
worker-cli-broker-cannot-start = cannot start the broker on { $addr }: { $error }
worker-cli-broker-listening = Topicscope broker listening on { $url } (MQTT 3.1.1 and 5)
worker-cli-broker-websockets = WebSockets (MQTT 3.1.1 and 5) on { $url }
worker-cli-fleet-cannot-start = cannot start the simulated fleet: { $error }
worker-cli-simulated-devices = Simulated devices: { $devices }
worker-cli-broker-stopped = the embedded broker stopped: { $error }
worker-cli-cannot-publish-to = cannot publish to '{ $topic }': { $error }
worker-cli-worker-cannot-start = cannot start the MQTT worker: { $error }
worker-cli-no-ack = no acknowledgement from the broker within { $secs } s
worker-cli-publish-failed = publish failed: { $why }
worker-cli-lost-before-publish = connection lost before the publish completed: { $why }
worker-cli-bad-response-topic = invalid --response-topic '{ $topic }': { $error }
worker-cli-properties-need-v5 = message properties need MQTT 5 (add --mqtt-version 5)
worker-cli-cannot-read-payload-file = cannot read payload file { $path }: { $error }
worker-cli-cannot-read-stdin = cannot read the payload from stdin: { $error }
worker-cli-bad-filter = invalid topic filter '{ $filter }': { $error }
worker-cli-subscription-refused = subscription to '{ $filter }' refused: { $why }
worker-cli-subscription-failed = subscription to '{ $filter }' failed: { $why }
worker-cli-every-subscription-refused = the broker refused every subscription
worker-cli-connection-lost = connection lost ({ $why }); reconnecting in { $secs } s
worker-cli-reconnect-failed = reconnecting failed ({ $why }); next attempt in { $secs } s
worker-cli-reconnected = reconnected to { $broker }
worker-cli-stdout-failed = cannot write to standard output: { $error }
worker-cli-no-profiles = no saved profiles in { $path }
worker-cli-invalid-url = (invalid URL: { $error })
worker-cli-profile-user = (user { $user })
worker-cli-profile-subscriptions = subscriptions: { $filters }

## The embedded broker (src/broker.rs)

worker-broker-invalid-settings = invalid broker settings: { $why }
worker-broker-cannot-listen = cannot listen on { $addr }: { $error }
worker-broker-no-thread = cannot start the broker thread: { $error }
worker-broker-not-ready = the broker on { $addr } did not answer within { $ms } ms: { $why }
worker-broker-exited = the broker stopped: { $why }
worker-broker-starting = starting the embedded broker on { $addr }
worker-broker-stopped-context = the embedded broker stopped

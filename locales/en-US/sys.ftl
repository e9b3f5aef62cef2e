# The Broker pane: what the broker says about itself in its `$SYS` topics, and the
# explanations when it says nothing. `$SYS/#` and other filters are MQTT syntax, never
# translated. `{ $n }` and other `$` names are filled in by the program.

sys-pane = Broker
sys-kind-mosquitto-like = A broker with mosquitto's $SYS names
sys-kind-unknown = Broker not recognised yet

## When $SYS is not heard

sys-not-subscribed = This connection does not subscribe to $SYS, where brokers publish their own figures ("#" does not include topics starting with "$").
sys-subscribe = Subscribe to { $filter }
sys-connect-first = Connect first
sys-waiting = Waiting for the broker's $SYS topics (it is called silent in { $s } s if none arrive; EMQX publishes once a minute).
sys-silent = This broker publishes no $SYS topics.
sys-silent-help = The subscription was granted but nothing arrived. RabbitMQ has no $SYS; EMQX lets only clients on the broker's own machine read it unless its ACL allows more; mosquitto does not publish when sys_interval is 0; Topicscope's own broker (the demo, the local broker) has none either.
sys-retained-rabbitmq = No retained message came through { $filters }, and this broker grants QoS 1 where QoS 2 is asked and publishes no $SYS, as RabbitMQ does. RabbitMQ sends a retained message only to a subscription of that exact topic, never through + or #: subscribe to a topic itself (no wildcard) to see its retained value.
sys-retained-maybe = No retained message came through { $filters }. If this broker is RabbitMQ: it sends a retained message only to a subscription of that exact topic, never through + or #; subscribe to a topic itself (no wildcard) to see its retained value.
sys-refused = The broker refused { $filter }: { $status }
sys-refused-help = Its access rules keep $SYS from this client. Ask the broker's administrator, or connect as a user allowed to read $SYS.
sys-events-only = { $name } publishes only events in $SYS (clients connecting and leaving), not its load or counts: the figures below stay empty.

## Figures

sys-uptime = Uptime
sys-clients = Clients connected
sys-clients-max = { $clients } (at most { $max })
sys-clients-total = { $clients }, { $total } known
sys-messages-in = Messages in
sys-messages-out = Messages out
sys-bytes-in = Bytes in
sys-bytes-out = Bytes out
sys-per-second = { $value }/s
sys-rate-brokers = The broker's own one-minute average
sys-rate-from-totals = Worked out from the broker's totals between two updates
sys-messages-received = Messages received (total)
sys-messages-sent = Messages sent (total)
sys-bytes-received = Bytes received (total)
sys-bytes-sent = Bytes sent (total)
sys-retained = Retained messages
sys-subscriptions = Subscriptions
sys-heap = Memory (heap)
sys-heap-of-max = { $heap } (at most { $max })
sys-not-stated = This broker does not publish this figure
sys-updated = Updated { $ago } ago

## Charts

sys-chart-messages = Messages per second
sys-chart-bytes = Bytes per second
sys-chart-empty = No load figures yet: they come with the broker's next $SYS update.

## Subscriptions that explain themselves (the topic tree's empty state, the subscriptions pane)

sys-tree-refused = The broker refused { $filter }: { $reason }. Nothing arrives through it; it is not asked for again until you subscribe anew.
sys-tree-silent = { $filter } was granted { $waited } ago and nothing has arrived: no client publishes there and the broker holds no retained message under it, or its access rules hide those topics from this client.
sys-subs-refused-help = A refused filter stays here with the broker's reason and is not asked for again on reconnect. Remove it, change it, or ask the broker's administrator for access.
sys-subs-silent = { $status }, nothing for { $waited }

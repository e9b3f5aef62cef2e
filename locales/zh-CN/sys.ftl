# 服务器面板：服务器在 $SYS 主题中发布的自身信息，以及它什么也不发布时的说明。
# `$SYS/#` 等过滤器是 MQTT 语法，不翻译。`{ $n }` 等 `$` 变量由程序填入。

sys-pane = 服务器
sys-kind-mosquitto-like = 使用 mosquitto 式 $SYS 主题的服务器
sys-kind-unknown = 尚未识别服务器

## 收不到 $SYS 时

sys-not-subscribed = 此连接没有订阅 $SYS（服务器在其中发布自身的统计数据；“#”不包含以“$”开头的主题）。
sys-subscribe = 订阅 { $filter }
sys-connect-first = 请先连接
sys-waiting = 正在等待服务器的 $SYS 主题（若 { $s } 秒内仍未收到，即判定为不发布；EMQX 每分钟发布一次）。
sys-silent = 此服务器不发布 $SYS 主题。
sys-silent-help = 订阅已被授予，但没有收到任何消息。RabbitMQ 没有 $SYS；EMQX 默认只允许服务器本机上的客户端读取，除非其 ACL 另有设置；mosquitto 在 sys_interval 为 0 时不发布；Topicscope 自带的服务器（演示、本机服务器）也没有。
sys-retained-rabbitmq = 通配符订阅 { $filters } 没有收到任何保留消息，而且此服务器把 QoS 2 降为 QoS 1、不发布 $SYS，与 RabbitMQ 一致。RabbitMQ 只把保留消息发给订阅了该确切主题的客户端，不会通过 + 或 # 发送：请直接订阅某个主题（不带通配符）来查看它的保留值。
sys-retained-maybe = 通配符订阅 { $filters } 没有收到任何保留消息。如果此服务器是 RabbitMQ：它只把保留消息发给订阅了该确切主题的客户端，不会通过 + 或 # 发送；请直接订阅某个主题（不带通配符）来查看它的保留值。
sys-refused = 服务器拒绝了 { $filter }：{ $status }
sys-refused-help = 服务器的访问规则不允许此客户端读取 $SYS。请联系服务器管理员，或以有权读取 $SYS 的用户连接。
sys-events-only = { $name } 在 $SYS 中只发布事件（客户端上线和下线），不发布负载和计数：下面的数据会保持为空。

## 统计数据

sys-uptime = 运行时间
sys-clients = 已连接客户端
sys-clients-max = { $clients }（最多 { $max }）
sys-clients-total = { $clients }，共 { $total } 个已知
sys-messages-in = 收到消息
sys-messages-out = 发出消息
sys-bytes-in = 收到字节
sys-bytes-out = 发出字节
sys-per-second = { $value }/秒
sys-rate-brokers = 服务器自身的一分钟平均负载
sys-rate-from-totals = 由服务器两次更新之间的累计值算出
sys-messages-received = 收到消息（累计）
sys-messages-sent = 发出消息（累计）
sys-bytes-received = 收到字节（累计）
sys-bytes-sent = 发出字节（累计）
sys-retained = 保留消息
sys-subscriptions = 订阅
sys-heap = 内存（堆）
sys-heap-of-max = { $heap }（最多 { $max }）
sys-not-stated = 此服务器不发布这项数据
sys-updated = { $ago }前更新

## 图表

sys-chart-messages = 每秒消息数
sys-chart-bytes = 每秒字节数
sys-chart-empty = 尚无负载数据：将随服务器下一次 $SYS 更新到来。

## 会自我说明的订阅（主题树为空时、订阅面板）

sys-tree-refused = 服务器拒绝了 { $filter }：{ $reason }。不会通过它收到任何消息；除非重新订阅，否则不会再次请求。
sys-tree-silent = { $filter } 已在 { $waited }前获准，但没有收到任何消息：没有客户端向其发布，服务器在其下也没有保留消息，或者服务器的访问规则对此客户端隐藏了这些主题。
sys-subs-refused-help = 被拒绝的过滤器会连同服务器给出的原因留在这里，重新连接时不会再次请求。可以移除或修改它，或请服务器管理员开放权限。
sys-subs-silent = { $status }，{ $waited }内无消息

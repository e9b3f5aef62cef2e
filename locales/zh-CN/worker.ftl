# MQTT 工作线程、设置文件和命令行告诉用户的话。
# 键名以 `worker-` 开头；`{ $name }` 部分由程序填入。

## 连接错误（src/mqtt/reason.rs、reason_v5.rs）

worker-no-answer-timeout = 服务器在 { $secs } 秒内没有应答（超时）
worker-write-timeout = 服务器不再接收数据（写入超时）
worker-not-mqtt = 对方的应答不像 MQTT 服务器
worker-not-mqtt5 = 对方的应答不像 MQTT 5 服务器
worker-requests-done = 连接已关闭
worker-ws-connect-failed = WebSocket 连接失败：{ $error }
worker-ws-invalid-url = WebSocket 地址无效：{ $error }
worker-ws-handshake-refused = WebSocket 握手被拒绝：{ $error }
worker-ws-closed = 服务器在 WebSocket 握手时关闭了连接（这是 WebSocket 端口吗？）
worker-ws-failed = WebSocket 出错：{ $error }
worker-tls-bad-host = 服务器地址中的主机无法用于 TLS（IPv6 地址请改用主机名）
worker-tls-closed = 服务器在 TLS 握手时关闭了连接（这是 TLS 端口吗？）
worker-tls-failed = TLS 出错：{ $error }
worker-io-refused = 连接被拒绝（服务器是否在该端口上运行？）
worker-io-reset = 连接被服务器重置
worker-io-closed = 服务器关闭了连接
worker-io-timed-out = 连接超时
worker-io-unreachable = 主机不可达
worker-io-addr-not-available = 地址不可用
worker-io-dns = 找不到主机（DNS 解析失败）
worker-connection-refused = 服务器拒绝了连接：{ $why }
worker-refused-no-reason = 未给出原因
worker-refused-protocol-version = 不支持的 MQTT 协议版本
worker-refused-client-id = 客户端 ID 被拒绝
worker-refused-unavailable = 服务不可用
worker-refused-credentials = 用户名或密码错误
worker-refused-not-authorised = 未授权
worker-keep-alive-timeout = 服务器不再应答（心跳超时）
worker-incoming-too-large = 服务器发来 { $bytes } 字节的报文，超过了配置中的最大报文大小（请在配置中调大）
worker-outgoing-too-large-profile = Topicscope 未发送 { $bytes } 字节的报文：超过了配置中的最大报文大小（{ $max } 字节）
worker-outgoing-too-large-broker = Topicscope 未发送 { $bytes } 字节的报文：超过了该服务器允许的大小（每个报文 { $max } 字节）
worker-malformed = 服务器发来格式错误的报文：{ $error }
worker-protocol-error = 协议错误：{ $error }
worker-normal-disconnection = 服务器关闭了连接（正常断开）
worker-server-disconnect = 服务器主动断开了连接：{ $why }
worker-publish-refused = 服务器拒绝了此次发布：{ $why }
# 原因码：文字加编号，如“未授权（0x87）”。
worker-reason-with-code = { $words }（{ $code }）
# 同上，后接服务器给出的原因字符串。
worker-reason-with-string = { $words }（{ $code }）：{ $text }

## MQTT 5 原因码（规范 §2.4）

worker-rc-00 = 成功
worker-rc-04 = 断开并发布遗嘱消息
worker-rc-10 = 没有匹配的订阅者
worker-rc-80 = 未指明的错误
worker-rc-81 = 报文格式错误
worker-rc-82 = 协议错误
worker-rc-83 = 实现特定错误
worker-rc-84 = 不支持的协议版本
worker-rc-85 = 客户端 ID 无效
worker-rc-86 = 用户名或密码错误
worker-rc-87 = 未授权
worker-rc-88 = 服务器不可用
worker-rc-89 = 服务器繁忙
worker-rc-8a = 已被禁止
worker-rc-8b = 服务器正在关闭
worker-rc-8c = 认证方法错误
worker-rc-8d = 心跳超时
worker-rc-8e = 会话被接管
worker-rc-8f = 主题过滤器无效
worker-rc-90 = 主题名无效
worker-rc-91 = 报文标识符已被占用
worker-rc-92 = 报文标识符不存在
worker-rc-93 = 超出接收最大值
worker-rc-94 = 主题别名无效
worker-rc-95 = 报文过大
worker-rc-96 = 消息速率过高
worker-rc-97 = 超出配额
worker-rc-98 = 管理操作
worker-rc-99 = 载荷格式无效
worker-rc-9a = 不支持保留消息
worker-rc-9b = 不支持该 QoS
worker-rc-9c = 请使用其他服务器
worker-rc-9d = 服务器已迁移
worker-rc-9e = 不支持共享订阅
worker-rc-9f = 超出连接速率
worker-rc-a0 = 超过最长连接时间
worker-rc-a1 = 不支持订阅标识符
worker-rc-a2 = 不支持通配符订阅
worker-rc-unknown = 未知原因

## TLS（src/mqtt/tls_reason.rs）

worker-tls-not-tls = 服务器没有用 TLS 应答（这是普通的 mqtt:// 或 ws:// 端口吗？）
worker-tls-no-certificate = 服务器没有出示证书
worker-tls-incompatible = 服务器与 Topicscope 没有共同支持的 TLS 版本或加密套件（{ $why }）
worker-cert-unknown-issuer = 服务器证书不是由受信任的 CA 签发的（未知签发者）；请提供签发它的 CA 文件，测试服务器也可选择允许无效证书
worker-cert-expired = 服务器证书已过期
worker-cert-not-valid-yet = 服务器证书尚未生效（请检查本机时钟）
worker-cert-wrong-host = 服务器证书与服务器地址中的主机名不符
worker-cert-no-names = 没有任何名称
worker-cert-wrong-host-names = 服务器证书与主机名 { $host } 不符（证书中的名称：{ $names }）；请使用其中一个名称连接
worker-cert-revoked = 服务器证书已被吊销
worker-cert-bad-signature = 服务器证书的签名无效
worker-cert-malformed = 服务器证书格式错误
worker-cert-wrong-purpose = 服务器证书不是用于 TLS 服务器的
worker-cert-unsupported-algorithm = 服务器证书使用了不支持的签名算法
worker-cert-refused = 服务器证书被拒绝：{ $error }
worker-alert-certificate-required = 服务器要求客户端证书；请提供证书及其私钥
worker-alert-bad-certificate = 服务器拒绝了客户端证书（不是由它信任的 CA 签发，或不能用于客户端）
worker-alert-certificate-expired = 服务器拒绝了客户端证书：证书已过期
worker-alert-certificate-revoked = 服务器拒绝了客户端证书：证书已被吊销
worker-alert-handshake-failure = 服务器拒绝了 TLS 握手（可能要求客户端证书，或没有共同支持的加密套件）
worker-alert-protocol-version = 服务器不支持 TLS 1.2 或 1.3
worker-alert-unrecognised-name = 服务器不提供这个主机名的服务
worker-alert-other = 服务器终止了 TLS 握手（{ $alert }）

## 报文过大（src/mqtt/too_large.rs）

worker-size-bytes = { $bytes } 字节
worker-size-with-header = { $bytes } 字节（含主题和报头共 { $packet } 字节）
worker-publish-over-broker-max = 未发送：{ $size }，超过了该服务器允许的大小（每个报文 { $max } 字节）
worker-publish-over-profile-max = 未发送：{ $size }，超过了配置中的最大报文大小（{ $max } 字节）
worker-subscribe-over-broker-max = 未订阅：SUBSCRIBE 报文（{ $bytes } 字节）超过了该服务器允许的大小（每个报文 { $max } 字节）
worker-subscribe-over-profile-max = 未订阅：SUBSCRIBE 报文（{ $bytes } 字节）超过了配置中的最大报文大小（{ $max } 字节）

## 连接状态（src/mqtt/mod.rs）、重试（health.rs）、工作线程自身的拒绝

worker-state-disconnected = 已断开
worker-state-disconnected-because = 已断开：{ $why }
worker-state-connecting = 正在连接 { $broker }…
worker-state-connected = 已连接到 { $broker }
worker-state-reconnecting = { $secs } 秒后重连：{ $why }
worker-same-failure = 同样的错误已出现 { $n } 次：{ $why }
worker-busy = MQTT 工作线程繁忙（命令队列已满），请重试
worker-stopped = MQTT 工作线程已停止
worker-not-connected = 未连接
worker-offline-queue-full = 离线队列已满，未发送
worker-disconnected-before-delivery = 送达前连接已断开
worker-keep-session-needs-client-id = 保留会话（关闭清除会话）需要客户端 ID
worker-subscription-refused-v3 = 服务器拒绝了订阅（未授权或过滤器无效）
worker-unknown-topic-alias = 协议错误：服务器发来的消息使用了从未建立的主题别名 { $alias }（MQTT 5 §3.3.2.3.4）；连接已关闭
worker-no-mqtt5 = { $why }：服务器不支持 MQTT 5；请用 MQTT 3.1.1 连接（配置中的 MQTT 版本，或 --mqtt-version 3）
worker-maybe-mqtt3-only = 服务器未接受 MQTT 5 的 CONNECT 就关闭了连接，它可能只支持 MQTT 3.1.1：请用 MQTT 3.1.1 连接（配置中的 MQTT 版本，或 --mqtt-version 3）

## 发布与订阅（src/mqtt/session.rs）

worker-publish-not-queued = 无法将发布加入队列：{ $error }
worker-publish-failed = 发布到“{ $topic }”失败：{ $why }
worker-closed-after-invalid-packet = 协议错误：服务器发来无效报文，Topicscope 已关闭连接
worker-hung-up-on-publish = 服务器一收到这条发布（{ $bytes } 字节，发往“{ $topic }”）就关闭了连接：它可能超过了服务器允许的大小（如 mosquitto 的 max_packet_size），或不被允许；不会重发
worker-hung-up-on-publish-unanswered = 服务器一收到这条发布（{ $bytes } 字节，发往“{ $topic }”）就关闭了连接，没有应答：它可能超过了服务器允许的大小（如 mosquitto 的 max_packet_size），或不被允许；不会重发
worker-after-publish = { $why }，就在向“{ $topic }”发布 { $bytes } 字节之后
worker-hung-up-on-subscribe = 服务器没有应答就关闭了连接；未订阅
worker-after-subscribe = { $why }，就在订阅“{ $filter }”之后

## 清除保留消息（src/mqtt/retained.rs）

worker-clear-failed = 无法清除 { $filter } 下的保留消息：{ $why }
worker-clear-then-failed = 已清除 { $filter } 下的 { $n } 条保留消息，随后：{ $why }
worker-clear-nothing = { $filter } 下没有保留消息
worker-clear-done = 已清除 { $filter } 下的 { $n } 条保留消息
worker-clear-refused = ；服务器拒绝清除其中 { $n } 条：{ $why }
worker-clear-none-left = ；已无剩余
worker-clear-still-retained = ；仍有保留消息：{ $topics }
worker-clear-check-failed = 无法检查剩余的保留消息：{ $why }
worker-clear-ack-timeout = 服务器未能及时确认所有清除
worker-probe-no-answer = 服务器在 { $secs } 秒内没有应答
worker-probe-no-suback = 服务器没有应答对“{ $filter }”的订阅
worker-probe-sub-refused = 服务器拒绝了对“{ $filter }”的订阅：{ $why }

## TLS 文件（src/mqtt/tls.rs）

worker-tls-file-ca = CA 文件
worker-tls-file-client-certificate = 客户端证书文件
worker-tls-file-client-key = 客户端私钥文件
worker-tls-cannot-read = { $what } { $path } 无法读取：{ $error }
worker-tls-no-certificate-in-file = { $what } { $path } 中没有 PEM 证书（“-----BEGIN CERTIFICATE-----”块）
worker-tls-bad-pem = { $what } { $path } 不是有效的 PEM：{ $why }
worker-tls-unusable-ca = CA 文件 { $path } 中没有可信任的证书：{ $why }
worker-tls-no-key = 客户端私钥文件 { $path } 中没有 PEM 私钥（“-----BEGIN … PRIVATE KEY-----”块）
worker-tls-cert-without-key = 客户端证书需要同时提供私钥文件，私钥也需要同时提供证书
worker-tls-bad-identity = 客户端证书和私钥无法使用：{ $why }
worker-tls-no-system-roots = 本机未找到受信任的 CA 证书（{ $why }）；请提供服务器的 CA 文件
worker-tls-trust-store-empty = 信任库为空
worker-tls-key-mismatch = 私钥与证书不匹配
worker-tls-key-kind = 私钥类型无法使用（{ $why }）

## 连接配置（src/profiles/error.rs、profile.rs、store.rs、merge.rs）

worker-profile-no-name = 配置没有名称，请填写一个。
worker-profile-bad-url = 服务器地址无效：{ $why }。
worker-profile-empty-client-id = 客户端 ID 为空，服务器只在清除会话时接受；请填写客户端 ID，或开启清除会话。
worker-profile-bad-subscription = 订阅“{ $filter }”无效。{ $why }
worker-profile-bad-qos = { $what }的 QoS { $qos } 无效，请使用 0、1 或 2。
worker-profile-bad-will-topic = 遗嘱主题无效。{ $why }
worker-profile-password-without-user = MQTT 3.1.1 不允许只有密码而没有用户名；请填写用户名，或改用 MQTT 5。
worker-profile-cert-without-key = TLS 客户端证书和私钥需要同时设置，或都不设置。
worker-profile-bad-max-packet = 最大报文大小（{ $bytes } 字节）必须在 1 KiB 到 256 MiB 之间。
worker-profile-zero-timeout = 连接超时至少为 1 秒。
worker-profile-not-found = 没有名为“{ $name }”的配置。
worker-profile-name-taken = 已有名为“{ $name }”的配置，请换一个名称。
worker-qos-of-subscription = 订阅“{ $filter }”
worker-qos-of-will = 遗嘱消息
worker-copy-name = { $name }（副本）
worker-copy-name-n = { $name }（副本 { $n }）
worker-merge-added = “{ $name }”已被另一个 Topicscope 窗口添加。
worker-merge-changed = “{ $name }”已被另一个 Topicscope 窗口修改。
worker-merge-deleted = “{ $name }”已被另一个 Topicscope 窗口删除。
worker-merge-deleted-here = “{ $name }”在这里被删除，但另一个 Topicscope 窗口修改了它；已保留修改后的版本。
worker-merge-deleted-there = “{ $name }”被另一个 Topicscope 窗口删除，但在这里被修改过；已保留。
worker-merge-other-name = { $name }（其他窗口）
worker-merge-other-name-n = { $name }（其他窗口 { $n }）
worker-merge-both-changed = “{ $name }”在这里和另一个 Topicscope 窗口中都被修改了；另一个窗口的版本已保存为“{ $new_name }”。

## 服务器地址（src/profiles/broker_url.rs）：接在“服务器地址无效：”之后

worker-url-empty = 服务器地址为空（例如 mqtt://localhost:1883）
worker-url-scheme = 不支持的协议“{ $scheme }”（请使用 mqtt://、mqtts://、ws:// 或 wss://）
worker-url-no-host = 缺少主机（例如 mqtt://localhost:1883）
worker-url-port = 端口“{ $port }”无效（请使用 1 到 65535 之间的数字）
worker-url-host = 主机无效（{ $why }）
worker-url-path = 端口后的“{ $path }”只能用于 ws:// 和 wss:// 地址
worker-url-malformed = 不是有效的地址（{ $why }）
worker-url-credentials-not-utf8 = 解码 % 转义后，用户名或密码不是有效的 UTF-8
worker-url-fragment = 服务器地址中的“#”部分没有意义

## 主题（src/profiles/topic.rs）

worker-topic-empty = 主题为空，请输入主题，例如“sensors/kitchen/temperature”。
worker-topic-nul = 主题包含 NUL 字符，MQTT 不允许。
worker-topic-too-long = 主题长 { $bytes } 字节，MQTT 最多允许 { $max } 字节。
worker-topic-wildcard = 发布的主题不能包含通配符“{ $wildcard }”，通配符只用于订阅。
worker-topic-hash-not-last = 通配符“#”必须是过滤器的最后一级，例如“sensors/#”。
worker-topic-wildcard-not-whole-level = 通配符“{ $wildcard }”必须单独占据一整级，例如“sensors/{ $wildcard }”，不能是“sensors{ $wildcard }”这样的词的一部分。

## 设置文件（src/profiles/ron_file.rs）

worker-file-read = 无法读取 { $path }：{ $error }。
worker-file-damaged = { $path } 已损坏，位于第 { $line } 行第 { $column } 列：{ $why }。
worker-file-encode = 无法为 { $path } 编码设置：{ $why }。
worker-file-write = 无法保存 { $path }：{ $error }。
worker-file-newer = { $path } 由更新版本的 Topicscope 写入（格式 { $version }；本版本最多读取格式 { $supported }），因此未加载。
worker-file-read-only = 不会保存到 { $path }，以免覆盖它：Topicscope 启动时无法加载该文件。请修复或移走该文件，然后重启 Topicscope。{ $why }
worker-file-not-regular = 无法读取 { $path }：它是{ $what }，不是普通文件。
worker-file-kind-fifo = 命名管道（FIFO）
worker-file-kind-device = 设备
worker-file-kind-socket = 套接字
worker-file-kind-other = 非普通文件
worker-file-too-large = 无法读取 { $path }：它大于 { $mib } MiB，远超设置文件的正常大小；如果不是你的文件，请移走。
worker-file-locked = 无法保存 { $path }：另一个 Topicscope 进程保存它已超过 { $secs } 秒。
worker-file-changed-on-disk = 不会保存到 { $path }：它在加载后被其他程序修改，且新内容无法合并：{ $why }
worker-file-no-config-dir = 找不到配置目录（没有主目录？）；请设置 TOPICSCOPE_CONFIG_DIR 来指定。
worker-file-not-utf8 = 文件不是 UTF-8 文本

## 命令行（src/cli/）：输出到标准错误、给人看的消息

worker-cli-warning = 警告：{ $text }
worker-cli-cannot-connect = 无法连接到 { $broker }：{ $why }
worker-cli-no-such-profile = 没有名为“{ $name }”的已保存配置（见 `topicscope profiles`）
worker-cli-session-expiry-needs-v5 = --session-expiry 需要 MQTT 5（请加上 --mqtt-version 5）
worker-cli-tls-flags-ignored = { $flags } 已忽略：TLS 只用于 mqtts:// 和 wss:// 地址，而不是 { $scheme }://
worker-cli-insecure = 未校验服务器的 TLS 证书（--insecure 或“允许无效证书”）：网络路径上的任何人都能读取和篡改此连接
worker-cli-no-answer = { $secs } 秒内没有应答（超时）
worker-cli-bad-mqtt-version = “{ $text }”不是 MQTT 版本：请使用 3（3.1.1）或 5
worker-cli-not-key-value = “{ $text }”不是 KEY=VALUE 格式
worker-cli-broker-cannot-start = 无法在 { $addr } 上启动服务器：{ $error }
worker-cli-broker-listening = Topicscope 服务器正在监听 { $url }（MQTT 3.1.1 和 5）
worker-cli-broker-websockets = WebSocket（MQTT 3.1.1 和 5）监听于 { $url }
worker-cli-fleet-cannot-start = 无法启动模拟设备群：{ $error }
worker-cli-simulated-devices = 模拟设备：{ $devices }
worker-cli-broker-stopped = 内置服务器已停止：{ $error }
worker-cli-cannot-publish-to = 无法发布到“{ $topic }”：{ $error }
worker-cli-worker-cannot-start = 无法启动 MQTT 工作线程：{ $error }
worker-cli-no-ack = 服务器在 { $secs } 秒内没有确认
worker-cli-publish-failed = 发布失败：{ $why }
worker-cli-lost-before-publish = 发布完成前连接已断开：{ $why }
worker-cli-bad-response-topic = --response-topic“{ $topic }”无效：{ $error }
worker-cli-properties-need-v5 = 消息属性需要 MQTT 5（请加上 --mqtt-version 5）
worker-cli-cannot-read-payload-file = 无法读取载荷文件 { $path }：{ $error }
worker-cli-cannot-read-stdin = 无法从标准输入读取载荷：{ $error }
worker-cli-bad-filter = 主题过滤器“{ $filter }”无效：{ $error }
worker-cli-subscription-refused = 对“{ $filter }”的订阅被拒绝：{ $why }
worker-cli-subscription-failed = 对“{ $filter }”的订阅失败：{ $why }
worker-cli-every-subscription-refused = 服务器拒绝了所有订阅
worker-cli-connection-lost = 连接已断开（{ $why }）；{ $secs } 秒后重连
worker-cli-reconnect-failed = 重连失败（{ $why }）；{ $secs } 秒后再试
worker-cli-reconnected = 已重新连接到 { $broker }
worker-cli-stdout-failed = 无法写入标准输出：{ $error }
worker-cli-no-profiles = { $path } 中没有已保存的配置
worker-cli-invalid-url = （无效地址：{ $error }）
worker-cli-profile-user = （用户 { $user }）
worker-cli-profile-subscriptions = 订阅：{ $filters }

## 内置服务器（src/broker.rs）

worker-broker-invalid-settings = 服务器设置无效：{ $why }
worker-broker-cannot-listen = 无法监听 { $addr }：{ $error }
worker-broker-no-thread = 无法启动服务器线程：{ $error }
worker-broker-not-ready = { $addr } 上的服务器在 { $ms } 毫秒内没有应答：{ $why }
worker-broker-exited = 服务器已停止：{ $why }
worker-broker-starting = 正在 { $addr } 上启动内置服务器
worker-broker-stopped-context = 内置服务器已停止

# 窗口外框：顶栏、连接标签、状态栏、命令面板、快捷键帮助、面板标题、连接对话框，
# 以及应用的提示信息。`{ $n }` 等 `$` 变量由程序填入。

## 顶栏

chrome-open = 打开
chrome-open-picker = 选择连接…
chrome-profile-open = { $name }（已打开）
chrome-no-profiles = 没有已保存的连接配置
chrome-demo-hover = Topicscope 内置的服务器，附带模拟的 ESP32 设备群
chrome-local-broker-hover = 在 Topicscope 内于 127.0.0.1 运行一个 MQTT 服务器并连接到它
chrome-disconnect = 断开
chrome-connect = 连接
chrome-resume-button = ▶ 继续（{ $n } 条新消息）
chrome-pause-button = ⏸ 暂停
chrome-pause-hover = 冻结主题树；消息仍会被记录（Ctrl+Shift+Space）
chrome-clear = 清空
chrome-clear-hover = 清空此连接的主题树和历史（服务器上的保留消息不受影响）
chrome-panes-menu = 面板
chrome-reset-layout = 重置布局
chrome-smooth-redraw = 流畅刷新实时数据
chrome-smooth-redraw-hover = 收到的数据每秒重绘 60 次。关闭时每秒 4 次：更易阅读，消息流量大时占用的 CPU 少得多（鼠标和键盘仍即时响应）。
chrome-theme-word-light = 浅色
chrome-theme-word-dark = 深色
chrome-theme-hover = 切换到{ $theme }主题
chrome-language-menu = 🌐 语言
chrome-language-hover = 界面语言（Language）
chrome-language-system = 跟随系统
chrome-language-system-detected = 跟随系统（{ $language }）
chrome-commands-button = ⌨ 命令
chrome-commands-hover = 按名称查找所有操作（Ctrl+K）
chrome-help-hover = 键盘快捷键（F1）

## 连接标签

chrome-new-connection = 新连接
chrome-demo-name = 演示设备群
chrome-local-broker-name = 本地服务器
chrome-command-line-name = 命令行
chrome-tab-hover = { $name }：{ $status }
chrome-tab-close-hover = 断开并关闭 { $name }
chrome-add-connection = + 连接
chrome-add-connection-hover = 再打开一个服务器，与现有连接并列
chrome-cert-unchecked = ⚠ 未校验证书
chrome-cert-unchecked-hover = 此配置允许无效证书：服务器身份未经验证，网络路径上的任何人都可能读取并篡改此连接。

## 面板

chrome-pane-topics = 主题
chrome-pane-inspector = 检查器
chrome-pane-charts = 图表
chrome-pane-publish = 发布
chrome-pane-subscriptions = 订阅

## 状态栏

chrome-status-connected = 已连接
chrome-status-connecting = 正在连接
chrome-status-reconnecting = 正在重连
chrome-status-disconnected = 已断开
chrome-status-recording-file = 录制文件，只读
chrome-status-connection = { $name }：{ $state }
chrome-status-rate = { $n } 条/秒
chrome-status-messages = { $n } 条消息
chrome-status-history = 历史 { $used } / { $budget }
chrome-status-history-hover = 保留了 { $kept } 条消息；为不超出预算丢弃了 { $dropped } 条较旧的消息（每个主题都保留最新一条）
chrome-status-paused = 已暂停：{ $n } 条新消息
chrome-status-shed = 暂停期间丢弃了 { $n } 条
chrome-status-publish-failures = { $n } 次发布失败

## 命令面板

chrome-palette-label = 命令
chrome-palette-hint = 输入以搜索所有操作…
chrome-palette-no-match = 没有匹配的操作。
chrome-palette-count = 共 { $n } 个操作；输入以缩小范围
chrome-cmd-connections = 连接…
chrome-cmd-connect-to = 连接到 { $name }
chrome-cmd-start-demo = 连接到 { $name }（模拟的 ESP32 设备群）
chrome-cmd-start-local-broker = 连接到 { $name }（内置服务器）
chrome-cmd-reconnect = 重新连接 { $name }
chrome-cmd-disconnect = 断开 { $name }
chrome-cmd-close-connection = 关闭连接 { $name }
chrome-cmd-switch-to = 切换到 { $name }
chrome-cmd-clear-tree = 清空主题树和历史
chrome-cmd-clear-retained-below = 清除所选主题下的保留消息…
chrome-cmd-resume = 继续更新主题树
chrome-cmd-pause = 暂停主题树
chrome-cmd-new-chart = 新建图表
chrome-cmd-toggle-theme = 在浅色和深色主题之间切换
chrome-cmd-smooth-redraw = 实时数据每秒重绘 60 次（流畅）
chrome-cmd-light-redraw = 实时数据每秒重绘 4 次（节省 CPU）
chrome-cmd-language = 界面语言：{ $language }
chrome-cmd-show-pane = 显示面板：{ $pane }
chrome-cmd-close-pane = 关闭面板：{ $pane }
chrome-cmd-filter = 筛选主题
chrome-cmd-expand-all = 展开所有主题
chrome-cmd-collapse-all = 折叠所有主题
chrome-cmd-sort = 主题排序：按{ $order }
chrome-cmd-palette = 命令面板
chrome-sort-name = 名称
chrome-sort-messages = 消息数
chrome-sort-last-update = 最近更新

## 键盘快捷键

chrome-keyboard-shortcuts = 键盘快捷键
chrome-keys-palette = Ctrl+K 或 Ctrl+Shift+P
chrome-keys-help = F1 或 ?
chrome-key-palette = 命令面板：按名称查找所有操作
chrome-key-filter = 筛选主题
chrome-key-escape = 离开输入框，回到主题树
chrome-key-up-down = 上一个 / 下一个主题
chrome-key-left-right = 折叠 / 展开，或跳到父主题
chrome-key-home-end = 第一个 / 最后一个主题
chrome-key-page = 向上 / 向下翻一屏主题
chrome-key-enter = 展开或折叠所选主题
chrome-key-copy = 复制所选主题
chrome-key-publish = 发布（在发布面板中）
chrome-key-pause = 暂停 / 继续更新主题树
chrome-key-switch = 切换连接
chrome-key-next-tab = 鼠标所在面板组的下一个标签页
chrome-key-help = 显示此列表
chrome-help-footer = 所有操作（包括没有快捷键的）都可以在命令面板中找到。
chrome-close = 关闭
chrome-cancel = 取消

## 清除保留消息

chrome-clear-retained-title = 清除保留消息
chrome-clear-retained-below-text = 这将删除服务器在 { $filter } 下保存的所有保留消息：包括本窗口已知的 { $n } 条，以及服务器上的其他保留消息（通过短暂的探测订阅查找，并在之后复核）。只在变化时发布的设备不会重新发送它们。
chrome-clear-retained-text = 这将从服务器删除 { $n } 个主题的保留消息。只在变化时发布的设备不会重新发送它们。
chrome-clear-retained-more = … 还有 { $n } 个
chrome-clear-retained-below-button = 清除 { $filter } 下的全部
chrome-clear-retained-button = 清除 { $n } 条保留消息

## 应用的提示和状态

chrome-no-such-profile = 没有名为“{ $name }”的已保存配置
chrome-select-topic-first = 请先在主题树中选择一个主题
chrome-cleared-topics = 已清空 { $name } 的主题
chrome-local-broker-failed = 无法启动本地服务器：{ $error }
chrome-fleet-failed = 无法启动模拟设备群：{ $error }
chrome-local-broker-at = 本地服务器位于 { $url }：本机上的开发板可以向它发布消息
chrome-connect-first = 请先连接
chrome-not-connected = 未连接
chrome-clearing-retained = 正在清除 { $n } 条保留消息
chrome-probing-retained = 正在查找 { $filter } 下的保留消息…
chrome-temporary-config-dir = { $error }；改用临时目录
chrome-worker-start-failed = 无法启动 MQTT 工作线程：{ $error }
chrome-worker-stopped = MQTT 工作线程已停止
chrome-drain-lost = 在后台处理收到消息的线程已停止，打开的连接已丢失。请重新连接。
chrome-subscription-failed = { $name }：订阅“{ $filter }”失败：{ $reason }
chrome-publish-sending = 正在发送…
chrome-publish-sent = 已发送
chrome-publish-acknowledged = 服务器已确认
chrome-publish-failed = 失败：{ $reason }
chrome-publish-history-not-loaded = 未能加载发布历史：{ $error }
chrome-publish-history-not-saved = 未能保存发布历史：{ $error }
chrome-chart-title = 图表 { $n }
chrome-demo-chart-temperatures = 温度
chrome-demo-chart-humidity = 湿度

## 连接对话框

chrome-connections-title = 连接
chrome-profiles = 连接配置
chrome-profiles-unreadable = 无法读取 profiles.ron：{ $error } 该文件不会被覆盖；请修复或移走它。
chrome-profile-deleted = 已删除配置“{ $name }”。
chrome-profile-copied = 已另存副本为“{ $name }”。
chrome-profile-saved = 已保存“{ $name }”。
chrome-profile-not-saved = 未保存。{ $error }
chrome-profile-unsaved-entry = { $name }（未保存）
chrome-profile-new = 新建
chrome-profile-new-name = 新配置
chrome-profile-duplicate = 复制
chrome-profile-delete = 删除
chrome-profile-delete-question = 删除配置 { $name }？
chrome-yes = 是
chrome-no = 否
chrome-profile-discard-changes = 放弃对 { $name } 未保存的修改？
chrome-profile-discard-new = 放弃新配置 { $name }？
chrome-profile-discard = 放弃
chrome-profile-keep-editing = 继续编辑
chrome-profile-save = 保存
chrome-profile-connect-hover = 保存，然后用此配置连接
chrome-profile-new-unsaved = 新配置，尚未保存
chrome-profile-unsaved-changes = 有未保存的修改
chrome-form-name = 名称
chrome-form-broker-url = 服务器地址
chrome-form-bad-url = 无效的服务器地址：{ $error }。
chrome-form-url-over = { $address }，通过{ $transport }
chrome-transport-tcp = 明文 TCP（未加密）
chrome-transport-ws = WebSocket（未加密）
chrome-transport-wss = 基于 TLS 的 WebSocket
chrome-form-client-id = 客户端 ID
chrome-form-client-id-hint = 留空：由服务器分配
chrome-form-generate = 生成
chrome-form-generate-hover = 生成一个新的随机客户端 ID
chrome-form-username = 用户名
chrome-form-user-from-url = 来自地址：{ $user }
chrome-form-password = 密码
chrome-form-password-from-url = 来自地址
chrome-form-show = 显示
chrome-form-keep-alive = 心跳间隔（秒）
chrome-form-keep-alive-off = 已关闭：连接断开将无法察觉
chrome-form-clean-session = 清除会话
chrome-form-clean-session-hover = 连接时不使用服务器可能为此客户端 ID 保留的会话
chrome-form-mqtt-version = MQTT 版本
chrome-form-session-expiry = 会话过期时间（秒）
chrome-form-session-expiry-hover = 连接结束后服务器保留此客户端会话（订阅、排队的消息）的时长；4294967295 表示永久保留
chrome-form-session-expiry-zero = 0：保留的会话仍会随连接一起结束
chrome-form-max-packet = 最大报文大小（MiB）
chrome-form-max-packet-hover = 更大的消息会被拒收，更大的发布会失败
chrome-form-connect-timeout = 连接超时（秒）
chrome-form-no-subscriptions = 无：添加订阅主题之前不会收到任何消息。
chrome-form-filter = 订阅 { $n }
chrome-form-filter-qos = 订阅 { $n } 的 QoS
chrome-form-remove = 移除
chrome-form-remove-hover = 移除订阅 { $n }
chrome-form-new-filter = 新订阅
chrome-form-add = 添加
chrome-form-tls-unused = 这些设置仅用于 mqtts:// 和 wss:// 地址。
chrome-form-ca-file = CA 文件
chrome-form-ca-file-hint = 留空：使用系统信任的 CA
chrome-form-client-cert = 客户端证书
chrome-form-client-cert-hint = PEM 格式，用于双向 TLS
chrome-form-client-key = 客户端私钥
chrome-form-client-key-hint = PEM 格式私钥
chrome-form-no-such-file = 文件不存在。
chrome-form-allow-invalid = 允许无效证书
chrome-form-allow-invalid-warning = ⚠ 不校验服务器证书：网络路径上的任何人都可能读取并篡改此连接。仅可用于测试服务器。
chrome-form-last-will = 遗嘱消息
chrome-form-send-will = 发送遗嘱消息
chrome-form-send-will-hover = 如果 Topicscope 未正常断开就消失，服务器会发布这条消息
chrome-form-will-topic = 遗嘱主题
chrome-form-will-payload = 遗嘱载荷
chrome-form-will-qos = 遗嘱 QoS
chrome-form-will-retain = 遗嘱保留

## 订阅状态

chrome-sub-pending = 等待确认
chrome-sub-granted = 已授权 QoS { $qos }
chrome-sub-refused = 被拒绝：{ $reason }

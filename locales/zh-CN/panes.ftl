# 各面板：主题树、检查器、载荷视图、图表、发布、订阅，以及它们显示的大小、时长和日期。
# `{ $n }` 等 `$` 变量由程序填入；数字已按千位分组（12,345）。

## 大小、时长、日期

panes-bytes = { $n } 字节
panes-duration-ms = { $ms } 毫秒
panes-duration-s = { $s } 秒
panes-duration-min = { $min } 分 { $s } 秒
panes-duration-h = { $h } 小时 { $min } 分
# chrono 的 strftime 格式（https://docs.rs/chrono/latest/chrono/format/strftime/）。
panes-date-time-pattern = %Y年%-m月%-d日 %H:%M:%S%.3f

## 多个面板共用

# 没有内容的主题层级或载荷。
panes-empty = （空）
panes-msg-count = { $n } 条消息
panes-copy-topic = 复制主题
panes-yes = 是
panes-no = 否
panes-save-to-file = 保存到文件…
panes-remove = 移除
panes-remove-named = 移除 { $name }
panes-connect-first = 请先连接

## 主题树

panes-tree-no-match = 没有与过滤条件匹配的主题。
panes-tree-waiting = 尚未收到来自 { $name } 的消息。主题会在消息到达时出现在这里。
panes-tree-not-connected = 未连接。请在“连接…”中选择服务器，或试试演示数据。
# 折叠的分支后面：其下的内容。
panes-tree-below = { $topics } 个主题，{ $msgs } 条消息
panes-tree-expand-below = 展开所有子级
panes-tree-clear-retained-below = 清除下方的保留消息…
panes-tree-filter = 过滤
panes-tree-filter-hint = 主题或载荷…（Ctrl+F）
panes-tree-filter-clear = 清除过滤条件
panes-tree-sort = 排序
panes-tree-expand-all = 全部展开
panes-tree-collapse-all = 全部折叠

## 载荷类型与单行预览

panes-kind-empty = 空
panes-kind-json = JSON
panes-kind-number = 数字
panes-kind-text = 文本
panes-kind-binary = 二进制
# $format：PNG 或 JPEG。
panes-kind-image = { $format } 图片
panes-preview-binary = （二进制，{ $n } 字节）
panes-preview-image = （{ $format } 图片，{ $n } 字节）

## 检查器

panes-insp-select = 选择一个主题
panes-insp-select-hint = 在主题树中点击一个主题，查看它的载荷、历史和详情。
panes-insp-below = 下方有 { $topics } 个主题，{ $msgs } 条消息
panes-insp-clear-retained = 清除保留消息
panes-insp-clear-retained-hover = 向此主题发布一条空的保留消息
panes-insp-clear-retained-below = 清除下方的保留消息…
panes-insp-no-message = 此主题本身没有消息。
panes-insp-plot-into = 绘制到
panes-insp-new-chart = 新图表
panes-insp-plot = 绘图
panes-insp-plot-hover = 绘制此主题的值（{ $value }）
panes-insp-plot-json-hint = 在 JSON 视图中点击一个数字即可绘图
# 二进制字段的数值类型之前：“类型 f32 … 偏移 4 字节”。
panes-insp-binary-as = 类型
panes-insp-little-endian = 小端序
panes-insp-at-byte = 偏移字节
panes-insp-plot-field = 绘制字段
panes-insp-binary-none = （超出末尾或不是有限数值）
panes-insp-received = 接收时间
panes-insp-size = 大小
# $size：“1.5 KiB”；$n：精确字节数。
panes-insp-size-value = { $size }（{ $n } 字节）
panes-insp-retained = 保留
panes-insp-since-previous = 距上一条
panes-insp-kind = 类型
panes-insp-messages = 消息
panes-insp-messages-value = 已接收 { $received } 条，历史中 { $kept } 条
panes-insp-age = 距今
panes-insp-diff = 与上一条对比
panes-insp-diff-disabled = 此主题只保留了一条消息
panes-insp-copy-payload = 复制载荷
panes-insp-copy-as = 复制为命令
panes-insp-copy-as-hover = 复制一条可再次发布此消息的 shell 命令（密码留给环境变量）

## 消息的 MQTT 5 属性

panes-prop-content-type = 内容类型
panes-prop-payload-format = 载荷格式
panes-prop-format-utf8 = UTF-8 文本
panes-prop-format-bytes = 字节
panes-prop-response-topic = 响应主题
panes-prop-correlation = 关联数据
panes-prop-correlation-hex = 关联数据（十六进制）
panes-prop-expiry = 消息过期
panes-prop-user = 用户属性

## 载荷视图与对比

panes-view-auto = 自动
panes-view-text = 文本
panes-view-image = 图片
panes-view-empty = （空载荷）
panes-view-empty-clears = （空载荷：清除保留消息）
panes-view-showing = 显示 { $shown } / { $n } 字节
panes-view-show-all = 全部显示
panes-view-json-scalar = 是有效的 JSON，但不是对象或数组；按文本显示
# $at：位置和原因，格式见 panes-json-at。
panes-view-json-invalid = 不是有效的 JSON，{ $at }；按文本显示
panes-view-click-to-plot = 点击绘制 { $path }
panes-view-not-image = 不是 PNG 或 JPEG 图片；请选择其他视图
panes-diff-heading = 与上一条消息对比（{ $from } → { $to }）：{ $n } 行有变化
panes-diff-cut = （载荷较长：只比较了前面的行）

## JSON 解析失败的原因

panes-json-at = 第 { $line } 行第 { $column } 列：{ $reason }
panes-json-eof = 内容提前结束（有括号或字符串未闭合）
panes-json-expected-value = 此处需要一个值
panes-json-trailing = 末尾有多余字符
panes-json-key-string = 键必须是字符串
panes-json-invalid-number = 无效的数字
panes-json-expected-colon = 此处需要 `:`
panes-json-expected-comma-brace = 此处需要 `,` 或 `{ "}" }`
panes-json-expected-comma-bracket = 此处需要 `,` 或 `]`

## 发布：载荷格式及其检查

panes-pub-json-invalid = 无效的 JSON，{ $at }
panes-hex-line-column = 第 { $line } 行第 { $column } 列
panes-hex-position = 第 { $column } 个字符
panes-hex-bare-prefix = { $at } 处的 '0x' 后面没有十六进制数字
panes-hex-not-digit = { $at } 处的 '{ $char }' 不是十六进制数字
panes-hex-odd = 十六进制数字个数为奇数（{ $n }）：每个字节需要两位

## 主题的历史

panes-history-title = 历史（保存了 { $n } 条）
panes-history-follow = 跟随最新
# 最早一条在“距上一条”一栏中显示的文字。
panes-history-first = 首条

## 图表

panes-charts-heading = 图表
panes-charts-new = 新建图表
panes-charts-none = 还没有图表。选择一个载荷为数值的主题并点击“绘图”，或在 JSON 视图中点击一个数字。
panes-charts-window = 时间窗口
panes-charts-auto-y = 自动 Y 轴
panes-charts-y-min = Y 最小值
panes-charts-y-max = Y 最大值
panes-charts-following = 跟随中
panes-charts-paused = 已暂停
panes-charts-export = 导出 CSV…
panes-charts-remove = 删除图表
panes-charts-col-series = 序列
panes-charts-col-min = 最小
panes-charts-col-max = 最大
panes-charts-col-mean = 平均
panes-charts-col-last = 最新
# 图表显示的时间跨度。
panes-window-min = { $n } 分钟
panes-window-h = { $n } 小时
panes-window-all = 全部

## 发布

panes-pub-not-sent = 未发送：{ $error }
panes-pub-publishes-to = 发布到
panes-pub-topic = 主题
panes-pub-recent = 最近
panes-pub-use-selected = 使用选中的主题
panes-pub-use-selected-hover = 把 { $topic } 填入主题栏
panes-pub-use-selected-none = 请先在主题树中选中一个主题
panes-pub-follow-tree = 跟随主题树
panes-pub-follow-tree-hover = 每当在主题树中选中另一个主题时，自动填入主题栏
panes-pub-pick = 选择…
panes-pub-payload = 载荷
panes-pub-format = 格式
panes-pub-format-json = 格式化 JSON
panes-pub-format-json-hover = 重新缩进载荷；数值保持原样
panes-pub-too-deep = 嵌套层级过深
panes-pub-cannot-format = 无法格式化：{ $reason }
panes-pub-valid-json = 有效的 JSON，{ $n } 字节
panes-pub-json-needs-value = JSON 需要一个值
panes-pub-hex-hint = de ad be ef  或  0xde, 0xad  或  de:ad
panes-pub-retain = 保留
panes-pub-retain-hover = 服务器会保存这条消息，并发送给每个新的订阅者
panes-pub-publish = 发布
panes-pub-publish-hover = 发布（{ $shortcut }）
panes-pub-last = 上次发布：
panes-pub-history = 发布历史（{ $n }）
panes-pub-history-empty = 还没有发布过消息。
panes-pub-load = 载入
panes-pub-load-hover = 用这条发布记录填写表单
panes-pub-send-again = 再次发送
panes-pub-send-again-hover = 再次发布到 { $topic }
panes-pub-flags-retained = QoS { $qos } 保留
# $hex：开头几个字节的十六进制，后面还有时以“…”结尾。
panes-pub-hex-preview = { $hex }（{ $n } 字节）

## 发布：MQTT 5 属性

panes-v5-title = MQTT 5 属性
panes-v5-title-set = MQTT 5 属性（已设置 { $n } 项）
panes-v5-response-topic-invalid = 响应主题：{ $error }
panes-v5-expiry-invalid = 消息过期：'{ $value }' 不是整数秒数（0 到 { $max }）
panes-v5-expiry-secs = 消息过期（秒）
panes-v5-never = 永不过期
panes-v5-key = 键 { $n }
panes-v5-value = 值 { $n }
panes-v5-remove-user = 移除这个用户属性
panes-v5-add-user = 添加用户属性

## 订阅

panes-subs-of = { $name } 的订阅
panes-subs-none = 没有订阅：在下方添加过滤器，例如用 '#' 订阅全部。
panes-subs-col-filter = 过滤器
panes-subs-col-status = 状态
panes-subs-add = 添加过滤器
panes-subs-at-qos = QoS 等级
panes-subs-subscribe = 订阅

## 已保存的命令、重复发送与回复

cmd-var-bad-random = { $text } 需要两个数字，小的在前，例如 {"{{"}random 0 100{"}}"}
cmd-var-no-arguments = { $text } 不接受参数
cmd-var-missing = 变量 {"{{"}{ $name }{"}}"} 没有值
cmd-bad-qos = 不存在 QoS { $qos }（只有 0、1、2）
cmd-name-empty = 已保存的命令需要一个名称
cmd-name-taken = 已有名为“{ $name }”的命令
cmd-none-saved = 没有已保存的命令“{ $query }”：此连接配置没有保存任何命令
cmd-not-found = 没有已保存的命令“{ $query }”；已保存：{ $names }
cmd-ambiguous = “{ $query }”存在于多个分组中：{ $names }（请用 分组/名称 指明）

## 命令面板
cmd-pane = 常用命令
cmd-filter-hint = 查找命令…
cmd-new = ➕ 新建
cmd-new-hover = 新建已保存的命令，从发布表单当前的内容开始
cmd-not-kept = 仅保留到窗口关闭：此连接没有保存的配置。请在“连接”中保存它，以保留这些命令。
cmd-empty = 还没有已保存的命令。填好发布表单后点“保存为命令…”，或在发布历史中点“保存…”。命令可以包含变量，例如 {"{{"}counter{"}}"}、{"{{"}now{"}}"}、{"{{"}random 0 100{"}}"}、{"{{"}uuid{"}}"} 或自定义的 {"{{"}colour{"}}"}。
cmd-none-match = 没有匹配的命令。
cmd-no-collection = 未分组（{ $n }）
cmd-collection = { $name }（{ $n }）
cmd-send-hover = { $name }：发布到 { $topic }
cmd-menu-hover = 此命令的更多操作
cmd-menu-edit = 编辑…
cmd-menu-load = 载入发布表单
cmd-menu-repeat = 重复发送…
cmd-menu-shortcut = 快捷键…
cmd-menu-copy-mosquitto = 复制为 mosquitto_pub 命令
cmd-menu-copy-topicscope = 复制为 topicscope pub 命令
cmd-menu-delete = 删除…
cmd-delete-confirm = 删除“{ $name }”？
cmd-delete = 删除
cmd-copied = 命令行已复制
cmd-not-copied = 未复制：{ $error }
cmd-not-sent = “{ $name }”未发送：{ $error }
cmd-gone = 此连接上已没有名为“{ $name }”的命令
cmd-palette-send = 发送命令：{ $name }

## 命令编辑器
cmd-new-title = 新建命令
cmd-edit-title = 编辑命令
cmd-field-name = 名称
cmd-field-collection = 分组
cmd-field-reply = 等待回复的主题
cmd-field-reply-hover = 发送后等待此主题（可含通配符）上的下一条消息，并显示往返时间：不支持 MQTT 5 的设备就是这样回复的，例如 Tasmota 在 stat/…/POWER 上回复
cmd-field-within = 超时
cmd-field-v5-hover = MQTT 5：设备在此主题上回复；设置了对比数据时，只有对比数据相同的消息才算回复
cmd-variables = 变量：
cmd-variables-none = 无
cmd-variables-hover = 每次发送时填入：{"{{"}now{"}}"}（本地时间）、{"{{"}timestamp{"}}"}、{"{{"}timestamp_ms{"}}"}、{"{{"}counter{"}}"}（本次会话中的 1、2、3…）、{"{{"}random 0 100{"}}"}、{"{{"}uuid{"}}"}；其他名称会在发送时询问。
cmd-var-user = { $name }（发送时询问）
cmd-save = 保存
cmd-topic-empty = 已保存的命令需要一个主题
cmd-bad-timeout = 回复超时“{ $value }”不是 1 到 3600 之间的整数秒

## 变量的值与快捷键
cmd-values-title = “{ $name }”的变量值
cmd-values-send = 发送
cmd-values-copy = 复制
cmd-key-title = “{ $name }”的快捷键
cmd-key-press = 请现在按下按键。
cmd-key-how = 使用 Ctrl 或 Alt 加一个键，或功能键（F2–F12）。退格键删除快捷键，Esc 取消。
cmd-key-needs-modifier = { $keys } 是输入文字的按键，不能作快捷键：请加上 Ctrl 或 Alt，或使用功能键
cmd-key-reserved = { $keys } 已被窗口本身使用
cmd-key-taken = { $keys } 已用于发送“{ $name }”

## 重复发送与压力测试
cmd-repeat-title = 重复发送
cmd-repeat-title-running = 重复发送（{ $n } 个进行中）
cmd-repeat-every = 每隔
cmd-unit-ms = 毫秒
cmd-unit-s = 秒
cmd-repeat-times = 次数
cmd-repeat-times-hover = 留空或 0：一直发送直到停止
cmd-repeat-load = 压力测试
cmd-repeat-load-hover = 发送指定大小、带序号的载荷，而不是表单中的载荷
cmd-repeat-size = 字节
cmd-repeat-start = ⟳ 重复
cmd-repeat-start-hover = 按此计划开始发送
cmd-repeat-stop = ⏹ 停止
cmd-repeat-fast = 这是每秒 { $rate } 条消息。再按一次“重复”即开始。
cmd-repeat-bad-interval = “{ $value }”不是有效的间隔：请输入大于 0 的数字
cmd-repeat-interval-range = 间隔必须在 0.1 毫秒到 24 小时之间
cmd-repeat-bad-count = “{ $value }”不是有效的次数
cmd-repeat-bad-size = “{ $value }”不是有效的载荷大小：请输入不超过 { $max } 的整数字节数
cmd-repeat-running = 正在重复发送 { $name }
cmd-repeat-stopped = 已停止：{ $name }
cmd-repeat-done = 已完成：{ $name }
cmd-repeat-sent-of = 已发送 { $n } / { $total }
cmd-repeat-sent = 已发送 { $n }
cmd-repeat-acked = 已确认 { $n }
cmd-repeat-written = 已写出 { $n }
cmd-repeat-rate = { $rate } 条/秒
cmd-repeat-delayed = 顺延 { $n } 次（窗口繁忙或被隐藏）
cmd-repeat-failed = { $n } 条失败

## 回复
cmd-wait-reply = 等待回复的主题
cmd-v5-waits = 将等待响应主题上的回复。
cmd-replies = 回复（{ $n }）
cmd-replies-waiting = 正在等待 { $n } 条回复…
cmd-reply-in = { $ms } 毫秒后收到回复
cmd-reply-none = { $secs } 秒内 { $filter } 上没有回复

## 发布表单与历史
cmd-save-as = 保存为命令…
cmd-save-as-hover = 将此发布保存为命名命令，可一键、用快捷键或命令面板发送
cmd-history-save = 保存…
cmd-history-save-hover = 将此发布保存为命名命令

## 演示的示例命令
cmd-demo-greenhouse = 温室
cmd-demo-pump-on = 打开水泵
cmd-demo-pump-off = 关闭水泵
cmd-demo-plug = 插座
cmd-demo-toggle = 切换
cmd-demo-led-colour = LED 颜色
cmd-repeat-replies = { $n } 条回复，{ $min }–{ $max } 毫秒，平均 { $mean } 毫秒
cmd-repeat-no-reply = { $n } 条无回复
cmd-key-current = 当前：{ $keys }
cmd-key-none = 还没有快捷键。
cmd-example = 例如 { $text }

# `topicscope pub`：已保存的命令（--template）、重复发布与回复。

cmdcli-bad-interval = “{ $text }”不是有效的间隔：请写成 500ms、1s、2.5s 或 1m
cmdcli-interval-too-short = 间隔“{ $text }”太短：最短为 { $min_us } 微秒
cmdcli-bad-reply-filter = --wait-reply 的主题过滤器“{ $filter }”无效：{ $error }
cmdcli-in-profile = 连接配置“{ $profile }”：{ $error }
cmdcli-cannot-prepare = 无法准备命令“{ $name }”：{ $error }
cmdcli-missing-vars = 命令“{ $name }”还缺 { $n } 个变量的值（{ $vars }）：请添加 { $flags }
cmdcli-no-vars = 无
cmdcli-unknown-var = --var { $var }：命令“{ $name }”没有这个变量；它的变量：{ $known }
cmdcli-reply-subscribe-failed = 无法等待回复：订阅“{ $filter }”被拒绝：{ $why }
cmdcli-reply-subscribe-timeout = 无法等待回复：服务器在 { $secs } 秒内未确认对“{ $filter }”的订阅
cmdcli-send-failed = 第 { $n } 条发布失败：{ $why }
cmdcli-connection-lost = 发布 { $n } 条后连接断开：{ $why }
cmdcli-reply = 收到 { $topic } 上的回复，耗时 { $ms } 毫秒
cmdcli-reply-n = 第 { $n } 条的回复来自 { $topic }，耗时 { $ms } 毫秒
cmdcli-no-reply = { $secs } 秒内未在“{ $filter }”上收到回复
cmdcli-no-reply-n = 第 { $n } 条发布：{ $text }
cmdcli-summary = 已发送 { $n } 条消息，{ $acked } 条已确认，用时 { $secs } 秒
cmdcli-skipped = 计算机太忙，有 { $n } 次未能按间隔发送：之后的消息顺延发送
cmdcli-failed = { $total } 条发布中有 { $n } 条失败
cmdcli-unacked = 有 { $n } 条发布在 { $secs } 秒内未得到服务器确认
cmdcli-replies-missing = { $total } 个请求中有 { $n } 个未按时收到回复
cmdcli-round-trips = 回复：{ $n } / { $total }，往返时间 { $min } / { $avg } / { $max } 毫秒（最小 / 平均 / 最大）
cmdcli-progress = 已发送 { $sent } / { $total }，已确认 { $acked }
cmdcli-progress-endless = 已发送 { $sent }，已确认 { $acked }（按 Ctrl+C 停止）
cmdcli-properties-dropped = 当前为 MQTT 3.1.1 连接，命令“{ $name }”的 MQTT 5 属性（响应主题、关联数据等）不会发送；如需发送，请添加 --mqtt-version 5

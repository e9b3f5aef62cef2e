## 速率：当前每秒消息数
rate-sort = 当前速率
rate-per-sec = { $rate } 条/秒
rate-insp = 速率
rate-insp-value = { $msgs } · { $bytes }/秒（1 分钟：{ $minute }）

## 流量面板
rate-pane = 流量
rate-total = 全部：{ $msgs } · { $bytes }/秒
rate-topics = { $n } 个主题
rate-quiet = 最近一分钟内没有主题收到消息。
rate-top-messages = 最繁忙的主题（消息/秒）
rate-top-bytes = 最繁忙的主题（字节/秒）
rate-top-subtrees = 最繁忙的子树
rate-bytes-per-sec = { $bytes }/秒
rate-select-hover = 在主题树中选中
rate-total-minute = 最近一分钟：{ $msgs }
rate-col-now = 10 秒
rate-col-minute = 1 分钟
rate-held = ⏸ 指针停在此处，顺序保持不变
rate-live = 每秒重新排序，指针停在此处时保持不变
rate-subtree-topics = { $n } 个主题
rate-biggest = 最大的载荷
rate-stopped = 已停止（{ $n }）
rate-was = 之前 { $rate }
rate-other = 其他

## topicscope top
rate-cli-title = { $broker }：{ $msgs } · { $bytes }/秒 · { $n } 个主题
rate-cli-topics = 主题
rate-cli-subtrees = 子树
rate-cli-msgs = 消息/秒
rate-cli-minute = 1分钟消息/秒
rate-cli-bytes = 字节/秒
rate-cli-write-failed = 无法输出表格：{ $error }

## 检查器中的最近一分钟
rate-last-minute = 最近一分钟
rate-last-minute-hover = 每秒一根柱；最高 { $max } 条消息
rate-mean = 平均 { $rate }
rate-mean-at-least = 平均至少 { $rate }（更早的消息已不再保留）

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

## 主题树

panes-tree-no-match = 没有与过滤条件匹配的主题。
panes-tree-waiting = 尚未收到来自 { $name } 的消息。主题会在消息到达时出现在这里。
panes-tree-not-connected = 未连接。请在“连接…”中选择服务器，或试试演示数据。
# 折叠的分支后面：其下的内容。
panes-tree-below = { $topics } 个主题，{ $msgs } 条消息
panes-tree-expand-below = 展开下方全部
panes-tree-clear-retained-below = 清除下方的保留消息…
panes-tree-filter = 过滤
panes-tree-filter-hint = 主题或载荷…（Ctrl+F）
panes-tree-filter-clear = 清除过滤条件
panes-tree-sort = 排序
panes-tree-expand-all = 全部展开
panes-tree-collapse-all = 全部折叠

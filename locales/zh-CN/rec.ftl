# 录制：录制文件、`topicscope record`、`export`、`replay` 和“录制”按钮。
# 键以 `rec-` 开头；`{ $name }` 部分由程序填入。

## 文件错误 (src/record/error.rs)

rec-error-foreign = 不是 Topicscope 录制文件：{ $path }（{ $why }）
rec-error-damaged = 文件已损坏：{ $path }（{ $why }）；复制不完整或磁盘错误都可能造成这种情况，请尝试更早的副本
rec-error-newer = { $path } 由更新版本的 Topicscope 录制（格式 { $found }，本版本最高支持 { $known }）：请升级 Topicscope 后再打开
rec-error-io = 无法使用 { $path }：{ $why }
rec-error-disk-full = 磁盘已满；文件保留了到此为止录制的消息，请腾出空间后重新录制
rec-error-exists = { $path } 已存在：请换一个文件名，或加上 --overwrite 覆盖它
rec-error-writer-stopped = 录制已停止：{ $why }
rec-why-not-sqlite = 它不是 SQLite 文件
rec-why-other-database = 它是其他程序的 SQLite 数据库
rec-why-no-tables = 缺少数据表
rec-why-no-version = 没有格式版本
rec-bad-size = { $text } 不是有效的大小：请写成 500MB、2GB 或 64MiB 这样的形式
rec-size-too-small = { $text } 对录制文件来说太小：大小上限至少为 { $min }

## topicscope record

rec-cli-recording = 正在录制 { $filters }，服务器 { $broker }，写入 { $file }；按 Ctrl+C 停止
rec-cli-lost = 连接已断开，恢复后继续录制：{ $why }
rec-cli-summary = 已录制 { $n } 条消息（载荷 { $payload }），用时 { $secs } 秒，写入 { $file }（文件大小 { $size }）
rec-cli-summary-deleted = ；为不超过大小上限，删除了最早的 { $n } 条消息
rec-cli-summary-too-large = ；{ $n } 条消息过大，无法在此大小上限内录制，未录制

## topicscope export

rec-bad-time = { $text } 不是有效的时间：请写成 2026-11-30T02:00:00Z，或相对录制开始的时间，如 90s、10m

## topicscope replay

rec-bad-speed = { $text } 不是有效的速度：请写 1、10、60、0.5 或 max
rec-replay-same-broker = 此录制来自 { $broker }；回放到该服务器会把旧消息发给正在运行的设备。请回放到测试服务器，如确有此意，请加上 --yes-same-broker
rec-replay-progress = 已回放 { $sent } / { $total }（{ $pct }%）
rec-replay-summary = 已回放 { $n } 条消息，用时 { $secs } 秒
rec-replay-failures = 服务器未接受 { $n } 条消息：{ $why }
rec-replay-unconfirmed = 服务器未及时确认最后 { $n } 条消息：它们可能已丢失

## 在窗口中录制

rec-win-record-button = ⏺ 录制…
rec-win-record-hover = 把此连接的消息录制到文件，之后可打开、导出或回放
rec-win-cmd-record = 录制 { $name }…
rec-win-cmd-stop = 停止录制 { $name }
rec-win-dialog-title = 录制 { $name }
rec-win-file = 文件
rec-win-topics = 主题过滤器
rec-win-topics-hint = 留空：全部主题。或用空格分隔的过滤器，如 greenhouse/# esp32/+/temp
rec-win-topics-all = 全部主题
rec-win-file-parts = { $folder } 中的 { $file }
rec-win-max-size = 大小上限
rec-win-max-size-hint = 留空：不限。如 500MB，含文件及其日志；超出时先删除最早的消息
rec-win-max-size-none = 不限
rec-win-start = 开始录制
rec-win-stop = ⏹ 停止
rec-win-indicator = 正在录制 { $file }：{ $size }，{ $rate }
rec-win-indicator-hover = { $path }
    已录制 { $n } 条消息
rec-win-indicator-deleted = 为不超过大小上限，删除了最早的 { $n } 条消息
rec-win-too-large = { $n } 条消息过大，无法在此大小上限内录制
rec-win-too-large-hover = 这些消息每条需要的空间都超过大小上限的约四分之一；调高上限才能录制它们
rec-win-tab-hover = 正在录制到 { $path }
rec-win-dropped = { $n } 条消息未录制
rec-win-dropped-hover = 磁盘写入跟不上消息流量；这些消息仍显示在主题树中
rec-win-no-path = 请选择录制文件。
rec-win-is-folder = { $path } 是文件夹：请加上文件名，如 night.tsrec
rec-win-exists = { $path } 已存在：请换一个文件名
rec-win-bad-filter = { $filter } 不是有效的主题过滤器：{ $error }
rec-win-already = { $name } 已在录制中
rec-win-started = 正在录制 { $name } 到 { $path }
rec-win-stopped = 已录制 { $name } 的 { $n } 条消息到 { $path }（{ $size }）
rec-win-failed = { $name } 到 { $path } 的录制已停止：{ $why }

## 在窗口中导出

rec-export-menu = 导出消息…
rec-export-title = 导出 { $topic }
rec-export-count = 历史中保留了此主题及其下级主题的 { $n } 条消息
rec-export-format = 格式
rec-export-jsonl-hover = 每条消息一个 JSON 对象，与 topicscope sub --format json 的输出相同
rec-export-csv-hover = 仅数值：第一列为时间，每个主题或 JSON 字段各占一列
rec-export-file = 导出到
rec-export-button = 导出
rec-export-replace-button = 替换它
rec-export-exists = { $path } 已存在：点击“替换它”将覆盖该文件，或选择其他文件。
rec-export-no-path = 请选择导出文件。
rec-export-nothing = 历史中没有 { $topic } 的消息。
rec-export-done = 已导出 { $n } 条消息到 { $path }

## 在窗口中打开录制文件

rec-open-button = 📼 录制文件…
rec-open-hover = 以只读方式打开录制文件，无需连接服务器，可按时间浏览
rec-open-cmd = 打开录制…
rec-open-cmd-play = 播放或暂停录制
rec-open-cmd-step = 跳到录制的下一条消息
rec-open-title = 打开录制文件
rec-open-tab-hover = 录制文件 { $path }（只读）
rec-open-read-only = { $name } 是打开的录制文件，只读，不能发送任何消息。请连接服务器后再发布
rec-open-play = 从此刻开始播放
rec-open-pause = 暂停
rec-open-step = 跳到下一条消息
rec-open-speed = 速度
rec-open-moment = 时刻
rec-open-loading = 读取中…

## 从窗口回放

rec-replay-win-button = 回放到服务器…
rec-replay-win-title = 将 { $name } 回放到服务器
rec-replay-win-profile = 服务器
rec-replay-win-choose = 选择已保存的连接
rec-replay-win-no-profiles = 没有已保存的连接：请先在“连接…”中保存一个
rec-replay-win-speed = 速度
rec-replay-win-max = 尽可能快
rec-replay-win-prefix = 主题前缀
rec-replay-win-prefix-hint = 无；例如 test/（主题的测试副本）
rec-replay-win-confirm = 确认回放到录制来源 { $broker }
rec-replay-win-start = 开始回放
rec-replay-win-stop = ⏹ 停止回放
rec-replay-win-progress = 正在回放到 { $name }：{ $sent } / { $total }
rec-replay-win-no-recording = 请先打开录制文件
rec-replay-win-running = 此录制正在回放中
rec-replay-win-pick = 请选择要回放到的服务器
rec-replay-win-same-broker = 此录制来自 { $broker }；回放到那里会向在线设备发送旧消息。请选择测试服务器，或勾选确认
rec-replay-win-failed = 回放：无法连接：{ $why }
rec-replay-win-stopped = 回放已停止，已发送 { $n } 条消息
rec-replay-win-done = 已将 { $n } 条消息回放到 { $name }

## 导出：时间范围

rec-export-from = 从
rec-export-to = 到
rec-export-open-bound = 不限
rec-export-bad-moment = { $text } 不是有效时间：请写成例如 2026-11-30 14:03:07（本地时间）

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

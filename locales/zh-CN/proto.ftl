# Protobuf（用户的 .proto 文件）与 Sparkplug B：解码错误、Sparkplug 警告、检查器中的
# Protobuf 选项和 Rebirth 按钮。格式名（Protobuf、Sparkplug B、NBIRTH、DBIRTH、NCMD）不翻译。

proto-err-file = 无法读取模式文件 { $path }：{ $detail }。请检查解码规则中的路径。
proto-err-syntax-line = 模式文件 { $file } 第 { $line } 行有错误：{ $detail }。请修改该文件，文件变化后会重新读取。
proto-err-syntax = 模式文件 { $file } 无法编译：{ $detail }。请修改该文件，文件变化后会重新读取。
proto-err-unknown-message = 模式中没有名为 { $name } 的消息；已有的消息：{ $known }
proto-err-payload = 载荷不是有效的 { $message } 消息（{ $detail }）
proto-err-cli = 应为 proto:文件:消息，例如 proto:sensors.proto:Reading
proto-sp-seq-gap = 序号不连续：应为 { $expected }，收到 { $seq }（有消息丢失）
proto-sp-no-birth = 未知别名 { $alias }：连接后未收到 { $birth } —— 请发送 Rebirth
proto-sp-unknown-alias = 未知别名 { $alias }：不在最近的 { $birth } 中 —— 请发送 Rebirth
proto-picker = Protobuf（自定义 .proto）…
proto-file-label = .proto 文件
proto-file-choose = 选择…
proto-message-label = 消息
proto-message-hint = 例如 sensors.Reading
proto-apply = 使用此模式
proto-rebirth = 请求重生（Rebirth）
proto-rebirth-tip = 请边缘节点 { $node } 重新发送 NBIRTH（向 { $topic } 发布 Node Control/Rebirth）
proto-rebirth-sent = 已向 { $node } 发送 Rebirth
proto-file-title = 选择 .proto 模式文件

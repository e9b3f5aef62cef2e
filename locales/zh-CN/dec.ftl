# 载荷解码（MessagePack、CBOR、Base64、gzip/zlib、C 结构体布局）：检查器的“解码为”选择、
# 解码错误和结构体布局错误。格式名称不翻译。

dec-struct = C 结构体
dec-label = 解码为
dec-scope-label = 应用于
dec-raw = 不解码（原样）
dec-auto = 自动
dec-auto-found = 自动：{ $format }
dec-layout-label = 布局
dec-layout-hint = 例如 f32le temperature; u16le humidity; u8[6] mac; i8 rssi; pad 2; bool on; char[8] name
dec-layout-apply = 使用布局
dec-failed = 无法按 { $format } 解码：{ $error }
dec-decoded-note = 由 { $n } 字节的 { $format } 解码
dec-err-invalid = 不是有效的 { $format }（{ $detail }）
dec-err-trailing = 一个 { $format } 值之后还剩 { $n } 字节
dec-err-too-deep = 嵌套超过 { $depth } 层
dec-err-too-large = 超过 { $n } 个值
dec-err-inflated = 解压后超过 { $mib } MiB
dec-err-no-gzip-header = 没有 gzip（1f 8b）或 zlib（78 …）头
dec-err-size = 布局读取 { $expected } 字节，但载荷有 { $n } 字节：请对照固件中的结构体检查布局
dec-layout-empty = 布局没有字段：例如写 “f32le temperature; u16le humidity”
dec-layout-unknown-type = 第 { $field } 个字段（“{ $text }”）：未知类型 “{ $ty }”；请用 u8、i8、u16、i16、u32、i32、u64、i64、f32、f64（可加 le 或 be）、bool 或 char[n]
dec-layout-bad-count = 第 { $field } 个字段（“{ $text }”）：数量必须是从 1 起的整数，如 u8[6] mac 或 pad 2
dec-layout-missing-name = 第 { $field } 个字段（“{ $text }”）：字段没有名称，如 “u16le humidity”
dec-layout-extra-words = 第 { $field } 个字段（“{ $text }”）：词太多；字段之间用 “;” 分隔
dec-layout-duplicate = 第 { $field } 个字段：名称 “{ $name }” 用了两次
dec-layout-char-length = 第 { $field } 个字段（“{ $text }”）：文本需要长度，如 char[8] name
dec-layout-too-large = 第 { $field } 个字段（“{ $text }”）：布局将超过 { $max } 字节
dec-cli-unknown = 未知的解码器 “{ $value }”：请用 auto、none、msgpack、cbor、base64、gzip、sparkplug、proto:文件:消息类型（如 proto:reading.proto:pkg.Reading）或 struct:'f32le temperature; u16le humidity'
dec-cli-failed = { $topic }：无法按 { $format } 解码：{ $error }
dec-forget-rule = 删除解码规则
dec-forget-rule-hint = 删除 { $filter } 的解码规则：这些主题改用下一条匹配的规则或默认设置
dec-demo-chart = 二进制设备（已解码）

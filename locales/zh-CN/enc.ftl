# 载荷文本编码：检查器中的编码选择，以及所选编码下无效字节的提示。
# 编码名称（UTF-8、GB18030 / GBK、Shift_JIS…）不翻译。

enc-label = 编码
enc-scope-label = 应用于
enc-scope-topic = 此主题
enc-scope-subtree = 此主题及子主题
enc-scope-all = 所有主题
# $filter 是 MQTT 主题过滤器，例如 legacy/#
enc-from-rule = （规则 { $filter }）
enc-forget-rule = 删除规则
enc-forget-rule-hint = 删除 { $filter } 的编码规则：其主题将改用下一条匹配的规则或默认编码
# $encoding 是编码名称；\xNN 原样显示。
enc-invalid-bytes = { $n } 个字节不是有效的 { $encoding }，以 \xNN 显示

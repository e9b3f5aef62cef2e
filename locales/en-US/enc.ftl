# Payload text encodings: the inspector's encoding picker and the notice about bytes
# that are not valid in the chosen encoding. Encoding names (UTF-8, GB18030 / GBK,
# Shift_JIS…) are not translated.

enc-label = Encoding
enc-scope-label = for
enc-scope-topic = this topic
enc-scope-subtree = this subtree
enc-scope-all = all topics
# $filter is an MQTT topic filter, e.g. legacy/#
enc-from-rule = (rule { $filter })
enc-forget-rule = Forget rule
enc-forget-rule-hint = Remove the encoding rule for { $filter }: its topics follow the next matching rule or the default again
# $encoding is an encoding name; \xNN is shown as written.
enc-invalid-bytes = { $n ->
    [one] { $n } byte is not valid { $encoding }: shown as \xNN
   *[other] { $n } bytes are not valid { $encoding }: shown as \xNN
}

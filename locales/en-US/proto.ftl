# Protobuf with the user's .proto file, and Sparkplug B: decoding errors, Sparkplug
# warnings, the inspector's protobuf choice and the Rebirth button.
# Format names (Protobuf, Sparkplug B, NBIRTH, DBIRTH, NCMD) are not translated.

# $path is the .proto file, $detail the system's reason
proto-err-file = cannot read the schema file { $path }: { $detail }. Check the path in the decoder rule.
# $file is the .proto file, $line a line number, $detail the parser's words (English)
proto-err-syntax-line = the schema { $file } has an error at line { $line }: { $detail }. Fix the file; it is read again when it changes.
proto-err-syntax = the schema { $file } cannot be compiled: { $detail }. Fix the file; it is read again when it changes.
# $name is the message name typed, $known the names the schema defines
proto-err-unknown-message = the schema defines no message named { $name }; it has: { $known }
# $message is a message type name, $detail the decoder's words (English)
proto-err-payload = the payload is not a valid { $message } message ({ $detail })
proto-err-cli = expected proto:FILE:Message, e.g. proto:sensors.proto:Reading
# Sparkplug B; $expected and $seq are sequence numbers 0–255
proto-sp-seq-gap = sequence gap: expected seq { $expected }, got { $seq } (messages were lost)
# $alias is a metric alias number, $birth is NBIRTH or DBIRTH
proto-sp-no-birth = unknown alias { $alias }: no { $birth } seen since connecting — send a Rebirth
proto-sp-unknown-alias = unknown alias { $alias }: not in the last { $birth } — send a Rebirth
# the inspector
proto-picker = Protobuf…
proto-file-label = .proto file
proto-file-choose = Choose…
proto-message-label = Message
proto-message-hint = e.g. sensors.Reading
proto-apply = Use schema
proto-rebirth = Rebirth
proto-rebirth-tip = Ask the edge node { $node } to send its NBIRTH again (publishes Node Control/Rebirth to { $topic })
proto-rebirth-sent = Rebirth sent to { $node }
proto-file-title = Choose a .proto schema

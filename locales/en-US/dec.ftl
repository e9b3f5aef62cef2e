# Payload decoders (MessagePack, CBOR, base64, gzip/zlib, C struct layouts): the
# inspector's "Decode as" picker, decoding errors, and struct layout errors.
# Format names (MessagePack, CBOR, Base64, gzip / zlib) are not translated.

dec-struct = C struct
dec-label = Decode as
dec-scope-label = applies to
dec-raw = None (as received)
dec-auto = Auto
# $format is the detected format, e.g. CBOR
dec-auto-found = Auto: { $format }
dec-layout-label = Layout
dec-layout-hint = e.g. f32le temperature; u16le humidity; u8[6] mac; i8 rssi; pad 2; bool on; char[8] name
dec-layout-apply = Use layout
# $format is a format name, $error the reason
dec-failed = Cannot decode as { $format }: { $error }
dec-decoded-note = Decoded from { $n ->
    [one] { $n } byte
   *[other] { $n } bytes
} of { $format }
# errors; $format is a format name, $detail the parser's own words (may be English)
dec-err-invalid = not valid { $format } ({ $detail })
dec-err-trailing = { $n ->
    [one] { $n } byte is left after one { $format } value
   *[other] { $n } bytes are left after one { $format } value
}
dec-err-too-deep = nested deeper than { $depth } levels
dec-err-too-large = more than { $n } values
dec-err-inflated = inflates to more than { $mib } MiB
dec-err-no-gzip-header = no gzip (1f 8b) or zlib (78 …) header
dec-err-size = { $n ->
    [one] the layout reads { $expected } bytes but the payload has { $n } byte: check the layout against the firmware's struct
   *[other] the layout reads { $expected } bytes but the payload has { $n } bytes: check the layout against the firmware's struct
}
# struct layout errors; $field counts fields from 1, $text is the field as written
dec-layout-empty = the layout has no fields: write e.g. "f32le temperature; u16le humidity"
dec-layout-unknown-type = field { $field } ("{ $text }"): unknown type "{ $ty }"; use u8, i8, u16, i16, u32, i32, u64, i64, f32, f64 (with le or be), bool or char[n]
dec-layout-bad-count = field { $field } ("{ $text }"): the count must be a whole number from 1, as in u8[6] mac or pad 2
dec-layout-missing-name = field { $field } ("{ $text }"): the field has no name, as in "u16le humidity"
dec-layout-extra-words = field { $field } ("{ $text }"): too many words; separate fields with ";"
dec-layout-duplicate = field { $field }: the name "{ $name }" is used twice
dec-layout-char-length = field { $field } ("{ $text }"): text needs a length, as in char[8] name
dec-layout-too-large = field { $field } ("{ $text }"): the layout would be larger than { $max } bytes
# the command line; $value is what was typed
dec-cli-unknown = unknown decoder "{ $value }": use auto, none, msgpack, cbor, base64, gzip, sparkplug, proto:FILE:Message (e.g. proto:reading.proto:pkg.Reading) or struct:'f32le temperature; u16le humidity'
# $topic is an MQTT topic, $format a format name, $error the reason
dec-cli-failed = { $topic }: cannot decode as { $format }: { $error }
dec-forget-rule = Forget decoder rule
# $filter is an MQTT topic filter, e.g. esp32/+/raw
dec-forget-rule-hint = Remove the decoder rule for { $filter }: its topics follow the next matching rule or the default again
dec-demo-chart = Binary boards (decoded)

"""Sparkplug B payloads encoded by Eclipse Tahu's generated code, as the package
mqtt-spb-wrapper ships it (sparkplug_b_pb2.py, generated from Tahu's sparkplug_b.proto;
EPL-2.0), for tests/sparkplug_tahu.rs. Prints one payload a line, in hex:
an NBIRTH with aliases, a DataSet and a Template, then an NDATA carrying aliases only.
With the argument `schema` it prints instead every field of every message of Tahu's
schema, one a line: message, field, number, type, label, oneof (for the comparison with
ours).

The module is loaded from its file, not imported through its package, so the package's
MQTT client (which pins paho-mqtt 1.x) is never imported.
"""

import importlib.util
import os
import struct
import sys

spec = importlib.util.find_spec("mqtt_spb_wrapper")
if spec is None or spec.origin is None:
    sys.exit("mqtt-spb-wrapper is not installed: pip install --no-deps mqtt-spb-wrapper 'protobuf>=5.26'")
path = os.path.join(os.path.dirname(spec.origin), "spb_protobuf", "sparkplug_b_pb2.py")
module_spec = importlib.util.spec_from_file_location("sparkplug_b_pb2", path)
pb = importlib.util.module_from_spec(module_spec)
module_spec.loader.exec_module(pb)
T = pb.DataType


def schema_lines(desc):
    for f in desc.fields:
        oneof = f.containing_oneof.name if f.containing_oneof else "-"
        # protobuf 6 dropped `label`; proto2 here has no `required`.
        repeated = f.is_repeated if hasattr(f, "is_repeated") else f.label == f.LABEL_REPEATED
        label = "repeated" if repeated else "optional"
        yield f"{desc.full_name} {f.name} {f.number} {f.type} {label} {oneof}"
    for nested in desc.nested_types:
        yield from schema_lines(nested)


if sys.argv[1:] == ["schema"]:
    lines = list(schema_lines(pb.Payload.DESCRIPTOR))
    lines += [f"DataType {v.name} {v.number}" for v in pb.DataType.DESCRIPTOR.values]
    print("\n".join(sorted(lines)))
    sys.exit(0)


def metric(payload, name, alias, datatype):
    m = payload.metrics.add()
    if name is not None:
        m.name = name
    m.alias = alias
    m.datatype = datatype
    return m


birth = pb.Payload()
birth.timestamp = 1700000000000
birth.seq = 0
metric(birth, "Temperature", 1, T.Float).float_value = 21.5
# Int32 -7 travels as its two's complement in the unsigned int_value.
metric(birth, "Offset", 2, T.Int32).int_value = (-7) & 0xFFFFFFFF
metric(birth, "Running", 3, T.Boolean).boolean_value = True
metric(birth, "Energy", 4, T.Int64).long_value = (-5) & 0xFFFFFFFFFFFFFFFF
metric(birth, "Label", 5, T.String).string_value = "泵房 1"

log = metric(birth, "Log", 6, T.DataSet).dataset_value
log.num_of_columns = 3
log.columns.extend(["t", "temp", "ok"])
log.types.extend([T.UInt64, T.Float, T.Boolean])
for t, temp, ok in [(1000, 20.5, True), (2000, 21.25, False)]:
    row = log.rows.add()
    row.elements.add().long_value = t
    row.elements.add().float_value = temp
    row.elements.add().boolean_value = ok

motor = metric(birth, "Motor1", 7, T.Template).template_value
motor.template_ref = "Motor"
motor.version = "1.0"
motor.is_definition = False
param = motor.parameters.add()
param.name = "rated_kw"
param.type = T.Float
param.float_value = 7.5
rpm = motor.metrics.add()
rpm.name = "RPM"
rpm.datatype = T.Int16
rpm.int_value = (-1450) & 0xFFFFFFFF
bearing = motor.metrics.add()
bearing.name = "Bearing"
bearing.datatype = T.Template
bearing.template_value.template_ref = "Bearing"
vib = bearing.template_value.metrics.add()
vib.name = "Vibration"
vib.datatype = T.Double
vib.double_value = 0.125

# Arrays travel packed little-endian in bytes_value (Sparkplug 3.0, "Array Types").
metric(birth, "Samples", 8, T.FloatArray).bytes_value = struct.pack("<3f", 20.5, 21.0, -0.25)
metric(birth, "Raw", 9, T.Int16Array).bytes_value = struct.pack("<2h", -300, 7)
# BooleanArray: a 4-byte little-endian count, then the bits, first in the high bit.
metric(birth, "Relays", 10, T.BooleanArray).bytes_value = struct.pack("<I", 3) + bytes([0b10100000])
metric(birth, "Names", 11, T.StringArray).bytes_value = "泵\0fan\0".encode("utf-8")

pressure = metric(birth, "Pressure", 12, T.Double)
pressure.double_value = 1.25
props = pressure.properties
props.keys.extend(["engUnit", "engHigh", "limits"])
unit = props.values.add()
unit.type = T.String
unit.string_value = "bar"
high = props.values.add()
high.type = T.Int32
high.int_value = (-40) & 0xFFFFFFFF
limits = props.values.add()
limits.type = T.PropertySet
limits.propertyset_value.keys.append("warn")
warn = limits.propertyset_value.values.add()
warn.type = T.Float
warn.float_value = 2.5

data = pb.Payload()
data.timestamp = 1700000001000
data.seq = 1
metric(data, None, 1, T.Float).float_value = 22.75
metric(data, None, 2, T.Int32).int_value = (-8) & 0xFFFFFFFF

bare = pb.Payload()
bare.timestamp = 1700000002000
bare.seq = 2
for alias, field, value in [(2, "int_value", (-9) & 0xFFFFFFFF), (9, "bytes_value", struct.pack("<h", -5))]:
    m = bare.metrics.add()
    m.alias = alias
    setattr(m, field, value)

print(birth.SerializeToString().hex())
print(data.SerializeToString().hex())
print(bare.SerializeToString().hex())

//! Sparkplug B payloads from Eclipse Tahu's own generated code (the `sparkplug_b_pb2`
//! module that the `mqtt-spb-wrapper` package ships, run by tests/interop/sparkplug_tahu.py)
//! read by our decoder: an NBIRTH with aliases, a DataSet, nested Templates, packed arrays
//! and a PropertySet, then an alias-only NDATA named from that birth, then one without
//! datatypes, signed and typed from the birth; every value and every datatype tag checked.
//! .ci/run installs the package; a missing one fails the test rather than skipping it.

use std::process::Command;

use serde_json::json;
use topicscope::model::SparkplugRegistry;
use topicscope::model::decode::Typed;

const BIRTH: &str = "spBv1.0/plant/NBIRTH/edge1";
const DATA: &str = "spBv1.0/plant/NDATA/edge1";

/// What the Python script prints, given `args`.
fn tahu(args: &[&str]) -> String {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/interop/sparkplug_tahu.py");
    let out = Command::new("python3")
        .arg(script)
        .args(args)
        .output()
        .expect("python3 runs (install python3, then `pip install --no-deps mqtt-spb-wrapper 'protobuf>=5.26'`)");
    assert!(
        out.status.success(),
        "the Tahu encoder failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("the script prints UTF-8")
}

/// The payloads the Python script prints, one hex line each.
fn tahu_payloads() -> Vec<Vec<u8>> {
    tahu(&[])
        .lines()
        .map(|hex| {
            (0..hex.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex digits"))
                .collect()
        })
        .collect()
}

fn tag<'a>(typed: &'a Typed, pointer: &str) -> Option<&'a str> {
    typed.types.get(pointer)
}

/// Every field of every message of our schema, in the script's form.
fn schema_lines(desc: &prost_reflect::MessageDescriptor, out: &mut Vec<String>) {
    for f in desc.fields() {
        let proto = f.field_descriptor_proto();
        let label = if f.is_list() { "repeated" } else { "optional" };
        let oneof = f
            .containing_oneof()
            .map_or_else(|| "-".to_owned(), |o| o.name().to_owned());
        out.push(format!(
            "{} {} {} {} {label} {oneof}",
            desc.full_name(),
            f.name(),
            f.number(),
            proto.r#type.unwrap_or_default()
        ));
    }
    for nested in desc.child_messages() {
        schema_lines(&nested, out);
    }
}

/// Our embedded schema against Tahu's, as its generated code describes it: the same
/// messages, fields, numbers, types, labels and oneofs, and the same DataType codes.
#[test]
fn our_schema_is_tahus_field_by_field() {
    let payload = topicscope::model::decode::sparkplug::payload_descriptor().expect("our schema compiles");
    let mut ours = Vec::new();
    schema_lines(&payload, &mut ours);
    let datatype = payload
        .parent_pool()
        .get_enum_by_name("org.eclipse.tahu.protobuf.DataType")
        .expect("our schema has the DataType enum");
    ours.extend(
        datatype
            .values()
            .map(|v| format!("DataType {} {}", v.name(), v.number())),
    );
    ours.sort();
    let theirs: Vec<String> = tahu(&["schema"]).lines().map(|l| l.trim().to_owned()).collect();
    assert!(theirs.len() > 100, "Tahu's schema listed: {} lines", theirs.len());
    for line in &theirs {
        assert!(ours.contains(line), "ours lacks Tahu's: {line}");
    }
    for line in &ours {
        assert!(theirs.contains(line), "Tahu's lacks ours: {line}");
    }
}

#[test]
fn tahu_birth_with_dataset_and_template_then_alias_only_data() {
    let payloads = tahu_payloads();
    assert_eq!(payloads.len(), 3, "the script prints a birth and two data payloads");
    let mut registry = SparkplugRegistry::default();
    registry
        .observe(BIRTH, &payloads[0])
        .expect("a Sparkplug topic")
        .expect("the birth decodes");

    let birth = registry.read_typed(BIRTH, &payloads[0]).expect("the birth decodes");
    let m = &birth.value["metrics"];
    assert_eq!(birth.value["timestamp"], json!(1_700_000_000_000u64));
    assert_eq!(birth.value["seq"], json!(0));
    assert_eq!(m["Temperature"], json!(21.5));
    assert_eq!(m["Offset"], json!(-7), "Int32 is signed from its two's complement");
    assert_eq!(m["Running"], json!(true));
    assert_eq!(m["Energy"], json!(-5), "Int64 likewise");
    assert_eq!(m["Label"], json!("泵房 1"));
    assert_eq!(
        m["Log"],
        json!({
            "columns": ["t", "temp", "ok"],
            "types": ["UInt64", "Float", "Boolean"],
            "rows": [
                {"t": 1000, "temp": 20.5, "ok": true},
                {"t": 2000, "temp": 21.25, "ok": false}
            ]
        })
    );
    assert_eq!(
        m["Motor1"],
        json!({
            "template_ref": "Motor",
            "version": "1.0",
            "is_definition": false,
            "parameters": {"rated_kw": 7.5},
            "metrics": {
                "RPM": -1450,
                "Bearing": {
                    "template_ref": "Bearing",
                    "metrics": {"Vibration": 0.125}
                }
            }
        })
    );
    assert_eq!(birth.value["metric_info"]["Log"]["alias"], json!(6));
    assert_eq!(birth.value["metric_info"]["Motor1"]["datatype"], json!("Template"));

    for (pointer, ty) in [
        ("/metrics/Temperature", "Float"),
        ("/metrics/Offset", "Int32"),
        ("/metrics/Running", "Boolean"),
        ("/metrics/Energy", "Int64"),
        ("/metrics/Label", "String"),
        ("/metrics/Log", "DataSet"),
        ("/metrics/Log/rows/0/t", "UInt64"),
        ("/metrics/Log/rows/1/temp", "Float"),
        ("/metrics/Log/rows/1/ok", "Boolean"),
        ("/metrics/Motor1", "Template"),
        ("/metrics/Motor1/parameters/rated_kw", "Float"),
        ("/metrics/Motor1/metrics/RPM", "Int16"),
        ("/metrics/Motor1/metrics/Bearing", "Template"),
        ("/metrics/Motor1/metrics/Bearing/metrics/Vibration", "Double"),
    ] {
        assert_eq!(tag(&birth, pointer), Some(ty), "{pointer}");
    }
    assert_eq!(tag(&birth, "/metrics/Log/columns"), None, "the header has no datatype");

    // Arrays, packed as the specification says, read as JSON arrays (so items plot).
    assert_eq!(m["Samples"], json!([20.5, 21.0, -0.25]));
    assert_eq!(m["Raw"], json!([-300, 7]));
    assert_eq!(m["Relays"], json!([true, false, true]));
    assert_eq!(m["Names"], json!(["泵", "fan"]));
    assert_eq!(tag(&birth, "/metrics/Samples"), Some("FloatArray"));
    assert_eq!(tag(&birth, "/metrics/Relays"), Some("BooleanArray"));

    // A PropertySet as {key: value}, signed and typed like metrics, nested sets too.
    assert_eq!(
        birth.value["metric_info"]["Pressure"]["properties"],
        json!({"engUnit": "bar", "engHigh": -40, "limits": {"warn": 2.5}})
    );
    for (pointer, ty) in [
        ("/metric_info/Pressure/properties/engUnit", "String"),
        ("/metric_info/Pressure/properties/engHigh", "Int32"),
        ("/metric_info/Pressure/properties/limits", "PropertySet"),
        ("/metric_info/Pressure/properties/limits/warn", "Float"),
        ("/metrics/Pressure", "Double"),
    ] {
        assert_eq!(tag(&birth, pointer), Some(ty), "{pointer}");
    }

    // A DataSet cell is a number at a path, so it plots.
    let path = topicscope::model::JsonPath::parse("metrics.Log.rows[1].temp").expect("a path");
    assert_eq!(path.extract(&birth.value), Some(21.25));

    let data = registry.read_typed(DATA, &payloads[1]).expect("the data decodes");
    assert_eq!(data.value["metrics"], json!({"Temperature": 22.75, "Offset": -8}));
    assert_eq!(data.value.get("warnings"), None, "every alias was named by the birth");
    assert_eq!(tag(&data, "/metrics/Temperature"), Some("Float"));
    assert_eq!(tag(&data, "/metrics/Offset"), Some("Int32"));

    // Untyped reads (the CLI, the plots) give the same value and record no types.
    assert_eq!(registry.read(DATA, &payloads[1]).expect("decodes"), data.value);

    // DATA without datatypes, as Sparkplug 3.0 says it should be sent: the birth's
    // datatypes sign the Int32 and unpack the Int16Array, and tag both.
    registry
        .observe(DATA, &payloads[1])
        .expect("a Sparkplug topic")
        .expect("decodes");
    registry
        .observe(DATA, &payloads[2])
        .expect("a Sparkplug topic")
        .expect("decodes");
    let bare = registry.read_typed(DATA, &payloads[2]).expect("the data decodes");
    assert_eq!(bare.value["metrics"], json!({"Offset": -9, "Raw": [-5]}));
    assert_eq!(
        bare.value.get("warnings"),
        None,
        "seq 0, 1, 2: no gap; every alias known"
    );
    assert_eq!(tag(&bare, "/metrics/Offset"), Some("Int32"));
    assert_eq!(tag(&bare, "/metrics/Raw"), Some("Int16Array"));

    // Without the birth the same bytes cannot be signed: they are shown as sent, with
    // the reason, never as a guess.
    let stranger = SparkplugRegistry::default();
    let unborn = stranger.read(DATA, &payloads[2]).expect("decodes");
    assert_eq!(unborn["metrics"]["alias 2"], json!(4_294_967_287u64));
    assert!(unborn["warnings"].to_string().contains("NBIRTH"), "{unborn}");
}

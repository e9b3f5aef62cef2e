//! Sparkplug B payloads from Eclipse Tahu's own generated code (the `sparkplug_b_pb2`
//! module that the `mqtt-spb-wrapper` package ships, run by tests/interop/sparkplug_tahu.py)
//! read by our decoder: an NBIRTH with aliases, a DataSet and nested Templates, then an
//! alias-only NDATA named from that birth; every value and every datatype tag checked.
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
    assert_eq!(payloads.len(), 2, "the script prints a birth and a data payload");
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
}

//! Protobuf with a user's `.proto` (compiled at run time, cached, errors in words) and
//! Sparkplug B (metrics named from the aliases of the last BIRTH, sequence gaps and DATA
//! before BIRTH flagged), from payloads built here with the same schemas through
//! prost-reflect, and end to end through the embedded broker with `sub --decode`.

mod common;

use std::path::Path;

use common::TestBroker;
use common::run::{run, text, topicscope};
use common::window::feed_bytes;
use prost::Message as _;
use prost_reflect::{DynamicMessage, Value as PValue};
use topicscope::model::decode::proto;
use topicscope::model::decode::sparkplug::{self, Metric, MetricValue};
use topicscope::model::sparkplug_registry::rebirth_command;
use topicscope::model::{DecodeChoice, Decoder, DecoderRules, SparkplugRegistry};

const SENSORS: &str = r#"syntax = "proto3";
package sensors;

enum State { IDLE = 0; RUNNING = 1; }

message Reading {
  float temperature = 1;
  uint32 humidity = 2;
  string board = 3;
  State state = 4;
  repeated sint32 history = 5;
  map<string, double> extra = 6;
}
"#;

fn write_schema(dir: &Path, text: &str) -> std::path::PathBuf {
    let path = dir.join("sensors.proto");
    std::fs::write(&path, text).unwrap();
    path
}

/// A Reading encoded with the schema itself (what an ESP32 running nanopb would send).
fn reading(file: &Path, temperature: f32, humidity: u32) -> Vec<u8> {
    let pool = proto::schema(file).unwrap();
    let desc = pool.get_message_by_name("sensors.Reading").unwrap();
    let mut msg = DynamicMessage::new(desc);
    msg.set_field_by_name("temperature", PValue::F32(temperature));
    msg.set_field_by_name("humidity", PValue::U32(humidity));
    msg.set_field_by_name("board", PValue::String("esp32-c3".into()));
    msg.set_field_by_name("state", PValue::EnumNumber(1));
    msg.set_field_by_name("history", PValue::List(vec![PValue::I32(-3), PValue::I32(7)]));
    msg.encode_to_vec()
}

#[test]
fn a_user_schema_decodes_named_fields_bound_to_a_topic_pattern() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_schema(dir.path(), SENSORS);
    let mut rules = DecoderRules::default();
    let decoder = Decoder::Proto {
        file: file.clone(),
        message: "Reading".into(),
    };
    rules.set("esp32/+/pb", DecodeChoice::With(decoder.clone()));
    let payload = reading(&file, 21.5, 48);
    let chosen = rules.decoder_for("esp32/kitchen/pb", &payload).unwrap();
    assert_eq!(chosen, decoder);
    assert_eq!(rules.decoder_for("esp32/kitchen/other", &payload), None);
    let value = chosen.decode(&payload).unwrap();
    assert_eq!(
        value,
        serde_json::json!({"temperature": 21.5, "humidity": 48, "board": "esp32-c3",
            "state": "RUNNING", "history": [-3, 7], "extra": {}})
    );
    // A proto3 zero is still a field (it plots as 0, not as a gap).
    let zero = chosen.decode(&reading(&file, 0.0, 0)).unwrap();
    assert_eq!(zero["humidity"], 0);
    // The rule survives a save: ron round trip.
    let text = ron::to_string(&rules).unwrap();
    assert_eq!(ron::from_str::<DecoderRules>(&text).unwrap(), rules);
}

#[test]
fn schema_errors_say_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let missing = Decoder::Proto {
        file: dir.path().join("nope.proto"),
        message: "Reading".into(),
    };
    let err = missing.decode(b"\x08\x01").unwrap_err().to_string();
    assert!(
        err.contains("cannot read the schema file") && err.contains("nope.proto"),
        "{err}"
    );

    let file = write_schema(dir.path(), SENSORS);
    let unknown = Decoder::Proto {
        file: file.clone(),
        message: "Readin".into(),
    };
    let err = unknown.decode(b"").unwrap_err().to_string();
    assert!(
        err.contains("no message named Readin") && err.contains("sensors.Reading"),
        "{err}"
    );

    // Not that message: a length-delimited field 3 claiming 100 bytes it does not have.
    let good = Decoder::Proto {
        file: file.clone(),
        message: "sensors.Reading".into(),
    };
    let err = good.decode(b"\x1a\x64ab").unwrap_err().to_string();
    assert!(err.contains("not a valid sensors.Reading message"), "{err}");

    // A syntax error names its line; fixing the file is seen at once (cache by mtime).
    let broken = SENSORS.replace("uint32 humidity = 2;", "uint32 humidity = ;");
    std::fs::write(&file, &broken).unwrap();
    bump_mtime(&file);
    let err = good.decode(b"").unwrap_err().to_string();
    assert!(err.contains("line 8") && err.contains("sensors.proto"), "{err}");
    std::fs::write(&file, SENSORS).unwrap();
    bump_mtime(&file);
    assert_eq!(good.decode(b"\x10\x05").unwrap()["humidity"], 5);
}

/// Moves the file's mtime forward, so a rewrite within the clock's resolution is seen.
fn bump_mtime(file: &Path) {
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(rand_secs());
    std::fs::File::options()
        .write(true)
        .open(file)
        .unwrap()
        .set_modified(later)
        .unwrap();
}

fn rand_secs() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(10);
    N.fetch_add(10, Ordering::Relaxed)
}

fn metric(name: Option<&str>, alias: u64, value: MetricValue) -> Metric {
    Metric {
        name: name.map(str::to_owned),
        alias: Some(alias),
        value,
    }
}

fn nbirth(seq: u64) -> Vec<u8> {
    sparkplug::encode(
        1_700_000_000_000,
        Some(seq),
        &[
            metric(Some("bdSeq"), 0, MetricValue::Int64(0)),
            metric(Some("Node Control/Rebirth"), 1, MetricValue::Boolean(false)),
            metric(Some("Temperature"), 2, MetricValue::Float(21.5)),
            metric(Some("Pressure"), 3, MetricValue::Int32(-12)),
        ],
    )
    .unwrap()
}

fn ndata(seq: u64, temperature: f32) -> Vec<u8> {
    sparkplug::encode(
        1_700_000_001_000,
        Some(seq),
        &[
            metric(None, 2, MetricValue::Float(temperature)),
            metric(None, 3, MetricValue::Int32(-15)),
        ],
    )
    .unwrap()
}

const NODE: &str = "spBv1.0/plant/NBIRTH/edge1";
const DATA: &str = "spBv1.0/plant/NDATA/edge1";

#[test]
fn sparkplug_data_metrics_are_named_from_the_birth() {
    let mut reg = SparkplugRegistry::default();
    let birth = reg.observe(NODE, &nbirth(0)).unwrap().unwrap();
    assert_eq!(birth["metrics"]["Temperature"], 21.5);
    assert_eq!(birth["metrics"]["Pressure"], -12);
    assert_eq!(birth["metric_info"]["Temperature"]["datatype"], "Float");
    let data = reg.observe(DATA, &ndata(1, 22.25)).unwrap().unwrap();
    assert_eq!(data["metrics"]["Temperature"], 22.25, "{data}");
    assert_eq!(data["metrics"]["Pressure"], -15);
    assert_eq!(data["seq"], 1);
    assert!(data.get("warnings").is_none(), "{data}");
    // Plottable by name.
    let path = topicscope::model::JsonPath::parse("metrics.Temperature").unwrap();
    assert_eq!(path.extract(&data), Some(22.25));
    // Detected by the namespace, never on STATE or elsewhere.
    assert_eq!(
        topicscope::model::decode::detect(DATA, &ndata(1, 1.0)),
        Some(Decoder::Sparkplug)
    );
    assert_eq!(
        topicscope::model::decode::detect("spBv1.0/STATE/host1", b"{\"online\":true}"),
        None
    );
    assert_eq!(
        topicscope::model::decode::detect("plant/NDATA/edge1", &ndata(1, 1.0)),
        None
    );
    // The tree's preview and filter detect it too, with no rule.
    let text = DecoderRules::default()
        .decoded_text(|| NODE.to_owned(), &nbirth(0), None)
        .unwrap();
    assert!(text.contains("\"Temperature\":21.5"), "{text}");
    // An alias-only NDATA previews by name with the connection's births (as the tree
    // and the history list do), and by alias without them.
    let named = DecoderRules::default()
        .decoded_text(|| DATA.to_owned(), &ndata(2, 23.5), Some(&reg))
        .unwrap();
    assert!(named.contains("\"Temperature\":23.5"), "{named}");
    let bare = DecoderRules::default()
        .decoded_text(|| DATA.to_owned(), &ndata(2, 23.5), None)
        .unwrap();
    assert!(bare.contains("alias 2"), "{bare}");
    // The device: DBIRTH aliases are its own.
    let dbirth = sparkplug::encode(0, Some(2), &[metric(Some("Motor/RPM"), 2, MetricValue::Double(1450.0))]).unwrap();
    reg.observe("spBv1.0/plant/DBIRTH/edge1/motor", &dbirth)
        .unwrap()
        .unwrap();
    let ddata = sparkplug::encode(0, Some(3), &[metric(None, 2, MetricValue::Double(1500.5))]).unwrap();
    let d = reg.observe("spBv1.0/plant/DDATA/edge1/motor", &ddata).unwrap().unwrap();
    assert_eq!(d["metrics"]["Motor/RPM"], 1500.5, "{d}");
}

#[test]
fn sparkplug_gaps_and_data_before_birth_are_flagged() {
    let mut reg = SparkplugRegistry::default();
    let early = reg.observe(DATA, &ndata(7, 20.0)).unwrap().unwrap();
    let warnings = early["warnings"].to_string();
    assert!(
        warnings.contains("unknown alias 2: no NBIRTH seen since connecting") && warnings.contains("Rebirth"),
        "{warnings}"
    );
    assert_eq!(early["metrics"]["alias 2"], 20.0);
    reg.observe(NODE, &nbirth(0)).unwrap().unwrap();
    assert!(
        reg.observe(DATA, &ndata(1, 1.0))
            .unwrap()
            .unwrap()
            .get("warnings")
            .is_none()
    );
    let gap = reg.observe(DATA, &ndata(4, 1.0)).unwrap().unwrap();
    assert!(gap["warnings"].to_string().contains("expected seq 2, got 4"), "{gap}");
    // Shown again later (the inspector reads, it does not observe), it still says so;
    // the message before it does not.
    let shown = reg.read(DATA, &ndata(4, 1.0)).unwrap();
    assert!(
        shown["warnings"].to_string().contains("expected seq 2, got 4"),
        "{shown}"
    );
    assert!(reg.read(DATA, &ndata(1, 1.0)).unwrap().get("warnings").is_none());
    // 255 wraps to 0 without a warning.
    reg.observe(DATA, &ndata(255, 1.0)).unwrap().unwrap();
    assert!(
        reg.observe(DATA, &ndata(0, 1.0))
            .unwrap()
            .unwrap()
            .get("warnings")
            .is_none()
    );
    // A corrupt payload is an error in words.
    let err = reg.observe(DATA, b"\x12\xff\xff\xff\xff\x0f").unwrap().unwrap_err();
    assert!(err.to_string().contains("not a valid Sparkplug B Payload"), "{err}");
}

#[test]
fn the_rebirth_command_is_a_sparkplug_ncmd() {
    let (topic, payload) = rebirth_command("spBv1.0/plant/DDATA/edge1/motor", 5).unwrap();
    assert_eq!(topic, "spBv1.0/plant/NCMD/edge1");
    let value = Decoder::Sparkplug.decode(&payload.unwrap()).unwrap();
    assert_eq!(value["metrics"]["Node Control/Rebirth"], true);
    assert!(rebirth_command("esp32/a/b", 5).is_none());
}

#[test]
fn sub_decodes_protobuf_and_sparkplug_through_a_broker() {
    let dir = tempfile::tempdir().unwrap();
    let file = write_schema(dir.path(), SENSORS);
    let broker = TestBroker::embedded();
    feed_bytes(
        &broker,
        &[("esp32/kitchen/pb", &reading(&file, 21.5, 48)), (NODE, &nbirth(0))],
    );
    let sub = |topic: &str, decode: &str| {
        let mut c = topicscope();
        c.args([
            "sub",
            "--broker",
            &broker.url(),
            "-t",
            topic,
            "--count",
            "1",
            "--decode",
            decode,
        ]);
        let out = run(c);
        assert!(out.status.success(), "{decode}: {}", text(&out.stderr));
        (text(&out.stdout), text(&out.stderr))
    };
    let spec = format!("proto:{}:sensors.Reading", file.display());
    assert_eq!(
        sub("esp32/kitchen/pb", &spec).0,
        "esp32/kitchen/pb {\"temperature\":21.5,\"humidity\":48,\"board\":\"esp32-c3\",\"state\":\"RUNNING\",\"history\":[-3,7],\"extra\":{}}\n"
    );
    let (out, _) = sub(NODE, "sparkplug");
    assert!(
        out.contains("\"Temperature\":21.5") && out.contains("\"Pressure\":-12"),
        "{out}"
    );
    // A wrong message name: the payload as received, and the names that exist on stderr.
    let (out, err) = sub("esp32/kitchen/pb", &format!("proto:{}:Nope", file.display()));
    assert!(out.starts_with("esp32/kitchen/pb "), "{out}");
    assert!(err.contains("sensors.Reading"), "{err}");
}

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use super::*;

fn fill(text: &str, counter: u64, values: &[(&str, &str)]) -> Result<String, TemplateError> {
    let values: BTreeMap<String, String> = values.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect();
    let ctx = FillContext {
        counter,
        values: &values,
        now: SystemTime::UNIX_EPOCH + Duration::from_millis(1_764_460_800_123),
    };
    Template::parse(text)?.fill(&ctx)
}

#[test]
fn plain_text_and_json_braces_are_sent_as_written() {
    for text in [
        "ON",
        "",
        r#"{"a":{"b":1}}"#,
        r#"{"a":{"b":{"c":2}}}"#,
        "{{ not a var }}",
        "{{",
        "}}",
        "{{}}",
        "a {{b c}} d",
    ] {
        let t = Template::parse(text).unwrap();
        assert!(t.is_plain(), "{text:?}");
        assert_eq!(fill(text, 1, &[]).unwrap(), text);
    }
}

#[test]
fn built_ins_are_filled() {
    assert_eq!(fill("n={{counter}}", 7, &[]).unwrap(), "n=7");
    assert_eq!(fill("{{timestamp}}", 1, &[]).unwrap(), "1764460800");
    assert_eq!(fill("{{timestamp_ms}}", 1, &[]).unwrap(), "1764460800123");
    let now = fill("{{now}}", 1, &[]).unwrap();
    let parsed = chrono::DateTime::parse_from_rfc3339(&now).unwrap();
    assert_eq!(parsed.timestamp(), 1_764_460_800, "{now}");
    // Spaces inside the braces are allowed.
    assert_eq!(fill("{{ counter }}", 3, &[]).unwrap(), "3");
}

#[test]
fn a_brace_before_a_variable_stays_text() {
    assert_eq!(fill("{{{counter}}}", 5, &[]).unwrap(), "{5}");
    assert_eq!(fill(r#"{"seq":{{counter}}}"#, 9, &[]).unwrap(), r#"{"seq":9}"#);
}

#[test]
fn random_integers_cover_both_ends_and_stay_inside() {
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..500 {
        let v: i64 = fill("{{random 0 3}}", 1, &[]).unwrap().parse().unwrap();
        assert!((0..=3).contains(&v), "{v}");
        seen.insert(v);
    }
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), vec![0, 1, 2, 3]);
    assert_eq!(fill("{{random -5 -5}}", 1, &[]).unwrap(), "-5");
}

#[test]
fn random_decimals_follow_the_arguments() {
    for _ in 0..200 {
        let s = fill("{{random 20.0 30.00}}", 1, &[]).unwrap();
        let (_, decimals) = s.split_once('.').unwrap();
        assert_eq!(decimals.len(), 2, "{s}");
        let v: f64 = s.parse().unwrap();
        assert!((20.0..=30.0).contains(&v), "{s}");
    }
}

#[test]
fn bad_built_ins_are_errors_that_name_the_text() {
    for bad in ["{{random 5}}", "{{random a b}}", "{{random 9 1}}", "{{random 1 2 3}}"] {
        let e = Template::parse(bad).unwrap_err();
        assert!(matches!(e, TemplateError::BadRandom(_)), "{bad}: {e:?}");
        assert!(e.to_string().contains(bad), "{e}");
    }
    let e = Template::parse("{{uuid 4}}").unwrap_err();
    assert_eq!(e, TemplateError::UnexpectedArguments("{{uuid 4}}".into()));
}

#[test]
fn uuids_are_version_4_and_differ() {
    let a = fill("{{uuid}}", 1, &[]).unwrap();
    let b = fill("{{uuid}}", 1, &[]).unwrap();
    assert_ne!(a, b);
    let parts: Vec<&str> = a.split('-').collect();
    assert_eq!(parts.iter().map(|p| p.len()).collect::<Vec<_>>(), vec![8, 4, 4, 4, 12]);
    assert!(parts[2].starts_with('4'), "{a}");
    assert!(matches!(parts[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'), "{a}");
}

#[test]
fn user_variables_in_any_script_are_asked_for() {
    let t = Template::parse("{{colour}} {{颜色}} {{colour}} {{counter}} {{led.level}}").unwrap();
    assert_eq!(t.user_variables(), vec!["colour", "颜色", "led.level"]);
    assert_eq!(
        fill("LED {{colour}} {{颜色}}", 1, &[("colour", "red"), ("颜色", "红")]).unwrap(),
        "LED red 红"
    );
    let e = fill("LED {{colour}}", 1, &[]).unwrap_err();
    assert_eq!(e, TemplateError::Missing("colour".into()));
    assert!(e.to_string().contains("colour"), "{e}");
}

#[test]
fn variables_of_topic_and_payload_together() {
    assert_eq!(
        user_variables_of(&["cmnd/{{device}}/POWER", "{{state}} {{device}}"]),
        vec!["device".to_owned(), "state".to_owned()]
    );
}

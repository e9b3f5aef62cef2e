//! Homes and a workshop named in Chinese, Japanese and Korean, as the ESP32 and
//! MicroPython tutorials our users learn from name them: one plain-number temperature
//! topic per room (`cn/家/客厅/温度`), a JSON reading with keys in the same language
//! (`{"温度": 23.5, "湿度": 61, "状态": "正常"}`), a retained light the user can switch, and
//! retained availability. They show that the tree, the inspector and the charts read
//! every script.

use rand::SeedableRng;
use rand::rngs::SmallRng;
use serde_json::json;

use super::drift::Drift;
use super::link::{Device, LinkSpec};
use super::sim::{Now, Outgoing, Switch, round_to};

const PUBLISH_EVERY: u64 = 5;

/// The words one home uses for its topics and payloads.
pub(crate) struct Words {
    pub client_id: &'static str,
    /// Starts with an ASCII level: rumqttd 0.20, the embedded broker, panics on a topic
    /// whose first character is not ASCII (`topic[..1]` in its `matches`). Mosquitto
    /// takes `家/客厅/温度` as it is.
    pub root: &'static str,
    /// The first room also has the JSON sensor and the light.
    pub rooms: &'static [&'static str],
    pub temperature: &'static str,
    pub humidity: &'static str,
    pub state: &'static str,
    pub normal: &'static str,
    pub sensor: &'static str,
    pub light: &'static str,
    pub set: &'static str,
    /// Light states: on, off.
    pub on_off: (&'static str, &'static str),
    /// Availability payloads: online, offline.
    pub online_offline: (&'static str, &'static str),
}

pub(crate) const CHINESE: Words = Words {
    client_id: "sim-home-zh",
    root: "cn/家",
    rooms: &["客厅", "卧室", "厨房"],
    temperature: "温度",
    humidity: "湿度",
    state: "状态",
    normal: "正常",
    sensor: "传感器",
    light: "灯",
    set: "设置",
    on_off: ("开", "关"),
    online_offline: ("在线", "离线"),
};

pub(crate) const JAPANESE: Words = Words {
    client_id: "sim-home-ja",
    root: "jp/工場",
    rooms: &["ライン1", "ライン2"],
    temperature: "温度",
    humidity: "湿度",
    state: "状態",
    normal: "稼働中",
    sensor: "センサー",
    light: "照明",
    set: "設定",
    on_off: ("点灯", "消灯"),
    online_offline: ("オンライン", "オフライン"),
};

pub(crate) const KOREAN: Words = Words {
    client_id: "sim-home-ko",
    root: "kr/집",
    rooms: &["거실", "침실"],
    temperature: "온도",
    humidity: "습도",
    state: "상태",
    normal: "정상",
    sensor: "센서",
    light: "조명",
    set: "설정",
    on_off: ("켜짐", "꺼짐"),
    online_offline: ("온라인", "오프라인"),
};

pub(crate) struct Home {
    words: &'static Words,
    temperatures: Vec<Drift>,
    humidity: Drift,
    light: bool,
    ticks: u64,
    rng: SmallRng,
}

impl Home {
    pub fn new(words: &'static Words, seed: u64) -> Self {
        let temperatures = (0..words.rooms.len())
            .map(|i| {
                Drift::new(21.0 + 1.5 * i as f64, 10.0, 35.0)
                    .daily(2.0, 16.0)
                    .walk(0.02, 1.0)
                    .noise(0.05)
            })
            .collect();
        Self {
            words,
            temperatures,
            humidity: Drift::new(58.0, 30.0, 90.0).walk(0.2, 8.0).noise(0.3),
            light: false,
            ticks: 0,
            rng: SmallRng::seed_from_u64(seed),
        }
    }

    fn topic(&self, room: &str, leaf: &str) -> String {
        format!("{}/{room}/{leaf}", self.words.root)
    }

    fn light_topic(&self) -> String {
        self.topic(self.words.rooms[0], self.words.light)
    }

    fn readings(&mut self, now: &Now) -> Vec<Outgoing> {
        let w = self.words;
        let mut out = Vec::new();
        for (room, drift) in w.rooms.iter().zip(&mut self.temperatures) {
            let t = drift.sample(now, &mut self.rng);
            out.push(Outgoing::new(
                format!("{}/{room}/{}", w.root, w.temperature),
                format!("{t:.1}"),
            ));
        }
        let humidity = self.humidity.sample(now, &mut self.rng).round() as i64;
        let first = self.temperatures[0].last();
        let reading = json!({ (w.temperature): round_to(first, 1), (w.humidity): humidity, (w.state): w.normal });
        out.push(Outgoing::new(self.topic(w.rooms[0], w.sensor), reading.to_string()));
        out
    }

    fn light_state(&self) -> Outgoing {
        let (on, off) = self.words.on_off;
        Outgoing::retained(self.light_topic(), if self.light { on } else { off })
    }
}

impl Device for Home {
    fn link(&self) -> LinkSpec {
        let w = self.words;
        LinkSpec {
            client_id: w.client_id.to_owned(),
            availability_topic: format!("{}/{}", w.root, w.state),
            online: w.online_offline.0,
            offline: w.online_offline.1,
            subscriptions: vec![format!("{}/{}", self.light_topic(), w.set)],
            dropout: None,
        }
    }

    fn on_connect(&mut self, now: &Now) -> Vec<Outgoing> {
        let mut out = vec![self.light_state()];
        out.extend(self.readings(now));
        out
    }

    fn on_tick(&mut self, now: &Now) -> Vec<Outgoing> {
        self.ticks += 1;
        if self.ticks.is_multiple_of(PUBLISH_EVERY) {
            self.readings(now)
        } else {
            Vec::new()
        }
    }

    fn on_message(&mut self, topic: &str, payload: &[u8], _now: &Now) -> Vec<Outgoing> {
        if topic != format!("{}/{}", self.light_topic(), self.words.set) {
            return Vec::new();
        }
        let text = String::from_utf8_lossy(payload);
        let (on, off) = self.words.on_off;
        let switch = match text.trim() {
            t if t == on => Some(Switch::On),
            t if t == off => Some(Switch::Off),
            t => Switch::parse(t),
        };
        match switch {
            Some(s) => {
                self.light = s.apply(self.light);
                vec![self.light_state()]
            }
            None => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_home_publishes_rooms_and_a_json_reading() {
        let mut home = Home::new(&CHINESE, 1);
        let out = home.on_connect(&Now::at(12, 0.0));
        for topic in ["cn/家/客厅/温度", "cn/家/卧室/温度", "cn/家/厨房/温度"] {
            let m = out
                .iter()
                .find(|m| m.topic == topic)
                .unwrap_or_else(|| panic!("no {topic}"));
            let t: f64 = m.text().parse().unwrap();
            assert!((10.0..=35.0).contains(&t), "{topic}: {t}");
        }
        let json = out
            .iter()
            .find(|m| m.topic == "cn/家/客厅/传感器")
            .expect("the JSON reading");
        let v: serde_json::Value = serde_json::from_slice(&json.payload).unwrap();
        assert_eq!(v["状态"], "正常");
        assert!(v["温度"].is_f64() && v["湿度"].is_i64(), "{v}");
        // Keys in the order a board writes them.
        assert!(json.text().starts_with("{\"温度\":"), "{}", json.text());
    }

    #[test]
    fn the_light_answers_in_its_language_and_in_english() {
        let mut home = Home::new(&KOREAN, 2);
        let now = Now::at(12, 0.0);
        let out = home.on_message("kr/집/거실/조명/설정", "켜짐".as_bytes(), &now);
        assert_eq!(out[0].topic, "kr/집/거실/조명");
        assert_eq!(out[0].text(), "켜짐");
        assert!(out[0].retain);
        let out = home.on_message("kr/집/거실/조명/설정", b"TOGGLE", &now);
        assert_eq!(out[0].text(), "꺼짐");
        assert!(home.on_message("kr/집/거실/조명/설정", b"blast", &now).is_empty());
        assert!(home.on_message("kr/집/거실/조명", b"ON", &now).is_empty());
    }
}

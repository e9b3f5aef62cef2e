//! Connection profiles and settings files: what a profile holds, how broker addresses
//! and topics are checked, and how profiles are saved (RON, atomic writes, private mode).
//!
//! No egui, tokio or rumqttc here: the MQTT worker turns a [`Profile`] into client
//! options, and the UI edits one; both only depend downwards on this module.

mod broker_url;
mod error;
mod file_guard;
mod merge;
mod profile;
mod ron_file;
mod store;
pub mod topic;

pub use broker_url::{BrokerUrl, Transport, UrlError};
pub use error::ProfileError;
pub use file_guard::{SaveLock, remove_stale_temp_files};
pub use profile::{
    DEFAULT_CONNECT_TIMEOUT_SECS, DEFAULT_KEEP_ALIVE_SECS, DEFAULT_MAX_PACKET_BYTES, DEFAULT_NOTIFY_COMMAND,
    DeviceSettings, LastWill, MAX_MAX_PACKET_BYTES, MIN_MAX_PACKET_BYTES, MqttVersion, Profile, Subscription,
    TlsSettings, generate_client_id,
};
pub use ron_file::{
    FileStamp, MAX_SETTINGS_FILE_BYTES, StoreError, file_stamp, read_ron, read_ron_stamped, write_ron_atomic,
    write_ron_atomic_stamped,
};
pub use store::{
    CONFIG_DIR_ENV, LoadOutcome, PROFILES_FILE_NAME, PROFILES_FILE_VERSION, ProfileStore, ProfilesFile, config_dir,
    config_dir_from,
};
pub use topic::{MAX_TOPIC_BYTES, TopicError, validate_filter, validate_publish_topic};

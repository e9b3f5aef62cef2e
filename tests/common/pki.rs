//! A throwaway certificate authority made at test time with the `openssl` command:
//! server certificates for mosquitto's TLS listeners (right host, wrong host, expired)
//! and client certificates for mutual TLS, one signed by the test CA and one by a CA the
//! broker does not trust. EC P-256 keys, so the whole set takes a few hundred ms.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// A certificate and its private key, both PEM files.
#[derive(Debug, Clone)]
pub struct Identity {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// The files of one generated PKI; deleted on drop.
#[derive(Debug)]
pub struct TestPki {
    dir: TempDir,
    /// The CA that signed everything below except `stranger_client`.
    pub ca: PathBuf,
    /// A second CA that the brokers do not trust.
    pub stranger_ca: PathBuf,
    /// For `localhost` and `127.0.0.1`.
    pub server: Identity,
    /// For the DNS name `otherhost` only.
    pub otherhost: Identity,
    /// For `localhost` and `127.0.0.1`, already expired.
    pub expired: Identity,
    /// A client certificate signed by `ca`.
    pub client: Identity,
    /// A client certificate signed by `stranger_ca`.
    pub stranger_client: Identity,
    expired_at: Instant,
}

impl TestPki {
    /// Generates the whole set. Panics with the tool's output when `openssl` is missing
    /// or fails: a TLS test must never be skipped silently.
    pub fn generate() -> TestPki {
        let dir = tempfile::Builder::new()
            .prefix("topicscope-pki-")
            .tempdir()
            .expect("temporary directory for the test PKI");
        let ca = make_ca(dir.path(), "ca", "Topicscope Test CA");
        let stranger_ca = make_ca(dir.path(), "stranger-ca", "Somebody Else's CA");
        let server = make_leaf(
            dir.path(),
            "ca",
            "server",
            "DNS:localhost,IP:127.0.0.1",
            "serverAuth",
            2,
        );
        let otherhost = make_leaf(dir.path(), "ca", "otherhost", "DNS:otherhost", "serverAuth", 2);
        // `-days 0` makes notAfter equal to now: expired one second later.
        let expired = make_leaf(
            dir.path(),
            "ca",
            "expired",
            "DNS:localhost,IP:127.0.0.1",
            "serverAuth",
            0,
        );
        let expired_at = Instant::now();
        let client = make_leaf(dir.path(), "ca", "client", "", "clientAuth", 2);
        let stranger_client = make_leaf(dir.path(), "stranger-ca", "stranger-client", "", "clientAuth", 2);
        TestPki {
            ca,
            stranger_ca,
            server,
            otherhost,
            expired,
            client,
            stranger_client,
            expired_at,
            dir,
        }
    }

    /// Waits until `expired` is past its notAfter (certificate times have 1 s resolution).
    pub fn wait_until_expired(&self) {
        let past = Duration::from_millis(2100);
        if let Some(left) = past.checked_sub(self.expired_at.elapsed()) {
            std::thread::sleep(left);
        }
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

fn make_ca(dir: &Path, name: &str, common_name: &str) -> PathBuf {
    let cert = dir.join(format!("{name}.pem"));
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            &format!("{name}.key"),
            "-out",
            &format!("{name}.pem"),
            "-days",
            "2",
            "-subj",
            &format!("/CN={common_name}"),
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ],
    );
    cert
}

fn make_leaf(dir: &Path, ca: &str, name: &str, san: &str, usage: &str, days: u32) -> Identity {
    openssl(
        dir,
        &[
            "req",
            "-new",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
            "-keyout",
            &format!("{name}.key"),
            "-out",
            &format!("{name}.csr"),
            "-subj",
            &format!("/CN={name}"),
        ],
    );
    let mut extensions =
        format!("basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage={usage}\n");
    if !san.is_empty() {
        extensions.push_str(&format!("subjectAltName={san}\n"));
    }
    std::fs::write(dir.join(format!("{name}.ext")), extensions).expect("write the extensions file");
    let serial = format!("0x{:016x}", rand::random::<u64>() >> 1);
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            &format!("{name}.csr"),
            "-CA",
            &format!("{ca}.pem"),
            "-CAkey",
            &format!("{ca}.key"),
            "-set_serial",
            &serial,
            "-days",
            &days.to_string(),
            "-extfile",
            &format!("{name}.ext"),
            "-out",
            &format!("{name}.pem"),
        ],
    );
    Identity {
        cert: dir.join(format!("{name}.pem")),
        key: dir.join(format!("{name}.key")),
    }
}

fn openssl(dir: &Path, args: &[&str]) {
    let output = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run `openssl` (apt-get install openssl): {e}"));
    assert!(
        output.status.success(),
        "openssl {} failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
}

//! A TCP relay on 127.0.0.1 whose connections can be cut at once, as a pulled cable or a
//! crashed board would: the broker sees its socket close without an MQTT DISCONNECT, so
//! it publishes the client's last will. (Dropping a worker would disconnect cleanly, and
//! a clean DISCONNECT discards the will.)

use std::io;
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// Relays every connection made to [`CutProxy::addr`] to the target until [`CutProxy::cut`].
#[derive(Debug)]
pub struct CutProxy {
    addr: SocketAddr,
    cut: Arc<AtomicBool>,
    streams: Arc<Mutex<Vec<TcpStream>>>,
}

impl CutProxy {
    /// Starts relaying from a free 127.0.0.1 port to `target`.
    pub fn start(target: SocketAddr) -> CutProxy {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind the relay");
        listener.set_nonblocking(true).expect("non-blocking relay listener");
        let addr = listener.local_addr().expect("relay address");
        let cut = Arc::new(AtomicBool::new(false));
        let streams = Arc::new(Mutex::new(Vec::new()));
        let (cut_flag, kept) = (cut.clone(), streams.clone());
        thread::Builder::new()
            .name("test-cut-proxy".into())
            .spawn(move || accept_loop(&listener, target, &cut_flag, &kept))
            .expect("spawn the relay thread");
        CutProxy { addr, cut, streams }
    }

    /// The address clients connect to instead of the target.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Closes every relayed connection in both directions and refuses new ones.
    pub fn cut(&self) {
        self.cut.store(true, Ordering::SeqCst);
        for stream in self.streams.lock().unwrap().drain(..) {
            let _ = stream.shutdown(Shutdown::Both);
        }
    }
}

impl Drop for CutProxy {
    fn drop(&mut self) {
        self.cut();
    }
}

fn accept_loop(listener: &TcpListener, target: SocketAddr, cut: &AtomicBool, streams: &Mutex<Vec<TcpStream>>) {
    // The listener is dropped with this thread, after which connecting is refused.
    while !cut.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((client, _)) => {
                if let Err(e) = relay(client, target, streams) {
                    eprintln!("test relay: cannot reach {target}: {e}");
                }
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => thread::sleep(Duration::from_millis(10)),
            Err(e) => panic!("test relay accept failed: {e}"),
        }
    }
}

fn relay(client: TcpStream, target: SocketAddr, streams: &Mutex<Vec<TcpStream>>) -> io::Result<()> {
    client.set_nonblocking(false)?;
    let server = TcpStream::connect(target)?;
    let mut kept = streams.lock().unwrap();
    kept.push(client.try_clone()?);
    kept.push(server.try_clone()?);
    for (mut from, mut to) in [(client.try_clone()?, server.try_clone()?), (server, client)] {
        thread::spawn(move || {
            let _ = io::copy(&mut from, &mut to);
            let _ = to.shutdown(Shutdown::Write);
        });
    }
    Ok(())
}

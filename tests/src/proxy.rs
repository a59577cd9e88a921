//! A TCP relay in front of the Worker that a test can switch off and on: "the API stopped
//! mid-test" without stopping the real server other tests use.

use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// A relay from a free local port to `target`.
pub struct Relay {
    /// `http://127.0.0.1:<port>`.
    pub origin: String,
    up: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
    open: Arc<Mutex<Vec<TcpStream>>>,
}

impl Relay {
    /// Relays to `target` (`127.0.0.1:<port>`) until dropped.
    pub fn start(target: &str) -> Result<Relay, String> {
        let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
        let origin = format!(
            "http://{}",
            listener.local_addr().map_err(|e| e.to_string())?
        );
        let (up, stop) = (
            Arc::new(AtomicBool::new(true)),
            Arc::new(AtomicBool::new(false)),
        );
        let open = Arc::new(Mutex::new(Vec::new()));
        let (is_up, stopping, connections) = (up.clone(), stop.clone(), open.clone());
        let target = target.to_owned();
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                if stopping.load(Ordering::Relaxed) {
                    break;
                }
                if !is_up.load(Ordering::Relaxed) {
                    let _ = client.shutdown(Shutdown::Both);
                    continue;
                }
                if let (Ok(server), Ok(kept)) = (TcpStream::connect(&target), client.try_clone()) {
                    connections.lock().map(|mut open| open.push(kept)).ok();
                    pipe(client, server);
                }
            }
        });
        Ok(Relay {
            origin,
            up,
            stop,
            open,
        })
    }

    /// Closes every open connection and refuses new ones (the API looks down, even to a
    /// browser holding a kept-alive connection).
    pub fn take_down(&self) {
        self.up.store(false, Ordering::Relaxed);
        if let Ok(mut open) = self.open.lock() {
            open.drain(..).for_each(|stream| {
                let _ = stream.shutdown(Shutdown::Both);
            });
        }
    }

    pub fn bring_up(&self) {
        self.up.store(true, Ordering::Relaxed);
    }
}

/// Copies both ways until either side closes.
fn pipe(client: TcpStream, server: TcpStream) {
    let (Ok(client_read), Ok(server_read)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    let copy = |mut from: TcpStream, mut to: TcpStream| {
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut from, &mut to);
            let _ = to.shutdown(Shutdown::Write);
        })
    };
    copy(client_read, server);
    copy(server_read, client);
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = TcpStream::connect(self.origin.trim_start_matches("http://"));
    }
}

//! A storefront on its own origin (127.0.0.1, a free port): serves the pages a retailer would,
//! with the embed snippet pointing at the Worker's origin.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// A running storefront.
pub struct Storefront {
    /// `http://127.0.0.1:<port>`.
    pub origin: String,
    pages: Arc<Mutex<Vec<(String, String)>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Storefront {
    /// Serves its pages (see [`Storefront::page`]) until dropped.
    pub fn start() -> Result<Storefront, String> {
        let pages = Arc::new(Mutex::new(Vec::new()));
        let served = pages.clone();
        let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
        let origin = format!(
            "http://{}",
            listener.local_addr().map_err(|e| e.to_string())?
        );
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::Relaxed) {
                    break;
                }
                if let Ok(stream) = stream {
                    // A thread per connection: browsers open idle speculative connections, so
                    // the pages are looked up when the request arrives, not when it connects.
                    let pages = served.clone();
                    std::thread::spawn(move || {
                        let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(10)));
                        let _ = serve(stream, &pages);
                    });
                }
            }
        });
        Ok(Storefront {
            origin,
            pages,
            stop,
            thread: Some(thread),
        })
    }

    /// Serves `html` at `path`; returns the page's URL.
    pub fn page(&self, path: &str, html: String) -> String {
        if let Ok(mut pages) = self.pages.lock() {
            pages.retain(|(p, _)| p != path);
            pages.push((path.to_owned(), html));
        }
        format!("{}{path}", self.origin)
    }
}

fn serve(mut stream: TcpStream, pages: &Mutex<Vec<(String, String)>>) -> std::io::Result<()> {
    let mut request_line = String::new();
    let mut reader = BufReader::new(stream.try_clone()?);
    reader.read_line(&mut request_line)?;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header == "\r\n" {
            break;
        }
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split('?').next().unwrap_or(path);
    let page = pages.lock().ok().and_then(|pages| {
        pages
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, html)| html.clone())
    });
    let (status, body) = match &page {
        Some(html) => ("200 OK", html.as_str()),
        None => ("404 Not Found", "not found"),
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

impl Drop for Storefront {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        let _ = TcpStream::connect(self.origin.trim_start_matches("http://"));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

//! The HTTP server the fakes of outside services run on: a free port of 127.0.0.1, each request
//! answered on its own thread, stopped (and its thread joined) when dropped.

use std::sync::Arc;
use std::thread::JoinHandle;

use tiny_http::{Request, Server};

/// A listening server, serving once [`LocalServer::serve`] is called.
pub struct LocalServer {
    server: Arc<Server>,
    thread: Option<JoinHandle<()>>,
    /// The port it listens on.
    pub port: u16,
}

impl LocalServer {
    /// Listens on a free port of 127.0.0.1; `what` names the fake in errors.
    pub fn bind(what: &str) -> Result<LocalServer, String> {
        let server = Arc::new(Server::http("127.0.0.1:0").map_err(|e| format!("{what}: {e}"))?);
        let port = server
            .server_addr()
            .to_ip()
            .ok_or_else(|| format!("{what} has no IP address"))?
            .port();
        Ok(LocalServer {
            server,
            thread: None,
            port,
        })
    }

    /// Answers every request with `answer`, given the fake's shared `state`.
    pub fn serve<S: Send + Sync + 'static>(&mut self, state: Arc<S>, answer: fn(Request, &S)) {
        let server = Arc::clone(&self.server);
        self.thread = Some(std::thread::spawn(move || {
            for request in server.incoming_requests() {
                let state = Arc::clone(&state);
                std::thread::spawn(move || answer(request, &state));
            }
        }));
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A request header's value, its name matched without case.
pub fn header(request: &Request, name: &str) -> Option<String> {
    request
        .headers()
        .iter()
        .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str().to_owned())
}

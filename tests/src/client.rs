//! A small blocking HTTP client for the tests and the demo seeding: every status is an answer,
//! never an error.

use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use waypost_shared::wire::ShopCreated;

/// Talks to one server.
#[derive(Clone)]
pub struct Client {
    base: String,
    agent: ureq::Agent,
}

/// A request being built.
pub struct Call {
    agent: ureq::Agent,
    method: &'static str,
    url: String,
    headers: Vec<(String, String)>,
    body: Option<Vec<u8>>,
}

#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    /// Headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Client {
    /// A client for `base` (`http://127.0.0.1:port`).
    pub fn new(base: &str) -> Client {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        Client {
            base: base.trim_end_matches('/').to_owned(),
            agent,
        }
    }

    /// The server's origin (`http://127.0.0.1:port`).
    pub fn base_url(&self) -> &str {
        &self.base
    }

    fn call(&self, method: &'static str, path: &str) -> Call {
        Call {
            agent: self.agent.clone(),
            method,
            url: format!("{}{path}", self.base),
            headers: vec![],
            body: None,
        }
    }

    /// Creates a shop with the admin token (`POST /v1/admin/shops`); an error says what the
    /// Worker answered instead of 201.
    pub fn create_shop(&self, admin_token: &str, input: &Value) -> Result<ShopCreated, String> {
        let reply = self
            .post("/v1/admin/shops")
            .bearer(admin_token)
            .json(input)
            .send()?;
        if reply.status == 201 {
            Ok(reply.parse())
        } else {
            Err(format!(
                "creating a shop: {} {}",
                reply.status,
                reply.text()
            ))
        }
    }

    /// Runs the Worker's Cron Trigger once (wrangler dev's `/__scheduled`) and asserts it ran.
    pub fn run_cron(&self) {
        let reply = self
            .get("/__scheduled?cron=*/15+*+*+*+*")
            .send()
            .expect("the cron trigger answers");
        assert_eq!(reply.status, 200, "cron: {}", reply.text());
    }

    /// Sends `method path` with `headers` written by hand over a plain connection, for methods
    /// the HTTP library refuses to send (`QUERY`, `PROPFIND`); the answer's status and headers.
    pub fn send_raw(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
    ) -> Result<Reply, String> {
        use std::io::{Read, Write};
        let host = self
            .base
            .strip_prefix("http://")
            .ok_or("only http:// bases")?;
        let mut stream = std::net::TcpStream::connect(host).map_err(|e| e.to_string())?;
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .map_err(|e| e.to_string())?;
        let mut request =
            format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        stream
            .write_all(request.as_bytes())
            .map_err(|e| e.to_string())?;
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).map_err(|e| e.to_string())?;
        let text = String::from_utf8_lossy(&answer);
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|line| line.split(' ').nth(1))
            .and_then(|code| code.parse().ok())
            .ok_or_else(|| format!("no status line in {head:?}"))?;
        let headers = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
            .collect();
        Ok(Reply {
            status,
            headers,
            body: body.as_bytes().to_vec(),
        })
    }

    pub fn get(&self, path: &str) -> Call {
        self.call("GET", path)
    }
    pub fn post(&self, path: &str) -> Call {
        self.call("POST", path)
    }
    pub fn put(&self, path: &str) -> Call {
        self.call("PUT", path)
    }
    pub fn patch(&self, path: &str) -> Call {
        self.call("PATCH", path)
    }
    pub fn delete(&self, path: &str) -> Call {
        self.call("DELETE", path)
    }
    pub fn options(&self, path: &str) -> Call {
        self.call("OPTIONS", path)
    }
}

impl Call {
    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> Call {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Adds `Authorization: Bearer <token>`.
    pub fn bearer(self, token: &str) -> Call {
        self.header("Authorization", &format!("Bearer {token}"))
    }

    /// Sends a cookie (`Cookie: name=value`).
    pub fn cookie(self, name: &str, value: &str) -> Call {
        self.header("Cookie", &format!("{name}={value}"))
    }

    /// A JSON body.
    pub fn json<T: Serialize>(self, body: &T) -> Call {
        self.raw(
            "application/json",
            serde_json::to_vec(body).expect("serializable"),
        )
    }

    /// Any body with its content type.
    pub fn raw(mut self, content_type: &str, body: Vec<u8>) -> Call {
        self.headers
            .push(("Content-Type".into(), content_type.to_owned()));
        self.body = Some(body);
        self
    }

    pub fn send(self) -> Result<Reply, String> {
        let builder = ureq::http::Request::builder()
            .method(self.method)
            .uri(&self.url);
        let builder = self
            .headers
            .iter()
            .fold(builder, |b, (name, value)| b.header(name, value));
        let result = match self.body {
            Some(body) => self
                .agent
                .run(builder.body(body).map_err(|e| e.to_string())?),
            None => self.agent.run(builder.body(()).map_err(|e| e.to_string())?),
        };
        let mut response = result.map_err(|e| format!("{} {}: {e}", self.method, self.url))?;
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| {
                (
                    name.as_str().to_owned(),
                    value.to_str().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        let body = response
            .body_mut()
            .read_to_vec()
            .map_err(|e| e.to_string())?;
        Ok(Reply {
            status: response.status().as_u16(),
            headers,
            body,
        })
    }
}

impl Reply {
    /// A header's value (name in any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The `Set-Cookie` header that sets the cookie `name`, whole (`name=value; Path=/; ...`).
    pub fn set_cookie(&self, name: &str) -> Option<&str> {
        let prefix = format!("{name}=");
        self.headers
            .iter()
            .filter(|(key, _)| key == "set-cookie")
            .map(|(_, value)| value.as_str())
            .find(|value| value.starts_with(&prefix))
    }

    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "status {} body is not JSON ({e}): {}",
                self.status,
                self.text()
            )
        })
    }

    /// The body as a wire type, strictly.
    pub fn parse<T: DeserializeOwned>(&self) -> T {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "status {} body does not parse ({e}): {}",
                self.status,
                self.text()
            )
        })
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

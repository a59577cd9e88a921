//! Reading a request: path segments, query, credentials, client identity, bounded JSON bodies.

use percent_encoding::percent_decode_str;
use serde::de::DeserializeOwned;
use waypost_shared::labels::Lang;
use worker::{Method, Request};

use crate::error::{EdgeError, Result};
use crate::limits::MAX_BODY_BYTES;

/// A request, parsed once.
pub struct Incoming {
    /// The worker request (for the body and headers).
    pub request: Request,
    /// The method; `None` for one outside HTTP's usual set (workers-rs would read it as GET).
    pub method: Option<Method>,
    /// Percent-decoded path segments, without empty ones.
    pub segments: Vec<String>,
    /// Query pairs, decoded.
    pub query: Vec<(String, String)>,
}

impl Incoming {
    /// Parses method, path and query.
    pub fn new(request: Request) -> Result<Self> {
        let url = request
            .url()
            .map_err(|e| EdgeError::bad_request("invalid_url", e.to_string()))?;
        let segments = url
            .path()
            .split('/')
            .filter(|s| !s.is_empty())
            .map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned())
            .collect();
        let query = url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let method = request.method();
        let known = request.inner().method() == method.as_ref();
        Ok(Incoming {
            method: known.then_some(method),
            request,
            segments,
            query,
        })
    }

    /// The segments as `&str`s, for matching.
    pub fn path(&self) -> Vec<&str> {
        self.segments.iter().map(String::as_str).collect()
    }

    /// A query parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.request.headers().get(name).ok().flatten()
    }

    /// The bearer token of `Authorization`.
    pub fn bearer(&self) -> Option<String> {
        self.header("Authorization")?
            .strip_prefix("Bearer ")
            .map(|token| token.trim().to_owned())
    }

    /// The publishable key: `?key=` (no preflight needed) or the bearer token.
    pub fn publishable_key(&self) -> Option<String> {
        self.param("key")
            .map(str::to_owned)
            .or_else(|| self.bearer())
    }

    /// The client address Cloudflare reports.
    pub fn client_ip(&self) -> String {
        self.header("CF-Connecting-IP")
            .unwrap_or_else(|| "unknown".to_owned())
    }

    /// The browser origin, if any.
    pub fn origin(&self) -> Option<String> {
        self.header("Origin")
    }

    /// The language: `?lang=`, else the first supported `Accept-Language`, else English.
    pub fn lang(&self) -> Lang {
        let accept = self.header("Accept-Language").unwrap_or_default();
        let preferences = accept
            .split(',')
            .map(|part| part.split(';').next().unwrap_or("").trim());
        Lang::negotiate(self.param("lang").into_iter().chain(preferences))
    }

    /// The JSON object body, refused over [`MAX_BODY_BYTES`] (by `Content-Length` first, then by
    /// what actually arrives), when it is not declared as JSON, or when it is not an object.
    pub async fn json<T: DeserializeOwned>(&mut self) -> Result<T> {
        let declared = self
            .header("Content-Length")
            .and_then(|len| len.trim().parse::<usize>().ok());
        if declared.is_some_and(|len| len > MAX_BODY_BYTES) {
            return Err(EdgeError::PayloadTooLarge {
                limit: MAX_BODY_BYTES,
            });
        }
        let content_type = self
            .header("Content-Type")
            .unwrap_or_default()
            .to_ascii_lowercase();
        if !content_type.starts_with("application/json") {
            return Err(EdgeError::UnsupportedMediaType);
        }
        let body = self
            .request
            .bytes()
            .await
            .map_err(|e| EdgeError::bad_request("unreadable_body", e.to_string()))?;
        if body.len() > MAX_BODY_BYTES {
            return Err(EdgeError::PayloadTooLarge {
                limit: MAX_BODY_BYTES,
            });
        }
        // Every body the API takes is an object; serde would read a struct from an array too.
        if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(EdgeError::bad_request(
                "invalid_json",
                "the body must be a JSON object",
            ));
        }
        Ok(serde_json::from_slice(&body)?)
    }
}

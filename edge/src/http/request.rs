//! Reading a request: path segments, query, credentials, client identity, bounded JSON bodies.

use percent_encoding::percent_decode_str;
use serde::de::DeserializeOwned;
use waypost_shared::labels::Lang;
use worker::{Method, Request};

use crate::error::{EdgeError, Result};
use crate::limits::{MAX_BODY_BYTES, MAX_IMPORT_BYTES, MAX_WEBHOOK_BYTES};

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

    /// A cookie's value, from `Cookie`.
    pub fn cookie(&self, name: &str) -> Option<String> {
        cookie_value(&self.header("Cookie")?, name).map(str::to_owned)
    }

    /// Whether the method only reads (`GET`, `HEAD`): what needs no CSRF token.
    pub fn reads_only(&self) -> bool {
        matches!(self.method, Some(Method::Get | Method::Head))
    }

    /// The publishable key: `?key=` (no preflight needed) or the bearer token.
    pub fn publishable_key(&self) -> Option<String> {
        self.param("key")
            .map(str::to_owned)
            .or_else(|| self.bearer())
    }

    /// The scheme, host and port this request came to (`https://track.example.com`), for URLs
    /// the API hands out.
    pub fn base_url(&self) -> Result<String> {
        let url = self
            .request
            .url()
            .map_err(|e| EdgeError::bad_request("invalid_url", e.to_string()))?;
        Ok(url.origin().ascii_serialization())
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

    /// The JSON object body, refused over [`MAX_BODY_BYTES`], when it is not declared as JSON, or
    /// when it is not an object.
    pub async fn json<T: DeserializeOwned>(&mut self) -> Result<T> {
        let body = self.body(MAX_BODY_BYTES, check_json_type).await?;
        // Every body the API takes is an object; serde would read a struct from an array too.
        if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(EdgeError::bad_request(
                "invalid_json",
                "the body must be a JSON object",
            ));
        }
        Ok(serde_json::from_slice(&body)?)
    }

    /// The CSV body's bytes, refused over [`MAX_IMPORT_BYTES`] and unless declared `text/csv`, in
    /// UTF-8 if a charset is named.
    pub async fn csv(&mut self) -> Result<Vec<u8>> {
        self.body(MAX_IMPORT_BYTES, check_csv_type).await
    }

    /// A platform webhook's raw body (its signature covers these exact bytes), refused over
    /// [`MAX_WEBHOOK_BYTES`]; platforms name its type themselves.
    pub async fn webhook_body(&mut self) -> Result<Vec<u8>> {
        self.body(MAX_WEBHOOK_BYTES, |_| Ok(())).await
    }

    /// The body's bytes: refused over `limit` by `Content-Length` first, then by its
    /// `Content-Type` (`accept`), then by what actually arrives.
    async fn body(&mut self, limit: usize, accept: fn(&str) -> Result<()>) -> Result<Vec<u8>> {
        let declared = self
            .header("Content-Length")
            .and_then(|len| len.trim().parse::<usize>().ok());
        if declared.is_some_and(|len| len > limit) {
            return Err(EdgeError::PayloadTooLarge { limit });
        }
        accept(&self.header("Content-Type").unwrap_or_default())?;
        let body = self
            .request
            .bytes()
            .await
            .map_err(|e| EdgeError::bad_request("unreadable_body", e.to_string()))?;
        if body.len() > limit {
            return Err(EdgeError::PayloadTooLarge { limit });
        }
        Ok(body)
    }
}

/// The value of the first cookie named `name` in a `Cookie` header (`a=1; b=2`).
fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim())
}

/// Accepts `application/json` (with any parameters).
fn check_json_type(content_type: &str) -> Result<()> {
    if content_type
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("application/json")
    {
        Ok(())
    } else {
        Err(EdgeError::UnsupportedMediaType(
            "expected Content-Type: application/json".to_owned(),
        ))
    }
}

/// Accepts `text/csv`, with `charset=utf-8` or no charset; anything else is a 415 saying what is
/// taken.
fn check_csv_type(content_type: &str) -> Result<()> {
    let mut parts = content_type.split(';').map(str::trim);
    let media_type = parts.next().unwrap_or_default().to_ascii_lowercase();
    if media_type != "text/csv" {
        return Err(EdgeError::UnsupportedMediaType(format!(
            "expected Content-Type: text/csv (a CSV file in UTF-8), not {:?}",
            media_type
        )));
    }
    for parameter in parts {
        let Some((name, value)) = parameter.split_once('=') else {
            continue;
        };
        let value = value.trim().trim_matches('"').to_ascii_lowercase();
        if name.trim().eq_ignore_ascii_case("charset") && value != "utf-8" && value != "utf8" {
            return Err(EdgeError::UnsupportedMediaType(format!(
                "the CSV must be UTF-8 (Content-Type: text/csv; charset=utf-8), not charset {value}; \
                 save the file as CSV UTF-8"
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_read_by_exact_name() {
        let header = "theme=dark; waypost_session=ab12; other_waypost_session=x";
        assert_eq!(cookie_value(header, "waypost_session"), Some("ab12"));
        assert_eq!(cookie_value(header, "theme"), Some("dark"));
        assert_eq!(cookie_value(header, "session"), None);
        assert_eq!(
            cookie_value("waypost_session=", "waypost_session"),
            Some("")
        );
        assert_eq!(cookie_value("", "waypost_session"), None);
    }

    #[test]
    fn csv_content_types() {
        for accepted in [
            "text/csv",
            "text/csv; charset=utf-8",
            "Text/CSV;charset=\"UTF-8\"",
            "text/csv; header=present",
        ] {
            assert!(check_csv_type(accepted).is_ok(), "{accepted}");
        }
        for refused in [
            "",
            "application/json",
            "text/plain",
            "text/csv; charset=iso-8859-1",
            "text/csv; charset=utf-16",
        ] {
            let error = check_csv_type(refused).expect_err(refused);
            assert_eq!(error.status(), 415, "{refused}");
            assert!(error.to_string().contains("text/csv"), "{error}");
        }
    }
}

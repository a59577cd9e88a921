//! Writing responses: JSON, problems, conditional GETs.

use serde::Serialize;
use worker::Response;

use crate::error::{EdgeError, Result};
use crate::service::answers::Answer;

/// A JSON response with `status`.
pub fn json<T: Serialize>(status: u16, body: &T) -> Result<Response> {
    let bytes = serde_json::to_vec(body).map_err(|e| EdgeError::Internal(e.to_string()))?;
    with_body(status, bytes, "application/json")
}

/// A built answer with its strong `ETag`, or `304 Not Modified` (no body) when the client has
/// it already. Browsers revalidate every time (`no-cache`): the ETag makes that cheap.
pub fn json_with_etag(answer: Answer, if_none_match: Option<&str>) -> Result<Response> {
    let mut response = if answer.named_by(if_none_match) {
        Response::empty().map_err(internal)?.with_status(304)
    } else {
        with_body(200, answer.body.into_bytes(), "application/json")?
    };
    set(&mut response, "ETag", &answer.etag)?;
    set(&mut response, "Cache-Control", "no-cache")?;
    Ok(response)
}

/// The problem+json answer for an error.
pub fn problem(error: &EdgeError) -> Response {
    let problem = error.problem();
    let bytes = serde_json::to_vec(&problem).unwrap_or_default();
    let mut response =
        with_body(problem.status, bytes, "application/problem+json").unwrap_or_else(|_| {
            Response::empty()
                .expect("an empty response")
                .with_status(500)
        });
    match error {
        EdgeError::RateLimited { retry_after } => {
            let _ = set(&mut response, "Retry-After", &retry_after.to_string());
        }
        EdgeError::MethodNotAllowed { allow } => {
            let _ = set(&mut response, "Allow", allow);
        }
        _ => {}
    }
    response
}

/// A `200` CSV file to download as `filename` (`Content-Disposition: attachment`).
pub fn csv_file(bytes: Vec<u8>, filename: &str) -> Result<Response> {
    let mut response = with_body(200, bytes, "text/csv; charset=utf-8")?;
    set(
        &mut response,
        "Content-Disposition",
        &format!("attachment; filename=\"{filename}\""),
    )?;
    Ok(response)
}

/// A page of the Worker's own (a link in a message opened): HTML that loads nothing, is never
/// framed or cached, and whose forms post only to itself.
pub fn html_page(status: u16, html: String) -> Result<Response> {
    let mut response = with_body(status, html.into_bytes(), "text/html; charset=utf-8")?;
    for (name, value) in [
        (
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
        ),
        ("Cache-Control", "no-store"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Content-Type-Options", "nosniff"),
    ] {
        set(&mut response, name, value)?;
    }
    Ok(response)
}

/// `204 No Content`.
pub fn no_content() -> Result<Response> {
    Ok(Response::empty().map_err(internal)?.with_status(204))
}

/// Sets a header.
pub fn set(response: &mut Response, name: &str, value: &str) -> Result<()> {
    response.headers_mut().set(name, value).map_err(internal)
}

fn with_body(status: u16, bytes: Vec<u8>, content_type: &str) -> Result<Response> {
    let mut response = Response::from_bytes(bytes)
        .map_err(internal)?
        .with_status(status);
    set(&mut response, "Content-Type", content_type)?;
    Ok(response)
}

fn internal(error: worker::Error) -> EdgeError {
    EdgeError::Internal(error.to_string())
}

//! The Worker's HTTP layer: parse, dispatch to a route, map every error to problem+json in one
//! place, add CORS and rate-limit headers.

pub mod cors;
pub mod rate_limit;
pub mod request;
pub mod response;

use worker::{Request, Response, console_error};

use crate::app::App;
use crate::error::EdgeError;
use crate::routes;
use request::Incoming;

/// Answers a request; never fails, and never answers 5xx for bad input.
pub async fn handle(app: &App<'_>, request: Request) -> Response {
    let incoming = match Incoming::new(request) {
        Ok(incoming) => incoming,
        Err(error) => return response::problem(&error),
    };
    let origin = incoming.origin();
    let (dressing, result) = routes::dispatch(app, incoming).await;
    let mut response = result.unwrap_or_else(report);
    if let Err(error) = dressing.apply(&mut response, origin.as_deref()) {
        return report(error);
    }
    response
}

/// The problem response for an error; internal details go to the log only.
pub fn report(error: EdgeError) -> Response {
    if let EdgeError::Internal(detail) = &error {
        console_error!("internal error: {detail}");
    }
    response::problem(&error)
}

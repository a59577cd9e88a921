//! `POST`, `GET` and `DELETE /v1/console/session`: the retailer console signs in with a secret
//! key and is given a session cookie (HttpOnly, Secure, SameSite=Strict) that scripts cannot
//! read; the private routes take that cookie in place of the key, under [`session`]'s checks.

use waypost_shared::wire::ConsoleSignIn;
use worker::Response;

use crate::app::App;
use crate::error::Result;
use crate::http::rate_limit;
use crate::http::request::Incoming;
use crate::http::response::{json, no_content, set};
use crate::service::console_sessions::{
    self, CSRF_HEADER, SESSION_COOKIE, SESSION_SECONDS, Session,
};
use crate::service::store::Runtime;

/// Signs in (rate limited per client IP): 200 with the session and its cookie.
pub async fn sign_in(app: &App<'_>, req: &mut Incoming) -> Result<Response> {
    rate_limit::check(app.env, rate_limit::SIGN_IN, &req.client_ip()).await?;
    console_sessions::check_origin(req.origin().as_deref(), &req.base_url()?)?;
    let input: ConsoleSignIn = req.json().await?;
    let signed_in = console_sessions::sign_in(
        &app.store,
        &app.runtime,
        &input.secret_key,
        app.runtime.now(),
    )
    .await?;
    let mut response = json(200, &signed_in.session)?;
    set(
        &mut response,
        "Set-Cookie",
        &session_cookie(&signed_in.token, SESSION_SECONDS),
    )?;
    Ok(response)
}

/// The cookie's session, or 401.
pub async fn show(app: &App<'_>, req: &Incoming) -> Result<Response> {
    json(200, &session(app, req).await?.view())
}

/// Signs out (a write: the CSRF token is needed): 204, and the cookie cleared.
pub async fn sign_out(app: &App<'_>, req: &Incoming) -> Result<Response> {
    let session = session(app, req).await?;
    console_sessions::sign_out(&app.store, &session).await?;
    let mut response = no_content()?;
    set(&mut response, "Set-Cookie", &session_cookie("", 0))?;
    Ok(response)
}

/// The live session of the request's cookie (401 without one), for a request from the Worker's
/// own origin that, unless it only reads, carries the session's CSRF token (403 `csrf_failed`
/// otherwise).
pub async fn session(app: &App<'_>, req: &Incoming) -> Result<Session> {
    console_sessions::check_origin(req.origin().as_deref(), &req.base_url()?)?;
    let token = req.cookie(SESSION_COOKIE);
    let session =
        console_sessions::session(&app.store, token.as_deref(), app.runtime.now()).await?;
    if !req.reads_only() {
        console_sessions::check_csrf(&session.csrf_token, req.header(CSRF_HEADER).as_deref())?;
    }
    Ok(session)
}

/// `Set-Cookie` for a session token, sent back for `max_age` seconds (0 clears it), to this
/// origin's pages only and never to a script.
fn session_cookie(token: &str, max_age: i64) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={max_age}"
    )
}

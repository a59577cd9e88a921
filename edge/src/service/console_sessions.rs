//! Sessions of the retailer console: one of a shop's secret keys is exchanged once for a session
//! that an HttpOnly cookie carries, so the key never stays in the browser. The cookie's token is
//! random and stored only hashed; a session ends when it expires, when it signs out, or when the
//! key it was made with is revoked. Whatever a session reaches is its own shop's: the shop comes
//! from the session, never from the request. A request made with the cookie is taken only from
//! the Worker's own origin, and a write only with the session's CSRF token.

use chrono::{DateTime, TimeDelta, Utc};
use subtle::ConstantTimeEq;
use waypost_shared::wire::ConsoleSession;

use super::auth::{random_hex, secret_key, sha256_hex};
use super::store::{Runtime, SessionRecord, ShopRecord, Store};
use crate::error::{EdgeError, Result};

/// The cookie that carries a session's token.
pub const SESSION_COOKIE: &str = "waypost_session";
/// The header every write made with the cookie carries the session's CSRF token in.
pub const CSRF_HEADER: &str = "X-CSRF-Token";
/// How long a session lasts, in seconds (twelve hours: a working day, then sign in again).
pub const SESSION_SECONDS: i64 = 12 * 60 * 60;
/// Random bytes of a session token (shown as hex, in the cookie only).
const TOKEN_BYTES: usize = 32;
/// Random bytes of a CSRF token (shown as hex).
const CSRF_BYTES: usize = 16;

/// A session just made: its token, for the cookie (never stored; shown this once), and how the API
/// shows the session.
pub struct SignedIn {
    /// The token: 64 hex digits.
    pub token: String,
    /// What `POST /v1/console/session` answers.
    pub session: ConsoleSession,
}

/// A live session: the shop it speaks for and what its writes must carry.
pub struct Session {
    /// The shop it speaks for.
    pub shop: ShopRecord,
    /// What its writes carry in [`CSRF_HEADER`].
    pub csrf_token: String,
    /// When it ends.
    pub expires_at: DateTime<Utc>,
    /// The stored hash of its token, to end it by.
    token_hash: String,
}

impl Session {
    /// How the API shows it.
    pub fn view(&self) -> ConsoleSession {
        ConsoleSession {
            shop_id: self.shop.id.clone(),
            shop_name: self.shop.name.clone(),
            csrf_token: self.csrf_token.clone(),
            expires_at: self.expires_at,
        }
    }
}

/// Signs in with a secret key: a new session of its shop, lasting [`SESSION_SECONDS`]. Any key
/// that is not a live secret key is refused with the same 401 (an unknown key id and a wrong
/// secret also cost the same, see [`secret_key`]).
pub async fn sign_in(
    store: &impl Store,
    runtime: &impl Runtime,
    key: &str,
    now: DateTime<Utc>,
) -> Result<SignedIn> {
    let (key, shop) = match secret_key(store, Some(key)).await {
        Ok(found) => found,
        // A publishable key is public: refusing it like any other says nothing more.
        Err(EdgeError::Forbidden(_)) => return Err(EdgeError::Unauthorized),
        Err(error) => return Err(error),
    };
    let token = random_hex(runtime, TOKEN_BYTES)?;
    let record = SessionRecord {
        token_hash: sha256_hex(&token),
        shop_id: shop.id.clone(),
        key_id: key.key_id,
        csrf_token: random_hex(runtime, CSRF_BYTES)?,
        created_at: now,
        expires_at: now + TimeDelta::seconds(SESSION_SECONDS),
    };
    store.insert_session(&record).await?;
    let session = Session {
        shop,
        csrf_token: record.csrf_token,
        expires_at: record.expires_at,
        token_hash: record.token_hash,
    };
    Ok(SignedIn {
        token,
        session: session.view(),
    })
}

/// The live session of a cookie's token at `now`; 401 when there is none (no token, a token
/// never made, or one whose session expired, signed out or lost its key).
pub async fn session(
    store: &impl Store,
    token: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Session> {
    let token = token
        .filter(|token| is_token(token))
        .ok_or(EdgeError::Unauthorized)?;
    let (record, shop) = store
        .live_session(&sha256_hex(token), now)
        .await?
        .ok_or(EdgeError::Unauthorized)?;
    Ok(Session {
        shop,
        csrf_token: record.csrf_token,
        expires_at: record.expires_at,
        token_hash: record.token_hash,
    })
}

/// Ends a session: its cookie opens nothing from now on.
pub async fn sign_out(store: &impl Store, session: &Session) -> Result<()> {
    store.delete_session(&session.token_hash).await?;
    Ok(())
}

/// Deletes up to `limit` sessions expired by `now` (the Cron Trigger's upkeep); answers how many.
pub async fn delete_expired(store: &impl Store, now: DateTime<Utc>, limit: usize) -> Result<usize> {
    store.delete_expired_sessions(now, limit).await
}

/// A write made with the cookie carries the session's CSRF token (compared in constant time);
/// another site can send the cookie, never the token.
pub fn check_csrf(session_csrf: &str, header: Option<&str>) -> Result<()> {
    let given = header.unwrap_or_default().trim();
    if !session_csrf.is_empty() && bool::from(session_csrf.as_bytes().ct_eq(given.as_bytes())) {
        Ok(())
    } else {
        Err(EdgeError::CsrfFailed(
            "a write with the console session needs its csrf_token in the X-CSRF-Token header",
        ))
    }
}

/// A request made with the cookie whose `Origin` is present comes from `own_origin` (the Worker's
/// own, `https://host[:port]`); another page's request is refused, whatever it carries.
pub fn check_origin(origin: Option<&str>, own_origin: &str) -> Result<()> {
    match origin {
        Some(origin)
            if !origin
                .trim_end_matches('/')
                .eq_ignore_ascii_case(own_origin) =>
        {
            Err(EdgeError::CsrfFailed(
                "the console session is taken from the Worker's own origin only",
            ))
        }
        _ => Ok(()),
    }
}

/// Whether `token` has a session token's shape (64 lower-case hex digits), before any read.
fn is_token(token: &str) -> bool {
    token.len() == TOKEN_BYTES * 2
        && token
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

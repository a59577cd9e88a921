//! The retailer console's session: a shop's secret key exchanged for an HttpOnly cookie.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `POST /v1/console/session`: signing in with one of the shop's secret keys.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsoleSignIn {
    /// The secret key (`sk_...`); the session cookie stands for it from then on.
    pub secret_key: String,
}

/// Never prints the key.
impl fmt::Debug for ConsoleSignIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConsoleSignIn")
            .field("secret_key", &"<redacted>")
            .finish()
    }
}

/// A signed-in console session as the API shows it (the token itself travels only in its
/// cookie, which scripts cannot read).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleSession {
    /// The shop the session speaks for.
    pub shop_id: String,
    /// The shop's name.
    pub shop_name: String,
    /// What every write made with the session sends in `X-CSRF-Token`.
    pub csrf_token: String,
    /// When the session ends (sign in again then).
    pub expires_at: DateTime<Utc>,
}

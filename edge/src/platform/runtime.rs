//! The Worker's [`Runtime`]: the platform clock and Web Crypto randomness.

use chrono::{DateTime, Utc};

use crate::error::{EdgeError, Result};
use crate::service::store::Runtime;

/// Time and randomness inside workerd.
pub struct WorkerRuntime;

impl Runtime for WorkerRuntime {
    fn now(&self) -> DateTime<Utc> {
        let seconds = worker::Date::now().as_millis() / 1000;
        DateTime::from_timestamp(seconds as i64, 0).unwrap_or_default()
    }

    fn random_bytes(&self, buffer: &mut [u8]) -> Result<()> {
        getrandom::getrandom(buffer)
            .map_err(|error| EdgeError::Internal(format!("randomness: {error}")))
    }
}

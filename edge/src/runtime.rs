//! The Worker's [`Runtime`]: the platform clock and Web Crypto randomness.

use chrono::{DateTime, Utc};

use crate::error::{EdgeError, Result};
use crate::service::store::Runtime;

/// Time and randomness inside workerd.
pub struct WorkerRuntime;

impl Runtime for WorkerRuntime {
    fn now(&self) -> DateTime<Utc> {
        let millis = worker::Date::now().as_millis();
        DateTime::from_timestamp_millis(millis as i64).unwrap_or_default()
    }

    fn random_bytes(&self, buffer: &mut [u8]) -> Result<()> {
        getrandom::getrandom(buffer)
            .map_err(|error| EdgeError::Internal(format!("randomness: {error}")))
    }
}

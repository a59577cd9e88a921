//! A tracking number that passed the checks once: normalised by detection (spaces, dashes,
//! case), at most 64 letters and digits. Everything past the edge of the API holds this type,
//! so a number is never validated twice nor used unvalidated.

use std::fmt;

use waypost_shared::detect::{Detection, detect};

use crate::error::{EdgeError, Result};

/// A normalised tracking number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TrackingNumber(String);

impl TrackingNumber {
    /// Checks and normalises a number as typed; also answers what detection found (the
    /// carrier of a new shipment, the 404's hints).
    pub fn parse(typed: &str) -> Result<(TrackingNumber, Detection)> {
        let detection = detect(typed)?;
        let normalized = detection.normalized.clone().ok_or_else(|| {
            EdgeError::bad_request(
                "invalid_tracking_number",
                "tracking numbers are letters and digits (spaces and dashes are ignored)",
            )
        })?;
        Ok((TrackingNumber(normalized), detection))
    }

    /// A number read back from storage, where only parsed numbers are written.
    pub fn from_stored(stored: String) -> TrackingNumber {
        TrackingNumber(stored)
    }

    /// The normalised number.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TrackingNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_normalised_and_checked() {
        let (number, _) = TrackingNumber::parse(" 1z5r-8939 0357567127").unwrap();
        assert_eq!(number.as_str(), "1Z5R89390357567127");
        for bad in ["", "../../etc", "<script>", &"1".repeat(65)] {
            assert!(TrackingNumber::parse(bad).is_err(), "{bad:?}");
        }
    }
}

//! A tracking number that passed the checks once: normalised by detection (spaces, dashes,
//! case), at most 64 letters and digits. Everything past the edge of the API holds this type,
//! so a number is never validated twice nor used unvalidated.

use std::fmt;

use waypost_shared::detect::{Detection, detect, normalized};

use crate::error::{EdgeError, Result};

/// A normalised tracking number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TrackingNumber(String);

impl TrackingNumber {
    /// Checks and normalises a number as typed; also answers what detection found (the
    /// carrier of a new shipment, the 404's hints).
    pub fn parse(typed: &str) -> Result<(TrackingNumber, Detection)> {
        let detection = detect(typed)?;
        let number = detection.normalized.clone().ok_or_else(invalid)?;
        Ok((TrackingNumber(number), detection))
    }

    /// [`TrackingNumber::parse`] without detection: the same checks and the same number, for
    /// a caller that needs only the number (the public look-up's cache key).
    pub fn normalize(typed: &str) -> Result<TrackingNumber> {
        let number = normalized(typed)?.ok_or_else(invalid)?;
        Ok(TrackingNumber(number))
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

fn invalid() -> EdgeError {
    EdgeError::bad_request(
        "invalid_tracking_number",
        "tracking numbers are letters and digits (spaces and dashes are ignored)",
    )
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
            assert!(TrackingNumber::normalize(bad).is_err(), "{bad:?}");
        }
        for typed in [
            " 1z5r-8939 0357567127",
            "rr 123 456 785 cn",
            "9400\u{2011}1000",
            "x",
        ] {
            assert_eq!(
                TrackingNumber::normalize(typed).ok(),
                TrackingNumber::parse(typed).ok().map(|(number, _)| number),
                "{typed:?}: normalising alone reads the number as detection does"
            );
        }
    }
}

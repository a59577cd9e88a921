//! The `cursor` of `GET /v1/shipments`: a [`ListPosition`] as opaque text, `<number>` for lists
//! by number and `<instant>~<number>` for lists by when a health began.

use chrono::{DateTime, SecondsFormat, Utc};

use super::store::ListPosition;
use super::tracking_number::TrackingNumber;
use crate::error::{EdgeError, Result};

/// Separates the instant from the number (neither ever holds it).
const SEPARATOR: char = '~';

/// The cursor text of a position.
pub fn format(position: &ListPosition) -> String {
    match position.since {
        Some(since) => format!(
            "{}{SEPARATOR}{}",
            since.to_rfc3339_opts(SecondsFormat::Secs, true),
            position.number
        ),
        None => position.number.to_string(),
    }
}

/// The position a cursor names; a 400 for text no page ever handed out.
pub fn parse(text: &str) -> Result<ListPosition> {
    let (since, number) = match text.split_once(SEPARATOR) {
        Some((since, number)) => {
            let since = DateTime::parse_from_rfc3339(since)
                .map_err(|_| invalid())?
                .with_timezone(&Utc);
            (Some(since), number)
        }
        None => (None, text),
    };
    let (number, _) = TrackingNumber::parse(number).map_err(|_| invalid())?;
    Ok(ListPosition { since, number })
}

fn invalid() -> EdgeError {
    EdgeError::bad_request(
        "invalid_query",
        "cursor: pass back a next_cursor exactly as a page gave it",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_read_back_as_written() {
        let (number, _) = TrackingNumber::parse("1Z5R89390357567127").unwrap();
        for since in [None, Some("2026-11-21T12:00:00Z".parse().unwrap())] {
            let position = ListPosition {
                since,
                number: number.clone(),
            };
            assert_eq!(parse(&format(&position)).unwrap(), position);
        }
        for bad in [
            "",
            "~",
            "yesterday~1Z5R89390357567127",
            "2026-11-21T12:00:00Z~<b>",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }
}

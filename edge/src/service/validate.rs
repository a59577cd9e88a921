//! Checks on outside input, each failing with a 400 that names the field and the rule.

use waypost_shared::detect::Carrier;
use waypost_shared::eta::TransitRange;
use waypost_shared::text::is_bidi_control;

use crate::error::{EdgeError, Result};
use crate::limits::{MAX_FIELD_CHARS, MAX_ORDER_NUMBER_CHARS, MAX_ORIGINS, MAX_TRANSIT_DAYS};

/// An optional short text field: trimmed, at most `max` characters, no control characters.
/// Empty becomes `None`.
pub fn text(field: &str, value: Option<&str>, max: usize) -> Result<Option<String>> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let chars = value.chars().count();
    if chars > max {
        return Err(EdgeError::bad_request(
            "field_too_long",
            format!("{field} is {chars} characters long; at most {max} allowed"),
        ));
    }
    if value.chars().any(|c| c.is_control() || is_bidi_control(c)) {
        return Err(EdgeError::bad_request(
            "invalid_field",
            format!("{field} contains control or bidirectional-override characters"),
        ));
    }
    Ok(Some(value.to_owned()))
}

/// A required short text field.
pub fn required_text(field: &str, value: &str, max: usize) -> Result<String> {
    text(field, Some(value), max)?.ok_or_else(|| {
        EdgeError::bad_request("invalid_field", format!("{field} must not be empty"))
    })
}

/// An order number: 1–64 characters of letters, digits, `-`, `_`, `.` and `#`, not only dots.
pub fn order_number(value: &str) -> Result<String> {
    let valid_chars = value
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_.#".contains(c));
    let len = value.chars().count();
    if len == 0 || len > MAX_ORDER_NUMBER_CHARS || !valid_chars || value.chars().all(|c| c == '.') {
        return Err(EdgeError::bad_request(
            "invalid_order_number",
            format!(
                "order numbers are 1 to {MAX_ORDER_NUMBER_CHARS} letters, digits, '-', '_', '.' or '#'"
            ),
        ));
    }
    Ok(value.to_owned())
}

/// An email for look-ups: trimmed, lower-cased, with one `@`.
pub fn email(value: Option<&str>) -> Result<Option<String>> {
    let Some(email) = text("customer.email", value, MAX_FIELD_CHARS)? else {
        return Ok(None);
    };
    let email = email.to_lowercase();
    match email.split_once('@') {
        Some((local, domain))
            if !local.is_empty() && !domain.is_empty() && !domain.contains('@') =>
        {
            Ok(Some(email))
        }
        _ => Err(EdgeError::bad_request(
            "invalid_field",
            "customer.email is not an email address",
        )),
    }
}

/// A postal code for look-ups: letters and digits only, upper-cased (`sw1a 1aa` = `SW1A1AA`).
pub fn postal_code(field: &str, value: Option<&str>) -> Result<Option<String>> {
    let Some(code) = text(field, value, 20)? else {
        return Ok(None);
    };
    let normalized: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if normalized.is_empty() || !normalized.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(EdgeError::bad_request(
            "invalid_field",
            format!("{field} must be letters and digits"),
        ));
    }
    Ok(Some(normalized))
}

/// An ISO 3166-1 alpha-2 country code, upper-cased.
pub fn country(field: &str, value: Option<&str>) -> Result<Option<String>> {
    let Some(code) = text(field, value, 2)? else {
        return Ok(None);
    };
    if code.len() != 2 || !code.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(EdgeError::bad_request(
            "invalid_field",
            format!("{field} must be a two-letter country code"),
        ));
    }
    Ok(Some(code.to_ascii_uppercase()))
}

/// A browser origin: `https://host[:port]` (or `http://` for localhost, 127.0.0.1 and [::1]).
pub fn origin(value: &str) -> Result<String> {
    let value = value.trim().trim_end_matches('/');
    let local = |authority: &str| {
        let host = match authority.rsplit_once(':') {
            Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => {
                host
            }
            _ => authority,
        };
        ["localhost", "127.0.0.1", "[::1]"].contains(&host.to_ascii_lowercase().as_str())
    };
    let rest = value.strip_prefix("https://").or_else(|| {
        value
            .strip_prefix("http://")
            .filter(|authority| local(authority))
    });
    let host_ok = rest.is_some_and(|host| {
        !host.is_empty()
            && host.len() <= 253
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
    });
    if !host_ok {
        return Err(EdgeError::bad_request(
            "invalid_origin",
            format!("{value:?} is not an origin like https://shop.example"),
        ));
    }
    Ok(value.to_ascii_lowercase())
}

/// A shop's allowed origins: at most [`MAX_ORIGINS`], each an origin ([`origin`]).
pub fn allowed_origins(origins: &[String]) -> Result<Vec<String>> {
    if origins.len() > MAX_ORIGINS {
        return Err(EdgeError::bad_request(
            "invalid_field",
            format!("at most {MAX_ORIGINS} allowed_origins"),
        ));
    }
    origins.iter().map(|o| origin(o)).collect()
}

/// A shop's usual transit time: `min_days <= max_days <=` [`MAX_TRANSIT_DAYS`].
pub fn transit_days(range: TransitRange) -> Result<TransitRange> {
    if range.min_days > range.max_days || range.max_days > MAX_TRANSIT_DAYS {
        return Err(EdgeError::bad_request(
            "invalid_field",
            format!("transit_days needs min_days <= max_days <= {MAX_TRANSIT_DAYS}"),
        ));
    }
    Ok(range)
}

/// A shop's live carriers, each once, in the order given.
pub fn live_carriers(carriers: Vec<Carrier>) -> Vec<Carrier> {
    let mut seen = Vec::with_capacity(carriers.len());
    for carrier in carriers {
        if !seen.contains(&carrier) {
            seen.push(carrier);
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_numbers() {
        assert!(order_number("#1042").is_ok());
        for bad in [
            "",
            "..",
            "../etc/passwd",
            "a/b",
            "x".repeat(65).as_str(),
            "1042; DROP TABLE",
            "😀",
        ] {
            assert!(order_number(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn fields() {
        assert_eq!(
            email(Some(" Ana@Example.COM ")).unwrap().as_deref(),
            Some("ana@example.com")
        );
        assert!(email(Some("not-an-email")).is_err());
        assert_eq!(
            postal_code("p", Some("sw1a 1aa")).unwrap().as_deref(),
            Some("SW1A1AA")
        );
        assert!(text("f", Some(&"é".repeat(201)), 200).is_err());
        assert!(text("f", Some("a\u{0}b"), 200).is_err());
        assert_eq!(text("f", Some("  "), 200).unwrap(), None);
        assert_eq!(
            origin("https://Shop.Example/").unwrap(),
            "https://shop.example"
        );
        assert!(origin("javascript:alert(1)").is_err());
        assert!(
            origin("http://shop.example").is_err(),
            "plain http only locally"
        );
        for local in [
            "http://localhost:8080",
            "http://127.0.0.1",
            "http://[::1]:3000",
        ] {
            assert_eq!(origin(local).unwrap(), local);
        }
        assert!(text("f", Some("Paris\u{202E}gnp.exe"), 200).is_err());
        assert!(text("f", Some("a\u{2067}b"), 200).is_err());
        assert!(country("c", Some("USA")).is_err());
    }
}

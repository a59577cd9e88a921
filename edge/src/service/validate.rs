//! Checks on outside input, each failing with a 400 that names the field and the rule.

use waypost_shared::detect::Carrier;
use waypost_shared::eta::TransitRange;
use waypost_shared::text::is_bidi_control;

use crate::error::{EdgeError, Result};
use crate::limits::{
    MAX_FIELD_CHARS, MAX_ORDER_NUMBER_CHARS, MAX_ORIGINS, MAX_SENDER_NAME_CHARS, MAX_TRANSIT_DAYS,
    MAX_URL_CHARS,
};

/// The hosts plain `http://` is accepted for: local development.
const LOCAL_HOSTS: [&str; 3] = ["localhost", "127.0.0.1", "[::1]"];

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
        LOCAL_HOSTS.contains(&host.to_ascii_lowercase().as_str())
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
    each_once(carriers)
}

/// Each item once, in the order given (the first of repeats kept).
pub fn each_once<T: PartialEq>(items: Vec<T>) -> Vec<T> {
    let mut seen = Vec::with_capacity(items.len());
    for item in items {
        if !seen.contains(&item) {
            seen.push(item);
        }
    }
    seen
}

/// A webhook endpoint's URL: absolute `https://` with a host (`http://` only for localhost,
/// 127.0.0.1 and [::1]), no credentials, no fragment, at most [`MAX_URL_CHARS`] characters.
pub fn webhook_url(value: &str) -> Result<String> {
    web_url(value, false)
        .map(str::to_owned)
        .map_err(|why| EdgeError::bad_request("invalid_webhook_url", format!("url {why}")))
}

/// A shop's tracking page: a URL as [`webhook_url`] takes (a fragment allowed) holding the
/// `{number}` placeholder. Blank counts as absent.
pub fn tracking_page(value: Option<&str>) -> Result<Option<String>> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let url = web_url(value, true).and_then(|url| {
        if url.contains("{number}") {
            Ok(url)
        } else {
            Err("must hold the {number} placeholder".to_owned())
        }
    });
    url.map(|url| Some(url.to_owned())).map_err(|why| {
        EdgeError::bad_request("invalid_tracking_page", format!("tracking_page {why}"))
    })
}

/// A customer's phone number, for text messages: an international number (`+` and the country
/// code), 8 to 15 digits, written with spaces, dots, dashes or brackets if one likes; kept as
/// written (trimmed). Blank counts as absent.
pub fn phone(field: &str, value: Option<&str>) -> Result<Option<String>> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let valid = value.starts_with('+')
        && value.len() <= 40
        && (8..=15).contains(&digits)
        && value[1..]
            .chars()
            .all(|c| c.is_ascii_digit() || " .-()".contains(c));
    if !valid {
        return Err(EdgeError::bad_request(
            "invalid_phone",
            format!(
                "{field} is not an international phone number like +1 555 010 0199 (a +, the country code, 8 to 15 digits)"
            ),
        ));
    }
    Ok(Some(value.to_owned()))
}

/// The address notification emails come from: see [`mail_address`]. Blank counts as absent.
pub fn sender_email(value: Option<&str>) -> Result<Option<String>> {
    mail_address("sender_email", value)
}

/// An address to send to or from, in field `field`: one `@` between a plain local part and a
/// domain of dotted labels, nothing a mail header could be split on; lower-cased. Blank counts
/// as absent.
pub fn mail_address(field: &str, value: Option<&str>) -> Result<Option<String>> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let plain = |c: char| c.is_ascii_graphic() && !"<>\"(),;:[]\\@".contains(c);
    let label = |label: &str| {
        !label.is_empty()
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    let valid = value.chars().count() <= MAX_FIELD_CHARS
        && value.split_once('@').is_some_and(|(local, domain)| {
            (1..=64).contains(&local.len())
                && local.chars().all(plain)
                && !local.starts_with('.')
                && !local.ends_with('.')
                && !local.contains("..")
                && domain.contains('.')
                && domain.split('.').all(label)
        });
    if !valid {
        return Err(EdgeError::bad_request(
            "invalid_email",
            format!(
                "{field} is not an email address like name@example.com (at most {MAX_FIELD_CHARS} characters)"
            ),
        ));
    }
    Ok(Some(value.to_lowercase()))
}

/// The name notification emails come from: at most [`MAX_SENDER_NAME_CHARS`] characters, no
/// control or bidirectional-override characters, none of `<`, `>` and `"` (which would change
/// the `From` header). Blank counts as absent.
pub fn sender_name(value: Option<&str>) -> Result<Option<String>> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let bad = |c: char| c.is_control() || is_bidi_control(c) || "<>\"".contains(c);
    if value.chars().count() > MAX_SENDER_NAME_CHARS || value.chars().any(bad) {
        return Err(EdgeError::bad_request(
            "invalid_sender_name",
            format!(
                "sender_name is at most {MAX_SENDER_NAME_CHARS} characters, without control characters, '<', '>' or '\"'"
            ),
        ));
    }
    Ok(Some(value.to_owned()))
}

/// An absolute web URL as a shop may give one (see [`webhook_url`]), trimmed; else why not.
fn web_url(value: &str, fragment_allowed: bool) -> std::result::Result<&str, String> {
    let value = value.trim();
    let chars = value.chars().count();
    if chars > MAX_URL_CHARS {
        return Err(format!(
            "is {chars} characters long; at most {MAX_URL_CHARS} allowed"
        ));
    }
    if value
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || is_bidi_control(c))
    {
        return Err("must not contain spaces or control characters".to_owned());
    }
    let lower = value.to_ascii_lowercase();
    let (secure, rest) = if let Some(rest) = lower.strip_prefix("https://") {
        (true, rest)
    } else if let Some(rest) = lower.strip_prefix("http://") {
        (false, rest)
    } else {
        return Err("must be an absolute https:// URL".to_owned());
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err("must not carry credentials (user:password@)".to_owned());
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(':') && !port.contains(']') => (host, Some(port)),
        _ => (authority, None),
    };
    let host_ok = if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        !inner.is_empty() && inner.chars().all(|c| c.is_ascii_hexdigit() || c == ':')
    } else {
        host.len() <= 253
            && host.split('.').all(|label| {
                !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
    };
    if !host_ok {
        return Err("must name a host, like https://hooks.example/waypost".to_owned());
    }
    if port.is_some_and(|port| port.parse::<u16>().map_or(true, |port| port == 0)) {
        return Err("has an invalid port".to_owned());
    }
    if !secure && !LOCAL_HOSTS.contains(&host) {
        return Err(
            "must use https:// (plain http:// only for localhost, 127.0.0.1 and [::1])".to_owned(),
        );
    }
    if !fragment_allowed && value.contains('#') {
        return Err("must not have a #fragment".to_owned());
    }
    Ok(value)
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

    #[test]
    fn phones() {
        for good in ["+1 555 010 0199", "+44 (0)20 7946.0018", "  +34600111222 "] {
            assert!(phone("p", Some(good)).unwrap().is_some(), "{good}");
        }
        for bad in [
            "555 0100",
            "+1 555",
            "+1 555 😀');--",
            "+1234567890123456",
            "+1-800-FLOWERS",
        ] {
            assert!(phone("p", Some(bad)).is_err(), "{bad}");
        }
        assert_eq!(phone("p", Some("  ")).unwrap(), None);
    }

    #[test]
    fn webhook_urls() {
        for good in [
            "https://hooks.example/waypost",
            "https://hooks.example:8443/a/b?shop=1",
            "HTTPS://Hooks.Example",
            "http://127.0.0.1:9000/hook",
            "http://localhost/hook",
            "http://[::1]:3000/hook",
            " https://hooks.example/x ",
        ] {
            assert_eq!(webhook_url(good).unwrap(), good.trim(), "{good:?}");
        }
        let long = format!("https://hooks.example/{}", "a".repeat(2_100));
        for bad in [
            "http://example.com/hook",
            "http://localhost.evil.example/hook",
            "http://127.0.0.1.evil.example/",
            "https://user:pw@example.com/h",
            "https://user@example.com/h",
            "https://example.com@evil.example/h",
            long.as_str(),
            "not a url",
            "ftp://example.com/hook",
            "https://",
            "https:///path",
            "https://exa mple.com/",
            "https://example.com/#part",
            "https://example.com:99999/",
            "https://example.com:0/",
            "https://exa_mple.com/",
            "https://example..com/",
            "javascript:alert(1)",
            "//example.com/hook",
        ] {
            let error = webhook_url(bad).unwrap_err();
            assert_eq!(error.problem().code, "invalid_webhook_url", "{bad:?}");
        }
        let at_the_limit = format!("https://h.example/{}", "a".repeat(MAX_URL_CHARS - 18));
        assert_eq!(at_the_limit.chars().count(), MAX_URL_CHARS);
        assert!(webhook_url(&at_the_limit).is_ok());
    }

    #[test]
    fn tracking_pages() {
        assert_eq!(
            tracking_page(Some("https://shop.example/track/{number}#top"))
                .unwrap()
                .as_deref(),
            Some("https://shop.example/track/{number}#top")
        );
        assert_eq!(
            tracking_page(Some("http://localhost:8787/t?n={number}"))
                .unwrap()
                .as_deref(),
            Some("http://localhost:8787/t?n={number}")
        );
        assert_eq!(tracking_page(Some("  ")).unwrap(), None);
        for bad in [
            "https://shop.example/track",
            "http://shop.example/track/{number}",
            "https://u:p@shop.example/{number}",
            "track/{number}",
        ] {
            let error = tracking_page(Some(bad)).unwrap_err();
            assert_eq!(error.problem().code, "invalid_tracking_page", "{bad:?}");
        }
    }

    #[test]
    fn senders() {
        assert_eq!(
            sender_email(Some(" orders+eu@mail.shop-example.com "))
                .unwrap()
                .as_deref(),
            Some("orders+eu@mail.shop-example.com")
        );
        assert_eq!(sender_email(None).unwrap(), None);
        for bad in [
            "not-an-email",
            "a@b",
            "@shop.example",
            "a@@shop.example",
            "a b@shop.example",
            "a@shop..example",
            "a@-shop.example",
            "Ana <ana@shop.example>",
            "ana@shop.example\r\nBcc: x@y.example",
            ".ana@shop.example",
        ] {
            let error = sender_email(Some(bad)).unwrap_err();
            assert_eq!(error.problem().code, "invalid_email", "{bad:?}");
        }
        assert_eq!(
            sender_name(Some(" Café Ana ")).unwrap().as_deref(),
            Some("Café Ana")
        );
        assert!(sender_name(Some(&"é".repeat(MAX_SENDER_NAME_CHARS))).is_ok());
        for bad in [
            "é".repeat(MAX_SENDER_NAME_CHARS + 1),
            "Ana <x@evil.example>".into(),
            "Ana\" <x@evil.example".into(),
            "Ana\r\nBcc: x".into(),
            "Ana\u{202E}".into(),
        ] {
            let error = sender_name(Some(&bad)).unwrap_err();
            assert_eq!(error.problem().code, "invalid_sender_name", "{bad:?}");
        }
        assert_eq!(each_once(vec![2, 1, 2, 3, 1]), [2, 1, 3]);
    }
}

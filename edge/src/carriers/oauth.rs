//! OAuth 2 client credentials, as UPS, FedEx and USPS each spell it: where the token endpoint is,
//! how the client id and secret travel, and how the token answer reads.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Deserialize;

use super::{BadAnswer, CallMethod, HttpCall, LiveCarrier};

/// An access token and how long it lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The bearer token.
    pub access_token: String,
    /// Lifetime in seconds from issue.
    pub expires_in: u32,
}

/// The token call of an OAuth carrier; `None` for carriers that use an API key.
pub fn token_call(
    carrier: LiveCarrier,
    base_url: &str,
    client_id: &str,
    client_secret: &str,
) -> Option<HttpCall> {
    let base = base_url.trim_end_matches('/');
    let form = "application/x-www-form-urlencoded".to_owned();
    let call = match carrier {
        LiveCarrier::Ups => HttpCall {
            method: CallMethod::Post,
            url: format!("{base}/security/v1/oauth/token"),
            headers: vec![
                (
                    "Authorization",
                    format!(
                        "Basic {}",
                        STANDARD.encode(format!("{client_id}:{client_secret}"))
                    ),
                ),
                ("Content-Type", form),
            ],
            body: Some("grant_type=client_credentials".into()),
        },
        LiveCarrier::Fedex => HttpCall {
            method: CallMethod::Post,
            url: format!("{base}/oauth/token"),
            headers: vec![("Content-Type", form)],
            body: Some(format!(
                "grant_type=client_credentials&client_id={}&client_secret={}",
                utf8_percent_encode(client_id, NON_ALPHANUMERIC),
                utf8_percent_encode(client_secret, NON_ALPHANUMERIC),
            )),
        },
        LiveCarrier::Usps => HttpCall {
            method: CallMethod::Post,
            url: format!("{base}/oauth2/v3/token"),
            headers: vec![("Content-Type", "application/json".into())],
            body: Some(
                serde_json::json!({
                    "grant_type": "client_credentials",
                    "client_id": client_id,
                    "client_secret": client_secret,
                })
                .to_string(),
            ),
        },
        LiveCarrier::Dhl | LiveCarrier::SeventeenTrack => return None,
    };
    Some(call)
}

/// Reads a token answer. UPS sends `expires_in` as a string, FedEx and USPS as a number.
pub fn read_token(status: u16, body: &str) -> Result<Token, BadAnswer> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Seconds {
        Number(u32),
        Text(String),
    }
    #[derive(Deserialize)]
    struct Answer {
        access_token: String,
        expires_in: Seconds,
    }
    if status != 200 {
        return Err(BadAnswer(format!("token endpoint answered {status}")));
    }
    let answer: Answer = serde_json::from_str(body)?;
    let expires_in = match answer.expires_in {
        Seconds::Number(n) => n,
        Seconds::Text(text) => text
            .trim()
            .parse()
            .map_err(|_| BadAnswer(format!("expires_in {text:?} is not a number")))?,
    };
    if answer.access_token.is_empty() {
        return Err(BadAnswer("empty access_token".into()));
    }
    Ok(Token {
        access_token: answer.access_token,
        expires_in,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ups_sends_basic_credentials_and_a_string_lifetime() {
        let call = token_call(LiveCarrier::Ups, "http://127.0.0.1:9/", "id", "s3cret").unwrap();
        assert_eq!(call.url, "http://127.0.0.1:9/security/v1/oauth/token");
        assert!(
            call.headers
                .contains(&("Authorization", "Basic aWQ6czNjcmV0".into()))
        );
        assert_eq!(call.body.as_deref(), Some("grant_type=client_credentials"));
        let token = read_token(
            200,
            r#"{"token_type":"Bearer","issued_at":"1763650000000","client_id":"id",
                "access_token":"eyJraWQ","expires_in":"14399","status":"approved"}"#,
        )
        .unwrap();
        assert_eq!(token.expires_in, 14399);
        assert_eq!(token.access_token, "eyJraWQ");
    }

    #[test]
    fn fedex_and_usps_send_credentials_in_the_body() {
        let fedex = token_call(LiveCarrier::Fedex, "http://h", "a b", "c&d").unwrap();
        assert_eq!(fedex.url, "http://h/oauth/token");
        assert_eq!(
            fedex.body.as_deref(),
            Some("grant_type=client_credentials&client_id=a%20b&client_secret=c%26d")
        );
        let usps = token_call(LiveCarrier::Usps, "http://h", "a", "b").unwrap();
        assert_eq!(usps.url, "http://h/oauth2/v3/token");
        assert!(usps.body.unwrap().contains(r#""client_secret":"b""#));
        assert!(token_call(LiveCarrier::Dhl, "http://h", "a", "b").is_none());
        let token = read_token(
            200,
            r#"{"access_token":"t","token_type":"bearer","expires_in":3599,"scope":"CXS"}"#,
        )
        .unwrap();
        assert_eq!(token.expires_in, 3599);
    }

    #[test]
    fn refused_or_garbled_tokens_are_errors() {
        assert!(read_token(401, r#"{"access_token":"t","expires_in":1}"#).is_err());
        assert!(read_token(200, "<html>").is_err());
        assert!(read_token(200, r#"{"access_token":"","expires_in":5}"#).is_err());
        assert!(read_token(200, r#"{"access_token":"t","expires_in":"soon"}"#).is_err());
    }
}

//! The three ways a message goes out, as pure build/read pairs like the carriers' adapters:
//! email through Postmark's Email API, SMS through Twilio's Messages API, and webhooks signed per
//! the Standard Webhooks specification. Each `*_call` builds the HTTP call; each `read_*` says
//! what the answer means for the message: sent, tried again later, refused for good, or
//! suppressed (the recipient opted out).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Deserialize;
use serde_json::json;
use sha2::Sha256;

use super::live::Transport;
use crate::carriers::{CallMethod, HttpCall, HttpReply};
use crate::error::{EdgeError, Result};

/// The email provider's account: Postmark's base URL, server token and default sender.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAccount {
    pub base_url: String,
    pub server_token: String,
    /// `Name <address>`, or an address.
    pub from: String,
}

/// Twilio's account: base URL, account SID, auth token and sending number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsAccount {
    pub base_url: String,
    pub account_sid: String,
    pub auth_token: String,
    pub from: String,
}

/// An email to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email<'a> {
    /// The sender line (`"Harbor & Pine" <notifications@example.com>`): always the deployment's
    /// verified address, under the shop's name.
    pub from: &'a str,
    /// Where replies go: the shop's own address, when it set one.
    pub reply_to: Option<&'a str>,
    pub to: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    pub html: &'a str,
    /// The one-click unsubscribe URL (RFC 8058), for `List-Unsubscribe`, when there is one.
    pub unsubscribe: Option<&'a str>,
    /// Postmark's tag: the trigger.
    pub tag: &'a str,
}

/// What an attempt's answer means for the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Accepted.
    Sent,
    /// Not now: try again, after `after_secs` when the answer said (`Retry-After`).
    Retry {
        after_secs: Option<u32>,
        error: String,
    },
    /// Refused for good.
    Failed { error: String },
    /// The recipient opted out (Twilio's STOP).
    Suppressed,
}

/// `POST {base}/email`.
pub fn email_call(account: &EmailAccount, email: &Email<'_>) -> HttpCall {
    let headers = match email.unsubscribe {
        Some(url) => json!([
            { "Name": "List-Unsubscribe", "Value": format!("<{url}>") },
            { "Name": "List-Unsubscribe-Post", "Value": "List-Unsubscribe=One-Click" },
        ]),
        None => json!([]),
    };
    let mut body = json!({
        "From": email.from,
        "To": email.to,
        "Subject": email.subject,
        "TextBody": email.text,
        "HtmlBody": email.html,
        "MessageStream": "outbound",
        "Tag": email.tag,
        "Headers": headers,
    });
    if let Some(reply_to) = email.reply_to {
        body["ReplyTo"] = json!(reply_to);
    }
    HttpCall {
        method: CallMethod::Post,
        url: format!("{}/email", account.base_url.trim_end_matches('/')),
        headers: vec![
            ("Accept", "application/json".into()),
            ("Content-Type", "application/json".into()),
            ("X-Postmark-Server-Token", account.server_token.clone()),
        ],
        body: Some(body.to_string()),
    }
}

/// Postmark's answer: `ErrorCode` 0 is accepted; 422 names what was refused.
pub fn read_email(reply: &HttpReply) -> Outcome {
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Answer {
        error_code: i64,
        #[serde(default)]
        message: String,
    }
    if let Some(retry) = transient(reply) {
        return retry;
    }
    let answer = serde_json::from_str::<Answer>(&reply.body);
    match (reply.status, answer) {
        (200..=299, Ok(answer)) if answer.error_code == 0 => Outcome::Sent,
        (_, Ok(answer)) if (400..=499).contains(&reply.status) => Outcome::Failed {
            error: format!("Postmark {}: {}", answer.error_code, answer.message),
        },
        (400..=499, Err(_)) => Outcome::Failed {
            error: format!("Postmark answered {}", reply.status),
        },
        _ => unreadable("Postmark", reply.status),
    }
}

/// `POST {base}/2010-04-01/Accounts/{sid}/Messages.json`, form-encoded, with HTTP Basic auth;
/// the number in E.164 (`+` and its digits), as Twilio takes it.
pub fn sms_call(account: &SmsAccount, to: &str, text: &str) -> HttpCall {
    let to: String = std::iter::once('+')
        .chain(to.chars().filter(char::is_ascii_digit))
        .collect();
    let form = [
        ("To", to.as_str()),
        ("From", account.from.as_str()),
        ("Body", text),
    ]
    .iter()
    .map(|(name, value)| format!("{name}={}", utf8_percent_encode(value, NON_ALPHANUMERIC)))
    .collect::<Vec<_>>()
    .join("&");
    let credentials = STANDARD.encode(format!("{}:{}", account.account_sid, account.auth_token));
    HttpCall {
        method: CallMethod::Post,
        url: format!(
            "{}/2010-04-01/Accounts/{}/Messages.json",
            account.base_url.trim_end_matches('/'),
            account.account_sid
        ),
        headers: vec![
            ("Accept", "application/json".into()),
            ("Content-Type", "application/x-www-form-urlencoded".into()),
            ("Authorization", format!("Basic {credentials}")),
        ],
        body: Some(form),
    }
}

/// Twilio's code for a recipient who replied STOP.
const TWILIO_OPTED_OUT: i64 = 21610;

/// Twilio's answer: a message resource (with its `sid`) is accepted; error 21610 means the
/// recipient replied STOP.
pub fn read_sms(reply: &HttpReply) -> Outcome {
    #[derive(Deserialize)]
    struct Accepted {
        sid: String,
    }
    #[derive(Deserialize)]
    struct Refused {
        code: i64,
        #[serde(default)]
        message: String,
    }
    if let Some(retry) = transient(reply) {
        return retry;
    }
    match reply.status {
        200..=299 => match serde_json::from_str::<Accepted>(&reply.body) {
            Ok(accepted) if !accepted.sid.is_empty() => Outcome::Sent,
            _ => unreadable("Twilio", reply.status),
        },
        400..=499 => match serde_json::from_str::<Refused>(&reply.body) {
            Ok(refused) if refused.code == TWILIO_OPTED_OUT => Outcome::Suppressed,
            Ok(refused) => Outcome::Failed {
                error: format!("Twilio {}: {}", refused.code, refused.message),
            },
            Err(_) => Outcome::Failed {
                error: format!("Twilio answered {}", reply.status),
            },
        },
        _ => unreadable("Twilio", reply.status),
    }
}

/// A webhook POST of `body` to `url`, signed with the endpoint's `secret` (`whsec_...`) per
/// Standard Webhooks: `webhook-id` (the message id, the same on every retry), `webhook-timestamp`
/// (Unix seconds) and `webhook-signature` (`v1,` and the base64 HMAC-SHA256 of
/// `{id}.{timestamp}.{body}` keyed with the secret's decoded bytes).
pub fn webhook_call(
    url: &str,
    secret: &str,
    message_id: &str,
    timestamp: i64,
    body: &str,
) -> Result<HttpCall> {
    let signature = standard_signature(secret, message_id, timestamp, body)?;
    Ok(HttpCall {
        method: CallMethod::Post,
        url: url.to_owned(),
        headers: vec![
            ("Content-Type", "application/json".into()),
            ("webhook-id", message_id.to_owned()),
            ("webhook-timestamp", timestamp.to_string()),
            ("webhook-signature", format!("v1,{signature}")),
        ],
        body: Some(body.to_owned()),
    })
}

/// The base64 HMAC-SHA256 of `{id}.{timestamp}.{body}` keyed with the secret's bytes.
pub fn standard_signature(secret: &str, id: &str, timestamp: i64, body: &str) -> Result<String> {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap_or(secret))
        .map_err(|error| EdgeError::Internal(format!("webhook secret: {error}")))?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key)
        .map_err(|error| EdgeError::Internal(format!("webhook secret: {error}")))?;
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    Ok(STANDARD.encode(mac.finalize().into_bytes()))
}

/// An endpoint's answer: any 2xx is accepted; 408, 429 and 5xx are tried again; other 4xx
/// refuse it for good.
pub fn read_webhook(reply: &HttpReply) -> Outcome {
    if let Some(retry) = transient(reply) {
        return retry;
    }
    match reply.status {
        200..=299 => Outcome::Sent,
        status => Outcome::Failed {
            error: format!("the endpoint answered {status}"),
        },
    }
}

/// A call that got no answer: tried again.
pub fn no_answer(transport: &Transport) -> Outcome {
    Outcome::Retry {
        after_secs: None,
        error: match transport {
            Transport::Timeout => "no answer in time".to_owned(),
            Transport::Failed(why) => format!("the call failed: {why}"),
        },
    }
}

/// 408, 429 and 5xx: tried again, after `Retry-After` when given.
fn transient(reply: &HttpReply) -> Option<Outcome> {
    matches!(reply.status, 408 | 429 | 500..=599).then(|| Outcome::Retry {
        after_secs: reply.retry_after,
        error: format!("answered {}", reply.status),
    })
}

/// An answer that is not what the provider documents: the message stays to be tried again.
fn unreadable(provider: &str, status: u16) -> Outcome {
    Outcome::Retry {
        after_secs: None,
        error: format!("{provider} answered {status} with an unreadable body"),
    }
}

/// The longest a queue message can be delayed, in seconds (12 hours).
pub const MAX_QUEUE_DELAY: u32 = 12 * 60 * 60;

/// Seconds before the next attempt after `attempts` failed ones: what the provider asked for,
/// else a schedule that tries again soon, then spreads the queue's 8 retries over about 11 hours,
/// so an outage of a few hours loses nothing; never beyond the 12 hours a queue can delay a
/// message.
pub fn backoff(attempts: u32, retry_after: Option<u32>) -> u32 {
    const SCHEDULE: [u32; 8] = [2, 10, 60, 300, 1_800, 3_600, 10_800, 21_600];
    let scheduled = SCHEDULE[(attempts.max(1) as usize - 1).min(SCHEDULE.len() - 1)];
    retry_after.unwrap_or(scheduled).min(MAX_QUEUE_DELAY)
}

/// An address as lists show it: `m***@example.com`.
pub fn mask_email(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

/// A phone number as lists show it: its first two and last two digits.
pub fn mask_phone(number: &str) -> String {
    let digits: Vec<char> = number.chars().filter(char::is_ascii_digit).collect();
    if digits.len() <= 4 {
        return "***".to_owned();
    }
    let head: String = digits[..2].iter().collect();
    let tail: String = digits[digits.len() - 2..].iter().collect();
    format!("+{head}{}{tail}", "*".repeat(digits.len() - 4))
}

/// A webhook endpoint as lists show it: its host.
pub fn mask_url(url: &str) -> String {
    url.split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', '?', '#']).next())
        .unwrap_or("webhook")
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(status: u16, body: &str) -> HttpReply {
        HttpReply {
            status,
            retry_after: None,
            body: body.to_owned(),
        }
    }

    #[test]
    fn the_specification_example_signs_alike() {
        // The example of the Standard Webhooks specification.
        let signature = standard_signature(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            r#"{"test": 2432232314}"#,
        )
        .unwrap();
        assert_eq!(signature, "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn postmark_answers_are_read() {
        let sent = r#"{"To":"a@example.com","SubmittedAt":"2026-12-07T10:00:00Z","MessageID":"b7bc2f4a","ErrorCode":0,"Message":"OK"}"#;
        assert_eq!(read_email(&reply(200, sent)), Outcome::Sent);
        let refused = r#"{"ErrorCode":300,"Message":"Invalid 'To' address"}"#;
        assert_eq!(
            read_email(&reply(422, refused)),
            Outcome::Failed {
                error: "Postmark 300: Invalid 'To' address".into()
            }
        );
        assert!(matches!(
            read_email(&reply(200, "<html>oops</html>")),
            Outcome::Retry { .. }
        ));
        let busy = HttpReply {
            retry_after: Some(7),
            ..reply(429, "")
        };
        assert!(matches!(
            read_email(&busy),
            Outcome::Retry {
                after_secs: Some(7),
                ..
            }
        ));
        assert!(matches!(read_email(&reply(503, "")), Outcome::Retry { .. }));
    }

    #[test]
    fn twilio_answers_are_read() {
        let queued = r#"{"sid":"SM0123456789abcdef0123456789abcdef","status":"queued"}"#;
        assert_eq!(read_sms(&reply(201, queued)), Outcome::Sent);
        let stop =
            r#"{"code":21610,"message":"Attempt to send to unsubscribed recipient","status":400}"#;
        assert_eq!(read_sms(&reply(400, stop)), Outcome::Suppressed);
        let invalid = r#"{"code":21211,"message":"Invalid 'To' Phone Number","status":400}"#;
        assert!(matches!(
            read_sms(&reply(400, invalid)),
            Outcome::Failed { .. }
        ));
        assert!(matches!(read_sms(&reply(201, "{}")), Outcome::Retry { .. }));
    }

    #[test]
    fn calls_carry_what_the_providers_document() {
        let account = SmsAccount {
            base_url: "http://127.0.0.1:9".into(),
            account_sid: "AC1".into(),
            auth_token: "token".into(),
            from: "+15005550006".into(),
        };
        let call = sms_call(&account, "+1 555 0101", "Out for delivery & more");
        assert_eq!(
            call.url,
            "http://127.0.0.1:9/2010-04-01/Accounts/AC1/Messages.json"
        );
        assert_eq!(
            call.body.as_deref(),
            Some("To=%2B15550101&From=%2B15005550006&Body=Out%20for%20delivery%20%26%20more")
        );
        let email = email_call(
            &EmailAccount {
                base_url: "http://127.0.0.1:9/".into(),
                server_token: "server".into(),
                from: "shop@example.com".into(),
            },
            &Email {
                from: "shop@example.com",
                reply_to: None,
                to: "maya@example.com",
                subject: "Delivered",
                text: "t",
                html: "<p>t</p>",
                unsubscribe: Some("https://edge.example/v1/unsubscribe?token=x"),
                tag: "delivered",
            },
        );
        assert_eq!(email.url, "http://127.0.0.1:9/email");
        let body: serde_json::Value = serde_json::from_str(email.body.as_deref().unwrap()).unwrap();
        assert_eq!(
            body["Headers"][0]["Value"],
            "<https://edge.example/v1/unsubscribe?token=x>"
        );
        assert_eq!(body["Headers"][1]["Value"], "List-Unsubscribe=One-Click");
    }

    #[test]
    fn webhook_answers_and_backoff() {
        assert_eq!(read_webhook(&reply(204, "")), Outcome::Sent);
        assert!(matches!(
            read_webhook(&reply(410, "")),
            Outcome::Failed { .. }
        ));
        assert!(matches!(
            read_webhook(&reply(502, "")),
            Outcome::Retry { .. }
        ));
        assert_eq!(backoff(1, None), 2);
        assert_eq!(backoff(3, None), 60);
        assert_eq!(backoff(20, None), 21_600);
        assert_eq!(backoff(1, Some(30)), 30);
        assert_eq!(backoff(1, Some(86_400)), 43_200);
        let total: u32 = (1..=8).map(|attempt| backoff(attempt, None)).sum();
        assert!(total > 10 * 3_600, "retries span hours: {total} s");
    }

    #[test]
    fn recipients_are_masked() {
        assert_eq!(mask_email("maya@example.com"), "m***@example.com");
        assert_eq!(mask_phone("+1 555 0101"), "+15****01");
        assert_eq!(
            mask_url("https://hooks.example.com/a?b"),
            "hooks.example.com"
        );
    }
}

//! An independent check of Standard Webhooks signatures (<https://www.standardwebhooks.com/>):
//! the specification's own JavaScript library, the `standardwebhooks` npm package from
//! `edge/node_modules`, run by `node`, verifies what the Worker signed.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::server::workspace_root;

/// Reads the secret, the headers (a JSON object) and the package's path from the environment and
/// the body from stdin; exits 0 when it verifies, 1 on a verification error (its message on
/// stderr), 2 on anything else.
const SCRIPT: &str = r#"
let Webhook, WebhookVerificationError;
try {
  ({ Webhook, WebhookVerificationError } = require(process.env.STANDARDWEBHOOKS_PACKAGE));
} catch (error) {
  console.error(`cannot load standardwebhooks: ${error.message}`);
  process.exit(2);
}
const chunks = [];
process.stdin.on("data", (chunk) => chunks.push(chunk));
process.stdin.on("end", () => {
  try {
    const headers = JSON.parse(process.env.STANDARDWEBHOOKS_HEADERS);
    new Webhook(process.env.STANDARDWEBHOOKS_SECRET).verify(Buffer.concat(chunks), headers);
    process.exit(0);
  } catch (error) {
    console.error(error && error.message);
    process.exit(error instanceof WebhookVerificationError ? 1 : 2);
  }
});
"#;

/// Verifies a webhook with the `standardwebhooks` npm package: `new Webhook(secret)` (a
/// `whsec_…` secret) then `verify(body, headers)`, which checks the `webhook-id`,
/// `webhook-timestamp` (within 5 minutes of now) and `webhook-signature` headers against the raw
/// body (and that it is JSON). `Ok(true)` when it verifies, `Ok(false)` when the package throws a
/// verification error, `Err` when it cannot run (no `node`, the package not installed) or fails
/// otherwise.
pub fn verify_with_reference(
    secret: &str,
    headers: &[(String, String)],
    body: &str,
) -> Result<bool, String> {
    let package = workspace_root().join("edge/node_modules/standardwebhooks");
    if !package.join("package.json").exists() {
        return Err(format!(
            "{} is missing: install the edge's npm packages (`npm ci` in edge/, or run the tests through `cargo xtask test`)",
            package.display()
        ));
    }
    let headers: serde_json::Map<String, serde_json::Value> = headers
        .iter()
        .map(|(name, value)| (name.clone(), serde_json::Value::from(value.as_str())))
        .collect();
    let mut child = Command::new("node")
        .args(["-e", SCRIPT])
        .env("STANDARDWEBHOOKS_PACKAGE", &package)
        .env("STANDARDWEBHOOKS_SECRET", secret)
        .env(
            "STANDARDWEBHOOKS_HEADERS",
            serde_json::Value::Object(headers).to_string(),
        )
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run node (it must be on PATH): {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin
            .write_all(body.as_bytes())
            .map_err(|e| format!("writing the body to node: {e}"))?;
    }
    let output = child
        .wait_with_output()
        .map_err(|e| format!("waiting for node: {e}"))?;
    let said = String::from_utf8_lossy(&output.stderr).trim().to_owned();
    match output.status.code() {
        Some(0) => Ok(true),
        Some(1) => Ok(false),
        _ => Err(format!(
            "standardwebhooks could not verify ({}): {said}",
            output.status
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use hmac::{Hmac, Mac};
    use sha2::Sha256;

    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    /// Signs per the specification: HMAC-SHA256 keyed with the base64-decoded secret (after
    /// `whsec_`) over `{id}.{timestamp}.{body}`, sent as `v1,<base64>`.
    fn signed(id: &str, timestamp: i64, body: &str) -> Vec<(String, String)> {
        let key = STANDARD
            .decode(SECRET.strip_prefix("whsec_").unwrap())
            .unwrap();
        let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
        mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
        let signature = STANDARD.encode(mac.finalize().into_bytes());
        vec![
            ("webhook-id".into(), id.into()),
            ("webhook-timestamp".into(), timestamp.to_string()),
            ("webhook-signature".into(), format!("v1,{signature}")),
        ]
    }

    #[test]
    fn the_signer_matches_the_specifications_example() {
        let headers = signed(
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            r#"{"test": 2432232314}"#,
        );
        assert_eq!(
            headers[2].1,
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn a_signature_made_per_the_spec_verifies_and_an_altered_body_does_not() {
        let body = r#"{"type":"shipment.delivered","data":{"number":"1Z999","note":"né ✓"}}"#;
        let now = chrono::Utc::now().timestamp();
        let headers = signed("msg_2Lz1", now, body);
        assert_eq!(verify_with_reference(SECRET, &headers, body), Ok(true));

        let altered = body.replace("delivered", "exception");
        assert_eq!(verify_with_reference(SECRET, &headers, &altered), Ok(false));

        let other_secret = "whsec_dGhlIG90aGVyIHNlY3JldCBrZXkgaGVyZQ==";
        assert_eq!(
            verify_with_reference(other_secret, &headers, body),
            Ok(false)
        );

        let stale = signed("msg_2Lz1", now - 600, body);
        assert_eq!(verify_with_reference(SECRET, &stale, body), Ok(false));
    }
}

//! Signed links in messages: the unsubscribe link of each email and the confirmation link of a
//! widget opt-in. A token is an id and an HMAC over it (keyed from the `INTEGRATIONS_KEY`
//! secret, for one purpose), so a link opens what it names and nothing else, and holds nothing
//! personal.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The HMAC characters a token keeps (128 bits).
const MAC_CHARS: usize = 32;

/// What a token is for: a token for one purpose never opens another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Stops the messages a message was about (its id signed).
    Unsubscribe,
    /// Confirms a widget opt-in (its subscription's id signed).
    Confirm,
}

impl Purpose {
    const fn name(self) -> &'static str {
        match self {
            Purpose::Unsubscribe => "unsubscribe",
            Purpose::Confirm => "confirm",
        }
    }
}

/// The key links are signed with.
pub struct LinkKey {
    key: [u8; 32],
}

impl LinkKey {
    /// Derived from the `INTEGRATIONS_KEY` secret (apart from the sealing key made from it);
    /// `None` without a secret.
    pub fn from_secret(secret: &str) -> Option<LinkKey> {
        let secret = secret.trim();
        if secret.is_empty() {
            return None;
        }
        let mut hasher = Sha256::new();
        hasher.update(b"waypost links\n");
        hasher.update(secret.as_bytes());
        Some(LinkKey {
            key: hasher.finalize().into(),
        })
    }

    /// The token of `id` for `purpose`: `{id}.{mac}`.
    pub fn token(&self, purpose: Purpose, id: &str) -> String {
        format!("{id}.{}", self.mac(purpose, id))
    }

    /// The id a token names, if it was signed for `purpose` with this key.
    pub fn verify(&self, purpose: Purpose, token: &str) -> Option<String> {
        let (id, mac) = token.trim().rsplit_once('.')?;
        let expected = self.mac(purpose, id);
        bool::from(expected.as_bytes().ct_eq(mac.as_bytes())).then(|| id.to_owned())
    }

    fn mac(&self, purpose: Purpose, id: &str) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key).expect("any key length");
        mac.update(purpose.name().as_bytes());
        mac.update(b"\n");
        mac.update(id.as_bytes());
        let mut text = hex::encode(mac.finalize().into_bytes());
        text.truncate(MAC_CHARS);
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_opens_its_own_id_for_its_own_purpose_only() {
        let key = LinkKey::from_secret("a secret of enough characters for tests").unwrap();
        let token = key.token(Purpose::Unsubscribe, "msg_0123");
        assert_eq!(
            key.verify(Purpose::Unsubscribe, &token).as_deref(),
            Some("msg_0123")
        );
        assert_eq!(key.verify(Purpose::Confirm, &token), None);
        assert_eq!(
            key.verify(Purpose::Unsubscribe, &token.replace("0123", "0124")),
            None
        );
        let other = LinkKey::from_secret("another secret entirely, also long").unwrap();
        assert_eq!(other.verify(Purpose::Unsubscribe, &token), None);
        assert_eq!(key.verify(Purpose::Unsubscribe, "garbage"), None);
        assert!(LinkKey::from_secret("  ").is_none());
    }
}

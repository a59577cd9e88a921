//! Secrets kept in D1 sealed with a key that only the Worker holds (the `INTEGRATIONS_KEY`
//! secret): XChaCha20-Poly1305 with a random nonce, bound to what the secret belongs to, so a
//! database read alone reveals nothing usable and a sealed value moved to another row does not
//! open.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use sha2::{Digest, Sha256};

use super::store::Runtime;
use crate::error::{EdgeError, Result};

/// Bytes of an XChaCha20 nonce.
const NONCE_BYTES: usize = 24;

/// The shortest `INTEGRATIONS_KEY` accepted: 32 characters of a random secret.
pub const MIN_KEY_CHARS: usize = 32;

/// The key that seals and opens stored secrets.
pub struct SealingKey {
    cipher: XChaCha20Poly1305,
}

impl SealingKey {
    /// The key derived (SHA-256) from the `INTEGRATIONS_KEY` secret; `None` when it is too short
    /// to be a secret.
    pub fn from_secret(secret: &str) -> Option<SealingKey> {
        if secret.trim().chars().count() < MIN_KEY_CHARS {
            return None;
        }
        let key = Sha256::digest(secret.trim().as_bytes());
        Some(SealingKey {
            cipher: XChaCha20Poly1305::new(&key),
        })
    }

    /// Seals `plaintext` for `context` (what it belongs to, e.g. `shop/platform`): base64 of the
    /// nonce and the ciphertext.
    pub fn seal(&self, runtime: &impl Runtime, context: &str, plaintext: &str) -> Result<String> {
        let mut nonce = [0_u8; NONCE_BYTES];
        runtime.random_bytes(&mut nonce)?;
        let sealed = self
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| EdgeError::Internal("sealing failed".into()))?;
        let mut bytes = nonce.to_vec();
        bytes.extend(sealed);
        Ok(STANDARD.encode(bytes))
    }

    /// Opens what [`SealingKey::seal`] sealed for the same `context`; an error when it was sealed
    /// with another key, for another context, or changed.
    pub fn open(&self, context: &str, sealed: &str) -> Result<String> {
        let unreadable =
            || EdgeError::Internal(format!("a sealed secret of {context} does not open"));
        let bytes = STANDARD.decode(sealed).map_err(|_| unreadable())?;
        if bytes.len() <= NONCE_BYTES {
            return Err(unreadable());
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_BYTES);
        let plaintext = self
            .cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: ciphertext,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| unreadable())?;
        String::from_utf8(plaintext).map_err(|_| unreadable())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::memory::TestRuntime;

    const SECRET: &str = "a-long-random-integrations-key-0123456789";

    #[test]
    fn sealed_secrets_open_only_with_their_key_and_context() {
        let key = SealingKey::from_secret(SECRET).expect("long enough");
        let runtime = TestRuntime::default();
        let sealed = key.seal(&runtime, "shop_a/shopify", "whsec-1").unwrap();
        assert!(!sealed.contains("whsec-1"));
        assert_eq!(key.open("shop_a/shopify", &sealed).unwrap(), "whsec-1");
        assert!(key.open("shop_b/shopify", &sealed).is_err());
        let other = SealingKey::from_secret("another-long-random-key-abcdefghijklmnop").unwrap();
        assert!(other.open("shop_a/shopify", &sealed).is_err());
        let mut tampered = STANDARD.decode(&sealed).unwrap();
        *tampered.last_mut().unwrap() ^= 1;
        assert!(
            key.open("shop_a/shopify", &STANDARD.encode(tampered))
                .is_err()
        );
    }

    #[test]
    fn short_keys_are_refused() {
        assert!(SealingKey::from_secret("too-short").is_none());
    }
}

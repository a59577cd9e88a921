//! API keys: creating them, and telling which shop a request speaks for.
//!
//! Publishable keys (`pk_<32 hex>`) are public and looked up as they are. Secret keys
//! (`sk_<16 hex id>_<48 hex secret>`) are stored only as a SHA-256 hash of the whole key and
//! compared in constant time; the id part finds the row.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use waypost_shared::wire::KeyKind;

use super::answers::Answers;
use super::live::Cache;
use super::store::{KeyRecord, Runtime, ShopRecord, Store};
use crate::error::{EdgeError, Result};

/// A freshly made key: the record to store and the key to show once.
pub struct NewKey {
    /// What storage keeps.
    pub record: KeyRecord,
    /// The key itself.
    pub key: String,
}

/// Makes a key of `kind` for `shop_id`.
pub fn new_key(runtime: &impl Runtime, shop_id: &str, kind: KeyKind) -> Result<NewKey> {
    match kind {
        KeyKind::Publishable => {
            let key = format!("pk_{}", random_hex(runtime, 16)?);
            let record = KeyRecord {
                key_id: key.clone(),
                shop_id: shop_id.to_owned(),
                kind,
                secret_hash: None,
                revoked: false,
            };
            Ok(NewKey { record, key })
        }
        KeyKind::Secret => {
            let key_id = format!("sk_{}", random_hex(runtime, 8)?);
            let key = format!("{key_id}_{}", random_hex(runtime, 24)?);
            let record = KeyRecord {
                key_id,
                shop_id: shop_id.to_owned(),
                kind,
                secret_hash: Some(sha256_hex(&key)),
                revoked: false,
            };
            Ok(NewKey { record, key })
        }
    }
}

/// The shop a publishable key belongs to. Public endpoints take only publishable keys.
pub async fn publishable_shop(store: &impl Store, key: Option<&str>) -> Result<ShopRecord> {
    let key = publishable(key)?;
    match store.key_with_shop(key).await? {
        Some((record, shop)) if record.kind == KeyKind::Publishable && !record.revoked => Ok(shop),
        _ => Err(EdgeError::Unauthorized),
    }
}

/// [`publishable_shop`], remembered in the answer cache: a look-up whose answer is kept then
/// reads nothing from D1 at all. A revoked key is forgotten where it was revoked (and expires
/// everywhere else within the cache's time-to-live).
pub async fn publishable_shop_cached(
    store: &impl Store,
    answers: &Answers<'_, impl Cache>,
    key: Option<&str>,
) -> Result<ShopRecord> {
    let key = publishable(key)?;
    if let Some(shop) = answers.shop_of_key(key).await {
        return Ok(shop);
    }
    let shop = publishable_shop(store, Some(key)).await?;
    answers.remember_key(key, &shop).await;
    Ok(shop)
}

/// A key shaped like a publishable one (`pk_`, at most 64 characters), else 401.
fn publishable(key: Option<&str>) -> Result<&str> {
    key.filter(|k| k.starts_with("pk_") && k.len() <= 64)
        .ok_or(EdgeError::Unauthorized)
}

/// The shop a secret key belongs to. A valid publishable key is refused with 403: it can read,
/// never write.
pub async fn secret_shop(store: &impl Store, key: Option<&str>) -> Result<ShopRecord> {
    secret_key(store, key).await.map(|(_, shop)| shop)
}

/// What a stored hash is compared with when no key was found: as long as a real one, so an
/// unknown key id costs what a wrong secret costs.
const NO_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A live secret key's record and shop. An unknown key id and a wrong secret do the same work
/// (one read, one hash, one constant-time comparison of the same length) and fail alike with
/// 401; a valid publishable key is refused with 403.
pub async fn secret_key(store: &impl Store, key: Option<&str>) -> Result<(KeyRecord, ShopRecord)> {
    let key = key
        .filter(|k| k.len() <= 128)
        .ok_or(EdgeError::Unauthorized)?;
    if key.starts_with("pk_") {
        publishable_shop(store, Some(key)).await?;
        return Err(EdgeError::Forbidden(
            "a publishable key cannot write; use the secret key from your server",
        ));
    }
    let key_id = key
        .strip_prefix("sk_")
        .and_then(|rest| rest.split_once('_'))
        .map(|(id, _)| format!("sk_{id}"));
    let found = match key_id {
        Some(id) => store.key_with_shop(&id).await?,
        None => None,
    };
    let hash = sha256_hex(key);
    let stored = found
        .as_ref()
        .and_then(|(record, _)| record.secret_hash.as_deref())
        .unwrap_or(NO_HASH);
    let matches: bool = hash.as_bytes().ct_eq(stored.as_bytes()).into();
    match found {
        Some((record, shop)) if matches && !record.revoked && record.kind == KeyKind::Secret => {
            Ok((record, shop))
        }
        _ => Err(EdgeError::Unauthorized),
    }
}

/// Checks the admin token (the `ADMIN_TOKEN` secret) in constant time. With no token
/// configured, nobody is admin.
pub fn check_admin(configured: Option<&str>, given: Option<&str>) -> Result<()> {
    match (configured.filter(|t| t.len() >= 16), given) {
        (Some(expected), Some(given))
            if bool::from(expected.as_bytes().ct_eq(given.as_bytes())) =>
        {
            Ok(())
        }
        _ => Err(EdgeError::Unauthorized),
    }
}

/// `bytes` random bytes as lower-case hex.
pub fn random_hex(runtime: &impl Runtime, bytes: usize) -> Result<String> {
    let mut buffer = vec![0u8; bytes];
    runtime.random_bytes(&mut buffer)?;
    Ok(hex::encode(buffer))
}

/// SHA-256 of `text` as lower-case hex: how secret keys and session tokens are stored.
pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::memory::{MemoryStore, TestRuntime, block_on, shop};

    #[test]
    fn secret_keys_verify_by_hash_and_refuse_everything_else() {
        let (store, runtime) = (MemoryStore::default(), TestRuntime::default());
        block_on(store.insert_shop(&shop("shop_a"))).unwrap();
        let secret = new_key(&runtime, "shop_a", KeyKind::Secret).unwrap();
        let public = new_key(&runtime, "shop_a", KeyKind::Publishable).unwrap();
        assert!(
            !secret
                .record
                .secret_hash
                .as_deref()
                .unwrap()
                .contains(&secret.key),
            "stored hashed"
        );
        block_on(store.insert_key(&secret.record)).unwrap();
        block_on(store.insert_key(&public.record)).unwrap();

        assert_eq!(
            block_on(secret_shop(&store, Some(&secret.key))).unwrap().id,
            "shop_a"
        );
        let last = if secret.key.ends_with('a') { "b" } else { "a" };
        let wrong = format!("{}{last}", &secret.key[..secret.key.len() - 1]);
        assert!(matches!(
            block_on(secret_shop(&store, Some(&wrong))),
            Err(EdgeError::Unauthorized)
        ));
        assert!(matches!(
            block_on(secret_shop(&store, None)),
            Err(EdgeError::Unauthorized)
        ));
        assert!(matches!(
            block_on(secret_shop(&store, Some(&public.key))),
            Err(EdgeError::Forbidden(_))
        ));
        assert!(matches!(
            block_on(publishable_shop(&store, Some(&secret.key))),
            Err(EdgeError::Unauthorized)
        ));
        assert_eq!(
            block_on(publishable_shop(&store, Some(&public.key)))
                .unwrap()
                .id,
            "shop_a"
        );

        block_on(store.revoke_key("shop_a", &secret.record.key_id)).unwrap();
        assert!(matches!(
            block_on(secret_shop(&store, Some(&secret.key))),
            Err(EdgeError::Unauthorized)
        ));
    }

    #[test]
    fn admin_token_must_be_configured_and_match() {
        assert!(check_admin(Some("0123456789abcdef"), Some("0123456789abcdef")).is_ok());
        assert!(check_admin(Some("0123456789abcdef"), Some("0123456789abcdeX")).is_err());
        assert!(check_admin(None, Some("anything")).is_err());
        assert!(check_admin(Some("short"), Some("short")).is_err());
    }
}

//! A shop's integrations with its platforms: the secret each platform signs its webhooks with,
//! sealed at rest, and the URL the retailer pastes into the platform's webhook settings.

use waypost_shared::wire::{IntegrationInput, IntegrationView, Platform};

use super::sealing::SealingKey;
use super::store::{IntegrationRecord, Runtime, ShopRecord, Store};
use super::validate;
use crate::error::{EdgeError, Result};

/// Shortest webhook secret accepted (WooCommerce lets the retailer type their own).
const MIN_SECRET_CHARS: usize = 8;
/// Longest webhook secret accepted.
const MAX_SECRET_CHARS: usize = 256;

/// `PUT /v1/integrations/{platform}`: sets the platform's webhook secret (sealed) and answers the
/// webhook URL. Setting it again replaces the secret.
pub async fn put_integration(
    store: &impl Store,
    runtime: &impl Runtime,
    key: Option<&SealingKey>,
    shop: &ShopRecord,
    platform: Platform,
    input: IntegrationInput,
    base_url: &str,
) -> Result<IntegrationView> {
    let key = key.ok_or(EdgeError::NotConfigured(
        "integrations need the INTEGRATIONS_KEY secret (32 random characters or more) on this deployment",
    ))?;
    let secret =
        validate::required_text("webhook_secret", &input.webhook_secret, MAX_SECRET_CHARS)?;
    if secret.chars().count() < MIN_SECRET_CHARS {
        return Err(EdgeError::bad_request(
            "invalid_field",
            format!("webhook_secret must be {MIN_SECRET_CHARS} to {MAX_SECRET_CHARS} characters"),
        ));
    }
    let record = IntegrationRecord {
        shop_id: shop.id.clone(),
        platform,
        sealed_secret: key.seal(runtime, &context(&shop.id, platform), &secret)?,
        created_at: runtime.now(),
    };
    store.put_integration(&record).await?;
    Ok(view(&record, base_url))
}

/// `GET /v1/integrations/{platform}`: the webhook URL, never the secret.
pub async fn integration(
    store: &impl Store,
    shop: &ShopRecord,
    platform: Platform,
    base_url: &str,
) -> Result<IntegrationView> {
    let (record, _) = store
        .integration_with_shop(&shop.id, platform)
        .await?
        .ok_or_else(|| not_set(platform))?;
    Ok(view(&record, base_url))
}

/// `DELETE /v1/integrations/{platform}`: the platform's webhooks are refused from then on.
pub async fn delete_integration(
    store: &impl Store,
    shop: &ShopRecord,
    platform: Platform,
) -> Result<()> {
    if store.delete_integration(&shop.id, platform).await? {
        Ok(())
    } else {
        Err(not_set(platform))
    }
}

/// The shop a platform's webhook is for, with the secret it is signed with, in one read; `None`
/// when there is no such shop or integration (or the deployment has no sealing key).
pub async fn webhook_target(
    store: &impl Store,
    key: Option<&SealingKey>,
    shop_id: &str,
    platform: Platform,
) -> Result<Option<(ShopRecord, String)>> {
    let Some(key) = key else {
        return Ok(None);
    };
    let Some((record, shop)) = store.integration_with_shop(shop_id, platform).await? else {
        return Ok(None);
    };
    let secret = key.open(&context(shop_id, platform), &record.sealed_secret)?;
    Ok(Some((shop, secret)))
}

/// Where a platform sends a shop's webhooks: `{base}/v1/webhooks/{platform}/{shop}`.
pub fn webhook_url(base_url: &str, platform: Platform, shop_id: &str) -> String {
    format!(
        "{}/v1/webhooks/{}/{shop_id}",
        base_url.trim_end_matches('/'),
        platform.as_str()
    )
}

/// What a sealed secret is bound to, so it opens for its own shop and platform only.
fn context(shop_id: &str, platform: Platform) -> String {
    format!("integration/{shop_id}/{}", platform.as_str())
}

fn view(record: &IntegrationRecord, base_url: &str) -> IntegrationView {
    IntegrationView {
        platform: record.platform,
        webhook_url: webhook_url(base_url, record.platform, &record.shop_id),
        created_at: record.created_at,
    }
}

fn not_set(platform: Platform) -> EdgeError {
    EdgeError::NotFound {
        code: "integration_not_found",
        detail: format!("this shop has no {} integration", platform.as_str()),
        detection: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::memory::{MemoryStore, TestRuntime, block_on, shop};

    const KEY: &str = "a-long-random-integrations-key-0123456789";

    #[test]
    fn a_secret_is_stored_sealed_shown_never_and_opened_for_its_shop_only() {
        let (store, runtime) = (MemoryStore::default(), TestRuntime::default());
        let (a, b) = (shop("shop_a"), shop("shop_b"));
        block_on(store.insert_shop(&a)).unwrap();
        block_on(store.insert_shop(&b)).unwrap();
        let key = SealingKey::from_secret(KEY);
        let input = IntegrationInput {
            webhook_secret: "whsec-of-shop-a".into(),
        };
        let base = "https://edge.example/";
        let view = block_on(put_integration(
            &store,
            &runtime,
            key.as_ref(),
            &a,
            Platform::Shopify,
            input,
            base,
        ))
        .unwrap();
        assert_eq!(
            view.webhook_url,
            "https://edge.example/v1/webhooks/shopify/shop_a"
        );
        let (stored, _) = block_on(store.integration_with_shop("shop_a", Platform::Shopify))
            .unwrap()
            .unwrap();
        assert!(!stored.sealed_secret.contains("whsec"));
        let (found, secret) = block_on(webhook_target(
            &store,
            key.as_ref(),
            "shop_a",
            Platform::Shopify,
        ))
        .unwrap()
        .unwrap();
        assert_eq!(
            (found.id.as_str(), secret.as_str()),
            ("shop_a", "whsec-of-shop-a")
        );
        for (shop_id, platform) in [
            ("shop_b", Platform::Shopify),
            ("shop_a", Platform::Woocommerce),
        ] {
            assert!(
                block_on(webhook_target(&store, key.as_ref(), shop_id, platform))
                    .unwrap()
                    .is_none()
            );
        }
        // A sealed secret copied to another shop's row does not open there.
        block_on(store.put_integration(&IntegrationRecord {
            shop_id: "shop_b".into(),
            ..stored
        }))
        .unwrap();
        assert!(
            block_on(webhook_target(
                &store,
                key.as_ref(),
                "shop_b",
                Platform::Shopify
            ))
            .is_err()
        );
        block_on(delete_integration(&store, &a, Platform::Shopify)).unwrap();
        assert!(
            block_on(webhook_target(
                &store,
                key.as_ref(),
                "shop_a",
                Platform::Shopify
            ))
            .unwrap()
            .is_none()
        );
        let again = block_on(delete_integration(&store, &a, Platform::Shopify)).unwrap_err();
        assert_eq!(again.status(), 404);
    }

    #[test]
    fn without_a_sealing_key_integrations_are_not_configured() {
        let (store, runtime) = (MemoryStore::default(), TestRuntime::default());
        let input = IntegrationInput {
            webhook_secret: "whsec-of-shop-a".into(),
        };
        let error = block_on(put_integration(
            &store,
            &runtime,
            None,
            &shop("shop_a"),
            Platform::Shopify,
            input,
            "https://edge.example",
        ))
        .unwrap_err();
        assert_eq!(error.status(), 503);
    }
}

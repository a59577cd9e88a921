//! `GET` and `PATCH /v1/shop`, `POST /v1/shop/publishable-key`: a shop's own settings, read and
//! changed with its secret key or its console session. A change is one conditional statement per
//! setting given, so two changes of different settings made at once both land; the shop's
//! publishable keys then leave the answer cache here, so a new allowed origin (or one taken away)
//! counts at the next request (other data centres within the cache's time-to-live).

use waypost_shared::eta::TransitRange;
use waypost_shared::wire::{KeyKind, ShopSettings, ShopSettingsInput};

use super::answers::Answers;
use super::auth::new_key;
use super::live::Cache;
use super::store::{Runtime, SettingsChange, ShopRecord, Store};
use super::validate;
use crate::error::{EdgeError, Result};

/// The shop's settings, with its newest live publishable key.
pub async fn settings(store: &impl Store, shop_id: &str) -> Result<ShopSettings> {
    let shop = store.shop(shop_id).await?.ok_or(EdgeError::Unauthorized)?;
    let publishable_key = store
        .publishable_keys(shop_id)
        .await?
        .into_iter()
        .next()
        .map(|key| key.key_id);
    Ok(ShopSettings {
        shop_id: shop.id,
        name: shop.name,
        allowed_origins: shop.allowed_origins,
        transit_days: TransitRange {
            min_days: shop.transit_min_days,
            max_days: shop.transit_max_days,
        },
        live_carriers: shop.live_carriers,
        publishable_key,
    })
}

/// Changes the settings `input` gives (validated as when the shop was created), then answers the
/// settings.
pub async fn change(
    store: &impl Store,
    answers: &Answers<'_, impl Cache>,
    shop: &ShopRecord,
    input: ShopSettingsInput,
) -> Result<ShopSettings> {
    let change = SettingsChange {
        allowed_origins: input
            .allowed_origins
            .as_deref()
            .map(validate::allowed_origins)
            .transpose()?,
        transit_days: input
            .transit_days
            .map(validate::transit_days)
            .transpose()?
            .map(|range| (range.min_days, range.max_days)),
        live_carriers: input.live_carriers.map(validate::live_carriers),
    };
    if change != SettingsChange::default() {
        store.update_shop_settings(&shop.id, &change).await?;
        for key in store.publishable_keys(&shop.id).await? {
            answers.forget_key(&key.key_id).await;
        }
    }
    settings(store, &shop.id).await
}

/// Gives the shop a new publishable key and revokes its others at once (they leave the answer
/// cache here; other data centres drop them within its time-to-live): the snippet must then carry
/// the new key.
pub async fn rotate_publishable_key(
    store: &impl Store,
    runtime: &impl Runtime,
    answers: &Answers<'_, impl Cache>,
    shop: &ShopRecord,
) -> Result<ShopSettings> {
    let key = new_key(runtime, &shop.id, KeyKind::Publishable)?;
    for revoked in store.replace_publishable_key(&key.record).await? {
        answers.forget_key(&revoked).await;
    }
    settings(store, &shop.id).await
}

#[cfg(test)]
mod tests {
    use waypost_shared::detect::Carrier;

    use super::*;
    use crate::service::auth::publishable_shop_cached;
    use crate::service::memory::block_on;
    use crate::service::test_carriers::answers;
    use crate::service::tests::setup;

    #[test]
    fn a_change_sets_only_what_it_gives_and_is_validated() {
        let (store, _, shop) = setup();
        let before = block_on(settings(&store, &shop.id)).unwrap();
        let input = ShopSettingsInput {
            allowed_origins: Some(vec!["https://new.example/".into()]),
            live_carriers: Some(vec![Carrier::Yunexpress, Carrier::Yunexpress, Carrier::Ups]),
            ..ShopSettingsInput::default()
        };
        let after = block_on(change(&store, &answers(), &shop, input)).unwrap();
        assert_eq!(after.allowed_origins, ["https://new.example"]);
        assert_eq!(after.live_carriers, [Carrier::Yunexpress, Carrier::Ups]);
        assert_eq!(after.transit_days, before.transit_days, "left as it was");
        assert_eq!(after.publishable_key, before.publishable_key);

        for bad in [
            ShopSettingsInput {
                allowed_origins: Some(vec!["http://shop.example".into()]),
                ..ShopSettingsInput::default()
            },
            ShopSettingsInput {
                transit_days: Some(TransitRange {
                    min_days: 9,
                    max_days: 3,
                }),
                ..ShopSettingsInput::default()
            },
        ] {
            let refused = block_on(change(&store, &answers(), &shop, bad));
            assert!(
                matches!(refused, Err(EdgeError::BadRequest { .. })),
                "{refused:?}"
            );
        }
        assert_eq!(block_on(settings(&store, &shop.id)).unwrap(), after);
    }

    #[test]
    fn a_new_publishable_key_revokes_the_old_one_at_once() {
        let (store, runtime, shop) = setup();
        let cache = answers();
        let old = block_on(settings(&store, &shop.id))
            .unwrap()
            .publishable_key
            .unwrap();
        // The old key's shop is in the answer cache, as after a look-up.
        block_on(publishable_shop_cached(&store, &cache, Some(&old))).unwrap();
        let rotated = block_on(rotate_publishable_key(&store, &runtime, &cache, &shop)).unwrap();
        let new = rotated.publishable_key.unwrap();
        assert_ne!(new, old);
        assert!(matches!(
            block_on(publishable_shop_cached(&store, &cache, Some(&old))),
            Err(EdgeError::Unauthorized)
        ));
        let found = block_on(publishable_shop_cached(&store, &cache, Some(&new))).unwrap();
        assert_eq!(found.id, shop.id);
    }
}

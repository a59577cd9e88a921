//! Console sessions on the host, against the in-memory store.

use chrono::TimeDelta;
use waypost_shared::eta::TransitRange;
use waypost_shared::wire::{ShopCreated, ShopInput};

use super::auth::sha256_hex;
use super::console_sessions::{
    SESSION_SECONDS, check_csrf, check_origin, delete_expired, session, sign_in, sign_out,
};
use super::memory::{MemoryStore, TestRuntime, block_on, create_shop};
use super::store::{Runtime, Store};
use crate::error::EdgeError;

/// A store with one shop named `name`, and its keys.
fn shop(store: &MemoryStore, runtime: &TestRuntime, name: &str) -> ShopCreated {
    let input = ShopInput {
        name: name.into(),
        allowed_origins: Vec::new(),
        transit_days: TransitRange {
            min_days: 3,
            max_days: 9,
        },
        live_carriers: Vec::new(),
        retention_days: None,
        history_days: None,
    };
    create_shop(store, runtime, input).1
}

/// `key` with its last character changed.
fn altered(key: &str) -> String {
    let last = if key.ends_with('a') { "b" } else { "a" };
    format!("{}{last}", &key[..key.len() - 1])
}

fn is_unauthorized<T>(result: Result<T, EdgeError>) -> bool {
    matches!(result, Err(EdgeError::Unauthorized))
}

#[test]
fn signing_in_makes_a_session_of_the_keys_shop_stored_hashed() {
    let (store, runtime) = (MemoryStore::default(), TestRuntime::default());
    let created = shop(&store, &runtime, "Shop A");
    let now = runtime.now();

    let signed_in = block_on(sign_in(&store, &runtime, &created.secret_key, now)).unwrap();
    assert_eq!(signed_in.token.len(), 64);
    assert!(signed_in.token.bytes().all(|b| b.is_ascii_hexdigit()));
    let view = &signed_in.session;
    assert_eq!(view.shop_id, created.shop_id);
    assert_eq!(view.shop_name, "Shop A");
    assert_eq!(view.csrf_token.len(), 32);
    assert_eq!(view.expires_at, now + TimeDelta::hours(12));
    assert_eq!(SESSION_SECONDS, 43_200);

    // Stored under the token's hash, never the token.
    assert!(
        block_on(store.live_session(&signed_in.token, now))
            .unwrap()
            .is_none()
    );
    let (stored, _) = block_on(store.live_session(&sha256_hex(&signed_in.token), now))
        .unwrap()
        .expect("stored by hash");
    assert_ne!(stored.token_hash, signed_in.token);

    let live = block_on(session(&store, Some(&signed_in.token), now)).unwrap();
    assert_eq!(live.shop.id, created.shop_id);
    assert_eq!(live.view(), signed_in.session);

    let again = block_on(sign_in(&store, &runtime, &created.secret_key, now)).unwrap();
    assert_ne!(
        again.token, signed_in.token,
        "every sign-in is a new session"
    );
    assert_ne!(again.session.csrf_token, signed_in.session.csrf_token);
}

#[test]
fn each_session_reaches_its_own_shop_only() {
    let (store, runtime) = (MemoryStore::default(), TestRuntime::default());
    let a = shop(&store, &runtime, "Shop A");
    let b = shop(&store, &runtime, "Shop B");
    let now = runtime.now();
    let token_a = block_on(sign_in(&store, &runtime, &a.secret_key, now))
        .unwrap()
        .token;
    let token_b = block_on(sign_in(&store, &runtime, &b.secret_key, now))
        .unwrap()
        .token;
    let shop_of = |token: &str| block_on(session(&store, Some(token), now)).unwrap().shop.id;
    assert_eq!(shop_of(&token_a), a.shop_id);
    assert_eq!(shop_of(&token_b), b.shop_id);
}

#[test]
fn sessions_end_twelve_hours_after_signing_in_and_are_deleted_in_batches() {
    let (store, runtime) = (MemoryStore::default(), TestRuntime::default());
    let created = shop(&store, &runtime, "Shop");
    let now = runtime.now();
    let tokens: Vec<String> = (0..3)
        .map(|minutes| {
            let at = now + TimeDelta::minutes(minutes);
            block_on(sign_in(&store, &runtime, &created.secret_key, at))
                .unwrap()
                .token
        })
        .collect();
    let first = Some(tokens[0].as_str());
    let end = now + TimeDelta::seconds(SESSION_SECONDS);

    assert!(block_on(session(&store, first, end - TimeDelta::seconds(1))).is_ok());
    assert!(is_unauthorized(block_on(session(&store, first, end))));

    // Two of the three have expired a minute later; a batch takes the earliest first.
    let later = end + TimeDelta::minutes(1);
    assert_eq!(block_on(delete_expired(&store, later, 1)).unwrap(), 1);
    assert_eq!(block_on(delete_expired(&store, later, 10)).unwrap(), 1);
    assert_eq!(block_on(delete_expired(&store, later, 10)).unwrap(), 0);
    assert!(block_on(session(&store, Some(&tokens[2]), later)).is_ok());
}

#[test]
fn signing_out_ends_the_session() {
    let (store, runtime) = (MemoryStore::default(), TestRuntime::default());
    let created = shop(&store, &runtime, "Shop");
    let now = runtime.now();
    let token = block_on(sign_in(&store, &runtime, &created.secret_key, now))
        .unwrap()
        .token;
    let other = block_on(sign_in(&store, &runtime, &created.secret_key, now))
        .unwrap()
        .token;

    let live = block_on(session(&store, Some(&token), now)).unwrap();
    block_on(sign_out(&store, &live)).unwrap();
    assert!(is_unauthorized(block_on(session(
        &store,
        Some(&token),
        now
    ))));
    assert!(
        block_on(session(&store, Some(&other), now)).is_ok(),
        "only that session ends"
    );
}

#[test]
fn revoking_the_key_ends_its_sessions() {
    let (store, runtime) = (MemoryStore::default(), TestRuntime::default());
    let created = shop(&store, &runtime, "Shop");
    let now = runtime.now();
    let token = block_on(sign_in(&store, &runtime, &created.secret_key, now))
        .unwrap()
        .token;
    let (session_record, _) = block_on(store.live_session(&sha256_hex(&token), now))
        .unwrap()
        .unwrap();
    assert!(created.secret_key.starts_with(&session_record.key_id));

    block_on(store.revoke_key(&created.shop_id, &session_record.key_id)).unwrap();
    assert!(is_unauthorized(block_on(session(
        &store,
        Some(&token),
        now
    ))));
    assert!(is_unauthorized(block_on(sign_in(
        &store,
        &runtime,
        &created.secret_key,
        now
    ))));
}

#[test]
fn unknown_key_ids_and_wrong_secrets_are_refused_alike_with_the_same_work() {
    let (store, runtime) = (MemoryStore::default(), TestRuntime::default());
    let created = shop(&store, &runtime, "Shop");
    let now = runtime.now();
    let key = &created.secret_key;
    let (id, secret) = key[3..].split_once('_').expect("sk_<id>_<secret>");
    let wrong_secret = altered(key);
    let unknown_id = format!("sk_{}_{secret}", altered(id));

    let mut reads = Vec::new();
    for attempt in [&wrong_secret, &unknown_id] {
        let before = store.calls();
        let refused = block_on(sign_in(&store, &runtime, attempt, now));
        assert!(is_unauthorized(refused), "{attempt}");
        reads.push(store.calls() - before);
    }
    assert_eq!(reads, [1, 1], "one key read each, nothing stored");

    for other in [
        created.publishable_key.as_str(),
        "",
        "sk_nounderscore",
        "not a key",
    ] {
        let refused = block_on(sign_in(&store, &runtime, other, now));
        assert!(is_unauthorized(refused), "{other:?}");
    }
    let too_long = format!("{key}{}", "0".repeat(128));
    assert!(is_unauthorized(block_on(sign_in(
        &store, &runtime, &too_long, now
    ))));
}

#[test]
fn tokens_not_shaped_like_one_are_refused_without_a_read() {
    let (store, runtime) = (MemoryStore::default(), TestRuntime::default());
    shop(&store, &runtime, "Shop");
    let before = store.calls();
    for token in [
        None,
        Some(""),
        Some("abc"),
        Some(&*"G".repeat(64)),
        Some(&*"A".repeat(64)),
    ] {
        assert!(is_unauthorized(block_on(session(
            &store,
            token,
            runtime.now()
        ))));
    }
    assert_eq!(store.calls(), before);
    let unknown = "0".repeat(64);
    assert!(is_unauthorized(block_on(session(
        &store,
        Some(&unknown),
        runtime.now()
    ))));
}

#[test]
fn writes_need_the_sessions_csrf_token() {
    let csrf = "00112233445566778899aabbccddeeff";
    assert!(check_csrf(csrf, Some(csrf)).is_ok());
    for given in [
        None,
        Some(""),
        Some("00112233445566778899aabbccddeefe"),
        Some("00112233445566778899aabbccddee"),
    ] {
        let error = check_csrf(csrf, given).unwrap_err();
        assert_eq!(error.status(), 403, "{given:?}");
        assert_eq!(error.problem().code, "csrf_failed");
    }
    assert!(
        check_csrf("", Some("")).is_err(),
        "an empty token matches nothing"
    );
}

#[test]
fn requests_with_the_cookie_come_from_the_own_origin_only() {
    let own = "https://track.example.com";
    for origin in [
        None,
        Some(own),
        Some("https://TRACK.example.com"),
        Some("https://track.example.com/"),
    ] {
        assert!(check_origin(origin, own).is_ok(), "{origin:?}");
    }
    for origin in [
        "https://evil.example",
        "null",
        "http://track.example.com",
        "https://track.example.com:8443",
        "https://track.example.com.evil.example",
    ] {
        let error = check_origin(Some(origin), own).unwrap_err();
        assert_eq!(error.problem().code, "csrf_failed", "{origin}");
    }
}

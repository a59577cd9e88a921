//! Every language has every label, with the same placeholders as English.

use std::collections::BTreeSet;

use chrono::{DateTime, TimeDelta, Utc};
use proptest::prelude::*;
use waypost_shared::labels::{DatePart, Key, Lang, relative_time};

fn placeholders(text: &str) -> BTreeSet<&str> {
    text.split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
        .collect()
}

#[test]
fn every_catalogue_has_every_key_with_matching_placeholders() {
    let keys = Key::all();
    assert!(keys.len() > 150, "Key::all lists {} keys", keys.len());
    for lang in Lang::ALL {
        for &key in &keys {
            let text = lang.text(key);
            assert!(
                !text.trim().is_empty(),
                "{lang:?} has an empty text for {key:?}"
            );
            if key == Key::Date(DatePart::TimePattern) {
                assert!(
                    text.contains("{mm}") && (text.contains("{h12}") || text.contains("{h24}")),
                    "{lang:?}: {text}"
                );
                continue;
            }
            assert_eq!(
                placeholders(text),
                placeholders(Lang::En.text(key)),
                "{lang:?} {key:?}: {text:?}"
            );
        }
    }
}

#[test]
fn other_languages_are_actually_translated() {
    let keys = Key::all();
    for lang in [Lang::Es, Lang::Fr, Lang::De] {
        let same = keys
            .iter()
            .filter(|&&key| lang.text(key) == Lang::En.text(key))
            .count();
        assert!(
            same * 10 < keys.len(),
            "{lang:?} repeats English for {same} of {} keys",
            keys.len()
        );
    }
}

proptest! {
    #[test]
    fn every_key_in_every_language(lang in prop::sample::select(Lang::ALL.to_vec()), index in any::<prop::sample::Index>()) {
        let keys = Key::all();
        let key = keys[index.index(keys.len())];
        prop_assert!(!lang.text(key).is_empty());
    }

    #[test]
    fn relative_time_always_says_a_number_or_now(seconds in -400_000_000i64..400_000_000, lang in prop::sample::select(Lang::ALL.to_vec())) {
        let now: DateTime<Utc> = "2026-11-21T12:00:00Z".parse().unwrap();
        let text = relative_time(now + TimeDelta::seconds(seconds), now, lang);
        prop_assert!(!text.contains('{'), "unfilled placeholder in {text:?}");
        prop_assert!(seconds.abs() < 60 || text.chars().any(|c| c.is_ascii_digit()), "{text:?}");
    }
}

//! Detection and time parsing take whatever people and carriers send without panicking, and
//! without unbounded work.

use proptest::prelude::*;
use waypost_shared::Error;
use waypost_shared::detect::{Confidence, MAX_INPUT_CHARS, MAX_TYPED_CHARS, detect};
use waypost_shared::time::EventTime;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn detection_never_panics_on_any_unicode(input in prop::collection::vec(any::<char>(), 0..10_240)) {
        let input: String = input.into_iter().collect();
        match detect(&input) {
            Ok(detection) => {
                prop_assert!(input.chars().count() <= MAX_TYPED_CHARS);
                if let Some(normalized) = &detection.normalized {
                    prop_assert!(normalized.len() <= MAX_INPUT_CHARS);
                }
            }
            Err(Error::InputTooLong { .. } | Error::NumberTooLong { .. }) => {}
            Err(other) => prop_assert!(false, "unexpected error {other}"),
        }
    }

}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn near_numbers_give_consistent_answers(input in "[0-9A-Za-z \\-\n]{0,80}") {
        if let Ok(detection) = detect(&input) {
            let verified = detection.candidates.iter().any(|c| c.confidence == Confidence::High);
            prop_assert!(!verified || detection.near_misses.is_empty(), "typo hints beside a verified match");
            for candidate in &detection.candidates {
                prop_assert!(detection.near_misses.iter().all(|miss| miss.carrier != candidate.carrier));
            }
        }
    }

    #[test]
    fn time_parsing_never_panics(input in "\\PC{0,80}") {
        let _ = EventTime::parse(&input);
        let _ = EventTime::from_parts(&input, &input, Some(&input));
    }

    #[test]
    fn offsets_sort_by_the_instant(
        a_secs in 0i64..100_000_000, b_secs in 0i64..100_000_000,
        a_offset in -12i32..=14, b_offset in -12i32..=14,
    ) {
        let time = |secs: i64, hours: i32| {
            let offset = chrono::FixedOffset::east_opt(hours * 3600).unwrap();
            let instant = chrono::DateTime::from_timestamp(1_700_000_000 + secs, 0).unwrap();
            EventTime::with_offset(instant.with_timezone(&offset).naive_local(), offset)
        };
        let (a, b) = (time(a_secs, a_offset), time(b_secs, b_offset));
        prop_assert_eq!(a.sort_key().cmp(&b.sort_key()), a_secs.cmp(&b_secs));
        prop_assert_eq!(a.utc().unwrap().timestamp(), 1_700_000_000 + a_secs);
    }
}

#[test]
fn bad_inputs_of_the_issue() {
    let cases = [
        "".to_owned(),
        "   \t ".to_owned(),
        "📦🚚✅".to_owned(),
        "1z5r8939-0357-567127".to_owned(),
        "1Z5R8939\n0357567127".to_owned(),
        "1Z5R89390357567127Ж".to_owned(),
        "ＲＲ１２３４５６７８５ＣＮ".to_owned(),
        "'; DROP TABLE shipments; --".to_owned(),
        "../../etc/passwd".to_owned(),
    ];
    for input in &cases {
        let detection = detect(input).expect("short inputs are answered");
        assert!(detection.candidates.len() <= 3, "{input:?}");
    }
    assert!(
        !detect("1z5r8939-0357-567127")
            .unwrap()
            .candidates
            .is_empty(),
        "dashes and case are normalised"
    );
    assert!(
        !detect("1Z5R8939\n0357567127")
            .unwrap()
            .candidates
            .is_empty(),
        "an embedded newline is whitespace"
    );
    assert!(detect(&"x".repeat(10_240)).is_err());
    assert!(matches!(
        detect(&"7".repeat(65)),
        Err(Error::NumberTooLong { chars: 65, .. })
    ));
}

//! Property: a single-digit change to a valid number never passes as the same format, wherever
//! the format's check digit can see it.
//!
//! The check digit covers the serial and itself, not routing prefixes or trailing fields, so
//! changes there are out of scope. Rules that catch every single-digit change (Luhn, mod 10 with
//! odd weights, ISO 7064) are held to it at every covered position; the rules with known blind
//! spots (mod 10 with weight 2, mod 7, the mod-11 rules; see `checksum.rs`) are held to it at the
//! check digit itself.

#[path = "../../tests/support/vectors.rs"]
mod vectors;

use proptest::prelude::*;

use super::{FORMATS, Outcome, detect, evaluate, normalize};

/// A valid vector number of a checksummed format, normalised, with the positions its check
/// digit covers and whether every covered position is guaranteed to catch a change.
#[derive(Debug, Clone)]
struct Sample {
    format: &'static str,
    number: Vec<u8>,
    covered: Vec<usize>,
    catches_all: bool,
}

/// Loaded once: proptest calls the property thousands of times.
fn samples() -> &'static [Sample] {
    static SAMPLES: std::sync::OnceLock<Vec<Sample>> = std::sync::OnceLock::new();
    SAMPLES.get_or_init(load_samples)
}

fn load_samples() -> Vec<Sample> {
    let mut samples = Vec::new();
    for vector in vectors::vector_formats() {
        let format = FORMATS
            .iter()
            .find(|f| f.name == vector.name)
            .expect("implemented format");
        assert_eq!(format.carrier.code(), vector.courier);
        if format.checksum == super::Checksum::None {
            continue;
        }
        for number in &vector.valid {
            let mut buffer = [0u8; super::MAX_INPUT_CHARS];
            let number = normalize(number, &mut buffer).unwrap().unwrap().to_vec();
            let Outcome::Matches(fit) = evaluate(format, &number) else {
                panic!("{number:?} must match {}", format.name)
            };
            let (start, end) = fit.serial;
            let catches_all = format.checksum.catches_every_single_digit_change();
            let covered = if catches_all {
                (start..=end).collect()
            } else {
                vec![end]
            };
            let covered = covered
                .into_iter()
                .filter(|&i| number[i].is_ascii_digit())
                .collect();
            samples.push(Sample {
                format: format.name,
                number,
                covered,
                catches_all,
            });
        }
    }
    samples
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn single_digit_change_is_never_the_same_format(
        pick in any::<prop::sample::Index>(),
        position in any::<prop::sample::Index>(),
        shift in 1u8..10,
    ) {
        let samples = samples();
        let sample = &samples[pick.index(samples.len())];
        let at = sample.covered[position.index(sample.covered.len())];
        let mut changed = sample.number.clone();
        changed[at] = b'0' + (changed[at] - b'0' + shift) % 10;
        let changed = String::from_utf8(changed).unwrap();
        let detection = detect(&changed).unwrap();
        prop_assert!(
            detection.candidates.iter().all(|c| c.format != sample.format),
            "{changed} (position {at} of {}) still passes as {} (check catches all: {})",
            String::from_utf8_lossy(&sample.number), sample.format, sample.catches_all
        );
    }
}

#[test]
fn strong_rules_cover_most_formats() {
    let samples = samples();
    let strong = samples.iter().filter(|s| s.catches_all).count();
    assert!(
        strong * 2 > samples.len(),
        "{strong} of {} samples have a strong check",
        samples.len()
    );
}

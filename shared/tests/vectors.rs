//! Conformance against the public tracking-number vectors in `../shared/vectors/` (next to the
//! repository; `WAYPOST_VECTORS` overrides the folder). A missing folder fails the test.

#[path = "support/vectors.rs"]
mod support;

use support::{VectorFormat, vector_formats};
use waypost_shared::detect::{Carrier, detect, formats};

fn courier(format: &VectorFormat) -> Carrier {
    Carrier::from_code(&format.courier)
        .unwrap_or_else(|| panic!("unknown courier {}", format.courier))
}

#[test]
fn every_valid_number_is_detected_as_its_courier_and_format() {
    let mut failures = Vec::new();
    for format in vector_formats() {
        let expected = courier(&format);
        for number in &format.valid {
            let detection = detect(number).expect("within the length limits");
            let found: Vec<(Carrier, &str)> = detection
                .candidates
                .iter()
                .map(|c| (c.carrier, c.format.as_ref()))
                .collect();
            let Some(position) = found
                .iter()
                .position(|&(c, name)| c == expected && name == format.name)
            else {
                failures.push(format!(
                    "{number:?}: {} / {} not among {found:?}",
                    format.courier, format.name
                ));
                continue;
            };
            let own_carrier_first = found[0].0 == expected;
            if !own_carrier_first {
                // Allowed only when another courier's pattern and check digit genuinely hold;
                // the ranking rule put it first, never on weaker evidence.
                let (own, first) = (&detection.candidates[position], &detection.candidates[0]);
                assert!(
                    first.confidence <= own.confidence,
                    "{number:?}: {:?} outranks on weaker evidence",
                    first.carrier
                );
                println!(
                    "{number:?} also fits {:?} ({}), ranked ahead",
                    first.carrier, first.format
                );
            }
        }
    }
    assert!(
        failures.is_empty(),
        "valid numbers not detected:\n{}",
        failures.join("\n")
    );
}

#[test]
fn no_invalid_number_is_reported_as_its_courier() {
    let formats = vector_formats();
    let mut failures = Vec::new();
    for format in &formats {
        for number in &format.invalid {
            let detection = detect(number).expect("within the length limits");
            if detection.candidates.iter().any(|c| c.format == format.name) {
                failures.push(format!("{number:?} reported as its format {}", format.name));
            }
            // One vector number is invalid for a format but listed valid for another format of
            // the same courier ("331426749957", Purolator): that alone may name the courier.
            let valid_for_courier = formats
                .iter()
                .any(|f| f.courier == format.courier && f.valid.contains(number));
            if !valid_for_courier
                && detection
                    .candidates
                    .iter()
                    .any(|c| c.carrier == courier(format))
            {
                failures.push(format!(
                    "{number:?} reported as its courier {}",
                    format.courier
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "invalid numbers accepted:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_format_of_the_vectors_is_implemented() {
    let ours: Vec<_> = formats()
        .map(|f| (f.carrier, f.name.into_owned()))
        .collect();
    for format in vector_formats() {
        assert!(
            ours.contains(&(courier(&format), format.name.clone())),
            "{} is not implemented",
            format.name
        );
    }
    // The vectors' 39, and 5 for parcels from China (tests/chinese_carriers.rs).
    assert_eq!(ours.len(), 44);
}

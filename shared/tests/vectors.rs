//! Conformance against the public tracking-number vectors in `../shared/vectors/` (next to the
//! repository; `WAYPOST_VECTORS` overrides the folder). A missing folder fails the test.

use std::path::PathBuf;

use serde_json::Value;
use waypost_shared::detect::{Carrier, detect, formats};

/// One format's test numbers, as the vectors give them.
struct VectorFormat {
    courier: Carrier,
    name: String,
    valid: Vec<String>,
    invalid: Vec<String>,
}

fn vectors_dir() -> PathBuf {
    std::env::var_os("WAYPOST_VECTORS").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors/tracking_number_data")
    })
}

/// Every format of every courier file, with a guard that this is the whole public set.
fn vector_formats() -> Vec<VectorFormat> {
    let dir = vectors_dir();
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|err| {
        panic!("the tracking-number vectors folder {} cannot be read ({err}); set WAYPOST_VECTORS", dir.display())
    });
    let mut files = 0;
    let mut formats = Vec::new();
    for path in entries.map(|entry| entry.expect("readable entry").path()) {
        if path.extension().is_none_or(|ext| ext != "json") {
            continue;
        }
        files += 1;
        let json: Value = serde_json::from_str(&std::fs::read_to_string(&path).expect("readable")).expect("JSON");
        let code = json["courier_code"].as_str().expect("courier_code");
        let courier = Carrier::from_code(code).unwrap_or_else(|| panic!("unknown courier {code}"));
        for format in json["tracking_numbers"].as_array().expect("tracking_numbers") {
            let numbers = |kind: &str| -> Vec<String> {
                let list = format["test_numbers"][kind].as_array().cloned().unwrap_or_default();
                list.iter().map(|n| n.as_str().expect("string").to_owned()).collect()
            };
            formats.push(VectorFormat {
                courier,
                name: format["name"].as_str().expect("name").to_owned(),
                valid: numbers("valid"),
                invalid: numbers("invalid"),
            });
        }
    }
    assert_eq!(files, 18, "expected 18 courier files in {}", dir.display());
    assert_eq!(formats.len(), 39);
    assert_eq!(formats.iter().map(|f| f.valid.len()).sum::<usize>(), 192);
    assert_eq!(formats.iter().map(|f| f.invalid.len()).sum::<usize>(), 88);
    formats
}

#[test]
fn every_valid_number_is_detected_as_its_courier_and_format() {
    let mut failures = Vec::new();
    for format in vector_formats() {
        for number in &format.valid {
            let detection = detect(number).expect("within the length limits");
            let found: Vec<(Carrier, &str)> =
                detection.candidates.iter().map(|c| (c.carrier, c.format.as_ref())).collect();
            let Some(position) = found.iter().position(|&(c, name)| c == format.courier && name == format.name) else {
                failures.push(format!("{number:?}: {} / {} not among {found:?}", format.courier.code(), format.name));
                continue;
            };
            let own_carrier_first = found[0].0 == format.courier;
            if !own_carrier_first {
                // Allowed only when another courier's pattern and check digit genuinely hold;
                // the ranking rule put it first, never on weaker evidence.
                let (own, first) = (&detection.candidates[position], &detection.candidates[0]);
                assert!(first.confidence <= own.confidence, "{number:?}: {:?} outranks on weaker evidence", first.carrier);
                println!("{number:?} also fits {:?} ({}), ranked ahead", first.carrier, first.format);
            }
        }
    }
    assert!(failures.is_empty(), "valid numbers not detected:\n{}", failures.join("\n"));
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
            let valid_for_courier =
                formats.iter().any(|f| f.courier == format.courier && f.valid.contains(number));
            if !valid_for_courier && detection.candidates.iter().any(|c| c.carrier == format.courier) {
                failures.push(format!("{number:?} reported as its courier {}", format.courier.code()));
            }
        }
    }
    assert!(failures.is_empty(), "invalid numbers accepted:\n{}", failures.join("\n"));
}

#[test]
fn every_format_of_the_vectors_is_implemented() {
    let ours: Vec<_> = formats().map(|f| (f.carrier, f.name.into_owned())).collect();
    for format in vector_formats() {
        assert!(ours.contains(&(format.courier, format.name.clone())), "{} is not implemented", format.name);
    }
    assert_eq!(ours.len(), 39);
}

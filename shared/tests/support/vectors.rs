//! Loads the public tracking-number vectors from `../shared/vectors/tracking_number_data` next
//! to the repository (`WAYPOST_VECTORS` overrides the folder). A missing folder panics with its
//! name: conformance must never pass silently.

use std::path::PathBuf;

use serde_json::Value;

/// One format's test numbers, as the vectors give them.
pub struct VectorFormat {
    /// The courier code of its file (`ups`, `canada_post`, ...).
    pub courier: String,
    /// The format's name (`USPS IMpb C`, ...).
    pub name: String,
    /// Numbers that must be detected as this format and courier.
    pub valid: Vec<String>,
    /// Numbers that must not be.
    pub invalid: Vec<String>,
}

/// The vectors folder.
pub fn vectors_dir() -> PathBuf {
    std::env::var_os("WAYPOST_VECTORS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../shared/vectors/tracking_number_data")
        })
}

/// Every format of every courier file, checked to be the whole public set (18 files, 39
/// formats, 192 valid and 88 invalid numbers).
pub fn vector_formats() -> Vec<VectorFormat> {
    let dir = vectors_dir();
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|err| {
        panic!(
            "the tracking-number vectors folder {} cannot be read ({err}); set WAYPOST_VECTORS",
            dir.display()
        )
    });
    let mut paths: Vec<PathBuf> = entries
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    paths.sort();
    assert_eq!(
        paths.len(),
        18,
        "expected 18 courier files in {}",
        dir.display()
    );
    let mut formats = Vec::new();
    for path in paths {
        let json: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("readable")).expect("JSON");
        let courier = json["courier_code"].as_str().expect("courier_code");
        for format in json["tracking_numbers"]
            .as_array()
            .expect("tracking_numbers")
        {
            let numbers = |kind: &str| -> Vec<String> {
                let list = format["test_numbers"][kind]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                list.iter()
                    .map(|n| n.as_str().expect("string").to_owned())
                    .collect()
            };
            formats.push(VectorFormat {
                courier: courier.to_owned(),
                name: format["name"].as_str().expect("name").to_owned(),
                valid: numbers("valid"),
                invalid: numbers("invalid"),
            });
        }
    }
    assert_eq!(
        formats.len(),
        39,
        "expected 39 formats in {}",
        dir.display()
    );
    assert_eq!(formats.iter().map(|f| f.valid.len()).sum::<usize>(), 192);
    assert_eq!(formats.iter().map(|f| f.invalid.len()).sum::<usize>(), 88);
    formats
}

//! Detection of the carriers dropshippers ship with from China (Cainiao, 4PX, Yanwen, SF Express,
//! J&T Express, next to YunExpress and the posts' S10 numbers): made-up numbers in each carrier's
//! layout, numbers one step off it, and how they rank against verified formats.

#[path = "support/vectors.rs"]
mod support;

use waypost_shared::detect::{Carrier, Confidence, Hint, detect, formats, hint};

/// The carriers this file adds; YunExpress was already known.
const NEW_CARRIERS: [Carrier; 5] = [
    Carrier::Cainiao,
    Carrier::FourPx,
    Carrier::Yanwen,
    Carrier::SfExpress,
    Carrier::JtExpress,
];

/// Numbers in each carrier's layout as typed (spaces and lower case included): made up for the
/// new carriers; for YunExpress the example and a public vector number.
const SAMPLES: &[(Carrier, &[&str])] = &[
    (
        Carrier::Cainiao,
        &[
            "LP00123456789012",
            "LP00987654321098",
            "lp 1029 3847 5610 29",
        ],
    ),
    (
        Carrier::FourPx,
        &[
            "4PX3001234567890CN",
            "4PX1234567890123CN",
            "4px-9876543210987-cn",
        ],
    ),
    (
        Carrier::Yanwen,
        &[
            "UJ123456789YP",
            "VR987654321YP",
            "YD123456789YW",
            "uf 000 111 222 yp",
        ],
    ),
    (
        Carrier::SfExpress,
        &["SF1234567890123", "SF1400000000001", "sf 0987 6543 2109 8"],
    ),
    (
        Carrier::JtExpress,
        &["JT1234567890123", "JT5000000000001", "jt 3141 5926 5358 9"],
    ),
    (
        Carrier::Yunexpress,
        &["YT2412345678901234", "YT2229521272164446"],
    ),
];

/// Numbers one step off a carrier's layout (length, prefix, suffix, a letter among the digits):
/// none may be reported as that carrier.
const NEAR_MISSES: &[(Carrier, &[&str])] = &[
    (
        Carrier::Cainiao,
        &[
            "LP0012345678901",
            "LP001234567890123",
            "LQ00123456789012",
            "LP0012345678901A",
        ],
    ),
    (
        Carrier::FourPx,
        &[
            "4PX300123456789CN",
            "4PX30012345678901CN",
            "4PX3001234567890US",
            "4PY3001234567890CN",
        ],
    ),
    (
        Carrier::Yanwen,
        &[
            "UJ12345678YP",
            "UJ1234567890YP",
            "UJ123456789YQ",
            "U1123456789YP",
        ],
    ),
    (
        Carrier::SfExpress,
        &[
            "SF123456789012",
            "SF12345678901234",
            "SG1234567890123",
            "SF123456789012X",
        ],
    ),
    (
        Carrier::JtExpress,
        &[
            "JT123456789012",
            "JT12345678901234",
            "JD1234567890123",
            "JT12345678901X3",
        ],
    ),
];

#[test]
fn samples_are_detected_as_their_carrier_without_high_confidence() {
    for &(carrier, numbers) in SAMPLES {
        for number in numbers {
            let detection = detect(number).expect("within the length limits");
            let normalized = detection.normalized.as_deref().expect("a readable number");
            let best = detection
                .candidates
                .first()
                .unwrap_or_else(|| panic!("{number:?}: no candidate"));
            assert_eq!(best.carrier, carrier, "{number:?}: {best:?}");
            assert_ne!(
                best.confidence,
                Confidence::High,
                "{number:?}: no check digit backs it"
            );
            let url = best.tracking_url.as_deref().unwrap_or_default();
            assert!(url.contains(normalized), "{number:?}: {url:?}");
            assert!(
                detection.near_misses.is_empty(),
                "{number:?}: {:?}",
                detection.near_misses
            );
        }
    }
}

#[test]
fn near_misses_are_not_reported_as_the_carrier() {
    for &(carrier, numbers) in NEAR_MISSES {
        for number in numbers {
            let detection = detect(number).expect("within the length limits");
            assert!(
                detection.candidates.iter().all(|c| c.carrier != carrier),
                "{number:?} reported as {carrier:?}: {:?}",
                detection.candidates
            );
        }
    }
}

#[test]
fn new_formats_are_listed_without_a_check_digit() {
    for carrier in NEW_CARRIERS {
        let listed: Vec<_> = formats().filter(|f| f.carrier == carrier).collect();
        assert!(!listed.is_empty(), "{carrier:?} has no format");
        for format in listed {
            assert!(!format.check_digit, "{}", format.name);
            let template = format.tracking_url_template.unwrap_or_default();
            assert!(template.contains("%s"), "{}: {template:?}", format.name);
        }
    }
}

#[test]
fn s10_numbers_stay_verified_posts_and_yanwen_suffixes_are_no_country() {
    // A China Post number: the S10 check digit holds, so the post is certain and first.
    let post = detect("RR123456785CN").unwrap();
    assert_eq!(
        (post.candidates[0].carrier, post.candidates[0].confidence),
        (Carrier::S10, Confidence::High)
    );
    assert!(post.candidates.iter().all(|c| c.carrier != Carrier::Yanwen));
    // The same serial with Yanwen's suffix names no country: Yanwen only, and only as likely.
    let yanwen = detect("RR123456785YP").unwrap();
    let carriers: Vec<_> = yanwen.candidates.iter().map(|c| c.carrier).collect();
    assert_eq!(carriers, [Carrier::Yanwen]);
    assert_eq!(yanwen.candidates[0].confidence, Confidence::Medium);
}

#[test]
fn an_unverified_overlap_ranks_the_more_structured_format_first() {
    // `LX` + 11 characters is also a DHL eCommerce number; Yanwen's fixed suffix is more structure.
    let detection = detect("LX123456789YP").unwrap();
    let carriers: Vec<_> = detection.candidates.iter().map(|c| c.carrier).collect();
    assert_eq!(carriers, [Carrier::Yanwen, Carrier::Dhl]);
    assert!(
        detection
            .candidates
            .iter()
            .all(|c| c.confidence != Confidence::High)
    );
}

#[test]
fn the_widget_hint_names_the_carrier_and_its_page() {
    assert_eq!(
        hint("LP00123456789012"),
        Hint::Carrier {
            name: "Cainiao",
            tracking_url: Some(
                "https://global.cainiao.com/newDetail.htm?mailNoList=LP00123456789012".into()
            ),
            alternative: None,
        }
    );
}

#[test]
fn wire_codes_and_names_read_back() {
    for (carrier, code, name) in [
        (Carrier::Cainiao, "cainiao", "Cainiao"),
        (Carrier::FourPx, "four_px", "4PX"),
        (Carrier::Yanwen, "yanwen", "Yanwen"),
        (Carrier::SfExpress, "sf_express", "SF Express"),
        (Carrier::JtExpress, "jt_express", "J&T Express"),
    ] {
        assert_eq!((carrier.code(), carrier.name()), (code, name));
        assert_eq!(Carrier::from_code(code), Some(carrier));
        assert_eq!(Carrier::from_name(name), Some(carrier));
        assert_eq!(
            serde_json::to_string(&carrier).unwrap(),
            format!("\"{code}\"")
        );
    }
}

#[test]
fn no_public_vector_number_is_taken_for_a_new_carrier() {
    for format in support::vector_formats() {
        for number in format.valid.iter().chain(&format.invalid) {
            let detection = detect(number).expect("within the length limits");
            assert!(
                detection
                    .candidates
                    .iter()
                    .all(|c| !NEW_CARRIERS.contains(&c.carrier)),
                "{number:?} ({} {}): {:?}",
                format.courier,
                format.name,
                detection.candidates
            );
        }
    }
}

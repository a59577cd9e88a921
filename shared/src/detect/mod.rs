//! Tracking-number detection: which carriers and formats a typed number can belong to.
//!
//! Input is normalised (separators dropped, letters upper-cased), then checked against every
//! format's layouts and check digit in one pass without regexes or backtracking. Every format
//! whose pattern *and* check digit hold is a [`Candidate`]. A format whose pattern fits but whose
//! check digit fails is a [`NearMiss`] ("looks like UPS, one digit is off"), reported only when no
//! candidate's check digit holds, and never as a match.
//!
//! **Ranking rule.** Candidates are ordered by (1) a verified check digit before none, (2) more
//! structure first: positions that are fixed characters, letters or narrow choices (`1Z`, `96`,
//! `420`+ZIP, the letters of `RR123456785CN`), (3) the more commonly shipped carrier first (the
//! order of [`Carrier`]), (4) the format table's order.

mod carrier;
mod checksum;
mod country;
mod format;
mod service;
#[cfg(test)]
mod single_digit_typos;

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::Error;
pub use carrier::Carrier;
use checksum::Checksum;
use format::{CountryField, FORMATS, Format, Layout, Shape};

/// Most significant characters (letters and digits) a tracking number may have.
pub const MAX_INPUT_CHARS: usize = 64;
/// Most characters accepted as typed, separators included: enough for a 64-character number
/// written with a space between every character, and a bound that stops 10 KB strings up front.
pub const MAX_TYPED_CHARS: usize = 4 * MAX_INPUT_CHARS;

crate::wire_enum! {
    /// How sure detection is that a candidate is right.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub enum Confidence {
        /// A check digit holds on a structured format (`1Z…`, `RR…CN`).
        High = "high",
        /// A check digit holds on a run of digits, or a distinctive prefix without a check digit.
        Medium = "medium",
        /// Only the length and character kinds fit.
        Low = "low",
    }
}

/// A country named by a tracking number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code.
    pub code: Cow<'static, str>,
    /// English short name.
    pub name: Cow<'static, str>,
}

/// A carrier format the number fits, check digit included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    /// The carrier's code.
    pub carrier: Carrier,
    /// The carrier's name.
    pub carrier_name: Cow<'static, str>,
    /// The format's name, e.g. `USPS IMpb C`.
    pub format: Cow<'static, str>,
    /// The service the number encodes, when it encodes one.
    pub service: Option<Cow<'static, str>>,
    /// For UPU S10 numbers: the country whose post issued it.
    pub origin_country: Option<Country>,
    /// For DPD numbers: the destination country.
    pub destination_country: Option<Country>,
    /// The carrier's public tracking page for this number.
    pub tracking_url: Option<String>,
    /// How sure this is.
    pub confidence: Confidence,
}

/// A format whose pattern fits but whose check digit does not: most likely a typo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NearMiss {
    /// The carrier's code.
    pub carrier: Carrier,
    /// The carrier's name.
    pub carrier_name: Cow<'static, str>,
    /// The format's name.
    pub format: Cow<'static, str>,
}

/// What detection found for one input: the JSON `POST /v1/detect` returns per number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Detection {
    /// The input as received.
    pub input: String,
    /// The input without separators, upper-cased; `null` when it holds characters no tracking
    /// number has (or nothing at all).
    pub normalized: Option<String>,
    /// Formats that fit, best first.
    pub candidates: Vec<Candidate>,
    /// Likely typos, best first; empty whenever a candidate's check digit holds.
    pub near_misses: Vec<NearMiss>,
}

/// One entry of a batch detection: what was found, or why the input was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DetectOutcome {
    /// The input was read.
    Detected(Detection),
    /// The input was refused before detection.
    Rejected(RejectedInput),
}

/// An input refused before detection, e.g. for its length.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectedInput {
    /// The first [`MAX_INPUT_CHARS`] characters of the input, so a 10 KB string is not echoed.
    pub input: String,
    /// Why it was refused.
    pub error: InputError,
}

/// A stable code and a message fit for the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputError {
    /// Stable machine-readable code.
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
}

/// Detects one input of a batch: like [`detect`], with a refusal as data instead of an error.
pub fn detect_outcome(input: &str) -> DetectOutcome {
    match detect(input) {
        Ok(detection) => DetectOutcome::Detected(detection),
        Err(error) => DetectOutcome::Rejected(RejectedInput {
            input: input.chars().take(MAX_INPUT_CHARS).collect(),
            error: InputError {
                code: error.code().to_owned(),
                message: error.to_string(),
            },
        }),
    }
}

/// A format as `GET /v1/carriers` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormatInfo {
    /// The carrier's code.
    pub carrier: Carrier,
    /// The format's name.
    pub name: Cow<'static, str>,
    /// Whether the format has a check digit.
    pub check_digit: bool,
    /// Whether its check digit catches every single-digit typo (some rules have blind spots).
    pub catches_single_digit_typos: bool,
    /// The carrier's tracking page, `%s` standing for the number.
    pub tracking_url_template: Option<Cow<'static, str>>,
}

/// Every format detection knows.
pub fn formats() -> impl Iterator<Item = FormatInfo> {
    FORMATS.iter().map(|format| FormatInfo {
        carrier: format.carrier,
        name: Cow::Borrowed(format.name),
        check_digit: format.checksum != Checksum::None,
        catches_single_digit_typos: format.checksum.catches_every_single_digit_change(),
        tracking_url_template: format.url.map(Cow::Borrowed),
    })
}

/// Detects the carriers a typed number can belong to. Inputs over [`MAX_INPUT_CHARS`] characters
/// are rejected before any work; anything else gets an answer, possibly empty.
pub fn detect(input: &str) -> Result<Detection, Error> {
    let mut buffer = [0u8; MAX_INPUT_CHARS];
    let Some(number) = checked(input, &mut buffer)? else {
        return Ok(Detection {
            input: input.to_owned(),
            normalized: None,
            candidates: vec![],
            near_misses: vec![],
        });
    };
    let Scan {
        mut found,
        mut missed,
    } = scan(number);
    found.sort_unstable_by_key(|(key, ..)| *key);
    missed.sort_unstable_by_key(|(key, _)| *key);
    let normalized = std::str::from_utf8(number).expect("normalised input is ASCII");
    let candidates: Vec<Candidate> = found
        .iter()
        .map(|(_, format, fit)| candidate(format, fit, number, normalized))
        .collect();
    let any_verified = found
        .iter()
        .any(|(_, format, _)| format.checksum != Checksum::None);
    let mut near_misses: Vec<NearMiss> = Vec::new();
    if !any_verified {
        for (_, format) in missed {
            let known = near_misses
                .iter()
                .any(|miss| miss.carrier == format.carrier)
                || candidates.iter().any(|c| c.carrier == format.carrier);
            if !known {
                near_misses.push(NearMiss {
                    carrier: format.carrier,
                    carrier_name: Cow::Borrowed(format.carrier.name()),
                    format: Cow::Borrowed(format.name),
                });
            }
        }
    }
    Ok(Detection {
        input: input.to_owned(),
        normalized: Some(normalized.to_owned()),
        candidates,
        near_misses,
    })
}

/// What a search form says while someone types, from the same scan as [`detect`] but without
/// building its lists (services, countries): the widget's light-weight view of detection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hint {
    /// Too little typed to say anything.
    Nothing,
    /// The best candidate: its carrier and, when it has one, its tracking page.
    Carrier {
        /// The carrier's name.
        name: &'static str,
        /// The carrier's tracking page for this number.
        tracking_url: Option<String>,
        /// The next-ranked candidate's carrier, when the number genuinely fits another one too.
        alternative: Option<&'static str>,
    },
    /// No candidate, but a format whose check digit fails: most likely a typo.
    Typo {
        /// The carrier the number almost is.
        name: &'static str,
    },
    /// No known format (the search may still find it).
    Unknown,
}

/// The [`Hint`] for what is typed so far.
pub fn hint(input: &str) -> Hint {
    let mut buffer = [0u8; MAX_INPUT_CHARS];
    let number = match checked(input, &mut buffer) {
        Ok(Some(number)) => number,
        Ok(None) if input.trim().is_empty() => return Hint::Nothing,
        Ok(None) | Err(_) => return Hint::Unknown,
    };
    let Scan { found, missed } = scan(number);
    // Normalised input is ASCII, so this always reads (and, unlike `expect`, brings the widget
    // no panic message to format).
    let Ok(normalized) = std::str::from_utf8(number) else {
        return Hint::Unknown;
    };
    let best = found.iter().min_by_key(|(key, ..)| *key);
    let best_miss = missed.iter().min_by_key(|(key, _)| *key);
    match (best, best_miss) {
        (Some((best_key, format, _)), _) => Hint::Carrier {
            name: format.carrier.name(),
            tracking_url: tracking_url(format, normalized),
            alternative: found
                .iter()
                .filter(|(key, other, _)| key > best_key && other.carrier != format.carrier)
                .min_by_key(|(key, ..)| *key)
                .map(|(_, other, _)| other.carrier.name()),
        },
        (None, Some((_, format))) => Hint::Typo {
            name: format.carrier.name(),
        },
        (None, None) if number.len() >= 8 => Hint::Unknown,
        (None, None) => Hint::Nothing,
    }
}

/// The number as [`detect`] reads it ([`Detection::normalized`]), without matching any format:
/// for a caller that needs only the number (a cache key), not what it is.
pub fn normalized(input: &str) -> Result<Option<String>, Error> {
    let mut buffer = [0u8; MAX_INPUT_CHARS];
    Ok(checked(input, &mut buffer)?.map(|number| number.iter().map(|&b| char::from(b)).collect()))
}

/// Refuses over-long input, then normalises it into `buffer`.
fn checked<'a>(
    input: &str,
    buffer: &'a mut [u8; MAX_INPUT_CHARS],
) -> Result<Option<&'a [u8]>, Error> {
    if input.len() > MAX_TYPED_CHARS && input.chars().nth(MAX_TYPED_CHARS).is_some() {
        return Err(Error::InputTooLong {
            max: MAX_TYPED_CHARS,
        });
    }
    normalize(input, buffer)
}

/// Every format a normalised number fits, and those it fits but for the check digit, each with
/// its rank key (unsorted).
struct Scan {
    found: Vec<(RankKey, &'static Format, Fit)>,
    missed: Vec<(RankKey, &'static Format)>,
}

fn scan(number: &[u8]) -> Scan {
    let mut found = Vec::new();
    let mut missed = Vec::new();
    let candidate_formats = FORMATS
        .iter()
        .enumerate()
        .filter(|(_, f)| (f.lengths.0..=f.lengths.1).contains(&number.len()));
    for (index, format) in candidate_formats {
        match evaluate(format, number) {
            Outcome::Matches(fit) => found.push((
                RankKey::new(format, fit.structure, true, index),
                format,
                fit,
            )),
            Outcome::CheckFails(structure) => {
                missed.push((RankKey::new(format, structure, false, index), format))
            }
            Outcome::DoesNotFit => {}
        }
    }
    Scan { found, missed }
}

/// A format's tracking page for a number.
fn tracking_url(format: &Format, normalized: &str) -> Option<String> {
    let (before, after) = format.url?.split_once("%s")?;
    let mut url = String::with_capacity(before.len() + normalized.len() + after.len());
    url.push_str(before);
    url.push_str(normalized);
    url.push_str(after);
    Some(url)
}

/// Drops whitespace and dashes and upper-cases ASCII letters into `buffer`. `None` when a
/// character can be in no tracking number, or nothing is left; an error past
/// [`MAX_INPUT_CHARS`] significant characters.
fn normalize<'a>(
    input: &str,
    buffer: &'a mut [u8; MAX_INPUT_CHARS],
) -> Result<Option<&'a [u8]>, Error> {
    let is_separator =
        |c: char| c.is_whitespace() || matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}');
    let mut len = 0;
    for c in input.chars().filter(|&c| !is_separator(c)) {
        if !c.is_ascii_alphanumeric() {
            return Ok(None);
        }
        if len == MAX_INPUT_CHARS {
            let chars = input.chars().filter(|&c| !is_separator(c)).count();
            return Err(Error::NumberTooLong {
                chars,
                max: MAX_INPUT_CHARS,
            });
        }
        buffer[len] = c.to_ascii_uppercase() as u8;
        len += 1;
    }
    Ok((len > 0).then_some(&buffer[..len]))
}

/// The sort key of the ranking rule in the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct RankKey {
    unverified: bool,
    less_structure: std::cmp::Reverse<u8>,
    carrier: Carrier,
    index: usize,
}

impl RankKey {
    fn new(format: &Format, structure: u8, check_held: bool, index: usize) -> Self {
        let verified = check_held && format.checksum != Checksum::None;
        RankKey {
            unverified: !verified,
            less_structure: std::cmp::Reverse(structure),
            carrier: format.carrier,
            index,
        }
    }
}

/// Where a matching number's parts are, as absolute positions in the normalised number.
#[derive(Debug, Clone, Copy)]
struct Fit {
    serial: (usize, usize),
    service: Option<(usize, usize)>,
    country: Option<(usize, usize)>,
    structure: u8,
}

enum Outcome {
    Matches(Fit),
    CheckFails(u8),
    DoesNotFit,
}

/// Tries every way `number` can fit `format`; the first whose check digit holds wins.
fn evaluate(format: &Format, number: &[u8]) -> Outcome {
    let mut outcome = Outcome::DoesNotFit;
    for fit in fits(format, number).into_iter().flatten() {
        if !country_ok(format, number, fit) {
            continue;
        }
        if check_holds(format, number, fit) {
            return Outcome::Matches(fit);
        }
        outcome = Outcome::CheckFails(fit.structure);
    }
    outcome
}

/// The ways a number fits a format's shape: at most three (bare, and after a 5- or 9-digit ZIP).
fn fits(format: &Format, number: &[u8]) -> [Option<Fit>; 3] {
    match format.shape {
        Shape::Layouts(layouts) => [fit_layouts(layouts, number, 0, 0), None, None],
        Shape::Routed {
            layouts,
            zip5_before,
            zip9_before,
        } => {
            let routed = |zip: usize, allowed: &[usize]| {
                let prefix = 3 + zip;
                let rest = number.get(prefix..)?;
                let zip_digits = &number[3..prefix];
                let fits_prefix =
                    number.starts_with(b"420") && zip_digits.iter().all(u8::is_ascii_digit);
                let allowed = allowed.is_empty() || allowed.contains(&rest.len());
                (fits_prefix && allowed)
                    .then(|| fit_layouts(layouts, rest, prefix, prefix as u8))
                    .flatten()
            };
            [
                fit_layouts(layouts, number, 0, 0),
                routed(5, zip5_before),
                routed(9, zip9_before),
            ]
        }
        Shape::Prefixed { prefixes, min, max } => {
            let rest = number.get(2..).unwrap_or_default();
            let fits = prefixes.iter().any(|p| number.starts_with(p.as_bytes()))
                && (min..=max).contains(&rest.len())
                && rest.iter().any(u8::is_ascii_digit);
            let fit = Fit {
                serial: (2, number.len()),
                service: None,
                country: None,
                structure: 2,
            };
            [fits.then_some(fit), None, None]
        }
    }
}

fn fit_layouts(
    layouts: &[Layout],
    number: &[u8],
    offset: usize,
    extra_structure: u8,
) -> Option<Fit> {
    let shift = |(start, end): (usize, usize)| (start + offset, end + offset);
    layouts
        .iter()
        .find(|layout| layout.len == number.len() && layout.fits(number))
        .map(|layout| Fit {
            serial: shift(layout.serial),
            service: layout.service.map(shift),
            country: layout.country.map(shift),
            structure: layout.structure + extra_structure,
        })
}

fn check_holds(format: &Format, number: &[u8], fit: Fit) -> bool {
    if format.checksum == Checksum::None {
        return true;
    }
    let (start, end) = fit.serial;
    let Some(&check) = number.get(end) else {
        return false;
    };
    let serial = &number[start..end];
    match format.prepend {
        Some(prepend) if !serial.starts_with(prepend.unless_starts_with) => {
            let mut buffer = [0u8; MAX_INPUT_CHARS + 2];
            let total = prepend.digits.len() + serial.len();
            buffer[..prepend.digits.len()].copy_from_slice(prepend.digits);
            buffer[prepend.digits.len()..total].copy_from_slice(serial);
            format.checksum.holds(&buffer[..total], check)
        }
        _ => format.checksum.holds(serial, check),
    }
}

fn country_ok(format: &Format, number: &[u8], fit: Fit) -> bool {
    match (format.country, fit.country) {
        (CountryField::OriginAlpha2, Some((start, end))) => {
            country_by_alpha2(&number[start..end]).is_some()
        }
        _ => true,
    }
}

/// The index of an alpha-2 code in the country tables.
fn country_by_alpha2(code: &[u8]) -> Option<usize> {
    country::ALPHA2
        .binary_search_by(|alpha2| alpha2.as_bytes().cmp(code))
        .ok()
}

/// The index of a numeric code in the country tables.
fn country_by_numeric(code: &[u8]) -> Option<usize> {
    let numeric: u16 = std::str::from_utf8(code).ok()?.parse().ok()?;
    country::NUMERIC.iter().position(|&n| n == numeric)
}

fn candidate(format: &Format, fit: &Fit, number: &[u8], normalized: &str) -> Candidate {
    let country = |found: Option<usize>| {
        found.map(|i| Country {
            code: Cow::Borrowed(country::ALPHA2[i]),
            name: Cow::Borrowed(country::NAMES[i]),
        })
    };
    let named = fit.country.map(|(start, end)| &number[start..end]);
    let (origin_country, destination_country) = match (format.country, named) {
        (CountryField::OriginAlpha2, Some(code)) => (country(country_by_alpha2(code)), None),
        (CountryField::DestinationNumeric, Some(code)) => (None, country(country_by_numeric(code))),
        _ => (None, None),
    };
    let verified = format.checksum != Checksum::None;
    let confidence = match (verified, fit.structure) {
        (true, 1..) => Confidence::High,
        (true, 0) | (false, 2..) => Confidence::Medium,
        (false, _) => Confidence::Low,
    };
    Candidate {
        carrier: format.carrier,
        carrier_name: Cow::Borrowed(format.carrier.name()),
        format: Cow::Borrowed(format.name),
        service: format
            .service
            .zip(fit.service)
            .and_then(|(services, (start, end))| services.name(&number[start..end]))
            .map(Cow::Borrowed),
        origin_country,
        destination_country,
        tracking_url: tracking_url(format, normalized),
        confidence,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn carriers(input: &str) -> Vec<&'static str> {
        detect(input)
            .unwrap()
            .candidates
            .iter()
            .map(|c| c.carrier.code())
            .collect()
    }

    #[test]
    fn normalises_spaces_dashes_and_case() {
        let detection = detect(" 1z5r8939-0357 567127 ").unwrap();
        assert_eq!(detection.normalized.as_deref(), Some("1Z5R89390357567127"));
        let best = &detection.candidates[0];
        assert_eq!(
            (best.carrier, best.confidence),
            (Carrier::Ups, Confidence::High)
        );
        assert_eq!(
            best.tracking_url.as_deref(),
            Some("https://www.ups.com/track?tracknum=1Z5R89390357567127")
        );
    }

    #[test]
    fn s10_names_the_issuing_post_and_service() {
        let best = &detect("RR123456785CN").unwrap().candidates[0];
        assert_eq!(best.carrier, Carrier::S10);
        assert_eq!(
            best.origin_country.as_ref().map(|c| c.name.as_ref()),
            Some("China")
        );
        assert_eq!(best.service.as_deref(), Some("Registered letter post"));
        assert!(carriers("RR123456785XX").is_empty(), "XX is no country");
    }

    #[test]
    fn wrong_check_digit_is_a_near_miss_not_a_match() {
        let detection = detect("1Z5R89390357567128").unwrap();
        assert!(detection.candidates.is_empty());
        assert_eq!(detection.near_misses.len(), 1);
        assert_eq!(detection.near_misses[0].carrier, Carrier::Ups);
    }

    #[test]
    fn rejects_long_input_up_front() {
        assert!(matches!(
            detect(&"1".repeat(65)),
            Err(Error::NumberTooLong { chars: 65, max: 64 })
        ));
        assert!(detect(&"1".repeat(64)).is_ok());
        assert!(detect(&" 1".repeat(64)).is_ok(), "separators do not count");
        assert!(matches!(
            detect(&"1".repeat(10_240)),
            Err(Error::InputTooLong { max: 256 })
        ));
        assert!(
            detect(&"é".repeat(200)).is_ok(),
            "256 bytes is not 256 characters"
        );
    }

    #[test]
    fn hints_follow_detection() {
        assert_eq!(
            hint("1z5r8939 0357567127"),
            Hint::Carrier {
                name: "UPS",
                tracking_url: Some("https://www.ups.com/track?tracknum=1Z5R89390357567127".into()),
                alternative: None,
            }
        );
        assert_eq!(hint("1Z5R89390357567128"), Hint::Typo { name: "UPS" });
        let both = hint("287809468872");
        assert!(
            matches!(
                both,
                Hint::Carrier {
                    name: "FedEx",
                    alternative: Some("Purolator"),
                    ..
                }
            ),
            "{both:?}"
        );
        assert_eq!(hint("QQQQQQQQQQ"), Hint::Unknown);
        assert_eq!(hint("12"), Hint::Nothing);
        assert_eq!(hint("  "), Hint::Nothing);
        assert_eq!(hint("📦"), Hint::Unknown);
        assert_eq!(hint(&"1".repeat(65)), Hint::Unknown);
    }

    #[test]
    fn junk_finds_nothing() {
        for junk in [
            "",
            "   ",
            "📦📦",
            "1Z5R8939035756712７",
            "1Z5R89390357\n567127\u{0}",
            "ЯЯ123456785CN",
        ] {
            let detection = detect(junk).unwrap();
            assert!(
                detection.candidates.is_empty() && detection.near_misses.is_empty(),
                "{junk:?}"
            );
        }
    }
}

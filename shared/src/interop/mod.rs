//! Mappings between Waypost's statuses and the taxonomies shops and tools already use:
//! [`AFTERSHIP`] subtags, [`SEVENTEEN_TRACK`] sub-statuses, [`SHOPIFY`] fulfillment event statuses
//! and [`EASYPOST`] tracker statuses.
//!
//! Each taxonomy is a table of rows. A [`Direction::Both`] row is one-to-one: importing its code
//! gives its status and exporting that status gives the code back. [`Direction::Import`] rows
//! only read (several outside codes can mean the same thing to us); [`Direction::Export`] rows
//! only write, for our statuses the other taxonomy has no word for.
//!
//! Who it is for: the adapters that read or write another system's statuses. The 17TRACK
//! aggregator adapter reads [`SEVENTEEN_TRACK`] and the Shopify webhook reads [`SHOPIFY`]'s
//! fulfillment event statuses (both still to come: issues "Parcels from China" and "Orders flow in
//! by themselves"); exports to AfterShip- or EasyPost-shaped integrations write with
//! [`AFTERSHIP`] and [`EASYPOST`]. Until those land, its callers are its tests, which hold every
//! table to its one-to-one rows both ways.

mod aftership;
mod easypost;
mod seventeen_track;
mod shopify;

use crate::Error;
use crate::error::excerpt;
use crate::status::{Status, StatusDetail, SubStatus};

pub use aftership::AFTERSHIP;
pub use easypost::EASYPOST;
pub use seventeen_track::SEVENTEEN_TRACK;
pub use shopify::SHOPIFY;

/// Whether a row maps both ways or only into Waypost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// One-to-one: used to import and to export.
    Both,
    /// Used to import only.
    Import,
    /// Used to export only: the nearest outside code for a status it lacks.
    Export,
}

/// One outside code and what it means to us.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row {
    /// The outside code, as that taxonomy spells it.
    pub code: &'static str,
    /// Our status.
    pub detail: StatusDetail,
    /// Which way the row maps.
    pub direction: Direction,
}

/// An outside status taxonomy.
#[derive(Debug, Clone, Copy)]
pub struct Taxonomy {
    /// Its name, for error messages.
    pub name: &'static str,
    /// Its rows; for each of our statuses, the first matching `Both` row is what we export.
    pub rows: &'static [Row],
}

impl Taxonomy {
    /// Our status for an outside code (matched ignoring ASCII case).
    pub fn import(&self, code: &str) -> Result<StatusDetail, Error> {
        self.rows
            .iter()
            .filter(|row| row.direction != Direction::Export)
            .find(|row| row.code.eq_ignore_ascii_case(code.trim()))
            .map(|row| row.detail)
            .ok_or_else(|| Error::UnknownExternalStatus {
                taxonomy: self.name,
                value: excerpt(code),
            })
    }

    /// The outside code for our status: the exact sub-status's row when one exists, else the
    /// row of its plain status, else any row of that status.
    pub fn export(&self, detail: StatusDetail) -> &'static str {
        let exported = self
            .rows
            .iter()
            .filter(|row| row.direction != Direction::Import);
        let same_status = |row: &&Row| row.detail.status() == detail.status();
        exported
            .clone()
            .find(|row| row.detail == detail)
            .or_else(|| {
                exported
                    .clone()
                    .find(|row| same_status(row) && row.detail.sub_status().is_none())
            })
            .or_else(|| exported.clone().find(same_status))
            .map_or(self.rows[0].code, |row| row.code)
    }
}

/// A status without sub-status, for the tables.
const fn of(status: Status) -> StatusDetail {
    StatusDetail::new(status)
}

/// A sub-status with its status, for the tables.
const fn sub(sub: SubStatus) -> StatusDetail {
    StatusDetail::sub(sub)
}

const fn both(code: &'static str, detail: StatusDetail) -> Row {
    Row {
        code,
        detail,
        direction: Direction::Both,
    }
}

const fn import(code: &'static str, detail: StatusDetail) -> Row {
    Row {
        code,
        detail,
        direction: Direction::Import,
    }
}

const fn export(code: &'static str, detail: StatusDetail) -> Row {
    Row {
        code,
        detail,
        direction: Direction::Export,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Taxonomy; 4] = [AFTERSHIP, SEVENTEEN_TRACK, SHOPIFY, EASYPOST];

    #[test]
    fn one_to_one_rows_round_trip_both_ways() {
        for taxonomy in ALL {
            for row in taxonomy
                .rows
                .iter()
                .filter(|row| row.direction == Direction::Both)
            {
                assert_eq!(
                    taxonomy.import(row.code).unwrap(),
                    row.detail,
                    "{} {}",
                    taxonomy.name,
                    row.code
                );
                assert_eq!(
                    taxonomy.export(row.detail),
                    row.code,
                    "{} {:?}",
                    taxonomy.name,
                    row.detail
                );
            }
        }
    }

    #[test]
    fn every_status_has_an_export_and_exports_a_readable_code() {
        for taxonomy in ALL {
            for status in Status::ALL {
                let has_row = taxonomy
                    .rows
                    .iter()
                    .any(|r| r.direction != Direction::Import && r.detail.status() == status);
                assert!(has_row, "{} cannot export {status:?}", taxonomy.name);
            }
            for detail in Status::ALL
                .map(StatusDetail::new)
                .into_iter()
                .chain(SubStatus::ALL.map(StatusDetail::sub))
            {
                let code = taxonomy.export(detail);
                assert!(
                    taxonomy.import(code).is_ok(),
                    "{} exports unknown {code}",
                    taxonomy.name
                );
            }
        }
    }

    #[test]
    fn codes_are_unique_and_unknown_codes_are_errors() {
        for taxonomy in ALL {
            let readable: Vec<_> = taxonomy
                .rows
                .iter()
                .filter(|r| r.direction != Direction::Export)
                .collect();
            for (i, row) in readable.iter().enumerate() {
                assert!(
                    readable[..i]
                        .iter()
                        .all(|other| !other.code.eq_ignore_ascii_case(row.code)),
                    "{}",
                    row.code
                );
            }
            assert!(taxonomy.import("Teleported").is_err());
        }
    }
}

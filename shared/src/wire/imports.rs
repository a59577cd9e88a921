//! `POST /v1/imports`: a CSV export of orders and tracking numbers, checked whole and stored all
//! or nothing.

use serde::{Deserialize, Serialize};

/// What an import did (or, for a dry run, would do). Every count is of distinct records: a file
/// listing one order on several lines counts it once.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportResult {
    /// Whether this was a dry run (nothing written).
    pub dry_run: bool,
    /// Data rows read (the header and blank lines not counted).
    pub rows: u64,
    /// Orders new to the shop.
    pub orders_created: u64,
    /// Stored orders whose email, postal code or customer name the file changed.
    pub orders_updated: u64,
    /// Stored orders the file left as they were.
    pub orders_unchanged: u64,
    /// Shipments new to the shop.
    pub shipments_created: u64,
    /// Stored shipments whose order number or carrier the file changed.
    pub shipments_updated: u64,
    /// Stored shipments the file left as they were.
    pub shipments_unchanged: u64,
    /// Whether anything was (or, for a dry run, would be) written: `false` for a file sent again.
    pub changed: bool,
}

/// A bad row of an import, as the `invalid_rows` problem lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// The line of the file the row starts on (the header is line 1; a quoted cell holding line
    /// breaks makes a row span several lines).
    pub line: u64,
    /// What is wrong with it, naming the column.
    pub reason: String,
}

//! Writing the shop's shipments as a CSV file (`GET /v1/shipments.csv`), with no storage
//! involved: a header line ([`HEADER`]), then one line per shipment, in UTF-8 with `\n` line
//! ends, cells quoted where they hold a comma, a quote or a line break.
//!
//! Enums are their wire codes, instants RFC 3339 UTC to the second, ETA days ISO dates (the
//! window's `from` and `to`, local dates at the destination); a cell is empty when there is no
//! value. A spreadsheet runs a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return
//! as a formula, so such a cell is written with a leading `'` (an order number like `-1001` reads
//! `'-1001`).

use chrono::SecondsFormat;
use waypost_shared::WireEnum;
use waypost_shared::wire::ShipmentSummary;

use crate::error::{EdgeError, Result};

/// The header line's cells, in column order.
pub const HEADER: [&str; 9] = [
    "tracking_number",
    "order_number",
    "carrier",
    "status",
    "sub_status",
    "health",
    "last_event_at",
    "eta_from",
    "eta_to",
];

/// The first characters that make a spreadsheet read a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The file: the header line, then `rows` in their order.
pub fn write(rows: &[ShipmentSummary]) -> Result<Vec<u8>> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    writer.write_record(HEADER).map_err(internal)?;
    for row in rows {
        writer
            .write_record(cells(row).iter().map(|cell| guarded(cell)))
            .map_err(internal)?;
    }
    writer
        .into_inner()
        .map_err(|error| EdgeError::Internal(error.to_string()))
}

/// A shipment's cells, in [`HEADER`]'s order.
fn cells(row: &ShipmentSummary) -> [String; 9] {
    let code = |name: Option<&'static str>| name.unwrap_or_default().to_owned();
    [
        row.tracking_number.clone(),
        row.order_number.clone().unwrap_or_default(),
        code(row.carrier.map(WireEnum::as_str)),
        row.status.as_str().to_owned(),
        code(row.sub_status.map(WireEnum::as_str)),
        row.health.as_str().to_owned(),
        row.last_event_at
            .map(|at| at.to_rfc3339_opts(SecondsFormat::Secs, true))
            .unwrap_or_default(),
        row.eta
            .map(|eta| eta.from().to_string())
            .unwrap_or_default(),
        row.eta.map(|eta| eta.to().to_string()).unwrap_or_default(),
    ]
}

/// `cell`, with a leading `'` when a spreadsheet would run it as a formula.
fn guarded(cell: &str) -> String {
    if cell.starts_with(FORMULA_STARTS) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

fn internal(error: csv::Error) -> EdgeError {
    EdgeError::Internal(error.to_string())
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use waypost_shared::detect::Carrier;
    use waypost_shared::eta::{EtaSource, EtaWindow};
    use waypost_shared::health::Health;
    use waypost_shared::status::{Status, SubStatus};

    use super::*;

    fn row(order_number: Option<&str>) -> ShipmentSummary {
        ShipmentSummary {
            tracking_number: "1Z5R89390357567127".into(),
            carrier: Some(Carrier::Ups),
            order_number: order_number.map(str::to_owned),
            status: Status::InTransit,
            sub_status: Some(SubStatus::CustomsProcessing),
            health: Health::Late,
            last_event_at: Some("2026-11-20T19:05:00Z".parse().unwrap()),
            eta: Some(
                EtaWindow::new(
                    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
                    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
                    EtaSource::Carrier,
                )
                .unwrap(),
            ),
        }
    }

    fn text(rows: &[ShipmentSummary]) -> String {
        String::from_utf8(write(rows).unwrap()).unwrap()
    }

    #[test]
    fn a_file_is_its_header_then_a_line_per_shipment() {
        let bare = ShipmentSummary {
            carrier: None,
            order_number: None,
            status: Status::InfoReceived,
            sub_status: None,
            health: Health::OnTrack,
            last_event_at: None,
            eta: None,
            ..row(None)
        };
        assert_eq!(
            text(&[row(Some("1042")), bare]),
            "tracking_number,order_number,carrier,status,sub_status,health,last_event_at,eta_from,eta_to\n\
             1Z5R89390357567127,1042,ups,in_transit,customs_processing,late,2026-11-20T19:05:00Z,2026-11-24,2026-11-26\n\
             1Z5R89390357567127,,,info_received,,on_track,,,\n"
        );
        assert_eq!(text(&[]), format!("{}\n", HEADER.join(",")));
    }

    #[test]
    fn commas_quotes_and_line_breaks_are_quoted() {
        let file = text(&[row(Some("a,b \"c\"\nd"))]);
        let line = file.lines().nth(1).unwrap();
        assert_eq!(line, "1Z5R89390357567127,\"a,b \"\"c\"\"");
        let mut reader = csv::Reader::from_reader(file.as_bytes());
        let record = reader.records().next().unwrap().unwrap();
        assert_eq!(&record[1], "a,b \"c\"\nd", "reads back as written");
        assert_eq!(record.len(), HEADER.len());
    }

    #[test]
    fn cells_a_spreadsheet_would_run_start_with_a_quote() {
        for (cell, written) in [
            ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
            ("+1", "'+1"),
            ("-1001", "'-1001"),
            ("@x", "'@x"),
            ("\tx", "'\tx"),
            ("\rx", "\"'\rx\""),
            ("1-2=3", "1-2=3"),
            ("#1001", "#1001"),
        ] {
            let file = text(&[row(Some(cell))]);
            let line = file.split('\n').nth(1).unwrap();
            assert_eq!(
                line.split_once(',')
                    .map(|(_, rest)| rest.split_once(",ups").unwrap().0),
                Some(written),
                "{cell:?}"
            );
        }
    }
}

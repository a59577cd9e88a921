//! Reading an import's CSV file, with no storage involved: its encoding, its header (columns
//! recognised by the names platforms' and suppliers' exports give them, see [`HEADER_NAMES`]) and
//! its rows, each checked on its own and against the others. A file with any bad row is refused
//! whole, every bad row listed by the line it starts on.
//!
//! Cells are taken as plain text, trimmed, and never interpreted: a cell that a spreadsheet would
//! run as a formula is stored as the characters it is.

use std::collections::BTreeMap;

use waypost_shared::detect::Carrier;
use waypost_shared::wire::RowError;

use super::tracking_number::TrackingNumber;
use super::validate;
use crate::error::{EdgeError, Result};
use crate::limits::{MAX_FIELD_CHARS, MAX_IMPORT_ROWS, MAX_LISTED_ROW_ERRORS};

/// A column an import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// The shop's order number (required).
    OrderNumber,
    /// The customer's email (required).
    Email,
    /// The tracking number (required column; a blank cell registers the order only).
    TrackingNumber,
    /// The carrier, by code or name (optional).
    Carrier,
    /// The delivery postal code (optional).
    PostalCode,
    /// The customer's name (optional).
    CustomerName,
}

impl Column {
    /// Every column, in the order [`Layout`] keeps them.
    const ALL: [Column; 6] = [
        Column::OrderNumber,
        Column::Email,
        Column::TrackingNumber,
        Column::Carrier,
        Column::PostalCode,
        Column::CustomerName,
    ];

    /// How messages name it.
    pub fn label(self) -> &'static str {
        match self {
            Column::OrderNumber => "order number",
            Column::Email => "email",
            Column::TrackingNumber => "tracking number",
            Column::Carrier => "carrier",
            Column::PostalCode => "postal code",
            Column::CustomerName => "customer name",
        }
    }

    /// Whether a file must have it.
    fn required(self) -> bool {
        matches!(
            self,
            Column::OrderNumber | Column::Email | Column::TrackingNumber
        )
    }

    /// The header names that mean it, most preferred first.
    fn names(self) -> &'static [&'static str] {
        HEADER_NAMES
            .iter()
            .find(|(column, _)| *column == self)
            .map_or(&[], |(_, names)| names)
    }
}

/// The one table of header names, as [`normalize_header`] leaves them (lower case, letters and
/// digits only: "Order No." is `orderno`), each column's most preferred name first. When a file has
/// several headers of one column, the one earliest in this list wins, and of the same name twice
/// the leftmost; the others are ignored like any unknown column. "Name" is the order number, as in
/// Shopify's order export (`#1001`).
pub const HEADER_NAMES: &[(Column, &[&str])] = &[
    (
        Column::OrderNumber,
        &[
            "ordernumber",
            "orderno",
            "ordernum",
            "ordernr",
            "orderid",
            "ordername",
            "orderreference",
            "orderref",
            "storeorderno",
            "storeordernumber",
            "shopifyordernumber",
            "order",
            "name",
        ],
    ),
    (
        Column::Email,
        &[
            "email",
            "emailaddress",
            "customeremail",
            "customeremailaddress",
            "buyeremail",
            "contactemail",
            "shippingemail",
            "recipientemail",
            "mail",
        ],
    ),
    (
        Column::TrackingNumber,
        &[
            "trackingnumber",
            "trackingno",
            "trackingnum",
            "trackingnr",
            "trackingcode",
            "trackingid",
            "tracking",
            "trackingnumbers",
            "fulfillmenttrackingnumber",
            "shipmenttrackingnumber",
            "shippingtrackingnumber",
            "logisticstrackingnumber",
            "logisticsnumber",
            "logisticsno",
            "trackno",
            "waybill",
            "waybillnumber",
            "waybillno",
            "awb",
            "awbnumber",
            "awbno",
        ],
    ),
    (
        Column::Carrier,
        &[
            "carrier",
            "carriername",
            "carriercode",
            "trackingcompany",
            "fulfillmenttrackingcompany",
            "trackingcarrier",
            "shippingcarrier",
            "courier",
            "couriername",
            "couriercompany",
            "logisticscompany",
            "logisticsprovider",
            "logisticscarrier",
            "shippingcompany",
            "shippingprovider",
        ],
    ),
    (
        Column::PostalCode,
        &[
            "postalcode",
            "postcode",
            "zip",
            "zipcode",
            "zippostalcode",
            "shippingzip",
            "shippingzipcode",
            "shippingpostalcode",
            "shippingpostcode",
            "deliveryzip",
            "deliverypostalcode",
            "recipientzip",
            "recipientpostalcode",
            "postal",
        ],
    ),
    (
        Column::CustomerName,
        &[
            "customername",
            "customer",
            "shippingname",
            "buyername",
            "recipientname",
            "recipient",
            "fullname",
            "contactname",
            "shiptoname",
            "consignee",
            "billingname",
        ],
    ),
];

/// A header as [`HEADER_NAMES`] holds it: lower case, letters and digits only.
pub fn normalize_header(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Where each recognised column is in a file, and its header as written.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// By [`Column::ALL`]: the column's index and header.
    columns: [Option<(usize, String)>; 6],
}

impl Layout {
    /// Recognises the columns of a header row; a missing required column is a 400
    /// `missing_column` naming it and the headers that would have been recognised.
    pub fn of(headers: &[&str]) -> Result<Layout> {
        let normalized: Vec<String> = headers.iter().map(|h| normalize_header(h)).collect();
        let mut layout = Layout::default();
        for (slot, column) in layout.columns.iter_mut().zip(Column::ALL) {
            *slot = column.names().iter().find_map(|name| {
                let index = normalized.iter().position(|header| header == name)?;
                Some((index, headers[index].trim().to_owned()))
            });
        }
        let missing: Vec<Column> = Column::ALL
            .into_iter()
            .zip(&layout.columns)
            .filter(|(column, slot)| column.required() && slot.is_none())
            .map(|(column, _)| column)
            .collect();
        if let Some(first) = missing.first() {
            let labels: Vec<&str> = missing.iter().map(|column| column.label()).collect();
            return Err(EdgeError::bad_request(
                "missing_column",
                format!(
                    "the header row has no {} column; recognised headers for {} are: {} \
                     (case, spaces and punctuation ignored)",
                    labels.join(", no "),
                    first.label(),
                    first.names().join(", ")
                ),
            ));
        }
        Ok(layout)
    }

    /// The column's index and header, when the file has it.
    fn position(&self, column: Column) -> Option<&(usize, String)> {
        let index = Column::ALL.iter().position(|c| *c == column)?;
        self.columns[index].as_ref()
    }

    /// A row's cell of a column, trimmed; `None` when the file has no such column or the row
    /// stops short of it.
    fn cell<'r>(&self, record: &'r csv::StringRecord, column: Column) -> Option<&'r str> {
        let (index, _) = self.position(column)?;
        record.get(*index).map(str::trim)
    }

    /// The column's header as the file writes it, for messages.
    fn header(&self, column: Column) -> &str {
        self.position(column)
            .map_or(column.label(), |(_, header)| header.as_str())
    }
}

/// A tracking number of a row, with the carrier the row gives and the one detection ranks first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowShipment {
    pub number: TrackingNumber,
    /// The carrier the row names; `None` when its cell is blank (or names a carrier detection does
    /// not know: then detection's is taken).
    pub given: Option<Carrier>,
    /// Detection's first candidate.
    pub detected: Option<Carrier>,
}

impl RowShipment {
    /// The carrier a new shipment gets: the one given, else detection's.
    pub fn carrier(&self) -> Option<Carrier> {
        self.given.or(self.detected)
    }
}

/// A row that passed its checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    /// The line it starts on.
    pub line: u64,
    /// The order number, a leading `#` taken off.
    pub order_number: String,
    /// Normalised (lower case).
    pub email: String,
    /// Normalised (upper case, letters and digits).
    pub postal_code: Option<String>,
    pub customer_name: Option<String>,
    /// `None` when the tracking number cell is blank: the row registers its order only.
    pub shipment: Option<RowShipment>,
}

/// The rows of an import file, checked; any bad row fails the whole file with `invalid_rows`
/// listing every bad row. Blank rows are skipped.
pub fn read(body: &[u8]) -> Result<Vec<ImportRow>> {
    let text = decode(body)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(record) => record.map_err(unreadable)?,
        None => {
            return Err(EdgeError::bad_request(
                "missing_column",
                "the file is empty; it needs a header row naming its columns",
            ));
        }
    };
    let headers: Vec<&str> = header.iter().collect();
    let layout = Layout::of(&headers)?;
    let mut rows = Vec::new();
    let mut errors = RowErrors::default();
    let mut seen = Seen::default();
    let mut count = 0;
    for record in records {
        let record = record.map_err(unreadable)?;
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        count += 1;
        if count > MAX_IMPORT_ROWS {
            return Err(EdgeError::bad_request(
                "too_many_rows",
                format!(
                    "the file has more than {MAX_IMPORT_ROWS} rows; split it into files of at most {MAX_IMPORT_ROWS} rows"
                ),
            ));
        }
        let line = record.position().map_or(0, csv::Position::line);
        match check_row(&layout, &record, line).and_then(|row| seen.agrees(&layout, row)) {
            Ok(row) => rows.push(row),
            Err(reasons) => errors.push(line, reasons),
        }
    }
    errors.into_result()?;
    Ok(rows)
}

/// The body as text: UTF-8, a byte-order mark taken off; anything else a 400
/// `invalid_encoding` telling how to save the file.
pub fn decode(body: &[u8]) -> Result<&str> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    if body.starts_with(b"\xFF\xFE") || body.starts_with(b"\xFE\xFF") {
        return Err(EdgeError::bad_request(
            "invalid_encoding",
            "the file is UTF-16 (\"Unicode text\"); save it as CSV in UTF-8 (\"CSV UTF-8\") and send it again",
        ));
    }
    std::str::from_utf8(body).map_err(|error| {
        let valid = &body[..error.valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        EdgeError::bad_request(
            "invalid_encoding",
            format!(
                "the file is not UTF-8 (line {line} has a byte that is not); save it as CSV in UTF-8 \
                 (\"CSV UTF-8\" in spreadsheet apps) and send it again"
            ),
        )
    })
}

/// The cell separator: of `,`, `;` and tab, the one the header row holds most of (outside
/// quotes); `,` when it holds none. Spreadsheets in many locales save CSV with `;`.
fn delimiter(text: &str) -> u8 {
    let mut counts = [(b',', 0), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for byte in text.bytes() {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            _ if !quoted => {
                if let Some((_, count)) = counts.iter_mut().find(|(sep, _)| *sep == byte) {
                    *count += 1;
                }
            }
            _ => {}
        }
    }
    counts
        .iter()
        .filter(|(_, count)| *count > 0)
        .max_by_key(|(sep, count)| (*count, *sep == b','))
        .map_or(b',', |(sep, _)| *sep)
}

fn unreadable(error: csv::Error) -> EdgeError {
    EdgeError::bad_request(
        "invalid_csv",
        format!("the file is not readable as CSV: {error}"),
    )
}

/// A row's checks on its own: every reason it is bad, or the row.
fn check_row(
    layout: &Layout,
    record: &csv::StringRecord,
    line: u64,
) -> Result<ImportRow, Vec<String>> {
    let mut reasons = Vec::new();
    let say = |column: Column, what: String| format!("{}: {what}", layout.header(column));
    let cell = |column| layout.cell(record, column).unwrap_or_default();
    let order = cell(Column::OrderNumber);
    let order = order.strip_prefix('#').unwrap_or(order);
    let order_number = if order.is_empty() {
        reasons.push(say(Column::OrderNumber, "is empty".into()));
        None
    } else {
        validate::order_number(order)
            .map_err(|error| reasons.push(say(Column::OrderNumber, error.to_string())))
            .ok()
    };
    let email = match validate::email(Some(cell(Column::Email))) {
        Ok(Some(email)) => Some(email),
        Ok(None) => {
            reasons.push(say(Column::Email, "is empty".into()));
            None
        }
        Err(_) => {
            reasons.push(say(
                Column::Email,
                format!("{:?} is not an email address", clip(cell(Column::Email))),
            ));
            None
        }
    };
    let postal_code = validate::postal_code(
        layout.header(Column::PostalCode),
        Some(cell(Column::PostalCode)),
    )
    .map_err(|error| reasons.push(error.to_string()))
    .ok()
    .flatten();
    let customer_name = validate::text(
        layout.header(Column::CustomerName),
        Some(cell(Column::CustomerName)),
        MAX_FIELD_CHARS,
    )
    .map_err(|error| reasons.push(error.to_string()))
    .ok()
    .flatten();
    let mut shipment = None;
    let number = cell(Column::TrackingNumber);
    if !number.is_empty() {
        match TrackingNumber::parse(number) {
            Ok((number, detection)) => {
                shipment = Some(RowShipment {
                    number,
                    given: Carrier::from_name(cell(Column::Carrier)),
                    detected: detection.candidates.first().map(|c| c.carrier),
                });
            }
            Err(error) => reasons.push(say(
                Column::TrackingNumber,
                format!("{:?}: {error}", clip(number)),
            )),
        }
    }
    match (order_number, email) {
        (Some(order_number), Some(email)) if reasons.is_empty() => Ok(ImportRow {
            line,
            order_number,
            email,
            postal_code,
            customer_name,
            shipment,
        }),
        _ => Err(reasons),
    }
}

/// A cell as a message quotes it: at most 40 characters.
fn clip(cell: &str) -> String {
    cell.chars().take(40).collect()
}

/// What earlier rows said, so a later row that disagrees is a bad row naming the earlier line.
#[derive(Default)]
struct Seen {
    /// Each tracking number's first row: its line, order and carrier given.
    numbers: BTreeMap<TrackingNumber, (u64, String, Option<Carrier>)>,
    /// Each order's first row, and the first row giving each optional field.
    orders: BTreeMap<String, OrderSeen>,
}

/// An order's contact as its rows gave it: each value with the line that gave it first.
#[derive(Default)]
struct OrderSeen {
    email: Option<(u64, String)>,
    postal_code: Option<(u64, String)>,
    customer_name: Option<(u64, String)>,
}

impl Seen {
    /// The row, when it agrees with every earlier row: one tracking number belongs to one order
    /// (and one carrier), and the rows of one order give one email, postal code and customer name
    /// (blank cells aside).
    fn agrees(&mut self, layout: &Layout, row: ImportRow) -> Result<ImportRow, Vec<String>> {
        let mut reasons = Vec::new();
        if let Some(shipment) = &row.shipment {
            match self.numbers.get(&shipment.number) {
                Some((line, order, _)) if *order != row.order_number => reasons.push(format!(
                    "{}: {} is on line {line} for order {order}; a tracking number belongs to one order",
                    layout.header(Column::TrackingNumber),
                    shipment.number
                )),
                Some((line, _, Some(given)))
                    if shipment.given.is_some_and(|carrier| carrier != *given) =>
                {
                    reasons.push(format!(
                        "{}: line {line} gives {} another carrier ({})",
                        layout.header(Column::Carrier),
                        shipment.number,
                        given.name()
                    ));
                }
                _ => {}
            }
        }
        let order = self.orders.entry(row.order_number.clone()).or_default();
        let fields = [
            (Column::Email, &mut order.email, Some(&row.email)),
            (
                Column::PostalCode,
                &mut order.postal_code,
                row.postal_code.as_ref(),
            ),
            (
                Column::CustomerName,
                &mut order.customer_name,
                row.customer_name.as_ref(),
            ),
        ];
        for (column, first, given) in fields {
            match (first.as_ref(), given) {
                (Some((line, value)), Some(given)) if value != given => reasons.push(format!(
                    "{}: line {line} gives order {} another {}",
                    layout.header(column),
                    row.order_number,
                    column.label()
                )),
                (None, Some(given)) => *first = Some((row.line, given.clone())),
                _ => {}
            }
        }
        if !reasons.is_empty() {
            return Err(reasons);
        }
        if let Some(shipment) = &row.shipment {
            let entry = self.numbers.entry(shipment.number.clone()).or_insert((
                row.line,
                row.order_number.clone(),
                None,
            ));
            entry.2 = entry.2.or(shipment.given);
        }
        Ok(row)
    }
}

/// The bad rows found so far: the first [`MAX_LISTED_ROW_ERRORS`], and how many in all.
#[derive(Default)]
struct RowErrors {
    listed: Vec<RowError>,
    total: u64,
}

impl RowErrors {
    fn push(&mut self, line: u64, reasons: Vec<String>) {
        self.total += 1;
        if self.listed.len() < MAX_LISTED_ROW_ERRORS {
            self.listed.push(RowError {
                line,
                reason: reasons.join("; "),
            });
        }
    }

    /// `invalid_rows` when any row is bad.
    fn into_result(self) -> Result<()> {
        if self.total == 0 {
            return Ok(());
        }
        Err(EdgeError::InvalidRows {
            rows: self.listed,
            total: self.total,
        })
    }
}

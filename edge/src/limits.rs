//! The bounds every input is held to; over a bound is a 4xx with a clear message.

/// Largest request body, in bytes.
pub const MAX_BODY_BYTES: usize = 256 * 1024;
/// Most events in one push.
pub const MAX_EVENTS_PER_BATCH: usize = 500;
/// Most numbers in one detection request.
pub const MAX_DETECT_NUMBERS: usize = 1_000;
/// Longest free text (event descriptions).
pub const MAX_TEXT_CHARS: usize = 1_000;
/// Longest short field (names, cities, codes, order numbers, emails).
pub const MAX_FIELD_CHARS: usize = 200;
/// Longest order number.
pub const MAX_ORDER_NUMBER_CHARS: usize = 64;
/// Most allowed origins per shop.
pub const MAX_ORIGINS: usize = 20;
/// Longest usual transit time a shop may set, in days.
pub const MAX_TRANSIT_DAYS: u16 = 120;
/// Largest page of `GET /v1/shipments`.
pub const MAX_PAGE: usize = 100;
/// Default page size of `GET /v1/shipments`.
pub const DEFAULT_PAGE: usize = 25;
/// Most rows of one `GET /v1/shipments.csv` file; when more remain, `Waypost-Next-Cursor` says
/// where the next file starts.
pub const EXPORT_MAX_ROWS: usize = 10_000;
/// Rows one query of a CSV export reads: a full file costs ten D1 queries, well within a
/// request's allowance on every plan.
pub const EXPORT_PAGE: usize = 1_000;
/// Days a customer's personal data is kept after their parcels' final status, unless the shop
/// sets its own period.
pub const DEFAULT_RETENTION_DAYS: u16 = 180;
/// Longest retention period a shop may set (ten years).
pub const MAX_RETENTION_DAYS: u16 = 3650;
/// Days a parcel is kept after its final status, unless the shop sets its own period.
pub const DEFAULT_HISTORY_DAYS: u16 = 365;
/// Longest history a shop may set (ten years).
pub const MAX_HISTORY_DAYS: u16 = 3650;
/// Parcels the cron deletes per run once their shop's history period has passed.
pub const HISTORY_BATCH: usize = 500;
/// Orders the cron's retention pass expires per run.
pub const RETENTION_BATCH: usize = 200;
/// Shipments whose health schedule one statement of the cron's upkeep pass re-derives or clears.
pub const SCHEDULE_BATCH: usize = 500;
/// Most shipments of each kind one upkeep pass re-derives or clears (a change of the rules over
/// a million shipments is re-derived within a day of Cron Triggers).
pub const SCHEDULE_PASS_ROWS: usize = 20_000;
/// Largest CSV file `POST /v1/imports` takes, in bytes.
pub const MAX_IMPORT_BYTES: usize = 5 * 1024 * 1024;
/// Most data rows of one import (the header not counted).
pub const MAX_IMPORT_ROWS: usize = 20_000;
/// Most bad rows an `invalid_rows` problem lists (it counts them all).
pub const MAX_LISTED_ROW_ERRORS: usize = 1_000;
/// Most bytes of JSON one import statement binds (D1 takes a string of up to 2 MB).
pub const MAX_IMPORT_STATEMENT_BYTES: usize = 1_000_000;
/// Most keys one import read binds (its rows come back in one result).
pub const IMPORT_READ_CHUNK: usize = 2_000;
/// Largest platform webhook body, in bytes (a Shopify order with hundreds of line items fits).
pub const MAX_WEBHOOK_BYTES: usize = 1024 * 1024;
/// Days a webhook delivery id is remembered to refuse its repeats (platforms retry for two days at
/// most).
pub const DELIVERY_MEMORY_DAYS: i64 = 7;
/// Delivery ids the cron forgets per run once remembered long enough.
pub const DELIVERY_FORGET_BATCH: usize = 1_000;
/// Expired console sessions the cron deletes per run.
pub const EXPIRED_SESSION_BATCH: usize = 1_000;
/// Most webhook endpoints per shop.
pub const MAX_WEBHOOK_ENDPOINTS: usize = 10;
/// Longest URL a shop may give (a webhook endpoint, its tracking page).
pub const MAX_URL_CHARS: usize = 2_048;
/// Longest name notification emails come from.
pub const MAX_SENDER_NAME_CHARS: usize = 100;

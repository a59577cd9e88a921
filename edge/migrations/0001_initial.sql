-- Waypost edge schema, version 1. Every row belongs to one shop; every query names the shop.

CREATE TABLE shops (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    allowed_origins  TEXT NOT NULL,            -- JSON array of origins
    transit_min_days INTEGER NOT NULL,
    transit_max_days INTEGER NOT NULL,
    created_at       TEXT NOT NULL
);

-- Publishable keys are stored as they are (they are public); secret keys only as a SHA-256 hash.
CREATE TABLE api_keys (
    key_id      TEXT PRIMARY KEY,
    shop_id     TEXT NOT NULL REFERENCES shops(id),
    kind        TEXT NOT NULL CHECK (kind IN ('publishable', 'secret')),
    secret_hash TEXT,
    revoked     INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE orders (
    shop_id       TEXT NOT NULL REFERENCES shops(id),
    order_number  TEXT NOT NULL,
    status        TEXT NOT NULL,
    sub_status    TEXT,
    customer_name TEXT,
    email         TEXT,
    phone         TEXT,
    postal_code   TEXT,
    promised_from TEXT,
    promised_to   TEXT,
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (shop_id, order_number)
);

CREATE TABLE shipments (
    shop_id          TEXT NOT NULL REFERENCES shops(id),
    tracking_number  TEXT NOT NULL,
    order_number     TEXT,
    carrier          TEXT,
    dest_city        TEXT,
    dest_region      TEXT,
    dest_postal_code TEXT,
    dest_country     TEXT,
    scope            TEXT NOT NULL,
    service_level    TEXT NOT NULL,
    eta_from         TEXT,
    eta_to           TEXT,
    shipped_on       TEXT,
    status           TEXT NOT NULL,
    sub_status       TEXT,
    last_event_at    TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    PRIMARY KEY (shop_id, tracking_number)
);
CREATE INDEX shipments_by_order ON shipments (shop_id, order_number);
CREATE INDEX shipments_by_status ON shipments (shop_id, status, tracking_number);

-- Events are stored once per fingerprint (time, status, words, city): pushes are idempotent.
CREATE TABLE events (
    shop_id         TEXT NOT NULL,
    tracking_number TEXT NOT NULL,
    fingerprint     TEXT NOT NULL,
    event           TEXT NOT NULL,              -- the shared TrackingEvent, as JSON
    PRIMARY KEY (shop_id, tracking_number, fingerprint),
    FOREIGN KEY (shop_id, tracking_number) REFERENCES shipments (shop_id, tracking_number)
);

-- Waypost edge schema, version 14: who asked not to be told, and who asked to be.

-- Recipients who unsubscribed, per shop and per order (`order:<number>`) or per parcel
-- (`parcel:<tracking number>`, for an address that opted in on the widget): nothing more is sent
-- to them about it.
CREATE TABLE unsubscribes (
    shop_id    TEXT NOT NULL,
    scope      TEXT NOT NULL,
    recipient  TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (shop_id, scope, recipient)
);

-- Addresses that asked on the widget for emails about a parcel, pending until confirmed through
-- the link emailed to them (double opt-in).
CREATE TABLE subscriptions (
    id              TEXT PRIMARY KEY,
    shop_id         TEXT NOT NULL,
    tracking_number TEXT NOT NULL,
    email           TEXT NOT NULL,
    lang            TEXT NOT NULL,
    confirmed_at    TEXT,
    created_at      TEXT NOT NULL,
    UNIQUE (shop_id, tracking_number, email)
);

-- The language of each message (an opted-in address keeps its own; others take the order's).
ALTER TABLE deliveries ADD COLUMN lang TEXT;

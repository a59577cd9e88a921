-- Waypost edge schema, version 13: notifications.

-- A shop's notification settings (the shared crate's `NotificationSettings`, as JSON); a shop
-- without a row has the defaults. Written whole, in one statement.
CREATE TABLE notification_settings (
    shop_id    TEXT PRIMARY KEY REFERENCES shops(id),
    settings   TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Retailers' webhook endpoints. The Standard Webhooks signing secret is sealed like the
-- integrations' secrets (INTEGRATIONS_KEY).
CREATE TABLE webhook_endpoints (
    id         TEXT PRIMARY KEY,
    shop_id    TEXT NOT NULL REFERENCES shops(id),
    url        TEXT NOT NULL,
    secret     TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX webhook_endpoints_by_shop ON webhook_endpoints (shop_id, created_at);

-- The outbox: one row per cause (a shop's shipment, or order, a trigger and its episode), written
-- in the same transaction as the change that causes it, so a change and its notice land together
-- or not at all, and the unique key makes every retry, replay or concurrent write of the same
-- cause a no-op. `fanned_out_at` is set once its messages are made.
CREATE TABLE notices (
    id              TEXT PRIMARY KEY,
    shop_id         TEXT NOT NULL,
    tracking_number TEXT NOT NULL,
    order_number    TEXT,
    trigger         TEXT NOT NULL,
    episode         TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    fanned_out_at   TEXT,
    UNIQUE (shop_id, tracking_number, trigger, episode)
);
-- The Cron Trigger's sweep: notices whose queue message was lost.
CREATE INDEX notices_unsent ON notices (created_at) WHERE fanned_out_at IS NULL;

-- One message: a notice on one channel to one recipient (an address, a phone number, a webhook
-- endpoint's id), made once (the unique key), sent at most once (claimed before each attempt).
CREATE TABLE deliveries (
    id               TEXT PRIMARY KEY,
    notice_id        TEXT NOT NULL REFERENCES notices(id),
    shop_id          TEXT NOT NULL,
    tracking_number  TEXT NOT NULL,
    channel          TEXT NOT NULL,
    recipient        TEXT NOT NULL,
    recipient_masked TEXT NOT NULL,
    state            TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    claimed_until    TEXT,
    last_error       TEXT,
    created_at       TEXT NOT NULL,
    sent_at          TEXT,
    UNIQUE (notice_id, channel, recipient)
);
-- `GET /v1/notifications`, newest first, and the same for one shipment.
CREATE INDEX deliveries_by_shop ON deliveries (shop_id, created_at, id);
CREATE INDEX deliveries_by_shipment ON deliveries (shop_id, tracking_number, created_at, id);

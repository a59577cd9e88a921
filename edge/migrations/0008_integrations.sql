-- Waypost edge schema, version 8: orders and parcels that flow in from shop platforms (Shopify,
-- WooCommerce) by signed webhooks.

-- A shop's connection to a platform. The webhook secret is sealed (XChaCha20-Poly1305) with the
-- Worker's INTEGRATIONS_KEY secret and bound to its shop and platform: a database read alone does
-- not give it.
CREATE TABLE integrations (
    shop_id       TEXT NOT NULL REFERENCES shops(id),
    platform      TEXT NOT NULL CHECK (platform IN ('shopify', 'woocommerce')),
    sealed_secret TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    PRIMARY KEY (shop_id, platform)
);

-- Webhook deliveries already applied, by the platform's own delivery id: platforms deliver at
-- least once, and a repeat is acknowledged without being applied again. Kept a week (the
-- Cron Trigger deletes older ones by index); platforms stop retrying well before.
CREATE TABLE webhook_deliveries (
    shop_id     TEXT NOT NULL,
    platform    TEXT NOT NULL,
    delivery_id TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (shop_id, platform, delivery_id)
);
CREATE INDEX webhook_deliveries_by_age ON webhook_deliveries (received_at);

-- Where a platform's parcels come from (a Shopify fulfillment, a WooCommerce order): the newest
-- version of it applied (the platform's updated_at, UTC) and the tracking numbers it lists now.
-- An older version arriving late changes nothing; a number no longer listed is removed.
CREATE TABLE parcel_sources (
    shop_id      TEXT NOT NULL REFERENCES shops(id),
    source       TEXT NOT NULL,
    order_number TEXT NOT NULL,
    version_at   TEXT NOT NULL,
    numbers      TEXT NOT NULL,             -- JSON array of tracking numbers
    PRIMARY KEY (shop_id, source)
);

-- Every number a source ever registered, so a corrected number's old shipment is found (and one
-- that another source still lists is kept).
CREATE TABLE source_parcels (
    shop_id         TEXT NOT NULL,
    source          TEXT NOT NULL,
    tracking_number TEXT NOT NULL,
    PRIMARY KEY (shop_id, source, tracking_number)
);
CREATE INDEX source_parcels_by_number ON source_parcels (shop_id, tracking_number);

-- The language of an order's customer (ISO 639-1), where the platform or retailer gives it.
ALTER TABLE orders ADD COLUMN lang TEXT;
-- Orders holding personal data, oldest write first: the Cron Trigger erases the contact of an
-- order that never got a parcel once its shop's retention period has passed since its last write
-- (orders with parcels are erased through their parcels' due dates).
CREATE INDEX orders_personal_by_update ON orders (updated_at)
    WHERE email IS NOT NULL OR customer_name IS NOT NULL OR phone IS NOT NULL OR postal_code IS NOT NULL;

-- The platform's updated_at of the order version stored (NULL: pushed through the API), so an
-- older webhook arriving late does not undo a newer one.
ALTER TABLE orders ADD COLUMN source_at TEXT;

-- Waypost edge schema, version 4: customers' personal data, exported, erased and expired.

-- Days after a parcel's final status that its order's personal data is kept.
ALTER TABLE shops ADD COLUMN retention_days INTEGER NOT NULL DEFAULT 180;

-- Data-access and erasure requests find a customer's orders by email.
CREATE INDEX orders_by_email ON orders (shop_id, email);

-- Waypost edge schema, version 2: live carrier tracking.

-- The carriers (shared codes, JSON array) whose live tracking API a shop has enabled.
ALTER TABLE shops ADD COLUMN live_carriers TEXT NOT NULL DEFAULT '[]';

-- When the carrier last answered for this shipment (RFC 3339); NULL when it never has.
ALTER TABLE shipments ADD COLUMN carrier_checked_at TEXT;

-- The cron refresh picks the shipments checked longest ago first.
CREATE INDEX shipments_by_check ON shipments (carrier_checked_at);

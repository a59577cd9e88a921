-- Waypost edge schema, version 12: a shop's shipments of one carrier, by tracking number (the
-- console's carrier filter and its CSV export read them by index). `carrier` holds the carrier's
-- wire code (`ups`), NULL when none is known.
CREATE INDEX shipments_by_carrier ON shipments (shop_id, carrier, tracking_number);

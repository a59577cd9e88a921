-- Waypost edge schema, version 3: conditional writes of shipment rows.

-- A fresh random token on every write of the row. A write computed from a read lands only while
-- the row is still at the revision it read (see the `Store` trait), so concurrent writes never
-- overwrite each other; rows from before this migration start at ''.
ALTER TABLE shipments ADD COLUMN revision TEXT NOT NULL DEFAULT '';

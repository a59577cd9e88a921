-- Waypost edge schema, version 6: "needs attention" read by index.

-- Each row keeps its health schedule (the shared crate's `HealthSchedule`), written with the row:
-- the health time cannot change ('done', 'needs_action'; NULL while the clock decides), the
-- instant it turns late, the instant after which it is stalled (NULL when it never shows
-- stalled), and the version of the rules that computed them. Rows from before this migration
-- are at version 0 and the Cron Trigger re-derives them, as it does after any change of the
-- rules.
ALTER TABLE shipments ADD COLUMN health_fixed TEXT;
ALTER TABLE shipments ADD COLUMN late_from TEXT;
ALTER TABLE shipments ADD COLUMN stalled_after TEXT;
ALTER TABLE shipments ADD COLUMN schedule_version INTEGER NOT NULL DEFAULT 0;

-- Late now: `late_from <= now`, oldest first.
CREATE INDEX shipments_late ON shipments (shop_id, late_from, tracking_number)
    WHERE health_fixed IS NULL AND late_from IS NOT NULL;
-- Stalled now: `stalled_after < now` and not late yet, longest quiet first. Rows that turned
-- late while stalled leave this index through the Cron Trigger (it clears their
-- `stalled_after`), so the scan stays within what is stalled.
CREATE INDEX shipments_stalled ON shipments (shop_id, stalled_after, tracking_number)
    WHERE health_fixed IS NULL AND stalled_after IS NOT NULL;
-- Done, needs action, and every open shipment (on track is open and neither late nor stalled).
CREATE INDEX shipments_by_health ON shipments (shop_id, health_fixed, tracking_number);
-- The Cron Trigger's passes: rows whose stall has been overtaken by lateness, across shops, and
-- rows whose schedule is of an older version.
CREATE INDEX shipments_overtaken ON shipments (late_from)
    WHERE health_fixed IS NULL AND stalled_after IS NOT NULL;
CREATE INDEX shipments_by_schedule_version ON shipments (schedule_version);

-- Shipments by shop, status and fixed health ('' while the clock decides), kept by triggers in
-- the same transaction as every write of a row: counts by status and by health read a few rows
-- instead of every shipment a shop holds.
CREATE TABLE shipment_counts (
    shop_id      TEXT NOT NULL,
    status       TEXT NOT NULL,
    health_fixed TEXT NOT NULL,
    shipments    INTEGER NOT NULL,
    PRIMARY KEY (shop_id, status, health_fixed)
);
INSERT INTO shipment_counts (shop_id, status, health_fixed, shipments)
    SELECT shop_id, status, COALESCE(health_fixed, ''), COUNT(*) FROM shipments GROUP BY 1, 2, 3;

CREATE TRIGGER shipment_counted AFTER INSERT ON shipments
BEGIN
    INSERT INTO shipment_counts (shop_id, status, health_fixed, shipments)
        VALUES (NEW.shop_id, NEW.status, COALESCE(NEW.health_fixed, ''), 1)
        ON CONFLICT (shop_id, status, health_fixed) DO UPDATE SET shipments = shipments + 1;
END;

CREATE TRIGGER shipment_recounted AFTER UPDATE OF status, health_fixed ON shipments
WHEN OLD.status IS NOT NEW.status OR OLD.health_fixed IS NOT NEW.health_fixed
BEGIN
    UPDATE shipment_counts SET shipments = shipments - 1
        WHERE shop_id = OLD.shop_id AND status = OLD.status
        AND health_fixed = COALESCE(OLD.health_fixed, '');
    INSERT INTO shipment_counts (shop_id, status, health_fixed, shipments)
        VALUES (NEW.shop_id, NEW.status, COALESCE(NEW.health_fixed, ''), 1)
        ON CONFLICT (shop_id, status, health_fixed) DO UPDATE SET shipments = shipments + 1;
END;

CREATE TRIGGER shipment_uncounted AFTER DELETE ON shipments
BEGIN
    UPDATE shipment_counts SET shipments = shipments - 1
        WHERE shop_id = OLD.shop_id AND status = OLD.status
        AND health_fixed = COALESCE(OLD.health_fixed, '');
END;

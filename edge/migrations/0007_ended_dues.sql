-- Waypost edge schema, version 7: what ends is found by index, and goes.

-- Days after a parcel's final status that the parcel itself (row, events) is kept.
ALTER TABLE shops ADD COLUMN history_days INTEGER NOT NULL DEFAULT 365;

-- Written with every write of a shipment row (NULL while it is not final): when its order's
-- personal data is due to be erased and when it is due to be deleted, counted from its final
-- status in its shop's periods. The Cron Trigger reads what has fallen due by these indexes
-- instead of going through every order or shipment.
ALTER TABLE shipments ADD COLUMN erase_due_at TEXT;
ALTER TABLE shipments ADD COLUMN delete_due_at TEXT;
CREATE INDEX shipments_erase_due ON shipments (erase_due_at) WHERE erase_due_at IS NOT NULL;
CREATE INDEX shipments_delete_due ON shipments (delete_due_at) WHERE delete_due_at IS NOT NULL;

-- Shipments already final (delivered, expired: the final statuses of this version).
UPDATE shipments SET
    erase_due_at = strftime('%Y-%m-%dT%H:%M:%SZ', COALESCE(last_event_at, updated_at),
        '+' || (SELECT retention_days FROM shops WHERE shops.id = shipments.shop_id) || ' days'),
    delete_due_at = strftime('%Y-%m-%dT%H:%M:%SZ', COALESCE(last_event_at, updated_at),
        '+' || (SELECT history_days FROM shops WHERE shops.id = shipments.shop_id) || ' days')
WHERE status IN ('delivered', 'expired');

-- Waypost edge schema, version 5: the cron reads the shipments due for a refresh in index order.

-- Never checked (NULL sorts first) then longest ago, ties by shop and number: the refresh query's
-- own order, so it walks this index and stops at its limit instead of sorting every due row.
DROP INDEX shipments_by_check;
CREATE INDEX shipments_due ON shipments (carrier_checked_at, shop_id, tracking_number);

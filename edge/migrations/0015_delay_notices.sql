-- Waypost edge schema, version 15: delay notices read by index.

-- The Cron Trigger's delay pass, across shops: shipments that turned stalled, or late, within
-- its lookback. The per-shop indexes of version 6 lead with the shop, and `shipments_overtaken`
-- holds only rows still carrying a stall (a late row's stall is cleared by the pass that uses
-- it), so neither serves a range of instants over every shop.
CREATE INDEX shipments_stalled_since ON shipments (stalled_after)
    WHERE health_fixed IS NULL AND stalled_after IS NOT NULL;
CREATE INDEX shipments_late_since ON shipments (late_from)
    WHERE health_fixed IS NULL AND late_from IS NOT NULL;

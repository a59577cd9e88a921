-- Parcels handed over to a last-mile carrier (an aggregator such as 17TRACK names it): which
-- carrier, and the number it tracks the parcel under when that is a new one. A customer typing the
-- last-mile number finds the shipment through the partial index.
ALTER TABLE shipments ADD COLUMN last_mile_carrier TEXT;
ALTER TABLE shipments ADD COLUMN last_mile_number TEXT;
CREATE INDEX shipments_by_last_mile ON shipments (shop_id, last_mile_number)
    WHERE last_mile_number IS NOT NULL;

-- An aggregator's push names a number, not a shop: the shops tracking it are found by number.
CREATE INDEX shipments_by_number ON shipments (tracking_number);

-- A shop's keys by shop: its console shows its publishable key and rotates it.
CREATE INDEX api_keys_by_shop ON api_keys (shop_id, kind);

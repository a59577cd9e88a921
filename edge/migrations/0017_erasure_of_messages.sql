-- Waypost edge schema, version 17: a customer's erasure reaches the messages sent to them and
-- their widget opt-ins, read by the address.
CREATE INDEX deliveries_by_recipient ON deliveries (shop_id, recipient);
CREATE INDEX subscriptions_by_email ON subscriptions (shop_id, email);

-- `GET /v1/notifications?status=`: one state's messages, newest first, read by index (a shop with
-- a million sent messages and a few failed ones reads the few).
CREATE INDEX deliveries_by_state ON deliveries (shop_id, state, created_at, id);

-- Waypost edge schema, version 16: the Cron Trigger's sweep of messages whose queue message was
-- lost (a message still pending long after it was made, and not held by an attempt).
CREATE INDEX deliveries_pending ON deliveries (created_at) WHERE state = 'pending';

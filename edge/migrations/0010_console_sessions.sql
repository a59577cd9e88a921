-- Waypost edge schema, version 10: sessions of the retailer console (`/console/`), each made by
-- signing in with one of the shop's secret keys and carried by an HttpOnly cookie.

-- The cookie's token is stored only as its SHA-256 (hex): a database read alone opens no session.
-- A session reads only while it has not expired and the key it was made with is not revoked; the
-- Cron Trigger deletes expired ones by index.
CREATE TABLE console_sessions (
    token_hash TEXT PRIMARY KEY,
    shop_id    TEXT NOT NULL REFERENCES shops(id),
    key_id     TEXT NOT NULL REFERENCES api_keys(key_id),
    csrf_token TEXT NOT NULL,              -- what every write with the cookie must carry
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX console_sessions_by_expiry ON console_sessions (expires_at);

-- Claim due outbox rows per destination by due time, from an index of pending rows only (see the SQLite 007).
CREATE INDEX outbox_due ON outbox (channel, destination, next_attempt_at, id) WHERE status = 'pending';

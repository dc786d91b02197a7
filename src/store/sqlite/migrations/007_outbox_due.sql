-- Claim due outbox rows per destination by due time, from an index of pending rows only: the
-- dispatcher skips destinations whose circuit is open, and a backlog waiting for a later retry
-- or for its destination to come back is not walked on every claim.
CREATE INDEX outbox_due ON outbox (channel, destination, next_attempt_at, id) WHERE status = 'pending';

-- Messages per channel and status, kept by triggers in the same transaction as the message rows
-- (the twin of the SQLite 006), so countByStatus reads a few rows instead of counting messages.
-- Sharded by the writing connection (pg_backend_pid() % 16): on one counter row every journaling
-- transaction of every node would queue behind the row lock until its commit; with shards each
-- connection mostly updates its own. Readers sum the shards.
CREATE TABLE channel_status_counts (
  channel TEXT NOT NULL,
  status TEXT NOT NULL,
  shard SMALLINT NOT NULL,
  n BIGINT NOT NULL,
  PRIMARY KEY (channel, status, shard)
);

INSERT INTO channel_status_counts (channel, status, shard, n)
  SELECT channel, status, 0, COUNT(*) FROM messages GROUP BY channel, status;

CREATE FUNCTION channel_count_add(ch TEXT, st TEXT, delta BIGINT) RETURNS void LANGUAGE sql AS $$
  INSERT INTO channel_status_counts (channel, status, shard, n) VALUES (ch, st, pg_backend_pid() % 16, delta)
    ON CONFLICT (channel, status, shard) DO UPDATE SET n = channel_status_counts.n + excluded.n;
$$;

CREATE FUNCTION messages_count_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    PERFORM channel_count_add(OLD.channel, OLD.status, -1);
  END IF;
  PERFORM channel_count_add(NEW.channel, NEW.status, 1);
  RETURN NULL;
END $$;

CREATE TRIGGER messages_count_insert AFTER INSERT ON messages FOR EACH ROW EXECUTE FUNCTION messages_count_row();
CREATE TRIGGER messages_count_update AFTER UPDATE OF channel, status ON messages FOR EACH ROW
  WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.channel IS DISTINCT FROM NEW.channel)
  EXECUTE FUNCTION messages_count_row();

-- retention deletes in batches: one aggregated update per statement, not one per row
CREATE FUNCTION messages_count_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM channel_count_add(g.channel, g.status, -g.n) FROM (SELECT channel, status, COUNT(*) AS n FROM gone GROUP BY channel, status) g;
  RETURN NULL;
END $$;
CREATE TRIGGER messages_count_delete AFTER DELETE ON messages REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION messages_count_delete();

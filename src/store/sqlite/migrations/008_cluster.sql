-- Cluster coordination (src/store/cluster): named leases held by one node at a time (singletons,
-- bus partitions) and node heartbeats. Times are epoch ms of the database's clock, so nodes with
-- skewed clocks still agree on who holds what.
CREATE TABLE cluster_leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  acquired_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  fencing_token BIGINT NOT NULL
);

CREATE TABLE cluster_nodes (
  node_id TEXT PRIMARY KEY,
  started_at BIGINT NOT NULL,
  heartbeat_at BIGINT NOT NULL,
  info TEXT NOT NULL
);

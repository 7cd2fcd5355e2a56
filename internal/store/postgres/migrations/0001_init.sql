-- Initial schema of the glacierd metadata store on PostgreSQL.
--
-- Times are BIGINT microseconds since the Unix epoch, UTC; 0 is the zero time
-- (an unset time). Keys and every column a list is ordered by are
-- COLLATE "C", so they compare bytewise whatever the database's locale.
-- Segments, tags and notification events are jsonb.
--
-- Foreign keys cascade as a safety net; the store deletes dependent records
-- explicitly as well. A record put without its owner is refused (23503).

CREATE TABLE vaults (
	account            TEXT COLLATE "C" NOT NULL,
	name               TEXT COLLATE "C" NOT NULL,
	created_at         BIGINT NOT NULL,
	archives           BIGINT NOT NULL,
	bytes              BIGINT NOT NULL,
	last_write_at      BIGINT NOT NULL,
	inventory_at       BIGINT NOT NULL,
	inventory_archives BIGINT NOT NULL,
	inventory_bytes    BIGINT NOT NULL,
	PRIMARY KEY (account, name)
);

-- DueInventories: vaults written since their last inventory, by the time of
-- that inventory (or of their creation).
CREATE INDEX vaults_inventory_due
	ON vaults ((CASE inventory_at WHEN 0 THEN created_at ELSE inventory_at END))
	WHERE last_write_at > inventory_at;

CREATE TABLE archives (
	id          TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	account     TEXT COLLATE "C" NOT NULL,
	vault       TEXT COLLATE "C" NOT NULL,
	description TEXT   NOT NULL,
	size        BIGINT NOT NULL,
	tree_hash   TEXT   NOT NULL,
	created_at  BIGINT NOT NULL,
	deleted_at  BIGINT NOT NULL, -- 0 while live
	segments    JSONB  NOT NULL, -- array of {"key": text, "size": integer}
	FOREIGN KEY (account, vault) REFERENCES vaults (account, name) ON DELETE CASCADE
);

-- ScanArchives, and the foreign key's lookups.
CREATE INDEX archives_by_vault ON archives (account, vault, created_at, id);
-- PurgeArchives.
CREATE INDEX archives_deleted ON archives (deleted_at) WHERE deleted_at <> 0;

CREATE TABLE uploads (
	id           TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	account      TEXT COLLATE "C" NOT NULL,
	vault        TEXT COLLATE "C" NOT NULL,
	description  TEXT   NOT NULL,
	part_size    BIGINT NOT NULL,
	created_at   BIGINT NOT NULL,
	updated_at   BIGINT NOT NULL,
	state        SMALLINT NOT NULL, -- glacier.UploadState: 0 active, 1 completed, 2 aborted
	finished_at  BIGINT NOT NULL,
	archive_id   TEXT   NOT NULL,
	archive_size BIGINT NOT NULL,
	tree_hash    TEXT   NOT NULL,
	FOREIGN KEY (account, vault) REFERENCES vaults (account, name) ON DELETE CASCADE
);

-- Uploads, and the foreign key's lookups.
CREATE INDEX uploads_by_vault ON uploads (account, vault, state, id);
-- StaleUploads.
CREATE INDEX uploads_finished ON uploads (finished_at) WHERE state <> 0;
CREATE INDEX uploads_active ON uploads (updated_at) WHERE state = 0;

CREATE TABLE parts (
	upload_id TEXT COLLATE "C" NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
	start     BIGINT NOT NULL,
	size      BIGINT NOT NULL,
	tree_hash TEXT   NOT NULL,
	key       TEXT   NOT NULL,
	PRIMARY KEY (upload_id, start)
);

CREATE TABLE jobs (
	id                TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	account           TEXT COLLATE "C" NOT NULL,
	vault             TEXT COLLATE "C" NOT NULL,
	action            TEXT    NOT NULL,
	tier              TEXT    NOT NULL,
	description       TEXT    NOT NULL,
	sns_topic         TEXT    NOT NULL,
	created_at        BIGINT  NOT NULL,
	complete_at       BIGINT  NOT NULL,
	status            TEXT    NOT NULL,
	status_msg        TEXT    NOT NULL,
	archive_id        TEXT    NOT NULL,
	archive_size      BIGINT  NOT NULL,
	archive_tree_hash TEXT    NOT NULL,
	range_start       BIGINT  NOT NULL,
	range_end         BIGINT  NOT NULL,
	range_tree_hash   TEXT    NOT NULL,
	format            TEXT    NOT NULL,
	inventory_at      BIGINT  NOT NULL,
	inventory_start   BIGINT  NOT NULL,
	inventory_end     BIGINT  NOT NULL,
	inventory_limit   BIGINT  NOT NULL,
	inventory_marker  TEXT    NOT NULL,
	finalized         BOOLEAN NOT NULL,
	output_key        TEXT    NOT NULL,
	output_size       BIGINT  NOT NULL,
	next_marker       TEXT    NOT NULL,
	FOREIGN KEY (account, vault) REFERENCES vaults (account, name) ON DELETE CASCADE
);

-- Jobs, and the foreign key's lookups.
CREATE INDEX jobs_by_vault ON jobs (account, vault, created_at, id);
-- DeleteJobs.
CREATE INDEX jobs_by_complete_at ON jobs (complete_at, id);
-- UnfinalizedJobs.
CREATE INDEX jobs_unfinalized ON jobs (complete_at, id) WHERE NOT finalized;
-- RetrievalStats.
CREATE INDEX jobs_retrievals ON jobs (account, tier, created_at)
	INCLUDE (range_start, range_end) WHERE action = 'ArchiveRetrieval';

CREATE TABLE capacities (
	id         TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	account    TEXT COLLATE "C" NOT NULL,
	start_at   BIGINT NOT NULL,
	expires_at BIGINT NOT NULL
);

CREATE INDEX capacities_by_account ON capacities (account, start_at, id);

CREATE TABLE retrieval_policies (
	account        TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	strategy       TEXT   NOT NULL,
	bytes_per_hour BIGINT NOT NULL
);

CREATE TABLE garbage (
	key        TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	not_before BIGINT NOT NULL
);

-- DueGarbage.
CREATE INDEX garbage_by_not_before ON garbage (not_before, key);

-- Vault governance (tags, access policy, vault lock, notifications).
CREATE TABLE vault_configs (
	account         TEXT COLLATE "C" NOT NULL,
	vault           TEXT COLLATE "C" NOT NULL,
	tags            JSONB  NOT NULL, -- object
	access_policy   TEXT   NOT NULL,
	lock_policy     TEXT   NOT NULL,
	lock_id         TEXT   NOT NULL,
	lock_state      TEXT   NOT NULL,
	lock_created_at BIGINT NOT NULL,
	lock_expires_at BIGINT NOT NULL,
	notify_topic    TEXT   NOT NULL,
	notify_events   JSONB  NOT NULL, -- array of strings
	PRIMARY KEY (account, vault),
	FOREIGN KEY (account, vault) REFERENCES vaults (account, name) ON DELETE CASCADE
);

-- The notification outbox.
CREATE TABLE notifications (
	id         TEXT COLLATE "C" NOT NULL PRIMARY KEY,
	topic      TEXT   NOT NULL,
	subject    TEXT   NOT NULL,
	message    TEXT   NOT NULL,
	created_at BIGINT NOT NULL,
	not_before BIGINT NOT NULL,
	attempts   BIGINT NOT NULL
);

-- DueNotifications.
CREATE INDEX notifications_due ON notifications (not_before, id);

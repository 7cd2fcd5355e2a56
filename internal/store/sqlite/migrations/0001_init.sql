-- Initial schema of the glacierd metadata store.
--
-- Times are INTEGER microseconds since the Unix epoch, UTC; 0 is the zero
-- time (an unset time). Strings compare bytewise (the default BINARY
-- collation), which is the order the store promises.
--
-- Foreign keys cascade as a safety net; the store deletes dependent records
-- explicitly as well.

CREATE TABLE vaults (
	account            TEXT    NOT NULL,
	name               TEXT    NOT NULL,
	created_at         INTEGER NOT NULL,
	archives           INTEGER NOT NULL,
	bytes              INTEGER NOT NULL,
	last_write_at      INTEGER NOT NULL,
	inventory_at       INTEGER NOT NULL,
	inventory_archives INTEGER NOT NULL,
	inventory_bytes    INTEGER NOT NULL,
	PRIMARY KEY (account, name)
) STRICT, WITHOUT ROWID;

-- DueInventories: vaults written since their last inventory, by the time of
-- that inventory (or of their creation).
CREATE INDEX vaults_inventory_due
	ON vaults (CASE inventory_at WHEN 0 THEN created_at ELSE inventory_at END)
	WHERE last_write_at > inventory_at;

CREATE TABLE archives (
	id          TEXT    NOT NULL PRIMARY KEY,
	account     TEXT    NOT NULL,
	vault       TEXT    NOT NULL,
	description TEXT    NOT NULL,
	size        INTEGER NOT NULL,
	tree_hash   TEXT    NOT NULL,
	created_at  INTEGER NOT NULL,
	deleted_at  INTEGER NOT NULL, -- 0 while live
	segments    TEXT    NOT NULL, -- JSON array of {"key": text, "size": integer}
	FOREIGN KEY (account, vault) REFERENCES vaults (account, name) ON DELETE CASCADE
) STRICT;

-- ScanArchives, and the foreign key's lookups.
CREATE INDEX archives_by_vault ON archives (account, vault, created_at, id);
-- PurgeArchives.
CREATE INDEX archives_deleted ON archives (deleted_at) WHERE deleted_at <> 0;

CREATE TABLE uploads (
	id           TEXT    NOT NULL PRIMARY KEY,
	account      TEXT    NOT NULL,
	vault        TEXT    NOT NULL,
	description  TEXT    NOT NULL,
	part_size    INTEGER NOT NULL,
	created_at   INTEGER NOT NULL,
	updated_at   INTEGER NOT NULL,
	state        INTEGER NOT NULL, -- glacier.UploadState: 0 active, 1 completed, 2 aborted
	finished_at  INTEGER NOT NULL,
	archive_id   TEXT    NOT NULL,
	archive_size INTEGER NOT NULL,
	tree_hash    TEXT    NOT NULL,
	FOREIGN KEY (account, vault) REFERENCES vaults (account, name) ON DELETE CASCADE
) STRICT;

-- Uploads, and the foreign key's lookups.
CREATE INDEX uploads_by_vault ON uploads (account, vault, state, id);
-- StaleUploads.
CREATE INDEX uploads_finished ON uploads (finished_at) WHERE state <> 0;
CREATE INDEX uploads_active ON uploads (updated_at) WHERE state = 0;

CREATE TABLE parts (
	upload_id TEXT    NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
	start     INTEGER NOT NULL,
	size      INTEGER NOT NULL,
	tree_hash TEXT    NOT NULL,
	key       TEXT    NOT NULL,
	PRIMARY KEY (upload_id, start)
) STRICT, WITHOUT ROWID;

CREATE TABLE jobs (
	id                TEXT    NOT NULL PRIMARY KEY,
	account           TEXT    NOT NULL,
	vault             TEXT    NOT NULL,
	action            TEXT    NOT NULL,
	tier              TEXT    NOT NULL,
	description       TEXT    NOT NULL,
	sns_topic         TEXT    NOT NULL,
	created_at        INTEGER NOT NULL,
	complete_at       INTEGER NOT NULL,
	status            TEXT    NOT NULL,
	status_msg        TEXT    NOT NULL,
	archive_id        TEXT    NOT NULL,
	archive_size      INTEGER NOT NULL,
	archive_tree_hash TEXT    NOT NULL,
	range_start       INTEGER NOT NULL,
	range_end         INTEGER NOT NULL,
	range_tree_hash   TEXT    NOT NULL,
	format            TEXT    NOT NULL,
	inventory_at      INTEGER NOT NULL,
	inventory_start   INTEGER NOT NULL,
	inventory_end     INTEGER NOT NULL,
	inventory_limit   INTEGER NOT NULL,
	inventory_marker  TEXT    NOT NULL,
	finalized         INTEGER NOT NULL, -- 0 or 1
	output_key        TEXT    NOT NULL,
	output_size       INTEGER NOT NULL,
	next_marker       TEXT    NOT NULL,
	FOREIGN KEY (account, vault) REFERENCES vaults (account, name) ON DELETE CASCADE
) STRICT;

-- Jobs, and the foreign key's lookups.
CREATE INDEX jobs_by_vault ON jobs (account, vault, created_at, id);
-- DeleteJobs.
CREATE INDEX jobs_by_complete_at ON jobs (complete_at, id);
-- UnfinalizedJobs.
CREATE INDEX jobs_unfinalized ON jobs (complete_at, id) WHERE finalized = 0;
-- RetrievalStats; covering, so the sum reads only the index.
CREATE INDEX jobs_retrievals ON jobs (account, tier, created_at, range_start, range_end)
	WHERE action = 'ArchiveRetrieval';

CREATE TABLE capacities (
	id         TEXT    NOT NULL PRIMARY KEY,
	account    TEXT    NOT NULL,
	start_at   INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
) STRICT;

CREATE INDEX capacities_by_account ON capacities (account, start_at, id);

CREATE TABLE retrieval_policies (
	account        TEXT    NOT NULL PRIMARY KEY,
	strategy       TEXT    NOT NULL,
	bytes_per_hour INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE garbage (
	key        TEXT    NOT NULL PRIMARY KEY,
	not_before INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- DueGarbage.
CREATE INDEX garbage_by_not_before ON garbage (not_before, key);

-- Vault governance (tags, access policy, vault lock, notifications) and the
-- notification outbox.

CREATE TABLE vault_configs (
	account         TEXT    NOT NULL,
	vault           TEXT    NOT NULL,
	tags            TEXT    NOT NULL, -- JSON object
	access_policy   TEXT    NOT NULL,
	lock_policy     TEXT    NOT NULL,
	lock_id         TEXT    NOT NULL,
	lock_state      TEXT    NOT NULL,
	lock_created_at INTEGER NOT NULL,
	lock_expires_at INTEGER NOT NULL,
	notify_topic    TEXT    NOT NULL,
	notify_events   TEXT    NOT NULL, -- JSON array
	PRIMARY KEY (account, vault),
	FOREIGN KEY (account, vault) REFERENCES vaults (account, name) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;

CREATE TABLE notifications (
	id         TEXT    NOT NULL PRIMARY KEY,
	topic      TEXT    NOT NULL,
	subject    TEXT    NOT NULL,
	message    TEXT    NOT NULL,
	created_at INTEGER NOT NULL,
	not_before INTEGER NOT NULL,
	attempts   INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- DueNotifications.
CREATE INDEX notifications_due ON notifications (not_before, id);

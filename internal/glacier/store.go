package glacier

import (
	"context"
	"io"
	"time"
)

// MetaStore keeps glacierd's metadata. All access goes through transactions
// expressed as closures.
//
// Update runs fn in a read-write transaction that commits, durably, when fn
// returns nil and rolls back otherwise; Update returns fn's error unchanged
// (or a store error of KindUnavailable/KindInternal). Implementations may run
// fn more than once (to retry a serialization conflict), so fn must have no
// effects outside the transaction. View runs fn in a read-only transaction
// that sees one consistent snapshot.
//
// Transactions from concurrent Update calls, in this process or in other
// processes sharing the store, are serializable. A View does not wait for a
// running Update to finish and sees no part of it, nor anything committed
// after the View's snapshot was taken. If ctx ends before Update
// commits, the transaction rolls back and Update returns an error. Every
// write method called inside View fails with an error.
//
// Times are kept to the microsecond (finer parts may be truncated) and are
// returned in UTC; a zero time.Time is returned as a zero time.Time (IsZero).
// Records are returned with every field as it was put, except that a nil and
// an empty slice are not told apart. Where records are ordered by a string
// (vault name, ID), the order is bytewise (as strings.Compare), never a
// locale collation; "after" parameters of list methods are exclusive.
//
// Records that belong to a vault (archives, uploads, jobs) or to an upload
// (parts) must be put while their owner exists: a store may refuse an orphan
// with an error of KindInternal. Callers put owners first.
//
// The conformance suite in internal/storetest is the executable form of this
// contract.
type MetaStore interface {
	Update(ctx context.Context, fn func(Tx) error) error
	View(ctx context.Context, fn func(Tx) error) error
	Close() error
}

// Tx is one transaction's view of the metadata. A Tx is only valid inside the
// closure it was passed to and must not be used concurrently.
//
// Getters of a single record return an error of KindNotFound when the record
// does not exist. Put methods insert or replace the whole record by its key.
type Tx interface {
	VaultTx
	ArchiveTx
	UploadTx
	JobTx
	AccountTx
	GarbageTx
	ConfigTx
	OutboxTx
}

// VaultTx reads and writes vault records, keyed by (Account, Name).
type VaultTx interface {
	Vault(account, name string) (Vault, error)
	PutVault(v Vault) error
	// DeleteVault removes the vault and every record that belongs to it
	// (archives, uploads, parts, jobs, its VaultConfig). Deleting a missing
	// vault is not an error.
	DeleteVault(account, name string) error
	// Vaults returns up to limit vaults of account whose names sort (bytewise)
	// after the given name, in bytewise name order. limit <= 0 means no limit.
	Vaults(account, after string, limit int) ([]Vault, error)
	CountVaults(account string) (int, error)
	// Accounts returns every account that has a vault, a capacity unit
	// (expired or not) or a retrieval policy, each once, in bytewise order.
	Accounts() ([]string, error)
	// DueInventories returns up to limit vaults (of any account) written
	// since their last inventory (LastWriteAt after InventoryAt) whose last
	// inventory, or creation if they have none, is at or before t. The order
	// is unspecified: a caller that pages updates InventoryAt of what it got
	// before asking again. limit <= 0 means no limit.
	DueInventories(t time.Time, limit int) ([]Vault, error)
}

// ArchiveQuery selects archives of one vault for ScanArchives.
type ArchiveQuery struct {
	Account, Vault string
	AsOf           time.Time // only archives live at AsOf (see Archive.Live); zero: any, deleted ones too
	CreatedFrom    time.Time // inclusive; zero means unbounded
	CreatedBefore  time.Time // exclusive; zero means unbounded
	// After, when AfterID is set, resumes strictly after the archive with
	// this (CreatedAt, ID) position.
	AfterCreated time.Time
	AfterID      string
	Limit        int // <= 0 means no limit
}

// ArchiveTx reads and writes archive records, keyed by ID (IDs are unique
// across all vaults and accounts).
type ArchiveTx interface {
	Archive(id string) (Archive, error) // deleted archives are returned too, with DeletedAt set
	PutArchive(a Archive) error
	// ScanArchives calls fn for each archive matching q, ordered by
	// (CreatedAt, ID), and stops at fn's first error, which it returns.
	ScanArchives(q ArchiveQuery, fn func(Archive) error) error
	// PurgeArchives removes up to limit records of archives (of any vault)
	// with a non-zero DeletedAt strictly before deletedBefore and returns how
	// many it removed. Which ones go first is unspecified. limit <= 0 means
	// no limit.
	PurgeArchives(deletedBefore time.Time, limit int) (int, error)
}

// UploadTx reads and writes multipart uploads (keyed by ID) and their parts
// (keyed by (UploadID, Start)).
type UploadTx interface {
	Upload(id string) (Upload, error)
	PutUpload(u Upload) error
	// Uploads returns up to limit active uploads of the vault whose IDs sort
	// after the given ID, in ID order. limit <= 0 means no limit.
	Uploads(account, vault, after string, limit int) ([]Upload, error)
	// StaleUploads returns up to limit uploads, of any account and vault, that
	// finished (completed or aborted) with FinishedAt before finishedBefore,
	// or are active with UpdatedAt before activeBefore; the service expires
	// them. Both bounds are exclusive. The order is unspecified, so a caller
	// that pages deletes what it got before asking again.
	StaleUploads(finishedBefore, activeBefore time.Time, limit int) ([]Upload, error)
	DeleteUpload(id string) error // also deletes its parts; missing is not an error
	Part(uploadID string, start int64) (Part, error)
	PutPart(p Part) error
	// Parts returns up to limit parts of the upload starting after byte
	// offset after (use -1 for the first page), in offset order. limit <= 0
	// means no limit.
	Parts(uploadID string, after int64, limit int) ([]Part, error)
	DeleteParts(uploadID string) error // keeps the upload; no parts is not an error
}

// JobQuery selects jobs of one vault for Jobs.
type JobQuery struct {
	Account, Vault string
	ArchiveID      string    // "" for any, else only the jobs that read this archive (Action ActionArchiveRetrieval or ActionSelect)
	Now            time.Time // the time statuses are evaluated at
	Status         string    // "" for any, or StatusInProgress/Succeeded/Failed as of Now
	Completed      *bool     // nil for any; true: CompleteAt <= Now; false: CompleteAt > Now
	MinCompleteAt  time.Time // jobs with CompleteAt before this are omitted; zero: none are
	AfterCreated   time.Time // with AfterID: resume strictly after this (CreatedAt, ID)
	AfterID        string
	Limit          int // <= 0 means no limit
}

// JobTx reads and writes retrieval jobs, keyed by ID.
type JobTx interface {
	Job(id string) (Job, error)
	PutJob(j Job) error
	// Jobs returns the jobs matching q ordered by (CreatedAt, ID).
	Jobs(q JobQuery) ([]Job, error)
	// UnfinalizedJobs returns up to limit jobs, of any account, with
	// CompleteAt <= now that are not Finalized, ordered by (CompleteAt, ID).
	// limit <= 0 means no limit.
	UnfinalizedJobs(now time.Time, limit int) ([]Job, error)
	// RetrievalStats counts the jobs of the account, in all its vaults, with
	// Action ActionArchiveRetrieval and the given tier created at or after
	// since (inclusive), and sums their RangeSize. Deleted jobs are not counted.
	RetrievalStats(account, tier string, since time.Time) (count int, bytes int64, err error)
	// DeleteJobs removes up to limit jobs, of any account, with CompleteAt
	// strictly before completedBefore and returns them, ordered by
	// (CompleteAt, ID). limit <= 0 means no limit.
	DeleteJobs(completedBefore time.Time, limit int) ([]Job, error)
}

// AccountTx reads and writes per-account settings.
type AccountTx interface {
	// Capacities returns the account's capacity units whose ExpiresAt is
	// strictly after now, ordered by (StartAt, ID).
	Capacities(account string, now time.Time) ([]Capacity, error)
	PutCapacity(c Capacity) error // keyed by ID
	// RetrievalPolicy returns the account's policy, or an error of
	// KindNotFound when none was ever put (the service applies the default).
	RetrievalPolicy(account string) (RetrievalPolicy, error)
	PutRetrievalPolicy(account string, p RetrievalPolicy) error
}

// GarbageTx records blob keys that are to be deleted. A key is recorded
// before its blob is written (so a crash cannot leak it) and removed from the
// list once the blob is referenced by committed metadata or deleted.
type GarbageTx interface {
	// PutGarbage records key due at notBefore. If key is already recorded,
	// the later of the two times stands, so a delay is never shortened.
	PutGarbage(key string, notBefore time.Time) error
	// DeleteGarbage removes key from the list and reports whether it was there.
	DeleteGarbage(key string) (bool, error)
	// DueGarbage returns up to limit keys whose notBefore is at or before now,
	// ordered by (notBefore, key). limit <= 0 means no limit.
	DueGarbage(now time.Time, limit int) ([]string, error)
}

// ConfigTx reads and writes vault governance records, keyed by (Account,
// Vault). A VaultConfig belongs to its vault like an archive does.
type ConfigTx interface {
	VaultConfig(account, vault string) (VaultConfig, error)
	PutVaultConfig(c VaultConfig) error
}

// OutboxTx keeps notifications until they are delivered, keyed by ID.
type OutboxTx interface {
	PutNotification(n Notification) error
	// DueNotifications returns up to limit notifications whose NotBefore is
	// at or before now, in (NotBefore, ID) order.
	DueNotifications(now time.Time, limit int) ([]Notification, error)
	// DeleteNotification removes a notification; a missing one is not an error.
	DeleteNotification(id string) error
}

// BlobStore keeps opaque byte blobs under string keys. Keys are made of
// [A-Za-z0-9/_-] and never reused by the service. A key is at most 1024
// bytes, has no empty segment (no leading, trailing or doubled '/') and no
// segment longer than 200 bytes; a store may reject other keys. A key may be
// a prefix of another: "a" and "a/b" are distinct blobs that coexist.
// Concurrent calls for different keys are safe.
type BlobStore interface {
	// Put stores the bytes of r under key. size is the exact number of bytes
	// r yields, or -1 when unknown; a mismatch fails the Put. When Put returns
	// nil the blob is durable. When it fails or ctx ends, nothing is visible
	// under key. Put reads r until io.EOF and returns any read error; nothing
	// is visible under key before r has returned io.EOF, so a reader that
	// returns an error in place of io.EOF vetoes the blob.
	Put(ctx context.Context, key string, r io.Reader, size int64) error
	// Open returns a reader of n bytes of the blob starting at byte off; n < 0
	// means to the end. A missing key is an error of KindNotFound. The reader
	// yields exactly n bytes and then io.EOF; a range that does not lie within
	// the blob (off < 0, off > size, or off+n > size) is an error, returned by
	// Open or by a Read before io.EOF, never a silently short read.
	Open(ctx context.Context, key string, off, n int64) (io.ReadCloser, error)
	// Delete removes the blob. Deleting a missing key is not an error.
	Delete(ctx context.Context, key string) error
}

// Notifier delivers one message to one SNS topic (or a stand-in for one).
// Implementations are safe for concurrent use; an error means the message
// may not have been delivered and will be tried again.
type Notifier interface {
	Publish(ctx context.Context, topicARN, subject, message string) error
}

// Clock tells the time. It is injected everywhere so tests never sleep.
type Clock interface {
	Now() time.Time
}

// ClockFunc adapts a function to Clock.
type ClockFunc func() time.Time

// Now returns f().
func (f ClockFunc) Now() time.Time { return f() }

// WallClock is the system's clock.
type WallClock struct{}

// Now returns time.Now().
func (WallClock) Now() time.Time { return time.Now() }

// SelectOutput writes select jobs' output objects to the caller's S3
// bucket (OutputLocation.S3). Put streams r, size bytes or, with size -1,
// of unknown length, to key in loc.BucketName with loc's encryption, ACL,
// grants, tagging, user metadata and storage class. An error means the
// object may not exist.
type SelectOutput interface {
	Put(ctx context.Context, loc S3Location, key string, r io.Reader, size int64) error
}

package glacier

import "time"

// Caller is an authenticated principal: the account its credentials belong to
// and, for named users, the user's name. An anonymous caller is never passed
// to the service; authentication happens before it.
type Caller struct {
	Account   string // 12-digit account ID
	User      string // IAM-style user name; "" means the account root
	AccessKey string
	Secure    bool // the request came over TLS (aws:SecureTransport)
}

// IsAccountID reports whether s is an AWS account ID: 12 ASCII digits.
func IsAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// VaultRef names a vault: the owning account and the vault name.
type VaultRef struct {
	Account string
	Name    string
}

// Vault is a container of archives. Archives/Bytes are live counters kept in
// step with archive writes; the Inventory* fields are the last inventory
// snapshot, which is what DescribeVault reports.
type Vault struct {
	Account   string
	Name      string
	CreatedAt time.Time

	Archives    int64     // live archives now
	Bytes       int64     // live archive bytes now
	LastWriteAt time.Time // last archive creation or deletion; zero if none

	InventoryAt       time.Time // zero until the first inventory
	InventoryArchives int64
	InventoryBytes    int64
}

// Ref returns the vault's reference.
func (v Vault) Ref() VaultRef { return VaultRef{Account: v.Account, Name: v.Name} }

// Segment is one stored blob that makes up part of an archive's bytes.
type Segment struct {
	Key  string
	Size int64
}

// Archive is an immutable stored object. An archive is never modified after
// creation except to mark it deleted; deleted archives stay visible to the
// store (DeletedAt set) so that inventories as of an earlier time stay exact.
type Archive struct {
	ID          string
	Account     string
	Vault       string
	Description string
	Size        int64
	TreeHash    string // lowercase hex SHA-256 tree hash
	CreatedAt   time.Time
	DeletedAt   time.Time // zero while the archive is live
	Segments    []Segment // the archive's bytes, in order; sizes sum to Size
}

// Live reports whether the archive existed (was created and not yet deleted) at t.
func (a Archive) Live(t time.Time) bool {
	return !a.CreatedAt.After(t) && (a.DeletedAt.IsZero() || a.DeletedAt.After(t))
}

// UploadState is the life-cycle state of a multipart upload.
type UploadState int

// Multipart upload states.
const (
	UploadActive UploadState = iota
	UploadCompleted
	UploadAborted
)

// Upload is a multipart upload. Completed and aborted uploads are kept for a
// while so that a repeated Complete or Abort answers as AWS does.
type Upload struct {
	ID          string
	Account     string
	Vault       string
	Description string
	PartSize    int64
	CreatedAt   time.Time
	UpdatedAt   time.Time // creation or the last part write
	State       UploadState
	FinishedAt  time.Time // when it was completed or aborted
	ArchiveID   string    // set when completed
	ArchiveSize int64     // set when completed
	TreeHash    string    // set when completed
}

// Part is one uploaded part of a multipart upload. Parts are identified by
// their starting byte offset within the archive.
type Part struct {
	UploadID string
	Start    int64
	Size     int64
	TreeHash string // lowercase hex
	Key      string // blob key
}

// End returns the inclusive last byte offset of the part.
func (p Part) End() int64 { return p.Start + p.Size - 1 }

// Job actions, as DescribeJob reports them.
const (
	ActionArchiveRetrieval   = "ArchiveRetrieval"
	ActionInventoryRetrieval = "InventoryRetrieval"
	ActionSelect             = "Select"
)

// Job status codes.
const (
	StatusInProgress = "InProgress"
	StatusSucceeded  = "Succeeded"
	StatusFailed     = "Failed"
)

// Retrieval tiers.
const (
	TierExpedited = "Expedited"
	TierStandard  = "Standard"
	TierBulk      = "Bulk"
)

// Job is a retrieval job. Its observable status is a pure function of the
// stored record and the time: InProgress before CompleteAt, Status after.
type Job struct {
	ID          string
	Account     string
	Vault       string
	Action      string // ActionArchiveRetrieval, ActionInventoryRetrieval or ActionSelect
	Tier        string
	Description string
	SNSTopic    string
	CreatedAt   time.Time
	CompleteAt  time.Time // when the job finishes (or finished)
	Status      string    // the final status: StatusSucceeded or StatusFailed
	StatusMsg   string    // message for the final status

	// Archive retrieval and select (a select job keeps its archive's
	// fields and a range of the whole archive, which the retrieval policy
	// counts).
	ArchiveID       string
	ArchiveSize     int64
	ArchiveTreeHash string
	RangeStart      int64  // first byte of the retrieved range
	RangeEnd        int64  // last byte (inclusive) of the retrieved range
	RangeTreeHash   string // tree hash of the range; "" when it is not tree-hash aligned

	// Inventory retrieval.
	Format          string    // "JSON" or "CSV"
	InventoryAt     time.Time // the snapshot the inventory reports
	InventoryStart  time.Time // zero: unbounded
	InventoryEnd    time.Time // zero: unbounded
	InventoryLimit  int       // 0: no limit
	InventoryMarker string    // the marker the job was started with

	// Select: the parameters and output location as the caller gave them
	// (not normalized, so DescribeJob echoes the request) and the S3
	// prefix, "<prefix>/<job id>/", the output is written under.
	Select         *SelectParameters
	OutputLocation *S3Location
	OutputPath     string

	// Set when the job's output is prepared (Finalized).
	ResultKeys []string // select: the result objects' keys
	ErrorKeys  []string // select: the error objects' keys
	Finalized  bool
	OutputKey  string // blob holding the output (inventory jobs)
	OutputSize int64
	NextMarker string // inventory paging: marker for the next job, "" at the end
}

// SelectParameters is a select job's SelectParameters. Every string is as
// the caller gave it; "" means not given.
type SelectParameters struct {
	ExpressionType string
	Expression     string
	Input          SelectCSVInput
	Output         SelectCSVOutput
}

// SelectCSVInput is SelectParameters.InputSerialization.csv.
type SelectCSVInput struct {
	FileHeaderInfo       string
	Comments             string
	QuoteEscapeCharacter string
	RecordDelimiter      string
	FieldDelimiter       string
	QuoteCharacter       string
}

// SelectCSVOutput is SelectParameters.OutputSerialization.csv.
type SelectCSVOutput struct {
	QuoteFields          string
	QuoteEscapeCharacter string
	RecordDelimiter      string
	FieldDelimiter       string
	QuoteCharacter       string
}

// S3Location is a select job's OutputLocation.S3: where, and how, its
// output objects are written.
type S3Location struct {
	BucketName        string
	Prefix            string
	Encryption        *S3Encryption // nil: not given
	CannedACL         string
	AccessControlList []S3Grant
	Tagging           map[string]string
	UserMetadata      map[string]string
	StorageClass      string
}

// S3Encryption is S3Location.Encryption.
type S3Encryption struct {
	EncryptionType string // "AES256" or "aws:kms"
	KMSKeyID       string
	KMSContext     string
}

// S3Grant is one grant of S3Location.AccessControlList.
type S3Grant struct {
	Grantee    S3Grantee
	Permission string
}

// S3Grantee is a grant's grantee.
type S3Grantee struct {
	Type         string // AmazonCustomerByEmail, CanonicalUser or Group
	DisplayName  string
	URI          string
	ID           string
	EmailAddress string
}

// StatusAt returns the job's status code at time now.
func (j Job) StatusAt(now time.Time) string {
	if now.Before(j.CompleteAt) {
		return StatusInProgress
	}
	return j.Status
}

// RangeSize returns the number of bytes an archive retrieval job returns.
func (j Job) RangeSize() int64 { return j.RangeEnd - j.RangeStart + 1 }

// Capacity is a provisioned capacity unit.
type Capacity struct {
	ID        string
	Account   string
	StartAt   time.Time
	ExpiresAt time.Time
}

// Retrieval policy strategies.
const (
	StrategyNone         = "None"
	StrategyFreeTier     = "FreeTier"
	StrategyBytesPerHour = "BytesPerHour"
)

// RetrievalPolicy is an account's data retrieval policy (one rule).
type RetrievalPolicy struct {
	Strategy     string
	BytesPerHour int64 // only with StrategyBytesPerHour
}

// Vault lock states.
const (
	LockInProgress = "InProgress"
	LockLocked     = "Locked"
)

// Notification events a vault can subscribe its SNS topic to.
const (
	EventArchiveRetrievalCompleted   = "ArchiveRetrievalCompleted"
	EventInventoryRetrievalCompleted = "InventoryRetrievalCompleted"
)

// VaultConfig is a vault's governance: tags, access policy, vault lock and
// notification configuration. Every field's zero value means "not set".
type VaultConfig struct {
	Account string
	Vault   string
	Tags    map[string]string

	AccessPolicy string // the policy document, as set

	LockPolicy    string // the vault lock policy document
	LockID        string
	LockState     string // LockInProgress or LockLocked; "" for no lock
	LockCreatedAt time.Time
	LockExpiresAt time.Time // when an InProgress lock lapses

	NotifyTopic  string   // SNS topic ARN
	NotifyEvents []string // Event* values
}

// Notification is a message waiting in the outbox for delivery to an SNS
// topic (or webhook). It is delivered at least once.
type Notification struct {
	ID        string
	Topic     string
	Subject   string
	Message   string
	CreatedAt time.Time
	NotBefore time.Time // not delivered before this time (retry backoff, claims)
	Attempts  int
}

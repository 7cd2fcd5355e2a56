package e2e

import (
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"

	"github.com/glacierd/glacierd/internal/treehash"
)

// What an operation's requests refer to, built on demand per slot.
const (
	needArchive = 1 << iota
	needUpload
	needJob
	needLock
	needPolicy
	needNotify
	needTags
	needEmpty
)

const (
	fxArchiveSize = 1024
	fxPartSize    = 1 << 20
	fxTopic       = "arn:aws:sns:us-east-1:" + testAccount + ":model"
	// Well-formed IDs this server never issued.
	unknownUpload = "nbQn3Nf_Vzw0hj7ADqYCHNRd8Y4RgwTLu8SpZGoWLAb7iXGN4eAXKPCLAz4kWp1tdAJh4PafCoyoJDXh4hBv1wV5DJ2C"
	unknownJob    = "HkF9p6o7yjhFx-K3CGl6fuSm6VzW9T7esGQfco8nUXVYwS0jlb5gq1JZ55yHgt5vP54ZShjoQzQVVh7vEXAMPLEjobID"
	unknownLock   = "AE863rKkWZU53SLW5be4DUcW"
	foreignAcct   = "210987654321"
)

// fixture is one slot of stored state: a vault with what an operation
// needs (an archive, an in-progress upload with one part, a completed and an
// in-progress job, a lock in progress, an access policy, notifications,
// tags) and an empty vault.
type fixture struct {
	vault, empty         string
	archive, archiveHash string
	upload, partHash     string
	job, pendingJob      string
	lockID               string
	part                 []byte
}

func (fx *fixture) arn() string { return vaultARN(testAccount, fx.vault) }

// lockPolicy denies nothing in practice: no archive is younger than 0 days.
func lockPolicy(arn string) string {
	return `{"Version":"2012-10-17","Statement":[{"Sid":"retain","Principal":"*","Effect":"Deny","Action":"glacier:DeleteArchive","Resource":"` +
		arn + `","Condition":{"NumericLessThan":{"glacier:ArchiveAgeInDays":"0"}}}]}`
}

// accessPolicy lets another account describe the vault.
func accessPolicy(arn string) string {
	return `{"Version":"2012-10-17","Statement":[{"Sid":"read","Principal":{"AWS":"arn:aws:iam::` + foreignAcct +
		`:root"},"Effect":"Allow","Action":"glacier:DescribeVault","Resource":"` + arn + `"}]}`
}

// newFixture builds slot n of what needs asks for.
func (e *env) newFixture(n int, needs int) *fixture {
	e.t.Helper()
	fx := &fixture{vault: fmt.Sprintf("model-%d", n), empty: fmt.Sprintf("model-%d-empty", n)}
	e.mustCreateVault(fx.vault)
	if needs&needEmpty != 0 {
		e.mustCreateVault(fx.empty)
	}
	v := func() (*string, *string) { return aws.String("-"), aws.String(fx.vault) }
	must := func(what string, err error) {
		if err != nil {
			e.t.Fatalf("fixture %s: %v", what, err)
		}
	}
	if needs&(needArchive|needJob) != 0 {
		fx.archive, fx.archiveHash = e.upload(fx.vault, randomBytes(fxArchiveSize), "model fixture")
	}
	if needs&needUpload != 0 {
		a, vn := v()
		out, err := e.gl.InitiateMultipartUpload(ctx, &glacier.InitiateMultipartUploadInput{AccountId: a, VaultName: vn, PartSize: aws.String(fmt.Sprint(fxPartSize))})
		must("initiate upload", err)
		fx.upload, fx.part = aws.ToString(out.UploadId), randomBytes(fxPartSize)
		fx.partHash = hexOf(treehash.Sum(fx.part))
		_, err = e.gl.UploadMultipartPart(ctx, &glacier.UploadMultipartPartInput{AccountId: a, VaultName: vn, UploadId: out.UploadId,
			Range: aws.String(fmt.Sprintf("bytes 0-%d/*", fxPartSize-1)), Body: strings.NewReader(string(fx.part))})
		must("upload part", err)
	}
	if needs&needJob != 0 {
		fx.job = e.initiate(fx.vault, types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: aws.String(fx.archive), Tier: aws.String("Bulk")})
		e.clock.Advance(13 * time.Hour)
		fx.pendingJob = e.initiate(fx.vault, types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: aws.String(fx.archive), Tier: aws.String("Bulk")})
	}
	if needs&needLock != 0 {
		a, vn := v()
		out, err := e.gl.InitiateVaultLock(ctx, &glacier.InitiateVaultLockInput{AccountId: a, VaultName: vn, Policy: &types.VaultLockPolicy{Policy: aws.String(lockPolicy(fx.arn()))}})
		must("initiate lock", err)
		fx.lockID = aws.ToString(out.LockId)
	}
	if needs&needPolicy != 0 {
		a, vn := v()
		_, err := e.gl.SetVaultAccessPolicy(ctx, &glacier.SetVaultAccessPolicyInput{AccountId: a, VaultName: vn, Policy: &types.VaultAccessPolicy{Policy: aws.String(accessPolicy(fx.arn()))}})
		must("access policy", err)
	}
	if needs&needNotify != 0 {
		a, vn := v()
		_, err := e.gl.SetVaultNotifications(ctx, &glacier.SetVaultNotificationsInput{AccountId: a, VaultName: vn,
			VaultNotificationConfig: &types.VaultNotificationConfig{SNSTopic: aws.String(fxTopic), Events: []string{"ArchiveRetrievalCompleted"}}})
		must("notifications", err)
	}
	if needs&needTags != 0 {
		a, vn := v()
		_, err := e.gl.AddTagsToVault(ctx, &glacier.AddTagsToVaultInput{AccountId: a, VaultName: vn, Tags: map[string]string{"team": "model"}})
		must("tags", err)
	}
	return fx
}

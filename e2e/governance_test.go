package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"
	"github.com/google/go-cmp/cmp"

	"github.com/glacierd/glacierd/internal/app"
)

// Accounts and users of the governance tests.
const (
	otherAccount = "210987654321"
	aliceKey     = "AKIDALICE"
	bobKey       = "AKIDBOB"
)

// withAccounts gives the server a credentials file with the test account's
// key and two users (alice, bob) of another account.
func withAccounts(t *testing.T) func(*app.Config) {
	path := filepath.Join(t.TempDir(), "credentials")
	body := fmt.Sprintf("# test accounts\n%s %s %s\n%s alice-secret %s alice\n%s bob-secret %s bob\n",
		testKey, testSecret, testAccount, aliceKey, otherAccount, bobKey, otherAccount)
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return func(c *app.Config) { c.Credentials = path }
}

func vaultARN(account, vault string) string {
	return "arn:aws:glacier:us-east-1:" + account + ":vaults/" + vault
}

func setPolicy(t *testing.T, e *env, vault, doc string) {
	t.Helper()
	if _, err := e.gl.SetVaultAccessPolicy(ctx, &glacier.SetVaultAccessPolicyInput{AccountId: aws.String("-"), VaultName: aws.String(vault),
		Policy: &types.VaultAccessPolicy{Policy: aws.String(doc)}}); err != nil {
		t.Fatalf("set access policy: %v", err)
	}
}

func TestCrossAccountAccess(t *testing.T) {
	e := start(t, withAccounts(t))
	e.mustCreateVault("shared")
	alice, bob := e.client(aliceKey, "alice-secret"), e.client(bobKey, "bob-secret")
	describe := func(c *glacier.Client) error {
		_, err := c.DescribeVault(ctx, &glacier.DescribeVaultInput{AccountId: aws.String(testAccount), VaultName: aws.String("shared")})
		return err
	}
	upload := func(c *glacier.Client) error {
		_, err := c.UploadArchive(ctx, &glacier.UploadArchiveInput{AccountId: aws.String(testAccount), VaultName: aws.String("shared"), Body: strings.NewReader("from another account")})
		return err
	}
	// Without a policy, another account can do nothing, and cannot even
	// learn whether a vault exists.
	wantAPIError(t, describe(alice), "AccessDeniedException", "arn:aws:iam::"+otherAccount+":user/alice")
	wantAPIError(t, upload(alice), "AccessDeniedException")
	_, err := alice.DescribeVault(ctx, &glacier.DescribeVaultInput{AccountId: aws.String(testAccount), VaultName: aws.String("missing")})
	wantAPIError(t, err, "AccessDeniedException")
	// "-" is the caller's own account: alice sees her account's (empty) list.
	out, err := alice.ListVaults(ctx, &glacier.ListVaultsInput{AccountId: aws.String("-")})
	if err != nil || len(out.VaultList) != 0 {
		t.Errorf("alice's own vaults: %v, %v", out, err)
	}

	// A policy granting alice (by user ARN) read and upload.
	setPolicy(t, e, "shared", `{"Version":"2012-10-17","Statement":[{
		"Sid":"alice-can-read-and-write","Effect":"Allow",
		"Principal":{"AWS":"arn:aws:iam::`+otherAccount+`:user/alice"},
		"Action":["glacier:DescribeVault","glacier:UploadArchive","glacier:InitiateJob","glacier:GetJobOutput","glacier:DescribeJob"],
		"Resource":"`+vaultARN(testAccount, "shared")+`"}]}`)
	if err := describe(alice); err != nil {
		t.Errorf("alice after the policy: %v", err)
	}
	if err := upload(alice); err != nil {
		t.Errorf("alice uploads after the policy: %v", err)
	}
	wantAPIError(t, describe(bob), "AccessDeniedException")
	_, err = alice.DeleteVault(ctx, &glacier.DeleteVaultInput{AccountId: aws.String(testAccount), VaultName: aws.String("shared")})
	wantAPIError(t, err, "AccessDeniedException")

	// The whole other account, by account ID, gets DescribeVault too.
	setPolicy(t, e, "shared", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["`+otherAccount+`"]},
		"Action":"glacier:Describe*","Resource":"`+vaultARN(testAccount, "*")+`"}]}`)
	if err := describe(bob); err != nil {
		t.Errorf("bob with an account-wide policy: %v", err)
	}
	wantAPIError(t, upload(bob), "AccessDeniedException")

	// An explicit Deny beats everything, the owner included.
	id, _ := e.upload("shared", []byte("precious"), "")
	setPolicy(t, e, "shared", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Principal":"*","Action":"glacier:*","Resource":"*"},
		{"Sid":"no-deletes","Effect":"Deny","Principal":"*","Action":"glacier:DeleteArchive","Resource":"*"}]}`)
	_, err = e.gl.DeleteArchive(ctx, &glacier.DeleteArchiveInput{AccountId: aws.String("-"), VaultName: aws.String("shared"), ArchiveId: aws.String(id)})
	wantAPIError(t, err, "AccessDeniedException", "glacier:DeleteArchive")
	e.assertArchive("shared", id, []byte("precious"))
	if _, err := e.gl.DeleteVaultAccessPolicy(ctx, &glacier.DeleteVaultAccessPolicyInput{AccountId: aws.String("-"), VaultName: aws.String("shared")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.gl.DeleteArchive(ctx, &glacier.DeleteArchiveInput{AccountId: aws.String("-"), VaultName: aws.String("shared"), ArchiveId: aws.String(id)}); err != nil {
		t.Errorf("delete after the Deny policy is gone: %v", err)
	}
}

func TestTagConditionAndSecureTransport(t *testing.T) {
	e := start(t, withAccounts(t))
	e.mustCreateVault("tagged")
	alice := e.client(aliceKey, "alice-secret")
	setPolicy(t, e, "tagged", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"`+otherAccount+`"},
		"Action":"glacier:ListTagsForVault","Resource":"*","Condition":{"StringEquals":{"glacier:ResourceTag/Team":"blue"}}}]}`)
	list := func() error {
		_, err := alice.ListTagsForVault(ctx, &glacier.ListTagsForVaultInput{AccountId: aws.String(testAccount), VaultName: aws.String("tagged")})
		return err
	}
	wantAPIError(t, list(), "AccessDeniedException")
	if _, err := e.gl.AddTagsToVault(ctx, &glacier.AddTagsToVaultInput{AccountId: aws.String("-"), VaultName: aws.String("tagged"), Tags: map[string]string{"Team": "blue"}}); err != nil {
		t.Fatal(err)
	}
	if err := list(); err != nil {
		t.Errorf("with the Team=blue tag: %v", err)
	}
	// A Deny unless the request came over TLS applies to this plain-HTTP server.
	setPolicy(t, e, "tagged", `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"glacier:*","Resource":"*",
		"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}`)
	_, err := e.gl.DescribeVault(ctx, &glacier.DescribeVaultInput{AccountId: aws.String("-"), VaultName: aws.String("tagged")})
	wantAPIError(t, err, "AccessDeniedException")
}

const retentionPolicy = `{"Version":"2012-10-17","Statement":[{"Sid":"deny-young-deletes","Principal":"*","Effect":"Deny",
	"Action":"glacier:DeleteArchive","Resource":"%s","Condition":{"NumericLessThan":{"glacier:ArchiveAgeInDays":"365"}}}]}`

func TestVaultLockRetention(t *testing.T) {
	e := start(t)
	e.mustCreateVault("vault")
	id, _ := e.upload("vault", []byte("keep for a year"), "")
	doc := fmt.Sprintf(retentionPolicy, vaultARN(testAccount, "vault"))
	initiate := func() (string, error) {
		out, err := e.gl.InitiateVaultLock(ctx, &glacier.InitiateVaultLockInput{AccountId: aws.String("-"), VaultName: aws.String("vault"), Policy: &types.VaultLockPolicy{Policy: aws.String(doc)}})
		if err != nil {
			return "", err
		}
		return aws.ToString(out.LockId), nil
	}
	complete := func(lockID string) error {
		_, err := e.gl.CompleteVaultLock(ctx, &glacier.CompleteVaultLockInput{AccountId: aws.String("-"), VaultName: aws.String("vault"), LockId: aws.String(lockID)})
		return err
	}
	abort := func() error {
		_, err := e.gl.AbortVaultLock(ctx, &glacier.AbortVaultLockInput{AccountId: aws.String("-"), VaultName: aws.String("vault")})
		return err
	}
	get := func() (*glacier.GetVaultLockOutput, error) {
		return e.gl.GetVaultLock(ctx, &glacier.GetVaultLockInput{AccountId: aws.String("-"), VaultName: aws.String("vault")})
	}
	deleteArchive := func() error {
		_, err := e.gl.DeleteArchive(ctx, &glacier.DeleteArchiveInput{AccountId: aws.String("-"), VaultName: aws.String("vault"), ArchiveId: aws.String(id)})
		return err
	}

	_, err := get()
	wantAPIError(t, err, "ResourceNotFoundException")
	if err := abort(); err != nil {
		t.Errorf("abort with no lock: %v", err)
	}
	_, err = e.gl.InitiateVaultLock(ctx, &glacier.InitiateVaultLockInput{AccountId: aws.String("-"), VaultName: aws.String("vault"), Policy: &types.VaultLockPolicy{Policy: aws.String(`{"Statement": "nope"}`)}})
	wantAPIError(t, err, "InvalidParameterValueException", "vault lock policy")

	lockID, err := initiate()
	if err != nil || lockID == "" {
		t.Fatalf("initiate: %q, %v", lockID, err)
	}
	got, err := get()
	if err != nil || aws.ToString(got.State) != "InProgress" || aws.ToString(got.Policy) != doc || got.ExpirationDate == nil {
		t.Fatalf("in progress: %+v, %v", got, err)
	}
	exp, _ := time.Parse(time.RFC3339, aws.ToString(got.ExpirationDate))
	if d := exp.Sub(e.clock.Now()); d < 23*time.Hour || d > 25*time.Hour {
		t.Errorf("ExpirationDate %s is %v away, want 24h", aws.ToString(got.ExpirationDate), d)
	}
	// The policy is enforced while in progress, on the owner too.
	wantAPIError(t, deleteArchive(), "AccessDeniedException")
	_, err = initiate()
	wantAPIError(t, err, "AccessDeniedException")
	wantAPIError(t, complete("WRONGLOCKID0000000000000"), "InvalidParameterValueException")
	if err := complete(lockID); err != nil {
		t.Fatalf("complete: %v", err)
	}
	got, err = get()
	if err != nil || aws.ToString(got.State) != "Locked" || got.ExpirationDate != nil {
		t.Fatalf("locked: %+v, %v", got, err)
	}
	wantAPIError(t, abort(), "AccessDeniedException")
	wantAPIError(t, complete("WRONGLOCKID0000000000000"), "AccessDeniedException")
	// Completing again with the lock's own ID always succeeds and changes nothing.
	if err := complete(lockID); err != nil {
		t.Errorf("complete again with the same lock ID: %v", err)
	}
	if again, err := get(); err != nil || aws.ToString(again.State) != "Locked" || aws.ToString(again.Policy) != doc ||
		aws.ToString(again.CreationDate) != aws.ToString(got.CreationDate) {
		t.Errorf("after a repeated complete: %+v, %v (was %+v)", again, err, got)
	}
	_, err = initiate()
	wantAPIError(t, err, "AccessDeniedException")
	wantAPIError(t, deleteArchive(), "AccessDeniedException")

	// A year and a day later the archive may go.
	e.clock.Advance(364 * 24 * time.Hour)
	wantAPIError(t, deleteArchive(), "AccessDeniedException")
	e.clock.Advance(2 * 24 * time.Hour)
	if err := deleteArchive(); err != nil {
		t.Errorf("delete after 366 days: %v", err)
	}
	// The lock survives a restart.
	e.restart()
	if got, err := get(); err != nil || aws.ToString(got.State) != "Locked" {
		t.Errorf("after restart: %+v, %v", got, err)
	}
}

func TestVaultLockExpires(t *testing.T) {
	e := start(t)
	e.mustCreateVault("v")
	id, _ := e.upload("v", []byte("x"), "")
	if _, err := e.gl.InitiateVaultLock(ctx, &glacier.InitiateVaultLockInput{AccountId: aws.String("-"), VaultName: aws.String("v"),
		Policy: &types.VaultLockPolicy{Policy: aws.String(fmt.Sprintf(retentionPolicy, vaultARN(testAccount, "v")))}}); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(24*time.Hour + time.Minute)
	_, err := e.gl.GetVaultLock(ctx, &glacier.GetVaultLockInput{AccountId: aws.String("-"), VaultName: aws.String("v")})
	wantAPIError(t, err, "ResourceNotFoundException")
	if _, err := e.gl.DeleteArchive(ctx, &glacier.DeleteArchiveInput{AccountId: aws.String("-"), VaultName: aws.String("v"), ArchiveId: aws.String(id)}); err != nil {
		t.Errorf("delete after the in-progress lock lapsed: %v", err)
	}
	// A new lock can be initiated; aborting it removes it.
	if _, err := e.gl.InitiateVaultLock(ctx, &glacier.InitiateVaultLockInput{AccountId: aws.String("-"), VaultName: aws.String("v"),
		Policy: &types.VaultLockPolicy{Policy: aws.String(fmt.Sprintf(retentionPolicy, vaultARN(testAccount, "v")))}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.gl.AbortVaultLock(ctx, &glacier.AbortVaultLockInput{AccountId: aws.String("-"), VaultName: aws.String("v")}); err != nil {
		t.Fatal(err)
	}
	_, err = e.gl.GetVaultLock(ctx, &glacier.GetVaultLockInput{AccountId: aws.String("-"), VaultName: aws.String("v")})
	wantAPIError(t, err, "ResourceNotFoundException")
}

func TestTags(t *testing.T) {
	e := start(t)
	e.mustCreateVault("v")
	add := func(tags map[string]string) error {
		_, err := e.gl.AddTagsToVault(ctx, &glacier.AddTagsToVaultInput{AccountId: aws.String("-"), VaultName: aws.String("v"), Tags: tags})
		return err
	}
	list := func() map[string]string {
		out, err := e.gl.ListTagsForVault(ctx, &glacier.ListTagsForVaultInput{AccountId: aws.String("-"), VaultName: aws.String("v")})
		if err != nil {
			t.Fatal(err)
		}
		return out.Tags
	}
	// No tags is an empty object, not null.
	if r := e.raw(rawReq{method: "GET", path: "/-/vaults/v/tags", sign: true}); r.status != 200 || string(r.body) != `{"Tags":{}}` {
		t.Errorf("empty tags: %d %s", r.status, r.body)
	}
	if err := add(map[string]string{"Team": "blue", "cost center": "4/2", "empty": ""}); err != nil {
		t.Fatal(err)
	}
	if err := add(map[string]string{"Team": "green"}); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(map[string]string{"Team": "green", "cost center": "4/2", "empty": ""}, list()); d != "" {
		t.Errorf("tags (-want +got):\n%s", d)
	}
	for range 2 { // idempotent
		if _, err := e.gl.RemoveTagsFromVault(ctx, &glacier.RemoveTagsFromVaultInput{AccountId: aws.String("-"), VaultName: aws.String("v"), TagKeys: []string{"empty", "never-set"}}); err != nil {
			t.Fatal(err)
		}
	}
	before := list()
	many := map[string]string{}
	for i := range 49 {
		many[fmt.Sprintf("k%02d", i)] = "v"
	}
	wantAPIError(t, add(many), "LimitExceededException") // 2 + 49 > 50
	for _, bad := range []map[string]string{
		{"aws:owner": "x"},
		{strings.Repeat("k", 129): "x"},
		{"k": strings.Repeat("v", 257)},
		{"": "x"},
		{"semi;colon": "x"},
	} {
		wantAPIError(t, add(bad), "InvalidParameterValueException")
	}
	if d := cmp.Diff(before, list()); d != "" {
		t.Errorf("refused adds changed the tags (-before +after):\n%s", d)
	}
	delete(many, "k00")
	if err := add(many); err != nil { // exactly 50
		t.Errorf("50 tags: %v", err)
	}
}

func TestAccessPolicyDocument(t *testing.T) {
	e := start(t)
	e.mustCreateVault("v")
	_, err := e.gl.GetVaultAccessPolicy(ctx, &glacier.GetVaultAccessPolicyInput{AccountId: aws.String("-"), VaultName: aws.String("v")})
	wantAPIError(t, err, "ResourceNotFoundException")
	set := func(doc string) error {
		_, err := e.gl.SetVaultAccessPolicy(ctx, &glacier.SetVaultAccessPolicyInput{AccountId: aws.String("-"), VaultName: aws.String("v"), Policy: &types.VaultAccessPolicy{Policy: aws.String(doc)}})
		return err
	}
	for _, bad := range []string{
		`not json`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Principal":"*","Action":"glacier:*","Resource":"*"}]}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"*"}]}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"glacier:*","Resource":"*","Condition":{"Sometimes":{"a":"b"}}}]}`,
		`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"glacier:*","Resource":"*","Sid":"` + strings.Repeat("x", 21*1024) + `"}]}`,
	} {
		wantAPIError(t, set(bad), "InvalidParameterValueException")
	}
	doc := `{"Version":"2012-10-17","Statement":[{"Sid":"read","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + otherAccount + `:root"},"Action":"glacier:DescribeVault","Resource":"` + vaultARN(testAccount, "v") + `"}]}`
	if err := set(doc); err != nil {
		t.Fatal(err)
	}
	out, err := e.gl.GetVaultAccessPolicy(ctx, &glacier.GetVaultAccessPolicyInput{AccountId: aws.String("-"), VaultName: aws.String("v")})
	if err != nil || aws.ToString(out.Policy.Policy) != doc {
		t.Errorf("get policy: %v, %v", out, err)
	}
	for range 2 {
		if _, err := e.gl.DeleteVaultAccessPolicy(ctx, &glacier.DeleteVaultAccessPolicyInput{AccountId: aws.String("-"), VaultName: aws.String("v")}); err != nil {
			t.Errorf("delete policy: %v", err)
		}
	}
	// Deleting the vault deletes its policy.
	if err := set(doc); err != nil {
		t.Fatal(err)
	}
	if _, err := e.gl.DeleteVault(ctx, &glacier.DeleteVaultInput{AccountId: aws.String("-"), VaultName: aws.String("v")}); err != nil {
		t.Fatal(err)
	}
	e.mustCreateVault("v")
	_, err = e.gl.GetVaultAccessPolicy(ctx, &glacier.GetVaultAccessPolicyInput{AccountId: aws.String("-"), VaultName: aws.String("v")})
	wantAPIError(t, err, "ResourceNotFoundException")
}

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alecthomas/kong"
)

func TestHelpAndUsageErrors(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	if r := s.run("--help"); r.code != 0 || !strings.Contains(r.stdout, "Commands:") || !strings.Contains(r.stdout, "retrieval-policy") {
		t.Errorf("--help: exit %d, stdout %q", r.code, r.stdout)
	}
	// Every command has --help.
	for _, cmd := range []string{"vault create", "vault list", "upload", "uploads abort", "retrieve", "download", "inventory",
		"jobs list", "jobs describe", "tags add", "policy set", "lock initiate", "notifications set", "capacity buy",
		"retrieval-policy set", "archive delete"} {
		r := s.run(append(strings.Fields(cmd), "--help")...)
		if r.code != 0 || !strings.Contains(r.stdout, "Usage: glacier "+cmd) {
			t.Errorf("%s --help: exit %d, stdout %q", cmd, r.code, r.stdout)
		}
	}
	usage := []struct {
		args []string
		want string
	}{
		{[]string{"frobnicate"}, "unexpected argument frobnicate"},
		{[]string{"vault"}, "expected one of"},
		{[]string{"upload", "v"}, `expected "<file>"`},
		{[]string{"upload", "v", "f", "--part-size", "3MiB"}, "--part-size"},
		{[]string{"upload", "v", "f", "--part-size", "lots"}, "invalid size"},
		{[]string{"upload", "v", "f", "--resume", "X", "--resume-auto"}, "can't be used together"},
		{[]string{"retrieve", "v", "a"}, "-o/--out"},
		{[]string{"retrieve", "v", "a", "-o", "f", "--range", "9-1"}, "--range"},
		{[]string{"retrieve", "v", "a", "-o", "f", "--tier", "Fast"}, "--tier"},
		{[]string{"download", "v", "j", "-o", "f", "--range-size", "1000"}, "--range-size"},
		{[]string{"tags", "add", "v", "novalue"}, "KEY=VALUE"},
		{[]string{"retrieval-policy", "set", "--strategy", "BytesPerHour"}, "--bytes-per-hour"},
		{[]string{"inventory", "v", "--format", "xml"}, "--format"},
		{[]string{"jobs", "list", "v", "--status", "Done"}, "--status"},
		{[]string{"--output", "yaml", "vault", "list"}, "--output"},
	}
	for _, u := range usage {
		r := s.run(u.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, u.want) || !strings.Contains(r.stderr, "--help' for usage") {
			t.Errorf("glacier %s: exit %d, stderr %q; want exit 2 mentioning %q", strings.Join(u.args, " "), r.code, r.stderr, u.want)
		}
	}
}

func TestVaultCommands(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	for i := range 12 { // more than one ListVaults page (the server's default page is 10)
		s.ok("vault", "create", fmt.Sprintf("vault-%02d", i))
	}
	if r := s.ok("vault", "create", "vault-00"); !strings.HasPrefix(r.stdout, "vault vault-00 already exists (") {
		t.Errorf("creating an existing vault: %q", r.stdout)
	}
	if r := s.ok("vault", "create", "vault-new"); !strings.HasPrefix(r.stdout, "created vault vault-new (") {
		t.Errorf("creating a new vault: %q", r.stdout)
	}
	s.ok("vault", "delete", "vault-new")
	r := s.ok("vault", "list", "--output", "json")
	var vaults []vaultJSON
	if err := json.Unmarshal([]byte(r.stdout), &vaults); err != nil || len(vaults) != 12 || vaults[11].VaultName != "vault-11" {
		t.Fatalf("vault list json: %v, %+v\n%s", err, vaults, r.stdout)
	}
	r = s.ok("vault", "list")
	if lines := strings.Split(strings.TrimSpace(r.stdout), "\n"); len(lines) != 13 || !strings.HasPrefix(lines[0], "NAME") {
		t.Errorf("vault list table:\n%s", r.stdout)
	}
	r = s.ok("vault", "describe", "vault-03")
	if !strings.Contains(r.stdout, "arn:aws:glacier:us-east-1:123456789012:vaults/vault-03") || !strings.Contains(r.stdout, "Archives:") {
		t.Errorf("vault describe:\n%s", r.stdout)
	}
	s.ok("vault", "delete", "vault-03")
	r = s.run("vault", "describe", "vault-03")
	if r.code != exitError || !strings.Contains(r.stderr, "glacier: DescribeVault: ResourceNotFoundException: Vault not found") {
		t.Errorf("describe deleted vault: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := s.run("--account-id", "999999999999", "vault", "list"); r.code != exitError || !strings.Contains(r.stderr, "AccessDeniedException") {
		t.Errorf("foreign account: exit %d, stderr %q", r.code, r.stderr)
	}
	r = s.run("--debug", "vault", "describe", "nope")
	if r.code != exitError || !strings.Contains(r.stderr, "operation error Glacier: DescribeVault") || !strings.Contains(r.stderr, "GET /-/vaults/nope") {
		t.Errorf("--debug: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestCapacityAndRetrievalPolicy(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	if r := s.run("capacity", "buy"); r.code != exitError || !strings.Contains(r.stderr, "not confirmed") {
		t.Fatalf("capacity buy without confirmation: %d %s", r.code, r.stderr)
	}
	e := s.testEnv()
	e.stdin = strings.NewReader("y\n")
	id := strings.TrimSpace(s.runEnv(context.Background(), e, "capacity", "buy").stdout)
	if id == "" {
		t.Fatal("capacity buy printed no ID")
	}
	r := s.ok("capacity", "list", "--output", "json")
	var caps []capacityJSON
	if err := json.Unmarshal([]byte(r.stdout), &caps); err != nil || len(caps) != 1 || caps[0].CapacityId != id {
		t.Errorf("capacity list: %v %+v", err, caps)
	}
	if r := s.ok("capacity", "list"); !strings.Contains(r.stdout, id) || !strings.Contains(r.stdout, "EXPIRES") {
		t.Errorf("capacity list table:\n%s", r.stdout)
	}

	s.ok("retrieval-policy", "set", "--strategy", "BytesPerHour", "--bytes-per-hour", "10GiB")
	r = s.ok("retrieval-policy", "get")
	if !strings.Contains(r.stdout, "Strategy: BytesPerHour") || !strings.Contains(r.stdout, "10737418240") {
		t.Errorf("retrieval-policy get:\n%s", r.stdout)
	}
	s.ok("retrieval-policy", "set", "--strategy", "FreeTier")
	r = s.ok("retrieval-policy", "get", "--output", "json")
	var pol struct{ Rules []ruleJSON }
	if err := json.Unmarshal([]byte(r.stdout), &pol); err != nil || len(pol.Rules) != 1 || pol.Rules[0].Strategy != "FreeTier" || pol.Rules[0].BytesPerHour != nil {
		t.Errorf("retrieval-policy get json: %v\n%s", err, r.stdout)
	}
}

// skipUnimplemented skips the test when the server does not implement an
// operation yet.
func skipUnimplemented(t *testing.T, r result) {
	t.Helper()
	if r.code != 0 && strings.Contains(r.stderr, "UnknownOperationException") {
		if !strings.Contains(r.stderr, "glacier: ") || r.code != exitError {
			t.Errorf("unimplemented operation reported badly: exit %d, %q", r.code, r.stderr)
		}
		t.Skipf("server: %s", strings.TrimSpace(r.stderr))
	}
}

func TestVaultGovernance(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.ok("vault", "create", "gov")
	dir := t.TempDir()
	policy := `{"Version":"2012-10-17","Statement":[{"Sid":"deny-delete","Principal":"*","Effect":"Deny","Action":"glacier:DeleteArchive","Resource":"arn:aws:glacier:us-east-1:123456789012:vaults/gov"}]}`
	pfile := filepath.Join(dir, "policy.json")
	os.WriteFile(pfile, []byte(policy), 0o644)

	t.Run("tags", func(t *testing.T) {
		r := s.run("tags", "add", "gov", "team=infra", "cost=a=b")
		skipUnimplemented(t, r)
		if r.code != 0 {
			t.Fatalf("tags add: %d %s", r.code, r.stderr)
		}
		if r := s.ok("tags", "list", "gov"); r.stdout != "cost=a=b\nteam=infra\n" {
			t.Errorf("tags list: %q", r.stdout)
		}
		s.ok("tags", "remove", "gov", "cost")
		var tags struct{ Tags map[string]string }
		json.Unmarshal([]byte(s.ok("tags", "list", "gov", "--output", "json").stdout), &tags)
		if len(tags.Tags) != 1 || tags.Tags["team"] != "infra" {
			t.Errorf("tags after remove: %v", tags)
		}
	})
	t.Run("policy", func(t *testing.T) {
		r := s.run("policy", "set", "gov", pfile)
		skipUnimplemented(t, r)
		if r.code != 0 {
			t.Fatalf("policy set: %d %s", r.code, r.stderr)
		}
		if got := s.ok("policy", "get", "gov").stdout; !strings.Contains(got, "deny-delete") {
			t.Errorf("policy get: %q", got)
		}
		s.ok("policy", "delete", "gov")
		if r := s.run("policy", "get", "gov"); r.code != exitError || !strings.Contains(r.stderr, "ResourceNotFoundException") {
			t.Errorf("policy get after delete: %d %q", r.code, r.stderr)
		}
	})
	t.Run("lock", func(t *testing.T) {
		r := s.run("lock", "initiate", "gov", pfile)
		skipUnimplemented(t, r)
		if r.code != 0 {
			t.Fatalf("lock initiate: %d %s", r.code, r.stderr)
		}
		lockID := strings.TrimSpace(r.stdout)
		if got := s.ok("lock", "get", "gov").stdout; !strings.Contains(got, "InProgress") {
			t.Errorf("lock get: %q", got)
		}
		s.ok("lock", "abort", "gov")
		r = s.ok("lock", "initiate", "gov", pfile, "--output", "json")
		var out struct{ LockId string }
		json.Unmarshal([]byte(r.stdout), &out)
		if out.LockId == "" || out.LockId == lockID {
			t.Fatalf("lock initiate json: %q", r.stdout)
		}
		if r := s.run("lock", "complete", "gov", out.LockId); r.code != exitError || !strings.Contains(r.stderr, "never be changed") {
			t.Fatalf("lock complete without --yes: %d %s", r.code, r.stderr)
		}
		s.ok("lock", "complete", "gov", out.LockId, "--yes")
		if got := s.ok("lock", "get", "gov").stdout; !strings.Contains(got, "Locked") {
			t.Errorf("lock get after complete: %q", got)
		}
	})
	t.Run("notifications", func(t *testing.T) {
		topic := "arn:aws:sns:us-east-1:123456789012:glacier-jobs"
		r := s.run("notifications", "set", "gov", "--topic", topic, "--events", "ArchiveRetrievalCompleted")
		skipUnimplemented(t, r)
		if r.code != 0 {
			t.Fatalf("notifications set: %d %s", r.code, r.stderr)
		}
		if got := s.ok("notifications", "get", "gov").stdout; !strings.Contains(got, topic) || strings.Contains(got, "Inventory") {
			t.Errorf("notifications get: %q", got)
		}
		s.ok("notifications", "delete", "gov")
		if r := s.run("notifications", "get", "gov"); r.code != exitError {
			t.Errorf("notifications get after delete: exit %d", r.code)
		}
	})
}

func TestParseTags(t *testing.T) {
	t.Parallel()
	got, err := parseTags([]string{"a=1", "b=", "c=x=y"})
	if err != nil || len(got) != 3 || got["b"] != "" || got["c"] != "x=y" {
		t.Errorf("parseTags = %v, %v", got, err)
	}
	for _, bad := range [][]string{{"=1"}, {"a"}, {"a=1", "a=2"}} {
		if _, err := parseTags(bad); err == nil {
			t.Errorf("parseTags(%q) accepted", bad)
		}
	}
}

func TestDefaultDescription(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"/x/backup.tar.gz": "backup.tar.gz",
		"photos 2024.zip":  "photos 2024.zip",
		"/x/résumé.pdf":    `r\u00e9sum\u00e9.pdf`,
	} {
		if got := defaultDescription(in); got != want {
			t.Errorf("defaultDescription(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestStandardAWSConfiguration runs the command with no test overrides: the
// endpoint, credentials and region come from the environment and a shared
// config profile, as they would for a user.
func TestStandardAWSConfiguration(t *testing.T) {
	s := startServer(t)
	dir := t.TempDir()
	cfgFile, credFile := filepath.Join(dir, "config"), filepath.Join(dir, "credentials")
	os.WriteFile(cfgFile, []byte(fmt.Sprintf("[profile glacierd]\nregion = eu-west-1\nendpoint_url = %s\n", s.m.URL())), 0o600)
	os.WriteFile(credFile, []byte(fmt.Sprintf("[glacierd]\naws_access_key_id = %s\naws_secret_access_key = %s\n", testKey, testSecret)), 0o600)
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
		"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_GLACIER", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
	t.Setenv("AWS_CONFIG_FILE", cfgFile)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", credFile)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")

	plain := func(args ...string) result {
		var out, errb strings.Builder
		code := run(context.Background(), env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb}, args)
		return result{code, out.String(), errb.String()}
	}

	// --profile: region, endpoint_url and credentials from the files.
	if r := plain("--profile", "glacierd", "vault", "create", "from-profile"); r.code != 0 {
		t.Fatalf("--profile: exit %d: %s", r.code, r.stderr)
	}
	if r := plain("--profile", "glacierd", "vault", "describe", "from-profile"); r.code != 0 || !strings.Contains(r.stdout, "from-profile") {
		t.Fatalf("describe via profile: exit %d: %s", r.code, r.stderr)
	}
	// AWS_PROFILE selects the same profile.
	t.Setenv("AWS_PROFILE", "glacierd")
	if r := plain("vault", "list"); r.code != 0 || !strings.Contains(r.stdout, "from-profile") {
		t.Fatalf("AWS_PROFILE: exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
	os.Unsetenv("AWS_PROFILE")

	// AWS_ENDPOINT_URL_GLACIER and AWS_* credentials, no region anywhere:
	// the SDK's loader honours the service-specific endpoint variable, and a
	// custom endpoint without a region signs for us-east-1.
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "absent"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "absent"))
	t.Setenv("AWS_ACCESS_KEY_ID", testKey)
	t.Setenv("AWS_SECRET_ACCESS_KEY", testSecret)
	t.Setenv("AWS_ENDPOINT_URL_GLACIER", s.m.URL())
	if r := plain("vault", "list", "--output", "json"); r.code != 0 || !strings.Contains(r.stdout, "from-profile") {
		t.Fatalf("AWS_ENDPOINT_URL_GLACIER: exit %d: %s %s", r.code, r.stdout, r.stderr)
	}

	// No endpoint and no region: a clear error, not a guess.
	os.Unsetenv("AWS_ENDPOINT_URL_GLACIER")
	if r := plain("vault", "list"); r.code != exitError || !strings.Contains(r.stderr, "no AWS region configured") {
		t.Errorf("no region: exit %d, %q", r.code, r.stderr)
	}
}

func TestIDsBeginningWithADash(t *testing.T) {
	id := "-5mn-uOd6KD7r_LwpP1nYYhl5C_s-8D8DCl7ES14IT2FyviW2addBEWmKhDsrLh1QrYAvGQKaD"
	for arg, want := range map[string]bool{
		id: true, "-AE863rKkWZU53SLW5be4": true, "--AbCdEfGhIjKlMnOpQrStUv": true,
		"--multipart-threshold": false, "--endpoint-url=http://x": false, "-qc": false, "-": false,
		"--some-very-long-flag-name-here": false, "-d": false, "plain": false,
	} {
		if got := looksLikeID(arg); got != want {
			t.Errorf("looksLikeID(%q) = %v, want %v", arg, got, want)
		}
	}
	// Parsed as values wherever they appear, and given back unchanged.
	var c cli
	k, err := kong.New(&c, kong.Exit(func(int) { t.Fatal("exit") }))
	if err != nil {
		t.Fatal(err)
	}
	kctx, err := k.Parse(escapeIDs([]string{"download", "v", id, "-o", "f", "--output", "json"}))
	if err != nil {
		t.Fatal(err)
	}
	unescapeIDs(kctx)
	if c.Download.JobID != id || c.Download.Out != "f" || c.Output != "json" {
		t.Errorf("parsed %+v", c.Download)
	}
	kctx, err = k.Parse(escapeIDs([]string{"upload", "v", "f", "--resume", id, "-d", id}))
	if err != nil {
		t.Fatal(err)
	}
	unescapeIDs(kctx)
	if c.Upload.Resume != id || c.Upload.Description == nil || *c.Upload.Description != id {
		t.Errorf("parsed %+v", c.Upload)
	}
}

// TestEnumValuesIgnoreCase: tiers, formats, strategies and statuses are
// accepted in any case, and a wrong one is named as such.
func TestEnumValuesIgnoreCase(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	s.ok("retrieval-policy", "set", "--strategy", "bytesperhour", "--bytes-per-hour", "1GB")
	if r := s.ok("retrieval-policy", "get", "--output", "JSON"); !strings.Contains(r.stdout, `"Strategy": "BytesPerHour"`) {
		t.Errorf("policy after --strategy bytesperhour:\n%s", r.stdout)
	}
	s.ok("vault", "create", "v")
	dir := t.TempDir()
	file, _ := randomFile(t, dir, 1000)
	archive := s.uploadJSON("v", file).ArchiveID
	s.ok("retrieve", "v", archive, "-o", filepath.Join(dir, "out"), "--tier", "expedited")
	if r := s.ok("inventory", "v", "--format", "CSV"); !strings.HasPrefix(r.stdout, "ArchiveId,") {
		t.Errorf("inventory --format CSV:\n%s", r.stdout)
	}
	s.ok("jobs", "list", "v", "--status", "succeeded")
	s.ok("notifications", "set", "v", "--topic", "arn:aws:sns:us-east-1:123456789012:t", "--events", "archiveretrievalcompleted")

	r := s.run("retrieval-policy", "set", "--strategy", "bytes", "--bytes-per-hour", "1GB")
	if r.code != exitUsage || !strings.Contains(r.stderr, `--strategy`) || !strings.Contains(r.stderr, `"bytes" is not one of BytesPerHour, FreeTier, None`) ||
		strings.Contains(r.stderr, "--bytes-per-hour goes") {
		t.Errorf("--strategy bytes: exit %d\n%s", r.code, r.stderr)
	}
}

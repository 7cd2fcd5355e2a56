package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// TestJSONKeysArePascalCase: every command's --output json uses the API's
// own member names (ArchiveId, VaultName, JobId, SHA256TreeHash...), as
// "aws glacier" prints them: one style everywhere.
func TestJSONKeysArePascalCase(t *testing.T) {
	t.Parallel()
	s := startServer(t)
	dir := t.TempDir()
	small, _ := randomFile(t, dir, 1000)
	big, _ := randomFile(t, dir, 3*MiB)
	j := func(args ...string) string { return s.ok(append(args, "--output", "json")...).stdout }

	outputs := map[string]string{"vault create": j("vault", "create", "v")}
	var up struct{ ArchiveId string }
	outputs["upload"] = j("upload", "v", small)
	outputs["upload multipart"] = j("upload", "v", big, "--part-size", "1MiB")
	if err := json.Unmarshal([]byte(outputs["upload"]), &up); err != nil || up.ArchiveId == "" {
		t.Fatalf("upload: %v\n%s", err, outputs["upload"])
	}
	var job struct{ JobId string }
	outputs["retrieve --no-wait"] = j("retrieve", "v", up.ArchiveId, "--no-wait")
	if err := json.Unmarshal([]byte(outputs["retrieve --no-wait"]), &job); err != nil || job.JobId == "" {
		t.Fatalf("retrieve --no-wait: %v\n%s", err, outputs["retrieve --no-wait"])
	}
	outputs["retrieve"] = j("retrieve", "v", up.ArchiveId, "-o", filepath.Join(dir, "r"))
	outputs["download"] = j("download", "v", job.JobId, "-o", filepath.Join(dir, "d"))
	outputs["vault list"] = j("vault", "list")
	outputs["vault describe"] = j("vault", "describe", "v")
	outputs["jobs list"] = j("jobs", "list", "v")
	outputs["jobs describe"] = j("jobs", "describe", "v", job.JobId)
	outputs["inventory"] = j("inventory", "v")
	outputs["uploads list"] = j("uploads", "list", "v")
	outputs["capacity list"] = j("capacity", "list")
	outputs["retrieval-policy get"] = j("retrieval-policy", "get")
	s.ok("tags", "add", "v", "k=v")
	outputs["tags list"] = j("tags", "list", "v")

	for cmd, out := range outputs {
		var v any
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Errorf("%s: not JSON: %v\n%s", cmd, err, out)
			continue
		}
		for _, k := range keys(v, "") {
			if r := []rune(k[strings.LastIndexByte(k, '.')+1:]); len(r) == 0 || !unicode.IsUpper(r[0]) {
				t.Errorf("%s: key %s is not in the API's PascalCase\n%s", cmd, k, out)
			}
		}
	}
}

// keys returns the object keys in v, as dotted paths; the user's own tag
// keys (under Tags) are data, not names.
func keys(v any, path string) []string {
	var out []string
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			out = append(out, path+k)
			if k != "Tags" {
				out = append(out, keys(e, path+k+".")...)
			}
		}
	case []any:
		for _, e := range v {
			out = append(out, keys(e, path)...)
		}
	}
	return out
}

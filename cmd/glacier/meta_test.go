package main

import (
	"context"
	"strings"
	"testing"
)

// runOffline runs a command that needs no server.
func runOffline(args ...string) result {
	var out, errb strings.Builder
	e := env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code := run(context.Background(), e, args)
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

func TestVersionHelpAndCompletion(t *testing.T) {
	t.Parallel()
	if r := runOffline("--version"); r.code != 0 || !strings.HasPrefix(r.stdout, "glacier ") || !strings.Contains(r.stdout, "go1.") {
		t.Errorf("--version: %d %q %q", r.code, r.stdout, r.stderr)
	}
	r := runOffline("help", "vault", "delete")
	if r.code != 0 || !strings.Contains(r.stdout, "Usage: glacier vault delete <name>") || !strings.Contains(r.stdout, "--force") {
		t.Errorf("help vault delete: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runOffline("help"); r.code != 0 || !strings.Contains(r.stdout, "Usage: glacier <command>") {
		t.Errorf("help: %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runOffline("help", "nosuch"); r.code != exitUsage || !strings.Contains(r.stderr, "unexpected argument nosuch") {
		t.Errorf("help nosuch: %d\n%s", r.code, r.stderr)
	}
	for _, sh := range []string{"bash", "zsh", "fish"} {
		if r := runOffline("completion", sh); r.code != 0 || !strings.Contains(r.stdout, "glacier __complete --") {
			t.Errorf("completion %s: %d\n%s%s", sh, r.code, r.stdout, r.stderr)
		}
	}
	for _, tc := range []struct {
		words []string
		want  string
	}{
		{[]string{""}, "vault,upload,uploads,archive,catalog,help,completion,retrieve,download,inventory,jobs,tags,policy,lock,notifications,capacity,retrieval-policy,transfer"},
		{[]string{"va"}, "vault"},
		{[]string{"vault", "d"}, "describe,delete"},
		{[]string{"vault", "delete", "v", "--fo"}, "--force"},
		{[]string{"--output", "json", "vault", "e"}, "empty"},
		{[]string{"retrieve", "v", "x", "--tier", ""}, "Expedited,Standard,Bulk"},
		{[]string{"retrieve", "v", "x", "--tier", "B"}, "Bulk"},
		{[]string{"inventory", "v", "-f", "c"}, "csv"},
		{[]string{"upload", "--cat"}, "--catalog"},
		{[]string{"upload", "v", ""}, ""}, // a file name: the shell completes it
	} {
		r := runOffline(append([]string{"__complete", "--"}, tc.words...)...)
		if got := strings.Join(strings.Fields(r.stdout), ","); r.code != 0 || got != tc.want {
			t.Errorf("complete %q = %q (exit %d %s), want %q", tc.words, got, r.code, r.stderr, tc.want)
		}
	}
}

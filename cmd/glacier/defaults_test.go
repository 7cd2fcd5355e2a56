package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/alecthomas/kong"
)

// flagDefaults returns every flag's default, by name, from the command
// tree, and fails the test if one name has two different defaults.
func flagDefaults(t *testing.T) map[string]string {
	t.Helper()
	k, err := kong.New(&cli{})
	if err != nil {
		t.Fatal(err)
	}
	defaults := map[string]string{}
	var walk func(n *kong.Node)
	walk = func(n *kong.Node) {
		for _, f := range n.Flags {
			if !f.Tag.HasDefault {
				continue
			}
			if d, ok := defaults[f.Name]; ok && d != f.Default {
				t.Errorf("--%s defaults to %q in one command and %q in another", f.Name, d, f.Default)
			}
			defaults[f.Name] = f.Default
		}
		for _, c := range n.Children {
			walk(c)
		}
	}
	walk(k.Model.Node)
	return defaults
}

// TestDocumentedDefaultsMatchFlags: the README's table of defaults lists
// exactly the flags that have one, with the flags' own values; and every
// command's --help shows each of its flags' defaults.
func TestDocumentedDefaultsMatchFlags(t *testing.T) {
	defaults := flagDefaults(t)
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]string{}
	row := regexp.MustCompile("(?m)^\\| `--([a-z-]+)` \\| `([^`]*)` \\|")
	for _, m := range row.FindAllStringSubmatch(string(readme), -1) {
		documented[m[1]] = m[2]
	}
	for name, d := range defaults {
		if doc, ok := documented[name]; !ok {
			t.Errorf("README.md's table of defaults lacks --%s (default %q)", name, d)
		} else if doc != d {
			t.Errorf("README.md says --%s defaults to %q; the flag says %q", name, doc, d)
		}
	}
	for name := range documented {
		if _, ok := defaults[name]; !ok {
			t.Errorf("README.md documents a default for --%s, which has none", name)
		}
	}

	// --help shows the default of every flag that has one: kong prints
	// "--name=DEFAULT" unless a placeholder hides it.
	k, err := kong.New(&cli{})
	if err != nil {
		t.Fatal(err)
	}
	var walk func(n *kong.Node, inherited []*kong.Flag)
	walk = func(n *kong.Node, inherited []*kong.Flag) {
		flags := append(append([]*kong.Flag{}, inherited...), n.Flags...)
		if n.Type == kong.CommandNode && len(n.Children) == 0 {
			path := strings.Fields(commandPath(n.Path()))
			var out strings.Builder
			run(t.Context(), env{stdin: strings.NewReader(""), stdout: &out, stderr: &out}, append(path, "--help"))
			help := strings.Join(strings.Fields(out.String()), " ")
			for _, f := range flags {
				if f.Tag.HasDefault && !strings.Contains(help, "--"+f.Name+"="+f.Default) && !strings.Contains(help, "--"+f.Name+"=\""+f.Default+"\"") {
					t.Errorf("glacier %s --help does not show --%s's default %q", strings.Join(path, " "), f.Name, f.Default)
				}
			}
		}
		for _, c := range n.Children {
			walk(c, flags)
		}
	}
	walk(k.Model.Node, nil)
}

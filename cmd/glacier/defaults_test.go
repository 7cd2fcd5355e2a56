package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/alecthomas/kong"
)

// flagDefaults returns, by flag name, the set of defaults the flag has in
// the command tree (a name may default differently in different commands:
// --tier is Standard for retrieve and Bulk for transfer).
func flagDefaults(t *testing.T) map[string]map[string]bool {
	t.Helper()
	k, err := kong.New(&cli{})
	if err != nil {
		t.Fatal(err)
	}
	defaults := map[string]map[string]bool{}
	var walk func(n *kong.Node)
	walk = func(n *kong.Node) {
		for _, f := range n.Flags {
			if f.Tag.HasDefault {
				addDefault(defaults, f.Name, f.Default)
			}
		}
		for _, c := range n.Children {
			walk(c)
		}
	}
	walk(k.Model.Node)
	return defaults
}

func addDefault(m map[string]map[string]bool, name, d string) {
	if m[name] == nil {
		m[name] = map[string]bool{}
	}
	m[name][d] = true
}

// TestDocumentedDefaultsMatchFlags: the README's table of defaults lists
// exactly the flags that have one, with each of the flags' own values (one
// row per distinct default); and every command's --help shows each of its
// flags' defaults.
func TestDocumentedDefaultsMatchFlags(t *testing.T) {
	defaults := flagDefaults(t)
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]map[string]bool{}
	row := regexp.MustCompile("(?m)^\\| `--([a-z0-9-]+)` \\| `([^`]*)` \\|")
	for _, m := range row.FindAllStringSubmatch(string(readme), -1) {
		addDefault(documented, m[1], m[2])
	}
	for name, ds := range defaults {
		for d := range ds {
			if !documented[name][d] {
				t.Errorf("README.md's table of defaults lacks --%s with default %q", name, d)
			}
		}
	}
	for name, ds := range documented {
		for d := range ds {
			if !defaults[name][d] {
				t.Errorf("README.md documents a default %q for --%s, which no command's flag has", d, name)
			}
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

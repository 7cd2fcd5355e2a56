package main

import (
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/alecthomas/kong"
)

// exitCode is an error that only sets the exit status (its message has been
// printed already).
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// buildVersion describes the binary from its build information: the module
// version (a tag for go install …@vX), else the VCS revision it was built from.
func buildVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "glacier (unknown version)"
	}
	v := bi.Main.Version
	var rev, modified, at string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		case "vcs.time":
			at = s.Value
		}
	}
	if (v == "" || v == "(devel)") && rev != "" {
		v = "devel " + rev[:min(12, len(rev))]
		if modified == "true" {
			v += "+dirty"
		}
		if at != "" {
			v += " " + at
		}
	}
	if v == "" {
		v = "(devel)"
	}
	return fmt.Sprintf("glacier %s %s", v, bi.GoVersion)
}

type helpCmd struct {
	Command []string `arg:"" optional:"" help:"Command words, e.g. vault delete."`
}

// Run prints the help of the named command (as glacier CMD --help does).
func (c *helpCmd) Run(a *app) error {
	if code := run(a.ctx, a.env, append(slices.Clone(c.Command), "--help")); code != exitOK {
		return exitCode(code)
	}
	return nil
}

type completionCmd struct {
	Shell string `arg:"" enum:"bash,zsh,fish" help:"Shell: bash, zsh or fish."`
}

// Completion scripts ask the binary itself (glacier __complete WORDS...) for
// candidates, so they never go stale; an empty answer falls back to file
// names.
var completionScripts = map[string]string{
	"bash": `# glacier completion for bash; load it with: source <(glacier completion bash)
_glacier() {
	local IFS=$'\n'
	COMPREPLY=($(glacier __complete -- "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -o bashdefault -F _glacier glacier
`,
	"zsh": `#compdef glacier
# glacier completion for zsh; load it with: source <(glacier completion zsh)
_glacier() {
	local -a c
	c=("${(@f)$(glacier __complete -- "${(@)words[2,CURRENT]}" 2>/dev/null)}")
	if [[ -n "${c[1]}" ]]; then compadd -a c; else _files; fi
}
compdef _glacier glacier
`,
	"fish": `# glacier completion for fish; load it with: glacier completion fish | source
complete -c glacier -a '(glacier __complete -- (commandline -opc)[2..-1] (commandline -ct) 2>/dev/null)'
`,
}

// Run prints the completion script.
func (c *completionCmd) Run(a *app) error {
	s, ok := completionScripts[c.Shell]
	if !ok {
		return errors.New("unknown shell " + c.Shell)
	}
	a.printf("%s", s)
	return nil
}

type completeCmd struct {
	Words []string `arg:"" optional:"" passthrough:"" help:"The command line so far; the last word is the one being completed."`
}

// Run prints the candidates for the last word, one per line.
func (c *completeCmd) Run(a *app, k *kong.Context) error {
	words := c.Words
	if len(words) > 0 && words[0] == "--" {
		words = words[1:]
	}
	for _, w := range complete(k.Model.Node, words) {
		a.printf("%s\n", w)
	}
	return nil
}

// complete returns the completions of the last of words (the command line
// after the program name) in the command tree under root: subcommand names,
// flag names, or the values of an enum flag. None means "complete a file
// name".
func complete(root *kong.Node, words []string) []string {
	if len(words) == 0 {
		words = []string{""}
	}
	partial := words[len(words)-1]
	node := root
	var pending *kong.Flag // a flag whose value is the next word
	for _, w := range words[:len(words)-1] {
		switch {
		case pending != nil:
			pending = nil
		case strings.HasPrefix(w, "-"):
			if f := findFlag(node, w); f != nil && !f.IsBool() && !strings.Contains(w, "=") {
				pending = f
			}
		default:
			for _, child := range node.Children {
				if child.Type == kong.CommandNode && (child.Name == w || slices.Contains(child.Aliases, w)) {
					node = child
					break
				}
			}
		}
	}
	var out []string
	add := func(s string) {
		if strings.HasPrefix(s, partial) {
			out = append(out, s)
		}
	}
	switch {
	case pending != nil:
		if pending.Enum != "" {
			for v := range strings.SplitSeq(pending.Enum, ",") {
				add(strings.TrimSpace(v))
			}
		}
	case strings.HasPrefix(partial, "-"):
		for n := node; n != nil; n = n.Parent {
			for _, f := range n.Flags {
				if !f.Hidden {
					add("--" + f.Name)
				}
			}
		}
	default:
		for _, child := range node.Children {
			if child.Type == kong.CommandNode && !child.Hidden {
				add(child.Name)
			}
		}
	}
	return out
}

// findFlag returns the flag w (--name, --name=value or -x) of node or of
// its parents.
func findFlag(node *kong.Node, w string) *kong.Flag {
	name, _, _ := strings.Cut(strings.TrimLeft(w, "-"), "=")
	for n := node; n != nil; n = n.Parent {
		for _, f := range n.Flags {
			if f.Name == name || (len(name) == 1 && !strings.HasPrefix(w, "--") && f.Short == rune(name[0])) {
				return f
			}
		}
	}
	return nil
}

package main

import (
	"bufio"
	"errors"
	"fmt"
	"strings"
)

// errNotConfirmed is returned when the user does not confirm a costly or
// irreversible operation.
var errNotConfirmed = errors.New("not confirmed; nothing was done (--yes skips the question)")

// confirm asks question on standard error and reads the answer from
// standard input, unless yes (--yes) was given. The answer must be want
// (compared case-insensitively when want is "yes"; exactly otherwise).
// A closed or empty standard input is a no, so scripts must pass --yes.
func (a *app) confirm(yes bool, question, want string) error {
	if yes {
		return nil
	}
	fmt.Fprint(a.env.stderr, question)
	line, err := bufio.NewReader(a.env.stdin).ReadString('\n')
	if err != nil && line == "" {
		fmt.Fprintln(a.env.stderr)
		return errNotConfirmed
	}
	line = strings.TrimSpace(line)
	if line == want || want == "yes" && (strings.EqualFold(line, "yes") || strings.EqualFold(line, "y")) {
		return nil
	}
	return errNotConfirmed
}

package main

import (
	"reflect"
	"strings"

	"github.com/alecthomas/kong"
)

// Glacier IDs (archive, job, upload and lock IDs) are strings of the URL-safe
// base64 alphabet, so about one in 32 begins with "-" and would be taken for
// a flag. Before parsing, such arguments are prefixed with idEscape, which
// makes them plain values; after parsing the prefix is removed again.
const idEscape = "\x00"

// looksLikeID reports whether a command-line argument beginning with "-" is
// a Glacier ID rather than a flag: at least 20 characters (the shortest
// Glacier ID has 24), all from the URL-safe base64 alphabet, and not shaped
// like a long flag ("--" and lower-case words).
func looksLikeID(arg string) bool {
	if len(arg) < 20 || arg[0] != '-' {
		return false
	}
	flagShape := strings.HasPrefix(arg, "--")
	for i := 0; i < len(arg); i++ {
		c := arg[i]
		switch {
		case c >= 'a' && c <= 'z', c == '-':
		case c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_':
			flagShape = false
		default:
			return false // "=", spaces, dots...: a flag with a value, or text
		}
	}
	return !flagShape
}

// escapeIDs returns args with the IDs that begin with "-" escaped.
func escapeIDs(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		if looksLikeID(a) {
			a = idEscape + a
		}
		out[i] = a
	}
	return out
}

// unescapeIDs removes the escapes from the parsed values of the command line.
func unescapeIDs(ctx *kong.Context) {
	for _, p := range ctx.Path {
		var v *kong.Value
		switch {
		case p.Positional != nil:
			v = p.Positional
		case p.Flag != nil:
			v = p.Flag.Value
		}
		if v != nil && v.Target.IsValid() {
			unescapeValue(v.Target)
		}
	}
	for _, f := range ctx.Flags() {
		if f.Value != nil && f.Target.IsValid() {
			unescapeValue(f.Target)
		}
	}
}

func unescapeValue(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		if s := v.String(); strings.HasPrefix(s, idEscape) && v.CanSet() {
			v.SetString(strings.TrimPrefix(s, idEscape))
		}
	case reflect.Pointer:
		if !v.IsNil() {
			unescapeValue(v.Elem())
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			unescapeValue(v.Index(i))
		}
	}
}

package main

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/alecthomas/kong"
)

// caseInsensitiveEnums is kong's string mapper with one change: a value of a
// flag with an enum tag (tiers, formats, strategies, events) is matched
// against the enum without regard to case and stored in the enum's own
// spelling, and a value that matches none is reported with the flag's name
// and the values it takes.
func caseInsensitiveEnums() kong.Option {
	return kong.TypeMapper(reflect.TypeFor[string](), kong.MapperFunc(func(ctx *kong.DecodeContext, target reflect.Value) error {
		var s string
		if err := ctx.Scan.PopValueInto("string", &s); err != nil {
			return err
		}
		if ctx.Value.Enum != "" {
			v, err := canonicalEnum(ctx.Value.EnumSlice(), s)
			if err != nil {
				return err
			}
			s = v
		}
		target.SetString(s)
		return nil
	}))
}

// canonicalEnum returns the member of enum that equals s but for case.
func canonicalEnum(enum []string, s string) (string, error) {
	for _, e := range enum {
		if strings.EqualFold(e, strings.TrimSpace(s)) {
			return e, nil
		}
	}
	return "", fmt.Errorf("%q is not one of %s", s, strings.Join(enum, ", "))
}

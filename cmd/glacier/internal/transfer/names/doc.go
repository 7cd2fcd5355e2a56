// Package names turns Glacier archive descriptions into S3 object keys for
// `glacier transfer`.
//
// Decode recognises what popular vault tools write into descriptions:
// FastGlacier's XML (v1–v4, base64 UTF-8 path), CloudBerry/MSP360's JSON
// (UTF-7 path), mt-aws-glacier's "mt2 " (and beta "mt1 ") base64url JSON,
// a whole description in base64 UTF-8, and plain (ASCII or UTF-8) paths.
// Sanitize makes a decoded path a safe relative key. Assign gives every
// archive of an inventory a unique, valid key, deterministically whatever
// the order of its input, and applies the user's overrides.
//
// The formats follow the tools' published descriptions (fastglacier.com's
// "metadata format" page, MSP360's JSON, mt-aws-glacier's metadata spec in
// lib/App/MtAws/MetaData.pm), as summarised in the team's glacier-facts
// notes §4; no code was copied from those tools (mt-aws-glacier is GPL).
package names

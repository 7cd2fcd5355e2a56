// Package tierwait says how long Glacier jobs are expected to take, for the
// status line of a waiting command.
package tierwait

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"
)

// Expected returns the expected duration of the job as AWS documents it,
// e.g. "Standard: expected 3–5 h", or "" for a completed job or an unknown
// tier.
func Expected(j *glacier.DescribeJobOutput) string {
	if j == nil || j.Completed {
		return ""
	}
	if j.Action == types.ActionCodeInventoryRetrieval {
		return "inventory: expected about 4 h"
	}
	tier := aws.ToString(j.Tier)
	if tier == "" {
		tier = "Standard" // Glacier's default
	}
	switch tier {
	case "Expedited":
		return "Expedited: expected 1–5 min"
	case "Standard":
		return "Standard: expected 3–5 h"
	case "Bulk":
		return "Bulk: expected 5–12 h"
	}
	return ""
}

package tierwait

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"
)

func TestExpected(t *testing.T) {
	arch := types.ActionCodeArchiveRetrieval
	for _, tc := range []struct {
		j    *glacier.DescribeJobOutput
		want string
	}{
		{&glacier.DescribeJobOutput{Action: arch, Tier: aws.String("Expedited")}, "Expedited: expected 1–5 min"},
		{&glacier.DescribeJobOutput{Action: arch, Tier: aws.String("Standard")}, "Standard: expected 3–5 h"},
		{&glacier.DescribeJobOutput{Action: arch}, "Standard: expected 3–5 h"},
		{&glacier.DescribeJobOutput{Action: arch, Tier: aws.String("Bulk")}, "Bulk: expected 5–12 h"},
		{&glacier.DescribeJobOutput{Action: types.ActionCodeInventoryRetrieval}, "inventory: expected about 4 h"},
		{&glacier.DescribeJobOutput{Action: arch, Tier: aws.String("Bulk"), Completed: true}, ""},
		{&glacier.DescribeJobOutput{Action: arch, Tier: aws.String("Unheard")}, ""},
		{nil, ""},
	} {
		if got := Expected(tc.j); got != tc.want {
			t.Errorf("Expected(%+v) = %q, want %q", tc.j, got, tc.want)
		}
	}
}

package invjob

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"
)

func job(id string, action types.ActionCode, status types.StatusCode, created, completed string, p *types.InventoryRetrievalJobDescription) types.GlacierJobDescription {
	j := types.GlacierJobDescription{JobId: aws.String(id), Action: action, StatusCode: status, CreationDate: aws.String(created), InventoryRetrievalParameters: p}
	if completed != "" {
		j.CompletionDate = aws.String(completed)
	}
	return j
}

func TestPick(t *testing.T) {
	inv, arch := types.ActionCodeInventoryRetrieval, types.ActionCodeArchiveRetrieval
	ok, running, failed := types.StatusCodeSucceeded, types.StatusCodeInProgress, types.StatusCodeFailed
	for _, tc := range []struct {
		name string
		jobs []types.GlacierJobDescription
		want string
		run  bool
	}{
		{"none", nil, "", false},
		{"only archive retrievals", []types.GlacierJobDescription{job("a", arch, ok, "2026-01-01T00:00:00.000Z", "2026-01-01T01:00:00.000Z", nil)}, "", false},
		{"newest succeeded wins over a newer running one", []types.GlacierJobDescription{
			job("old", inv, ok, "2026-01-01T00:00:00.000Z", "2026-01-01T04:00:00.000Z", nil),
			job("new", inv, ok, "2026-01-01T01:00:00.000Z", "2026-01-01T05:00:00.000Z", &types.InventoryRetrievalJobDescription{Format: aws.String("CSV")}),
			job("run", inv, running, "2026-01-01T06:00:00.000Z", "", nil),
			job("bad", inv, failed, "2026-01-01T07:00:00.000Z", "2026-01-01T08:00:00.000Z", nil),
		}, "new", false},
		{"a page or a date range is not the whole vault", []types.GlacierJobDescription{
			job("page", inv, ok, "2026-01-01T00:00:00.000Z", "2026-01-01T04:00:00.000Z", &types.InventoryRetrievalJobDescription{Limit: aws.String("10")}),
			job("range", inv, ok, "2026-01-01T00:00:00.000Z", "2026-01-01T04:00:00.000Z", &types.InventoryRetrievalJobDescription{StartDate: aws.String("2025-01-01T00:00:00Z")}),
			job("run1", inv, running, "2026-01-01T06:00:00.000Z", "", nil),
			job("run2", inv, running, "2026-01-01T07:00:00.000Z", "", nil),
		}, "run2", true},
	} {
		got := Pick(tc.jobs)
		switch {
		case tc.want == "" && got != nil:
			t.Errorf("%s: picked %+v, want none", tc.name, got)
		case tc.want != "" && (got == nil || got.JobID != tc.want || got.Running != tc.run):
			t.Errorf("%s: picked %+v, want %s (running %v)", tc.name, got, tc.want, tc.run)
		}
	}
}

func TestAge(t *testing.T) {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	for d, want := range map[time.Duration]string{
		-time.Second: "0s", 45 * time.Second: "45s", 12*time.Minute + 30*time.Second: "12m", 3*time.Hour + 5*time.Minute: "3h05m",
	} {
		if got := Age(now, now.Add(-d)); got != want {
			t.Errorf("Age(%v) = %q, want %q", d, got, want)
		}
	}
}

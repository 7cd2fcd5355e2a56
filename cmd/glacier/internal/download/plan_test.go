package download

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"

	"github.com/glacierd/glacierd/internal/units"
)

const MiB = units.MiB

func TestAutoRangeSize(t *testing.T) {
	cases := []struct {
		size int64
		conc int
		want int64
	}{
		{10, 4, MiB}, {50 * MiB, 4, 16 * MiB}, {50 * MiB, 1, 64 * MiB}, {units.GiB, 4, 64 * MiB}, {100 * MiB, 8, 16 * MiB},
	}
	for _, c := range cases {
		got := AutoRangeSize(c.size, c.conc)
		if got != c.want || CheckRangeSize(got) != nil {
			t.Errorf("AutoRangeSize(%d, %d) = %d, want %d", c.size, c.conc, got, c.want)
		}
	}
	for _, bad := range []int64{0, MiB + 1, 3 * MiB, 512 << 10} {
		if CheckRangeSize(bad) == nil {
			t.Errorf("CheckRangeSize(%d) accepted", bad)
		}
	}
}

func TestPlan(t *testing.T) {
	got := Plan(50*MiB, 16*MiB)
	want := []Range{{0, 16*MiB - 1}, {16 * MiB, 32*MiB - 1}, {32 * MiB, 48*MiB - 1}, {48 * MiB, 50*MiB - 1}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Plan = %v, want %v", got, want)
	}
	if got[3].Header() != "bytes=50331648-52428799" || got[3].Size() != 2*MiB {
		t.Errorf("range %v: header %q size %d", got[3], got[3].Header(), got[3].Size())
	}
	if len(Plan(0, MiB)) != 0 {
		t.Error("Plan(0) is not empty")
	}
}

func TestJobFromDescription(t *testing.T) {
	d := &glacier.DescribeJobOutput{
		JobId: aws.String("J"), Action: types.ActionCodeArchiveRetrieval, StatusCode: types.StatusCodeSucceeded,
		ArchiveId: aws.String("A"), ArchiveSizeInBytes: aws.Int64(10 * MiB), RetrievalByteRange: aws.String("1048576-3145727"),
		SHA256TreeHash: aws.String("abc"),
	}
	j, err := JobFromDescription("-", "v", d)
	if err != nil || j.Size != 2*MiB || j.TreeHash != "abc" || j.ArchiveID != "A" {
		t.Fatalf("JobFromDescription = %+v, %v", j, err)
	}
	d.StatusCode = types.StatusCodeInProgress
	if _, err := JobFromDescription("-", "v", d); err == nil {
		t.Error("accepted an unfinished job")
	}
	d.StatusCode, d.Action = types.StatusCodeSucceeded, types.ActionCodeInventoryRetrieval
	if _, err := JobFromDescription("-", "v", d); err == nil {
		t.Error("accepted an inventory job")
	}
	for _, bad := range []string{"5-1", "x-2", "12"} {
		if _, _, err := ParseByteRange(bad); err == nil {
			t.Errorf("ParseByteRange(%q) accepted", bad)
		}
	}
}

func TestStateResumesAndRoundTrips(t *testing.T) {
	job := Job{Vault: "v", JobID: "J1", ArchiveID: "A", RetrievalByteRange: "0-99", Size: 100, TreeHash: "h"}
	st := NewState(job, MiB)
	if !st.Resumes(job) {
		t.Error("a state does not resume its own job")
	}
	again := job
	again.JobID = "J2" // the same bytes retrieved by a new job
	if !st.Resumes(again) {
		t.Error("a state does not resume a job retrieving the same bytes")
	}
	for _, other := range []Job{
		{Vault: "v", JobID: "J3", ArchiveID: "B", RetrievalByteRange: "0-99", Size: 100, TreeHash: "h"},
		{Vault: "v", JobID: "J1", ArchiveID: "A", RetrievalByteRange: "0-99", Size: 101, TreeHash: "h"},
		{Vault: "w", JobID: "J1", ArchiveID: "A", RetrievalByteRange: "0-99", Size: 100, TreeHash: "h"},
	} {
		if st.Resumes(other) {
			t.Errorf("state resumes %+v", other)
		}
	}
	st.Completed = append(st.Completed, Done{Start: 0, End: MiB - 1, TreeHash: "x"})
	path := filepath.Join(t.TempDir(), "f"+StateSuffix)
	if err := st.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := LoadState(path)
	if err != nil || !reflect.DeepEqual(got, st) {
		t.Fatalf("LoadState = %+v, %v; want %+v", got, err, st)
	}
	missing := got.Missing(Plan(3*MiB, MiB))
	if want := []Range{{MiB, 2*MiB - 1}, {2 * MiB, 3*MiB - 1}}; !reflect.DeepEqual(missing, want) {
		t.Errorf("Missing = %v, want %v", missing, want)
	}
	if s, err := LoadState(filepath.Join(t.TempDir(), "absent")); s != nil || err != nil {
		t.Errorf("LoadState of a missing file = %v, %v", s, err)
	}
}

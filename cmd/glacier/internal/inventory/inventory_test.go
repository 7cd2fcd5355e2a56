package inventory

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"
)

func sample() Inventory {
	return Inventory{
		VaultARN: "arn:aws:glacier:us-east-1:123456789012:vaults/v", InventoryDate: "2024-05-01T00:00:00.000Z",
		ArchiveList: []Archive{
			{"id1", `photos, 2023`, "2024-01-01T00:00:00.000Z", 1 << 20, "h1"},
			{"id2", `the "best" backup`, "2024-01-02T00:00:00.000Z", 10, "h2"},
			{"id3", "", "2024-01-03T00:00:00.000Z", 0, "h3"},
		},
	}
}

func TestFormatsRoundTrip(t *testing.T) {
	inv := sample()
	var js bytes.Buffer
	if err := Write(&js, FormatJSON, inv); err != nil {
		t.Fatal(err)
	}
	back, err := Parse(&js)
	if err != nil || !reflect.DeepEqual(back, inv) {
		t.Errorf("JSON round trip: %+v, %v", back, err)
	}

	var cs bytes.Buffer
	if err := Write(&cs, FormatCSV, inv); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(cs.String())).ReadAll()
	if err != nil || len(recs) != 4 || recs[1][1] != `photos, 2023` || recs[2][1] != `the "best" backup` || recs[1][3] != "1048576" {
		t.Errorf("CSV %q: %v, %v", cs.String(), recs, err)
	}
	// Our CSV parser reads RFC 4180 quoting too.
	if back, err := ParseCSV(strings.NewReader(cs.String())); err != nil || !reflect.DeepEqual(back.ArchiveList, inv.ArchiveList) {
		t.Errorf("ParseCSV of our CSV: %+v, %v", back, err)
	}

	var tb bytes.Buffer
	if err := Write(&tb, FormatTable, inv); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"CREATED", "ARCHIVE ID", `photos, 2023`, `the "best" backup`, "1.00 MiB", "3 archive(s)"} {
		if !strings.Contains(tb.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, tb.String())
		}
	}
	if Write(&tb, "xml", inv) == nil {
		t.Error("Write accepted format xml")
	}
}

func TestParseGlacierCSV(t *testing.T) {
	in := "ArchiveId,ArchiveDescription,CreationDate,Size,SHA256TreeHash\n" +
		"id1,\"photos, 2023\",2024-01-01T00:00:00.000Z,1048576,h1\n" +
		"id2,\"the \\\"best\\\" backup\",2024-01-02T00:00:00.000Z,10,h2\n" +
		"id3,,2024-01-03T00:00:00.000Z,0,h3\n"
	got, err := ParseCSV(strings.NewReader(in))
	if err != nil || !reflect.DeepEqual(got.ArchiveList, sample().ArchiveList) {
		t.Errorf("ParseCSV = %+v, %v", got.ArchiveList, err)
	}
	for _, bad := range []string{"h\n\"unterminated,1,2,3,4\n", "h\na,b,c\n", "h\na,b,c,notasize,e\n", "h\n\"a\"x,b,c,1,e\n"} {
		if _, err := ParseCSV(strings.NewReader(bad)); err == nil {
			t.Errorf("ParseCSV accepted %q", bad)
		}
	}
}

// fakeJobs serves paged inventory jobs over a fixed archive list.
type fakeJobs struct {
	archives  []Archive
	jobs      map[string]*types.InventoryRetrievalJobInput
	initiated int
}

func (f *fakeJobs) InitiateJob(_ context.Context, in *glacier.InitiateJobInput, _ ...func(*glacier.Options)) (*glacier.InitiateJobOutput, error) {
	f.initiated++
	id := fmt.Sprintf("job%d", f.initiated)
	p := in.JobParameters.InventoryRetrievalParameters
	if p == nil {
		p = &types.InventoryRetrievalJobInput{}
	}
	f.jobs[id] = p
	return &glacier.InitiateJobOutput{JobId: aws.String(id)}, nil
}

// page returns the archives of a job and the marker after them.
func (f *fakeJobs) page(id string) ([]Archive, string) {
	p := f.jobs[id]
	start := 0
	fmt.Sscan(aws.ToString(p.Marker), &start)
	end := len(f.archives)
	if l := aws.ToString(p.Limit); l != "" {
		var n int
		fmt.Sscan(l, &n)
		end = min(end, start+n)
	}
	next := ""
	if end < len(f.archives) {
		next = fmt.Sprint(end)
	}
	return f.archives[start:end], next
}

func (f *fakeJobs) GetJobOutput(_ context.Context, in *glacier.GetJobOutputInput, _ ...func(*glacier.Options)) (*glacier.GetJobOutputOutput, error) {
	list, _ := f.page(aws.ToString(in.JobId))
	var b bytes.Buffer
	WriteJSON(&b, Inventory{VaultARN: "arn", InventoryDate: "d", ArchiveList: list})
	return &glacier.GetJobOutputOutput{Body: io.NopCloser(&b), ContentType: aws.String("application/json")}, nil
}

func (f *fakeJobs) wait(_ context.Context, id string) (*glacier.DescribeJobOutput, error) {
	_, next := f.page(id)
	p := *f.jobs[id]
	p.Marker = nil
	if next != "" {
		p.Marker = aws.String(next)
	}
	return &glacier.DescribeJobOutput{JobId: aws.String(id), Action: types.ActionCodeInventoryRetrieval, StatusCode: types.StatusCodeSucceeded,
		InventoryRetrievalParameters: &types.InventoryRetrievalJobDescription{Limit: p.Limit, Marker: p.Marker}}, nil
}

func TestFetchFollowsMarkers(t *testing.T) {
	f := &fakeJobs{jobs: map[string]*types.InventoryRetrievalJobInput{}}
	for i := range 7 {
		f.archives = append(f.archives, Archive{ArchiveId: fmt.Sprint("a", i), Size: int64(i)})
	}
	var started []string
	inv, err := Fetch(context.Background(), f, Options{Vault: "v", Limit: 3, Wait: f.wait,
		Started: func(id string, page int) { started = append(started, fmt.Sprint(id, "/", page)) }})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(inv.ArchiveList, f.archives) || f.initiated != 3 {
		t.Errorf("got %d archives with %d jobs", len(inv.ArchiveList), f.initiated)
	}
	if want := []string{"job1/1", "job2/2", "job3/3"}; !reflect.DeepEqual(started, want) {
		t.Errorf("started %v, want %v", started, want)
	}

	// Reusing an existing job: no new job for the first page.
	f.initiated = 0
	f.jobs["old"] = &types.InventoryRetrievalJobInput{}
	inv, err = Fetch(context.Background(), f, Options{Vault: "v", JobID: "old", Wait: f.wait})
	if err != nil || len(inv.ArchiveList) != 7 || f.initiated != 0 {
		t.Errorf("reuse: %d archives, %d jobs, %v", len(inv.ArchiveList), f.initiated, err)
	}
}

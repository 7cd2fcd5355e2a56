package e2e

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/glacierd/glacierd/internal/app"
	"github.com/glacierd/glacierd/internal/treehash"
)

func describe(t *testing.T, e *env, vault, job string) *glacier.DescribeJobOutput {
	t.Helper()
	d, err := e.gl.DescribeJob(ctx, &glacier.DescribeJobInput{AccountId: aws.String("-"), VaultName: aws.String(vault), JobId: aws.String(job)})
	if err != nil {
		t.Fatalf("describe job: %v", err)
	}
	return d
}

func TestJobTiersTiming(t *testing.T) {
	e := start(t)
	e.mustCreateVault("v")
	data := randomBytes(3<<20 + 11)
	id, _ := e.upload("v", data, "tiers")

	cases := []struct {
		name     string
		params   types.JobParameters
		min, max time.Duration
	}{
		{"Expedited", types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: aws.String(id), Tier: aws.String("Expedited")}, time.Minute, 5 * time.Minute},
		{"Standard", types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: aws.String(id), Tier: aws.String("Standard")}, 3 * time.Hour, 5 * time.Hour},
		{"default tier", types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: aws.String(id)}, 3 * time.Hour, 5 * time.Hour},
		{"Bulk", types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: aws.String(id), Tier: aws.String("Bulk")}, 5 * time.Hour, 12 * time.Hour},
		{"inventory", types.JobParameters{Type: aws.String("inventory-retrieval")}, 2 * time.Hour, 4 * time.Hour},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t0 := e.clock.Now()
			job := e.initiate("v", c.params)
			e.clock.Advance(c.min - time.Second)
			d := describe(t, e, "v", job)
			if d.StatusCode != types.StatusCodeInProgress || d.Completed || d.CompletionDate != nil || aws.ToString(d.StatusMessage) != "Operation in progress." {
				t.Errorf("before the window: status %s completed %v completion %v message %q", d.StatusCode, d.Completed, d.CompletionDate, aws.ToString(d.StatusMessage))
			}
			_, err := e.gl.GetJobOutput(ctx, &glacier.GetJobOutputInput{AccountId: aws.String("-"), VaultName: aws.String("v"), JobId: aws.String(job)})
			wantAPIError(t, err, "InvalidParameterValueException", "The job is not currently available for download: "+job)
			inProgress, err := e.gl.ListJobs(ctx, &glacier.ListJobsInput{AccountId: aws.String("-"), VaultName: aws.String("v"), Statuscode: aws.String("InProgress")})
			if err != nil || !containsJob(inProgress.JobList, job) {
				t.Errorf("ListJobs statuscode=InProgress does not list the job (%v)", err)
			}

			e.clock.Advance(c.max - c.min + 2*time.Second)
			d = describe(t, e, "v", job)
			if d.StatusCode != types.StatusCodeSucceeded || !d.Completed || d.CompletionDate == nil {
				t.Fatalf("after the window: status %s completed %v", d.StatusCode, d.Completed)
			}
			done, err := time.Parse(time.RFC3339, aws.ToString(d.CompletionDate))
			if err != nil || done.Before(t0.Add(c.min).Add(-time.Millisecond)) || done.After(t0.Add(c.max).Add(time.Millisecond)) {
				t.Errorf("CompletionDate %s (%v) outside [%v, %v]", aws.ToString(d.CompletionDate), err, t0.Add(c.min), t0.Add(c.max))
			}
			out, _ := e.output("v", job)
			if c.name != "inventory" && !bytes.Equal(out, data) {
				t.Errorf("retrieved %d bytes, want the %d uploaded", len(out), len(data))
			}
			completed, err := e.gl.ListJobs(ctx, &glacier.ListJobsInput{AccountId: aws.String("-"), VaultName: aws.String("v"), Completed: aws.String("true")})
			if err != nil || !containsJob(completed.JobList, job) {
				t.Errorf("ListJobs completed=true does not list the job (%v)", err)
			}
		})
	}
}

func containsJob(list []types.GlacierJobDescription, id string) bool {
	for _, j := range list {
		if aws.ToString(j.JobId) == id {
			return true
		}
	}
	return false
}

func TestDescribeJobFields(t *testing.T) {
	e := start(t)
	e.mustCreateVault("v")
	data := randomBytes(2<<20 + 5)
	id, hash := e.upload("v", data, "fields")
	job := e.initiate("v", types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: aws.String(id),
		Description: aws.String("my job"), SNSTopic: aws.String("arn:aws:sns:us-east-1:" + testAccount + ":topic")})
	d := describe(t, e, "v", job)
	want := &glacier.DescribeJobOutput{
		Action:                types.ActionCodeArchiveRetrieval,
		ArchiveId:             aws.String(id),
		ArchiveSHA256TreeHash: aws.String(hash),
		ArchiveSizeInBytes:    aws.Int64(int64(len(data))),
		JobDescription:        aws.String("my job"),
		JobId:                 aws.String(job),
		RetrievalByteRange:    aws.String(fmt.Sprintf("0-%d", len(data)-1)),
		SHA256TreeHash:        aws.String(hash),
		SNSTopic:              aws.String("arn:aws:sns:us-east-1:" + testAccount + ":topic"),
		StatusCode:            types.StatusCodeInProgress,
		StatusMessage:         aws.String("Operation in progress."),
		Tier:                  aws.String("Standard"),
		VaultARN:              aws.String("arn:aws:glacier:us-east-1:" + testAccount + ":vaults/v"),
	}
	d.CreationDate = nil
	if diff := cmp.Diff(want, d, cmpopts.IgnoreUnexported(glacier.DescribeJobOutput{}), cmpopts.IgnoreFields(glacier.DescribeJobOutput{}, "ResultMetadata")); diff != "" {
		t.Errorf("DescribeJob (-want +got):\n%s", diff)
	}
	// Expired jobs disappear: 24 hours after completion the ID is unknown.
	e.clock.Advance(5*time.Hour + 24*time.Hour + time.Minute)
	_, err := e.gl.DescribeJob(ctx, &glacier.DescribeJobInput{AccountId: aws.String("-"), VaultName: aws.String("v"), JobId: aws.String(job)})
	wantAPIError(t, err, "ResourceNotFoundException", "The job ID was not found: "+job)
}

func TestRangedRetrieval(t *testing.T) {
	e := start(t)
	e.mustCreateVault("v")
	const size = 5<<20 + 100
	data := randomBytes(size)
	id, _ := e.upload("v", data, "ranged")
	rangeJob := func(r string) string {
		return e.initiate("v", types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: aws.String(id), RetrievalByteRange: aws.String(r), Tier: aws.String("Expedited")})
	}
	cases := []struct {
		rng        string
		start, end int64
		aligned    bool
	}{
		{"2097152-4194303", 2 << 20, 4<<20 - 1, true},    // 2 MiB at 2 MiB: a node of the tree
		{"1048576-3145727", 1 << 20, 3<<20 - 1, false},   // 2 MiB at 1 MiB: megabyte aligned, not a node
		{"4194304-5242979", 4 << 20, size - 1, true},     // the last two leaves
		{"0-1048575", 0, 1<<20 - 1, true},                // the first leaf
		{"3145728-5242979", 3 << 20, size - 1, false},    // to the end, not a node
		{fmt.Sprintf("0-%d", size-1), 0, size - 1, true}, // everything
	}
	jobs := make([]string, len(cases))
	for i, c := range cases {
		jobs[i] = rangeJob(c.rng)
	}
	e.clock.Advance(6 * time.Minute)
	for i, c := range cases {
		want := data[c.start : c.end+1]
		d := describe(t, e, "v", jobs[i])
		if aws.ToString(d.RetrievalByteRange) != c.rng {
			t.Errorf("%s: RetrievalByteRange %q", c.rng, aws.ToString(d.RetrievalByteRange))
		}
		got, out := e.output("v", jobs[i])
		if !bytes.Equal(got, want) {
			t.Errorf("%s: got %d bytes, want %d (the range)", c.rng, len(got), len(want))
		}
		wantHash := ""
		if c.aligned {
			wantHash = hexOf(treehash.Sum(want))
		}
		if aws.ToString(out.Checksum) != wantHash || aws.ToString(d.SHA256TreeHash) != wantHash {
			t.Errorf("%s: output checksum %q, DescribeJob SHA256TreeHash %q; want %q", c.rng, aws.ToString(out.Checksum), aws.ToString(d.SHA256TreeHash), wantHash)
		}
		if aws.ToString(out.ArchiveDescription) != "ranged" || aws.ToString(out.ContentType) != "application/octet-stream" || aws.ToString(out.AcceptRanges) != "bytes" {
			t.Errorf("%s: description %q content-type %q accept-ranges %q", c.rng, aws.ToString(out.ArchiveDescription), aws.ToString(out.ContentType), aws.ToString(out.AcceptRanges))
		}
	}

	// Download ranges are relative to the job's range.
	job := jobs[0] // bytes 2 MiB..4 MiB-1 of the archive
	for _, r := range []struct {
		hdr        string
		start, end int64
		aligned    bool
	}{
		{"bytes=0-1048575", 0, 1<<20 - 1, true},
		{"bytes=1048576-2097151", 1 << 20, 2<<20 - 1, true},
		{"bytes=100-199", 100, 199, false},
		{"bytes=0-2097151", 0, 2<<20 - 1, true},
	} {
		out, err := e.gl.GetJobOutput(ctx, &glacier.GetJobOutputInput{AccountId: aws.String("-"), VaultName: aws.String("v"), JobId: aws.String(job), Range: aws.String(r.hdr)})
		if err != nil {
			t.Fatalf("%s: %v", r.hdr, err)
		}
		got, _ := io.ReadAll(out.Body)
		out.Body.Close()
		want := data[2<<20+r.start : 2<<20+r.end+1]
		if !bytes.Equal(got, want) {
			t.Errorf("%s: %d bytes differ from the range", r.hdr, len(got))
		}
		if out.Status != 206 || aws.ToString(out.ContentRange) != fmt.Sprintf("bytes %d-%d/%d", r.start, r.end, 2<<20) {
			t.Errorf("%s: status %d Content-Range %q", r.hdr, out.Status, aws.ToString(out.ContentRange))
		}
		wantHash := ""
		if r.aligned {
			wantHash = hexOf(treehash.Sum(want))
		}
		if aws.ToString(out.Checksum) != wantHash {
			t.Errorf("%s: checksum %q, want %q", r.hdr, aws.ToString(out.Checksum), wantHash)
		}
	}
	// Another form of Range is ignored: the whole output comes back.
	out, err := e.gl.GetJobOutput(ctx, &glacier.GetJobOutputInput{AccountId: aws.String("-"), VaultName: aws.String("v"), JobId: aws.String(job), Range: aws.String("bytes=-100")})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(out.Body)
	out.Body.Close()
	if out.Status != 200 || len(got) != 2<<20 {
		t.Errorf("Range bytes=-100: status %d, %d bytes; want 200 and the whole output", out.Status, len(got))
	}

	// Misaligned or out-of-range retrieval ranges are refused and start no job.
	for _, bad := range []string{"1-1048576", "0-1000", "1048576-2097150", fmt.Sprintf("0-%d", size), "5-3", "x-y", "1048576"} {
		_, err := e.gl.InitiateJob(ctx, &glacier.InitiateJobInput{AccountId: aws.String("-"), VaultName: aws.String("v"), JobParameters: &types.JobParameters{
			Type: aws.String("archive-retrieval"), ArchiveId: aws.String(id), RetrievalByteRange: aws.String(bad)}})
		wantAPIError(t, err, "InvalidParameterValueException", "RetrievalByteRange")
	}
	list, err := e.gl.ListJobs(ctx, &glacier.ListJobsInput{AccountId: aws.String("-"), VaultName: aws.String("v")})
	if err != nil || len(list.JobList) != len(cases) {
		t.Errorf("ListJobs: %d jobs (%v), want %d", len(list.JobList), err, len(cases))
	}
}

func TestInitiateJobValidation(t *testing.T) {
	e := start(t)
	e.mustCreateVault("v")
	id, _ := e.upload("v", []byte("data"), "")
	long := string(bytes.Repeat([]byte("d"), 1025))
	cases := []struct {
		name   string
		p      types.JobParameters
		code   string
		substr string
	}{
		{"no type", types.JobParameters{ArchiveId: aws.String(id)}, "MissingParameterValueException", "type"},
		{"unknown type", types.JobParameters{Type: aws.String("archive-fetch"), ArchiveId: aws.String(id)}, "InvalidParameterValueException", "archive-fetch"},
		{"no archive", types.JobParameters{Type: aws.String("archive-retrieval")}, "MissingParameterValueException", "archiveId"},
		{"unknown archive", types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: aws.String(string(bytes.Repeat([]byte("A"), 138)))}, "ResourceNotFoundException", "The archive ID was not found"},
		{"archive for inventory", types.JobParameters{Type: aws.String("inventory-retrieval"), ArchiveId: aws.String(id)}, "InvalidParameterValueException", "ArchiveId"},
		{"bad tier", types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: aws.String(id), Tier: aws.String("Fast")}, "InvalidParameterValueException", "tier"},
		{"bad format", types.JobParameters{Type: aws.String("inventory-retrieval"), Format: aws.String("XML")}, "InvalidParameterValueException", "format"},
		{"format for archive", types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: aws.String(id), Format: aws.String("CSV")}, "InvalidParameterValueException", "Format"},
		{"long description", types.JobParameters{Type: aws.String("inventory-retrieval"), Description: aws.String(long)}, "InvalidParameterValueException", "description"},
		{"control in description", types.JobParameters{Type: aws.String("inventory-retrieval"), Description: aws.String("a\nb")}, "InvalidParameterValueException", "description"},
		{"bad SNS topic", types.JobParameters{Type: aws.String("inventory-retrieval"), SNSTopic: aws.String("topic")}, "InvalidParameterValueException", "SNS"},
		{"bad start date", types.JobParameters{Type: aws.String("inventory-retrieval"), InventoryRetrievalParameters: &types.InventoryRetrievalJobInput{StartDate: aws.String("yesterday")}}, "InvalidParameterValueException", "StartDate"},
		{"end before start", types.JobParameters{Type: aws.String("inventory-retrieval"), InventoryRetrievalParameters: &types.InventoryRetrievalJobInput{StartDate: aws.String("2024-02-01T00:00:00Z"), EndDate: aws.String("2024-01-01T00:00:00Z")}}, "InvalidParameterValueException", "EndDate"},
		{"zero limit", types.JobParameters{Type: aws.String("inventory-retrieval"), InventoryRetrievalParameters: &types.InventoryRetrievalJobInput{Limit: aws.String("0")}}, "InvalidParameterValueException", "limit"},
		{"word limit", types.JobParameters{Type: aws.String("inventory-retrieval"), InventoryRetrievalParameters: &types.InventoryRetrievalJobInput{Limit: aws.String("ten")}}, "InvalidParameterValueException", "limit"},
		{"bad marker", types.JobParameters{Type: aws.String("inventory-retrieval"), InventoryRetrievalParameters: &types.InventoryRetrievalJobInput{Marker: aws.String("not a marker")}}, "InvalidParameterValueException", "marker"},
		{"select", types.JobParameters{Type: aws.String("select"), ArchiveId: aws.String(id)}, "InvalidParameterValueException", "Select"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.gl.InitiateJob(ctx, &glacier.InitiateJobInput{AccountId: aws.String("-"), VaultName: aws.String("v"), JobParameters: &c.p})
			wantAPIError(t, err, c.code, c.substr)
		})
	}
	_, err := e.gl.InitiateJob(ctx, &glacier.InitiateJobInput{AccountId: aws.String("-"), VaultName: aws.String("nope"), JobParameters: &types.JobParameters{Type: aws.String("inventory-retrieval")}})
	wantAPIError(t, err, "ResourceNotFoundException", "Vault not found")
	// A deleted archive can no longer be retrieved.
	if _, err := e.gl.DeleteArchive(ctx, &glacier.DeleteArchiveInput{AccountId: aws.String("-"), VaultName: aws.String("v"), ArchiveId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	_, err = e.gl.InitiateJob(ctx, &glacier.InitiateJobInput{AccountId: aws.String("-"), VaultName: aws.String("v"), JobParameters: &types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: aws.String(id)}})
	wantAPIError(t, err, "ResourceNotFoundException", "The archive ID was not found: "+id)

	list, err := e.gl.ListJobs(ctx, &glacier.ListJobsInput{AccountId: aws.String("-"), VaultName: aws.String("v")})
	if err != nil || len(list.JobList) != 0 {
		t.Errorf("after refused jobs: %d jobs listed (%v), want 0", len(list.JobList), err)
	}
	_, err = e.gl.ListJobs(ctx, &glacier.ListJobsInput{AccountId: aws.String("-"), VaultName: aws.String("v"), Statuscode: aws.String("finished")})
	wantAPIError(t, err, "InvalidParameterValueException", "The job status code is not valid: finished")
}

func TestJobsSurviveRestart(t *testing.T) {
	e := start(t)
	e.mustCreateVault("v")
	data := map[string][]byte{}
	jobs := map[string]string{}
	for i, tier := range []string{"Expedited", "Standard", "Bulk"} {
		b := randomBytes(1<<20 + i*1000)
		id, _ := e.upload("v", b, tier)
		data[tier] = b
		jobs[tier] = e.initiate("v", types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: aws.String(id), Tier: aws.String(tier)})
	}
	inv := e.initiate("v", types.JobParameters{Type: aws.String("inventory-retrieval"), Format: aws.String("CSV")})
	e.clock.Advance(30 * time.Second)
	e.restart()
	if d := describe(t, e, "v", jobs["Bulk"]); d.StatusCode != types.StatusCodeInProgress {
		t.Errorf("Bulk job after restart: %s, want InProgress", d.StatusCode)
	}
	e.clock.Advance(12 * time.Hour)
	e.restart()
	for tier, job := range jobs {
		got, _ := e.output("v", job)
		if !bytes.Equal(got, data[tier]) {
			t.Errorf("%s job output after restart differs from the archive", tier)
		}
	}
	csv1, _ := e.output("v", inv)
	e.restart()
	csv2, _ := e.output("v", inv)
	if !bytes.Equal(csv1, csv2) || len(parseCSV(t, csv1)) != 3 {
		t.Errorf("inventory output changed across a restart or lacks archives:\n%s\n%s", csv1, csv2)
	}
}

func TestCapacityAndExpedited(t *testing.T) {
	e := start(t, func(c *app.Config) { c.ExpeditedOnDemand = 0 })
	e.mustCreateVault("v")
	id, _ := e.upload("v", []byte("urgent"), "")
	expedite := func() error {
		_, err := e.gl.InitiateJob(ctx, &glacier.InitiateJobInput{AccountId: aws.String("-"), VaultName: aws.String("v"),
			JobParameters: &types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: aws.String(id), Tier: aws.String("Expedited")}})
		return err
	}
	wantAPIError(t, expedite(), "InsufficientCapacityException")

	var ids []string
	for range 2 {
		out, err := e.gl.PurchaseProvisionedCapacity(ctx, &glacier.PurchaseProvisionedCapacityInput{AccountId: aws.String("-")})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, aws.ToString(out.CapacityId))
	}
	_, err := e.gl.PurchaseProvisionedCapacity(ctx, &glacier.PurchaseProvisionedCapacityInput{AccountId: aws.String("-")})
	wantAPIError(t, err, "LimitExceededException")

	list, err := e.gl.ListProvisionedCapacity(ctx, &glacier.ListProvisionedCapacityInput{AccountId: aws.String("-")})
	if err != nil || len(list.ProvisionedCapacityList) != 2 {
		t.Fatalf("ListProvisionedCapacity: %+v, %v", list, err)
	}
	var listed []string
	for _, u := range list.ProvisionedCapacityList {
		listed = append(listed, aws.ToString(u.CapacityId))
		st, err1 := time.Parse(time.RFC3339, aws.ToString(u.StartDate))
		ex, err2 := time.Parse(time.RFC3339, aws.ToString(u.ExpirationDate))
		if err1 != nil || err2 != nil || !ex.Equal(st.AddDate(0, 1, 0)) && ex.Sub(st) < 28*24*time.Hour {
			t.Errorf("unit %s: start %s expiration %s, want one month apart", aws.ToString(u.CapacityId), aws.ToString(u.StartDate), aws.ToString(u.ExpirationDate))
		}
	}
	sort.Strings(ids)
	sort.Strings(listed)
	if diff := cmp.Diff(ids, listed); diff != "" {
		t.Errorf("listed units (-bought +listed):\n%s", diff)
	}

	// Two units give 6 Expedited retrievals per 5 minutes.
	for i := range 6 {
		if err := expedite(); err != nil {
			t.Fatalf("expedited retrieval %d with 2 units: %v", i+1, err)
		}
	}
	wantAPIError(t, expedite(), "InsufficientCapacityException")
	// Other tiers never need capacity.
	if _, err := e.gl.InitiateJob(ctx, &glacier.InitiateJobInput{AccountId: aws.String("-"), VaultName: aws.String("v"),
		JobParameters: &types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: aws.String(id), Tier: aws.String("Bulk")}}); err != nil {
		t.Errorf("Bulk with capacity exhausted: %v", err)
	}
	e.clock.Advance(5*time.Minute + time.Second)
	if err := expedite(); err != nil {
		t.Errorf("expedited after the window passed: %v", err)
	}
	// Units expire after a month and stop counting.
	e.clock.Advance(32 * 24 * time.Hour)
	list, err = e.gl.ListProvisionedCapacity(ctx, &glacier.ListProvisionedCapacityInput{AccountId: aws.String("-")})
	if err != nil || len(list.ProvisionedCapacityList) != 0 {
		t.Errorf("after a month: %d units (%v), want 0", len(list.ProvisionedCapacityList), err)
	}
	wantAPIError(t, expedite(), "InsufficientCapacityException")
}

func TestDataRetrievalPolicy(t *testing.T) {
	e := start(t)
	e.mustCreateVault("v")
	big, _ := e.upload("v", randomBytes(4<<20), "big")
	small, _ := e.upload("v", randomBytes(1<<20), "small")

	got, err := e.gl.GetDataRetrievalPolicy(ctx, &glacier.GetDataRetrievalPolicyInput{AccountId: aws.String("-")})
	if err != nil || len(got.Policy.Rules) != 1 || aws.ToString(got.Policy.Rules[0].Strategy) != "None" {
		t.Fatalf("default policy: %+v, %v", got, err)
	}
	// 1 MiB per hour: a Standard retrieval spreads over 4 hours, so at most 4 MiB in any 4 hours.
	set := func(rules ...types.DataRetrievalRule) error {
		_, err := e.gl.SetDataRetrievalPolicy(ctx, &glacier.SetDataRetrievalPolicyInput{AccountId: aws.String("-"), Policy: &types.DataRetrievalPolicy{Rules: rules}})
		return err
	}
	if err := set(types.DataRetrievalRule{Strategy: aws.String("BytesPerHour"), BytesPerHour: aws.Int64(1 << 18)}); err != nil {
		t.Fatal(err)
	}
	got, err = e.gl.GetDataRetrievalPolicy(ctx, &glacier.GetDataRetrievalPolicyInput{AccountId: aws.String("-")})
	if err != nil || aws.ToString(got.Policy.Rules[0].Strategy) != "BytesPerHour" || aws.ToInt64(got.Policy.Rules[0].BytesPerHour) != 1<<18 {
		t.Fatalf("policy after set: %+v, %v", got, err)
	}
	job := func(id, tier string) error {
		_, err := e.gl.InitiateJob(ctx, &glacier.InitiateJobInput{AccountId: aws.String("-"), VaultName: aws.String("v"),
			JobParameters: &types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: aws.String(id), Tier: aws.String(tier)}})
		return err
	}
	wantAPIError(t, job(big, "Standard"), "PolicyEnforcedException")
	if err := job(small, "Standard"); err != nil {
		t.Errorf("small Standard retrieval under the policy: %v", err)
	}
	if err := job(big, "Bulk"); err != nil {
		t.Errorf("Bulk retrievals are not limited by the policy: %v", err)
	}
	if err := set(types.DataRetrievalRule{Strategy: aws.String("None")}); err != nil {
		t.Fatal(err)
	}
	if err := job(big, "Standard"); err != nil {
		t.Errorf("after setting None: %v", err)
	}
	for _, bad := range [][]types.DataRetrievalRule{
		{},
		{{Strategy: aws.String("None")}, {Strategy: aws.String("FreeTier")}},
		{{Strategy: aws.String("FreeTier"), BytesPerHour: aws.Int64(5)}},
		{{Strategy: aws.String("BytesPerHour")}},
		{{Strategy: aws.String("Unlimited")}},
	} {
		wantAPIError(t, set(bad...), "InvalidParameterValueException")
	}
}

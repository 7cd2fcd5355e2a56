package e2e

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"log"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"
	"github.com/google/go-cmp/cmp"
	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	"github.com/glacierd/glacierd/internal/app"
	"github.com/glacierd/glacierd/internal/notify/notifytest"
)

// Select jobs end to end: glacierd with --select-s3 pointing at an
// in-process gofakes3, driven by aws-sdk-go-v2; each result is compared
// with the query evaluated in plain Go over the same CSV.

const selectBucket = "select-out"

// selectEnv is glacierd with a gofakes3 output bucket.
type selectEnv struct {
	*env
	s3 *s3mem.Backend
}

func startSelect(t *testing.T, mutate ...func(*app.Config)) *selectEnv {
	t.Helper()
	be := s3mem.New()
	if err := be.CreateBucket(selectBucket); err != nil {
		t.Fatal(err)
	}
	// HTTPS: over HTTP minio-go signs payloads in aws-chunked framing,
	// which gofakes3 stores verbatim for UploadPart.
	ts := httptest.NewUnstartedServer(gofakes3.New(be, gofakes3.WithLogger(gofakes3.DiscardLog())).Server())
	ts.Config.ErrorLog = log.New(io.Discard, "", 0)
	ts.StartTLS()
	t.Cleanup(ts.Close)
	e := start(t, append([]func(*app.Config){func(c *app.Config) {
		c.SelectS3 = "s3://?endpoint=" + strings.TrimPrefix(ts.URL, "https://") + "&secure=true"
		c.SelectS3AccessKey, c.SelectS3SecretKey = "fake", "fake-secret"
	}}, mutate...)...)
	e.selectS3 = ts.Client().Transport // trusts the test server's certificate
	e.restart()
	return &selectEnv{env: e, s3: be}
}

// objects returns the output bucket's objects under prefix, by key.
func (e *selectEnv) objects(prefix string) map[string]string {
	e.t.Helper()
	list, err := e.s3.ListBucket(selectBucket, &gofakes3.Prefix{Prefix: prefix, HasPrefix: true}, gofakes3.ListBucketPage{})
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string]string{}
	for _, c := range list.Contents {
		o, err := e.s3.GetObject(selectBucket, c.Key, nil)
		if err != nil {
			e.t.Fatal(err)
		}
		b, err := io.ReadAll(o.Contents)
		o.Contents.Close()
		if err != nil {
			e.t.Fatal(err)
		}
		out[c.Key] = string(b)
	}
	return out
}

// selectJob is one select job's request.
type selectJob struct {
	sql    string
	header types.FileHeaderInfo
	output *types.CSVOutput
}

func (s selectJob) params(archive, prefix string) types.JobParameters {
	out := s.output
	if out == nil {
		out = &types.CSVOutput{}
	}
	return types.JobParameters{
		Type: aws.String("select"), ArchiveId: aws.String(archive), Tier: aws.String("Expedited"),
		SelectParameters: &types.SelectParameters{
			ExpressionType:      types.ExpressionTypeSql,
			Expression:          aws.String(s.sql),
			InputSerialization:  &types.InputSerialization{Csv: &types.CSVInput{FileHeaderInfo: s.header}},
			OutputSerialization: &types.OutputSerialization{Csv: out},
		},
		OutputLocation: &types.OutputLocation{S3: &types.S3Location{BucketName: aws.String(selectBucket), Prefix: aws.String(prefix)}},
	}
}

// selectRows is the archive: a header and rows with quoted fields.
func selectRows() [][]string {
	cities := []string{"Oslo", "Lima", "Kyiv", "Pune, MH", `Say "hi"`}
	names := []string{"Ada", "Alan", "Grace", "Édith", "O\"Brien, Pat", "line\nbreak"}
	rows := [][]string{{"id", "name", "city", "score"}}
	for i := 1; i <= 400; i++ {
		rows = append(rows, []string{strconv.Itoa(i), names[i%len(names)], cities[(i/3)%len(cities)], strconv.Itoa((i * 37) % 101)})
	}
	return rows
}

func csvText(t *testing.T, rows [][]string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(rows); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

func TestSelectJobsMatchPlainGo(t *testing.T) {
	e := startSelect(t)
	e.mustCreateVault("v")
	rows := selectRows()
	archive, _ := e.upload("v", csvText(t, rows), "select me")
	data := rows[1:]
	cases := []struct {
		name       string
		job        selectJob
		comma      rune
		want       func(r []string) ([]string, bool) // over data rows (and, with NONE, the header)
		withHeader bool
	}{
		{"star USE", selectJob{sql: "SELECT * FROM archive", header: types.FileHeaderInfoUse}, ',',
			func(r []string) ([]string, bool) { return r, true }, false},
		{"positions IGNORE", selectJob{sql: "SELECT s._1, s._3 FROM archive s WHERE s._4 > 50", header: types.FileHeaderInfoIgnore}, ',',
			func(r []string) ([]string, bool) { return []string{r[0], r[2]}, atoi(r[3]) > 50 }, false},
		{"names USE, custom output", selectJob{
			sql: "SELECT name, score FROM archive WHERE city = 'Oslo' AND score BETWEEN 10 AND 60", header: types.FileHeaderInfoUse,
			output: &types.CSVOutput{FieldDelimiter: aws.String(";"), QuoteFields: types.QuoteFieldsAlways}}, ';',
			func(r []string) ([]string, bool) {
				return []string{r[1], r[3]}, r[2] == "Oslo" && atoi(r[3]) >= 10 && atoi(r[3]) <= 60
			}, false},
		{"LIKE NONE", selectJob{sql: "SELECT _2 FROM ARCHIVE WHERE _2 LIKE 'A%'", header: types.FileHeaderInfoNone}, ',',
			func(r []string) ([]string, bool) { return []string{r[1]}, strings.HasPrefix(r[1], "A") }, true},
		{"functions and IN", selectJob{sql: "SELECT UPPER(name), CHAR_LENGTH(city) FROM archive WHERE id IN ('1', '2', '3', '250')", header: types.FileHeaderInfoUse}, ',',
			func(r []string) ([]string, bool) {
				return []string{strings.ToUpper(r[1]), strconv.Itoa(len([]rune(r[2])))}, slices.Contains([]string{"1", "2", "3", "250"}, r[0])
			}, false},
		{"CAST and arithmetic", selectJob{sql: `SELECT "id", score * 2 FROM archive a WHERE CAST(a.score AS INT) % 7 = 0 OR a.id = '400'`, header: types.FileHeaderInfoUse}, ',',
			func(r []string) ([]string, bool) {
				return []string{r[0], strconv.Itoa(2 * atoi(r[3]))}, atoi(r[3])%7 == 0 || r[0] == "400"
			}, false},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			prefix := fmt.Sprintf("q%d/", i)
			jp := c.job.params(archive, prefix)
			out, err := e.gl.InitiateJob(ctx, &glacier.InitiateJobInput{AccountId: aws.String("-"), VaultName: aws.String("v"),
				JobParameters: &jp})
			if err != nil {
				t.Fatalf("initiate: %v", err)
			}
			id := aws.ToString(out.JobId)
			path := fmt.Sprintf("q%d/%s/", i, id)
			if got := aws.ToString(out.JobOutputPath); got != path {
				t.Errorf("x-amz-job-output-path = %q, want %q", got, path)
			}
			if objs := e.objects(path); len(objs) != 1 || !strings.Contains(objs[path+"job.txt"], id) {
				t.Errorf("objects at initiation = %q, want job.txt only", keys(objs))
			}
			e.clock.Advance(6 * time.Minute)
			d, err := e.gl.DescribeJob(ctx, &glacier.DescribeJobInput{AccountId: aws.String("-"), VaultName: aws.String("v"), JobId: &id})
			if err != nil {
				t.Fatal(err)
			}
			if d.StatusCode != types.StatusCodeSucceeded || d.Action != types.ActionCodeSelect || aws.ToString(d.JobOutputPath) != path ||
				aws.ToString(d.SelectParameters.Expression) != c.job.sql || aws.ToString(d.OutputLocation.S3.BucketName) != selectBucket ||
				aws.ToString(d.ArchiveId) != archive || d.ArchiveSizeInBytes != nil || d.RetrievalByteRange != nil {
				t.Errorf("DescribeJob = %s %s %s %q %+v", d.StatusCode, d.Action, aws.ToString(d.JobOutputPath), aws.ToString(d.StatusMessage), d)
			}
			objs := e.objects(path)
			result := path + "results/part-00001.csv"
			want := "job.txt result_manifest.txt results/part-00001.csv"
			if got := strings.ReplaceAll(strings.Join(keys(objs), " "), path, ""); got != want {
				t.Fatalf("objects %s, want %s", got, want)
			}
			if got := objs[path+"result_manifest.txt"]; got != result+"\n" {
				t.Errorf("result_manifest.txt = %q, want %q", got, result+"\n")
			}
			var wantRows [][]string
			src := data
			if c.withHeader {
				src = rows
			}
			for _, r := range src {
				if w, ok := c.want(r); ok {
					wantRows = append(wantRows, w)
				}
			}
			rd := csv.NewReader(strings.NewReader(objs[result]))
			rd.Comma = c.comma
			got, err := rd.ReadAll()
			if err != nil {
				t.Fatalf("result is not CSV: %v\n%s", err, objs[result])
			}
			if len(wantRows) == 0 || !slices.EqualFunc(got, wantRows, slices.Equal) {
				t.Errorf("result (%d rows) differs from plain Go (%d rows):\ngot  %q\nwant %q", len(got), len(wantRows), head(got), head(wantRows))
			}
		})
	}
	if _, err := e.gl.GetJobOutput(ctx, &glacier.GetJobOutputInput{AccountId: aws.String("-"), VaultName: aws.String("v"),
		JobId: aws.String(firstJob(t, e.env))}); err == nil {
		t.Error("GetJobOutput of a select job succeeded")
	} else {
		wantAPIError(t, err, "InvalidParameterValueException", "select job")
	}
}

func head(rows [][]string) [][]string { return rows[:min(len(rows), 5)] }

func keys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func firstJob(t *testing.T, e *env) string {
	l, err := e.gl.ListJobs(ctx, &glacier.ListJobsInput{AccountId: aws.String("-"), VaultName: aws.String("v")})
	if err != nil || len(l.JobList) == 0 {
		t.Fatalf("ListJobs: %v", err)
	}
	return aws.ToString(l.JobList[0].JobId)
}

func TestSelectRefusalsCreateNoJob(t *testing.T) {
	e := startSelect(t)
	e.mustCreateVault("v")
	archive, _ := e.upload("v", csvText(t, selectRows()), "")
	good := selectJob{sql: "SELECT * FROM archive", header: types.FileHeaderInfoUse}
	cases := []struct {
		name string
		p    types.JobParameters
		code string
		msg  string
	}{
		{"COUNT", selectJob{sql: "SELECT COUNT(*) FROM archive"}.params(archive, "p"), "InvalidParameterValueException", "Invalid SQL"},
		{"SUM", selectJob{sql: "SELECT SUM(_4) FROM archive"}.params(archive, "p"), "InvalidParameterValueException", "Invalid SQL"},
		{"LIMIT", selectJob{sql: "SELECT * FROM archive LIMIT 5"}.params(archive, "p"), "InvalidParameterValueException", "Invalid SQL"},
		{"syntax", selectJob{sql: "SELEC * FROM archive"}.params(archive, "p"), "InvalidParameterValueException", "Invalid SQL"},
		{"names without USE", selectJob{sql: "SELECT name FROM archive", header: types.FileHeaderInfoIgnore}.params(archive, "p"), "InvalidParameterValueException", ""},
		{"names and positions", selectJob{sql: "SELECT name, _1 FROM archive", header: types.FileHeaderInfoUse}.params(archive, "p"), "InvalidParameterValueException", ""},
		{"bad delimiter", selectJob{sql: "SELECT * FROM archive", output: &types.CSVOutput{FieldDelimiter: aws.String(":::")}}.params(archive, "p"), "InvalidParameterValueException", "FieldDelimiter"},
		{"no output location", func() types.JobParameters { p := good.params(archive, "p"); p.OutputLocation = nil; return p }(), "MissingParameterValueException", "OutputLocation"},
		{"no prefix", func() types.JobParameters { p := good.params(archive, "p"); p.OutputLocation.S3.Prefix = nil; return p }(), "MissingParameterValueException", "Prefix"},
		{"bad ACL", func() types.JobParameters {
			p := good.params(archive, "p")
			p.OutputLocation.S3.CannedACL = "everyone"
			return p
		}(), "InvalidParameterValueException", "CannedACL"},
		{"no archive", good.params("nope", "p"), "ResourceNotFoundException", ""},
		{"no such bucket", func() types.JobParameters {
			p := good.params(archive, "p")
			p.OutputLocation.S3.BucketName = aws.String("no-such-bucket")
			return p
		}(), "InvalidParameterValueException", "NoSuchBucket"},
		{"byte range", func() types.JobParameters {
			p := good.params(archive, "p")
			p.RetrievalByteRange = aws.String("0-1048575")
			return p
		}(), "InvalidParameterValueException", "RetrievalByteRange"},
	}
	for _, c := range cases {
		_, err := e.gl.InitiateJob(ctx, &glacier.InitiateJobInput{AccountId: aws.String("-"), VaultName: aws.String("v"), JobParameters: &c.p})
		if err == nil {
			t.Errorf("%s: InitiateJob succeeded", c.name)
			continue
		}
		wantAPIError(t, err, c.code, c.msg)
	}
	l, err := e.gl.ListJobs(ctx, &glacier.ListJobsInput{AccountId: aws.String("-"), VaultName: aws.String("v")})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.JobList) != 0 {
		t.Errorf("refused requests left %d jobs", len(l.JobList))
	}
	if objs := e.objects(""); len(objs) != 0 {
		t.Errorf("refused requests wrote %q", keys(objs))
	}
}

func TestSelectRecordErrorFailsTheJob(t *testing.T) {
	e := startSelect(t)
	e.mustCreateVault("v")
	archive, _ := e.upload("v", []byte("a,1\nb,2\nc,x\nd,4\n"), "")
	id := e.initiate("v", selectJob{sql: "SELECT _1 FROM archive WHERE CAST(_2 AS INT) > 0"}.params(archive, "out"))
	e.clock.Advance(6 * time.Minute)
	d, err := e.gl.DescribeJob(ctx, &glacier.DescribeJobInput{AccountId: aws.String("-"), VaultName: aws.String("v"), JobId: &id})
	if err != nil {
		t.Fatal(err)
	}
	if d.StatusCode != types.StatusCodeFailed || !strings.Contains(aws.ToString(d.StatusMessage), "record 3") {
		t.Errorf("DescribeJob = %s %q, want Failed naming record 3", d.StatusCode, aws.ToString(d.StatusMessage))
	}
	path := "out/" + id + "/"
	objs := e.objects(path)
	if got := objs[path+"results/part-00001.csv"]; got != "a\nb\n" {
		t.Errorf("results before the bad record = %q", got)
	}
	if got := objs[path+"error_manifest.txt"]; got != path+"errors/error-00001.txt\n" {
		t.Errorf("error_manifest.txt = %q", got)
	}
	if got := objs[path+"errors/error-00001.txt"]; !strings.Contains(got, "record 3") {
		t.Errorf("errors/error-00001.txt = %q", got)
	}
}

func TestSelectTakesARetrievalSlotAndIsListed(t *testing.T) {
	e := startSelect(t)
	e.cfg.ExpeditedOnDemand = 1
	e.restart()
	e.mustCreateVault("v")
	archive, _ := e.upload("v", []byte("a,1\n"), "")
	p := selectJob{sql: "SELECT * FROM archive"}.params(archive, "out/")
	p.SelectParameters.OutputSerialization = nil
	p.OutputLocation.S3.Tagging = map[string]string{"k": "v"}
	id := e.initiate("v", p)
	_, err := e.gl.InitiateJob(ctx, &glacier.InitiateJobInput{AccountId: aws.String("-"), VaultName: aws.String("v"),
		JobParameters: &types.JobParameters{Type: aws.String("archive-retrieval"), ArchiveId: &archive, Tier: aws.String("Expedited")}})
	wantAPIError(t, err, "InsufficientCapacityException")
	l, err := e.gl.ListJobs(ctx, &glacier.ListJobsInput{AccountId: aws.String("-"), VaultName: aws.String("v")})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.JobList) != 1 || aws.ToString(l.JobList[0].JobId) != id || l.JobList[0].Action != types.ActionCodeSelect {
		t.Fatalf("ListJobs = %+v, want the select job", l.JobList)
	}
	j := l.JobList[0]
	if j.SelectParameters.OutputSerialization != nil || j.SelectParameters.InputSerialization != nil ||
		j.OutputLocation.S3.Tagging["k"] != "v" || aws.ToString(j.JobOutputPath) != "out/"+id+"/" || j.SHA256TreeHash != nil {
		t.Errorf("ListJobs echoes %+v %+v", j.SelectParameters, j.OutputLocation.S3)
	}
	e.clock.Advance(6 * time.Minute)
	objs := e.objects("out/" + id + "/")
	if len(objs) != 1 {
		t.Errorf("objects before anyone looked (the harness runs no tick): %q", keys(objs))
	}
	if _, err := e.gl.DescribeJob(ctx, &glacier.DescribeJobInput{AccountId: aws.String("-"), VaultName: aws.String("v"), JobId: &id}); err != nil {
		t.Fatal(err)
	}
	if got := e.objects("out/" + id + "/results/")["out/"+id+"/results/part-00001.csv"]; got != "a,1\n" {
		t.Errorf("result = %q", got)
	}
}

func TestSelectOfADeletedArchiveAndAVanishedBucket(t *testing.T) {
	e := startSelect(t)
	e.mustCreateVault("v")
	archive, _ := e.upload("v", []byte("a,1\nb,2\n"), "")
	id := e.initiate("v", selectJob{sql: "SELECT _2 FROM archive"}.params(archive, "out"))
	// Deleted after the job started: the job still reads it, as a retrieval would.
	if _, err := e.gl.DeleteArchive(ctx, &glacier.DeleteArchiveInput{AccountId: aws.String("-"), VaultName: aws.String("v"), ArchiveId: &archive}); err != nil {
		t.Fatal(err)
	}
	archive2, _ := e.upload("v", []byte("c,3\n"), "")
	id2 := e.initiate("v", selectJob{sql: "SELECT * FROM archive"}.params(archive2, "gone"))
	e.clock.Advance(6 * time.Minute)
	d, err := e.gl.DescribeJob(ctx, &glacier.DescribeJobInput{AccountId: aws.String("-"), VaultName: aws.String("v"), JobId: &id})
	if err != nil {
		t.Fatal(err)
	}
	if d.StatusCode != types.StatusCodeSucceeded {
		t.Errorf("select of a deleted archive: %s %q", d.StatusCode, aws.ToString(d.StatusMessage))
	}
	if got := e.objects("out/" + id + "/results/")["out/"+id+"/results/part-00001.csv"]; got != "1\n2\n" {
		t.Errorf("result = %q", got)
	}
	// The output bucket disappears before the second job runs.
	for _, k := range keys(e.objects("")) {
		if _, err := e.s3.DeleteObject(selectBucket, k); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.s3.DeleteBucket(selectBucket); err != nil {
		t.Fatal(err)
	}
	d, err = e.gl.DescribeJob(ctx, &glacier.DescribeJobInput{AccountId: aws.String("-"), VaultName: aws.String("v"), JobId: &id2})
	if err != nil {
		t.Fatal(err)
	}
	if d.StatusCode != types.StatusCodeFailed || !strings.Contains(aws.ToString(d.StatusMessage), "Could not write the select output to S3") {
		t.Errorf("select into a vanished bucket: %s %q, want Failed", d.StatusCode, aws.ToString(d.StatusMessage))
	}
}

func TestSelectCountsAgainstTheRetrievalPolicy(t *testing.T) {
	e := startSelect(t)
	e.mustCreateVault("v")
	archive, _ := e.upload("v", bytes.Repeat([]byte("a,1\n"), 1000), "")
	if _, err := e.gl.SetDataRetrievalPolicy(ctx, &glacier.SetDataRetrievalPolicyInput{AccountId: aws.String("-"),
		Policy: &types.DataRetrievalPolicy{Rules: []types.DataRetrievalRule{{Strategy: aws.String("BytesPerHour"), BytesPerHour: aws.Int64(1000)}}}}); err != nil {
		t.Fatal(err)
	}
	p := selectJob{sql: "SELECT * FROM archive"}.params(archive, "out")
	p.Tier = aws.String("Standard")
	e.initiate("v", p) // 4,000 bytes: within 4 hours of 1,000 bytes an hour
	_, err := e.gl.InitiateJob(ctx, &glacier.InitiateJobInput{AccountId: aws.String("-"), VaultName: aws.String("v"), JobParameters: &p})
	wantAPIError(t, err, "PolicyEnforcedException")
}

func TestSelectFailureIsListedAsFailed(t *testing.T) {
	e := startSelect(t)
	e.mustCreateVault("v")
	archive, _ := e.upload("v", []byte("a,x\n"), "")
	id := e.initiate("v", selectJob{sql: "SELECT _1 FROM archive WHERE CAST(_2 AS INT) > 0"}.params(archive, "out"))
	e.clock.Advance(6 * time.Minute)
	for _, c := range []struct {
		status string
		want   int
	}{{"Succeeded", 0}, {"Failed", 1}} {
		l, err := e.gl.ListJobs(ctx, &glacier.ListJobsInput{AccountId: aws.String("-"), VaultName: aws.String("v"), Statuscode: aws.String(c.status)})
		if err != nil {
			t.Fatal(err)
		}
		if len(l.JobList) != c.want || (c.want == 1 && aws.ToString(l.JobList[0].JobId) != id) {
			t.Errorf("ListJobs statuscode=%s: %d jobs, want %d", c.status, len(l.JobList), c.want)
		}
	}
}

func TestSelectCompletionIsNotified(t *testing.T) {
	sns := notifytest.NewServer(t)
	e := startSelect(t, withSNS(sns), manualTick)
	e.mustCreateVault("v")
	archive, _ := e.upload("v", []byte("a,1\n"), "")
	p := selectJob{sql: "SELECT _1 FROM archive"}.params(archive, "out")
	p.SNSTopic = aws.String(topic("select-topic"))
	id := e.initiate("v", p)
	e.clock.Advance(6 * time.Minute)
	e.tick() // runs the query and queues the message
	e.tick() // anything extra would be delivered now
	want := []string{topic("select-topic") + " Select " + id}
	if d := cmp.Diff(want, decodeMessages(t, sns.Messages())); d != "" {
		t.Errorf("notifications (-want +got):\n%s", d)
	}
	if got := e.objects("out/" + id + "/results/")["out/"+id+"/results/part-00001.csv"]; got != "a\n" {
		t.Errorf("result after the tick = %q", got)
	}
}

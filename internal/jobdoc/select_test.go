package jobdoc

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/glacierd/glacierd/internal/glacier"
)

func TestSelectDocumentEchoesTheRequestWithNulls(t *testing.T) {
	req := `{"InputSerialization":{"csv":{"FileHeaderInfo":"Use","Comments":null,"QuoteEscapeCharacter":null,"RecordDelimiter":null,"FieldDelimiter":";","QuoteCharacter":null}},` +
		`"ExpressionType":"SQL","Expression":"select * from archive","OutputSerialization":null}`
	loc := `{"S3":{"BucketName":"b","Prefix":"p","Encryption":{"EncryptionType":"aws:kms","KMSKeyId":"k","KMSContext":null},` +
		`"CannedACL":null,"AccessControlList":[{"Grantee":{"Type":"Group","DisplayName":null,"URI":"u","ID":null,"EmailAddress":null},"Permission":"READ"}],` +
		`"Tagging":{"t":"v"},"UserMetadata":null,"StorageClass":"STANDARD"}}`
	var sp SelectParameters
	var ol OutputLocation
	if err := json.Unmarshal([]byte(req), &sp); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(loc), &ol); err != nil {
		t.Fatal(err)
	}
	j := glacier.Job{ID: "id", Action: glacier.ActionSelect, ArchiveID: "a", ArchiveSize: 9, ArchiveTreeHash: "h",
		RangeEnd: 8, RangeTreeHash: "h", Select: sp.Domain(), OutputLocation: ol.Domain(), OutputPath: "p/id/"}
	b, err := Marshal(Info{Job: j, StatusCode: glacier.StatusInProgress})
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]json.RawMessage
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"Action": `"Select"`, "ArchiveId": `"a"`, "JobOutputPath": `"p/id/"`,
		"SelectParameters": req, "OutputLocation": loc,
		"ArchiveSizeInBytes": "null", "ArchiveSHA256TreeHash": "null", "RetrievalByteRange": "null",
		"SHA256TreeHash": "null", "InventorySizeInBytes": "null", "InventoryRetrievalParameters": "null",
	}
	for k, w := range want {
		if d := cmp.Diff(w, strings.TrimSpace(string(got[k]))); d != "" {
			t.Errorf("%s (-want +got):\n%s", k, d)
		}
	}
}

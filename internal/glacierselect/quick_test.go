package glacierselect

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

func TestQuick(t *testing.T) {
	q, err := Compile(Params{ExpressionType: "SQL", Expression: `SELECT name, CAST(age AS INT) * 2 FROM ARCHIVE a WHERE CAST(a.age AS INT) > 30 AND name LIKE 'b%'`,
		Input: CSVInput{FileHeaderInfo: "USE"}})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	st, err := q.Run(context.Background(), strings.NewReader("name,age\nalice,30\nbob,40\n\"bo,b\",50\n"), &out, time.Now())
	t.Logf("%q %+v %v", out.String(), st, err)
}

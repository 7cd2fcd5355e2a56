package glacierselect

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// testNow is UTCNOW in tests.
func testNow() time.Time { return time.Date(2026, 12, 2, 14, 30, 0, 0, time.UTC) }

// runSQL compiles sql over input read with in, and returns the output.
func runSQL(t *testing.T, sql string, in CSVInput, out CSVOutput, input string) (string, error) {
	t.Helper()
	q, err := Compile(Params{ExpressionType: "SQL", Expression: sql, Input: in, Output: out})
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	_, err = q.Run(context.Background(), strings.NewReader(input), &b, testNow())
	return b.String(), err
}

// wantInvalid fails unless err is an *InvalidError whose message contains want.
func wantInvalid(t *testing.T, err error, want string) {
	t.Helper()
	var ie *InvalidError
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v (%T), want *InvalidError containing %q", err, err, want)
	}
	if !strings.Contains(ie.Message, want) {
		t.Fatalf("message %q does not contain %q", ie.Message, want)
	}
}

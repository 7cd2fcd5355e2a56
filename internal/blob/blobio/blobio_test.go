package blobio

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestFill(t *testing.T) {
	buf := make([]byte, 8)
	n, err := Fill(iotest.OneByteReader(strings.NewReader("0123456789")), buf)
	if n != 8 || err != nil || string(buf) != "01234567" {
		t.Errorf("full buffer: %d %v %q", n, err, buf)
	}
	n, err = Fill(strings.NewReader("abc"), buf)
	if n != 3 || err != io.EOF {
		t.Errorf("short input: %d %v, want 3, io.EOF", n, err)
	}
	n, err = Fill(io.MultiReader(strings.NewReader("ab"), iotest.ErrReader(io.ErrUnexpectedEOF)), buf)
	if n != 2 || !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("truncated input: %d %v, want 2, io.ErrUnexpectedEOF", n, err)
	}
}

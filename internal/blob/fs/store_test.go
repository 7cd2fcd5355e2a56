package fs_test

import (
	"testing"

	"github.com/glacierd/glacierd/internal/blob/fs"
	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/storetest"
)

func open(t testing.TB, dir string) *fs.Store {
	s, err := fs.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestBlob(t *testing.T) {
	storetest.Blob(t, func(t *testing.T) glacier.BlobStore { return open(t, t.TempDir()) })
}

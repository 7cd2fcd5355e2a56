package sqlite_test

import (
	"path/filepath"
	"testing"

	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/store/sqlite"
	"github.com/glacierd/glacierd/internal/storetest"
)

func open(t testing.TB) *sqlite.Store {
	s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "meta.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestMeta(t *testing.T) {
	storetest.Meta(t, func(t *testing.T) glacier.MetaStore { return open(t) })
}

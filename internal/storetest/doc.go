// Package storetest holds the conformance suites of glacierd's storage
// interfaces: Meta for glacier.MetaStore and Blob for glacier.BlobStore.
//
// The suites are the executable form of the contracts documented in package
// glacier. They test only what those contracts promise, so every
// implementation (SQLite, PostgreSQL, local files, S3) runs them unchanged
// from a short _test.go file:
//
//	func TestMeta(t *testing.T) {
//		storetest.Meta(t, func(t *testing.T) glacier.MetaStore {
//			s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "meta.db"))
//			if err != nil {
//				t.Fatal(err)
//			}
//			t.Cleanup(func() { s.Close() })
//			return s
//		})
//	}
package storetest

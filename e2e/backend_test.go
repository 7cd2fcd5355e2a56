package e2e

import (
	"os"
	"testing"

	"github.com/glacierd/glacierd/internal/app"
	"github.com/glacierd/glacierd/internal/testkit"
)

// The end-to-end suite runs against the embedded stores by default. With
// GLACIERD_E2E_BACKEND=postgres-s3 every server it starts uses PostgreSQL
// (GLACIERD_TEST_POSTGRES, a server URL) and an S3-compatible store
// (GLACIERD_TEST_S3, http://ACCESS:SECRET@HOST:PORT/BUCKET-PREFIX) instead,
// each test in a fresh schema and under a fresh key prefix.
const backendEnv = "GLACIERD_E2E_BACKEND"

// backend returns the Config change that points a test's servers at the
// selected stores.
func backend(t *testing.T) func(*app.Config) {
	switch os.Getenv(backendEnv) {
	case "", "embedded":
		return func(*app.Config) {}
	case "postgres-s3":
	default:
		t.Fatalf("%s=%q: want embedded or postgres-s3", backendEnv, os.Getenv(backendEnv))
	}
	meta := freshPostgres(t)
	blobs, key, secret := freshS3(t)
	return func(c *app.Config) {
		c.Meta, c.Blobs, c.S3AccessKey, c.S3SecretKey = meta, blobs, key, secret
	}
}

// freshPostgres returns a GLACIERD_TEST_POSTGRES URL selecting a schema
// of the test's own.
func freshPostgres(t *testing.T) string {
	t.Helper()
	pg, _ := integration(t)
	return testkit.FreshPostgres(t, pg, "e2e_")
}

// freshS3 returns an s3:// --blobs value with a key prefix of its own, and
// the credentials for it.
func freshS3(t *testing.T) (blobs, key, secret string) {
	t.Helper()
	_, s3 := integration(t)
	return testkit.FreshS3(t, s3, "e2e")
}

// integration returns the servers GLACIERD_E2E_BACKEND=postgres-s3 needs.
func integration(t *testing.T) (pg, s3 string) {
	t.Helper()
	pg, s3 = os.Getenv("GLACIERD_TEST_POSTGRES"), os.Getenv("GLACIERD_TEST_S3")
	if pg == "" || s3 == "" {
		t.Fatalf("these tests need GLACIERD_TEST_POSTGRES and GLACIERD_TEST_S3")
	}
	return pg, s3
}

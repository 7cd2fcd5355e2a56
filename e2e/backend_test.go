package e2e

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/glacierd/glacierd/internal/app"
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

func randomName(prefix string) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

// freshPostgres creates a schema for one test and returns a URL whose
// search_path selects it; the schema is dropped when the test ends.
func freshPostgres(t *testing.T) string {
	t.Helper()
	base := os.Getenv("GLACIERD_TEST_POSTGRES")
	if base == "" {
		t.Fatalf("%s=postgres-s3 needs GLACIERD_TEST_POSTGRES", backendEnv)
	}
	schema := randomName("e2e_")
	exec := func(sql string) {
		conn, err := pgx.Connect(context.Background(), base)
		if err != nil {
			t.Fatalf("connect to %s: %v", base, err)
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(context.Background(), sql); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	exec("CREATE SCHEMA " + schema)
	t.Cleanup(func() { exec("DROP SCHEMA " + schema + " CASCADE") })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// freshS3 returns an s3:// --blobs value with a key prefix of its own, and
// the credentials for it.
func freshS3(t *testing.T) (blobs, key, secret string) {
	t.Helper()
	raw := os.Getenv("GLACIERD_TEST_S3")
	u, err := url.Parse(raw)
	if raw == "" || err != nil || u.User == nil {
		t.Fatalf("%s=postgres-s3 needs GLACIERD_TEST_S3=http://ACCESS:SECRET@HOST:PORT/BUCKET-PREFIX (got %q)", backendEnv, raw)
	}
	secret, _ = u.User.Password()
	bucket := u.Path[1:] + "-e2e"
	return "s3://" + bucket + "/" + randomName("t") + "?endpoint=" + u.Host + "&secure=" + map[bool]string{true: "true", false: "false"}[u.Scheme == "https"],
		u.User.Username(), secret
}

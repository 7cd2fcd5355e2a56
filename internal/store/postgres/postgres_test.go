package postgres_test

import (
	"context"
	"crypto/rand"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/store/postgres"
	"github.com/glacierd/glacierd/internal/storetest"
)

// The integration tests need a PostgreSQL server: GLACIERD_TEST_POSTGRES is
// its URL, e.g. postgres://postgres@127.0.0.1:55432/postgres?sslmode=disable
// (scripts/start-postgres.sh starts one and prints it). The user must be
// allowed to create schemas. Without it the tests skip, unless
// GLACIERD_REQUIRE_INTEGRATION=1, which makes a skip a failure.
const (
	envURL     = "GLACIERD_TEST_POSTGRES"
	envRequire = "GLACIERD_REQUIRE_INTEGRATION"
)

// serverURL returns the test server's URL, or skips (or fails) t.
func serverURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv(envURL)
	if u == "" {
		if os.Getenv(envRequire) == "1" {
			t.Fatalf("%s is not set, and %s=1 forbids skipping: start a server with scripts/start-postgres.sh DIR PORT and export the URL it prints",
				envURL, envRequire)
		}
		t.Skipf("%s is not set; start a server with scripts/start-postgres.sh DIR PORT and export the URL it prints", envURL)
	}
	return u
}

// withSearchPath returns base with its search_path set to schema.
func withSearchPath(t testing.TB, base, schema string) string {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("%s must be a postgres:// URL: %q", envURL, base)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// adminExec runs statements on the test server in a connection of its own.
func adminExec(t testing.TB, ctx context.Context, stmts ...string) {
	t.Helper()
	conn, err := pgx.Connect(ctx, serverURL(t))
	if err != nil {
		t.Fatalf("connecting to %s: %v", envURL, err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	for _, s := range stmts {
		if _, err := conn.Exec(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// newSchema creates a uniquely named, empty schema, dropped when t ends, and
// returns a URL of the test server that selects it.
func newSchema(t testing.TB) (string, string) {
	t.Helper()
	base := serverURL(t)
	name := "glacierd_test_" + strings.ToLower(rand.Text())
	ident := pgx.Identifier{name}.Sanitize()
	adminExec(t, t.Context(), "CREATE SCHEMA "+ident)
	t.Cleanup(func() {
		// t.Context is done by now.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		adminExec(t, ctx, "DROP SCHEMA "+ident+" CASCADE")
	})
	return withSearchPath(t, base, name), name
}

// openURL opens a store at u, closed when t ends.
func openURL(t testing.TB, u string) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(t.Context(), u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// open opens a store on a fresh schema.
func open(t testing.TB) *postgres.Store {
	t.Helper()
	u, _ := newSchema(t)
	return openURL(t, u)
}

func TestMeta(t *testing.T) {
	serverURL(t)
	storetest.Meta(t, func(t *testing.T) glacier.MetaStore { return open(t) })
}

package sqlmeta

// Dialect is what the statements of Tx leave to the database: the few
// things that SQLite and PostgreSQL spell differently. The placeholder
// syntax is not among them: statements use ?, and the Executor of a
// database that numbers its parameters rewrites them.
type Dialect struct {
	// Name prefixes the errors that Tx makes itself: "sqlite", "postgres".
	Name string
	// NoLimit is the LIMIT argument that means no limit: -1 in SQLite; NULL
	// (nil) in PostgreSQL, which refuses a negative one.
	NoLimit any
	// Greatest is the function that returns the larger of two values: max
	// in SQLite, greatest in PostgreSQL.
	Greatest string
	// Unfinalized is the condition on jobs that selects the jobs not yet
	// finalized, spelt as the predicate of the partial index
	// jobs_unfinalized so that the planner uses it: "finalized = 0" in
	// SQLite (an INTEGER column), "NOT finalized" in PostgreSQL (BOOLEAN).
	Unfinalized string
	// DeleteInWith is set when a DELETE … RETURNING may stand in a WITH
	// query (PostgreSQL): DeleteJobs then deletes and returns the jobs in one
	// statement. Otherwise (SQLite) it selects them, then deletes them one
	// by one.
	DeleteInWith bool
}

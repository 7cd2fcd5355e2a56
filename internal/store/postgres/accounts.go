package postgres

// accountsQuery lists the accounts that own any record. Every account
// column is COLLATE "C", so the union sorts bytewise.
const accountsQuery = "SELECT account FROM vaults UNION SELECT account FROM capacities" +
	" UNION SELECT account FROM retrieval_policies ORDER BY 1"

// Accounts returns every account with a vault, a capacity unit or a
// retrieval policy, in bytewise order.
func (t *tx) Accounts() ([]string, error) {
	return collect(t, "accounts", func(a *string) func(scanner) error {
		return func(s scanner) error { return s.Scan(a) }
	}, accountsQuery)
}

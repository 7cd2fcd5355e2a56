package sqlite

// accountsQuery lists the accounts that own any record. SQLite compares
// TEXT with the BINARY collation, so the order is bytewise.
const accountsQuery = "SELECT account FROM vaults UNION SELECT account FROM capacities" +
	" UNION SELECT account FROM retrieval_policies ORDER BY 1"

// Accounts returns every account with a vault, a capacity unit or a
// retrieval policy, in bytewise order.
func (t *tx) Accounts() ([]string, error) {
	var out []string
	err := t.queryRows("accounts", func(s scanner) error {
		var a string
		if err := s.Scan(&a); err != nil {
			return err
		}
		out = append(out, a)
		return nil
	}, accountsQuery)
	return out, err
}

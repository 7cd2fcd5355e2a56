package sqlmeta

import (
	"fmt"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

const vaultCols = "account, name, created_at, archives, bytes, last_write_at, " +
	"inventory_at, inventory_archives, inventory_bytes"

func scanVault(v *glacier.Vault) func(Scanner) error {
	return func(s Scanner) error {
		return s.Scan(&v.Account, &v.Name, timeDest{&v.CreatedAt}, &v.Archives, &v.Bytes,
			timeDest{&v.LastWriteAt}, timeDest{&v.InventoryAt}, &v.InventoryArchives, &v.InventoryBytes)
	}
}

// Vault returns the vault, or an error of KindNotFound.
func (t *Tx) Vault(account, name string) (glacier.Vault, error) {
	return get(t, "vault", fmt.Sprintf("vault %s not found", name), scanVault,
		"SELECT "+vaultCols+" FROM vaults WHERE account = ? AND name = ?", account, name)
}

// PutVault inserts or replaces the vault.
func (t *Tx) PutVault(v glacier.Vault) error {
	_, err := t.exec("put vault", upsert("vaults", "account, name", vaultCols),
		v.Account, v.Name, enc(v.CreatedAt), v.Archives, v.Bytes,
		enc(v.LastWriteAt), enc(v.InventoryAt), v.InventoryArchives, v.InventoryBytes)
	return err
}

// DeleteVault deletes the vault and its archives, uploads, parts, jobs and
// configuration.
func (t *Tx) DeleteVault(account, name string) error {
	stmts := []string{
		"DELETE FROM parts WHERE upload_id IN (SELECT id FROM uploads WHERE account = ? AND vault = ?)",
		"DELETE FROM uploads WHERE account = ? AND vault = ?",
		"DELETE FROM jobs WHERE account = ? AND vault = ?",
		"DELETE FROM vault_configs WHERE account = ? AND vault = ?",
		"DELETE FROM archives WHERE account = ? AND vault = ?",
		"DELETE FROM vaults WHERE account = ? AND name = ?",
	}
	for _, q := range stmts {
		if _, err := t.exec("delete vault", q, account, name); err != nil {
			return err
		}
	}
	return nil
}

// Vaults returns up to n vaults of the account named after after, in
// bytewise name order.
func (t *Tx) Vaults(account, after string, n int) ([]glacier.Vault, error) {
	return collect(t, "vaults", scanVault,
		"SELECT "+vaultCols+" FROM vaults WHERE account = ? AND name > ? ORDER BY name LIMIT ?",
		account, after, t.limit(n))
}

// CountVaults returns the number of vaults of the account.
func (t *Tx) CountVaults(account string) (int, error) {
	var n int
	err := t.queryRow("count vaults", "", func(s Scanner) error { return s.Scan(&n) },
		"SELECT count(*) FROM vaults WHERE account = ?", account)
	return n, err
}

// DueInventories returns up to n vaults written since their last inventory
// whose last inventory (or creation) is at or before at, in no particular
// order.
func (t *Tx) DueInventories(at time.Time, n int) ([]glacier.Vault, error) {
	// The expression and condition are those of index vaults_inventory_due.
	return collect(t, "due inventories", scanVault,
		"SELECT "+vaultCols+" FROM vaults WHERE last_write_at > inventory_at"+
			" AND (CASE inventory_at WHEN 0 THEN created_at ELSE inventory_at END) <= ? LIMIT ?",
		enc(at), t.limit(n))
}

// accountsQuery lists the accounts that own any record, in bytewise order:
// SQLite compares TEXT with the BINARY collation, and in PostgreSQL every
// account column is COLLATE "C".
const accountsQuery = "SELECT account FROM vaults UNION SELECT account FROM capacities" +
	" UNION SELECT account FROM retrieval_policies ORDER BY 1"

// Accounts returns every account with a vault, a capacity unit or a
// retrieval policy, in bytewise order.
func (t *Tx) Accounts() ([]string, error) {
	return collect(t, "accounts", scanString, accountsQuery)
}

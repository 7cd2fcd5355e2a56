package postgres

import (
	"fmt"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

const vaultCols = "account, name, created_at, archives, bytes, last_write_at, " +
	"inventory_at, inventory_archives, inventory_bytes"

func scanVault(v *glacier.Vault) func(scanner) error {
	return func(s scanner) error {
		return s.Scan(&v.Account, &v.Name, timeDest{&v.CreatedAt}, &v.Archives, &v.Bytes,
			timeDest{&v.LastWriteAt}, timeDest{&v.InventoryAt}, &v.InventoryArchives, &v.InventoryBytes)
	}
}

// Vault returns the vault, or an error of KindNotFound.
func (t *tx) Vault(account, name string) (glacier.Vault, error) {
	var v glacier.Vault
	err := t.queryRow("vault", fmt.Sprintf("vault %s not found", name), scanVault(&v),
		"SELECT "+vaultCols+" FROM vaults WHERE account = $1 AND name = $2", account, name)
	return v, err
}

// PutVault inserts or replaces the vault.
func (t *tx) PutVault(v glacier.Vault) error {
	_, err := t.exec("put vault", upsert("vaults", "account, name", vaultCols),
		v.Account, v.Name, enc(v.CreatedAt), v.Archives, v.Bytes,
		enc(v.LastWriteAt), enc(v.InventoryAt), v.InventoryArchives, v.InventoryBytes)
	return err
}

// DeleteVault deletes the vault and its archives, uploads, parts, jobs and
// configuration.
func (t *tx) DeleteVault(account, name string) error {
	stmts := []string{
		"DELETE FROM parts WHERE upload_id IN (SELECT id FROM uploads WHERE account = $1 AND vault = $2)",
		"DELETE FROM uploads WHERE account = $1 AND vault = $2",
		"DELETE FROM jobs WHERE account = $1 AND vault = $2",
		"DELETE FROM vault_configs WHERE account = $1 AND vault = $2",
		"DELETE FROM archives WHERE account = $1 AND vault = $2",
		"DELETE FROM vaults WHERE account = $1 AND name = $2",
	}
	for _, q := range stmts {
		if _, err := t.exec("delete vault", q, account, name); err != nil {
			return err
		}
	}
	return nil
}

// Vaults returns up to limit vaults of the account named after after, in
// bytewise name order.
func (t *tx) Vaults(account, after string, n int) ([]glacier.Vault, error) {
	return collect(t, "vaults", scanVault,
		"SELECT "+vaultCols+" FROM vaults WHERE account = $1 AND name > $2 ORDER BY name LIMIT $3",
		account, after, limit(n))
}

// CountVaults returns the number of vaults of the account.
func (t *tx) CountVaults(account string) (int, error) {
	var n int
	err := t.queryRow("count vaults", "", func(s scanner) error { return s.Scan(&n) },
		"SELECT count(*) FROM vaults WHERE account = $1", account)
	return n, err
}

// DueInventories returns up to n vaults written since their last inventory
// whose last inventory (or creation) is at or before t, in no particular order.
func (t *tx) DueInventories(at time.Time, n int) ([]glacier.Vault, error) {
	// The expression and condition are those of index vaults_inventory_due.
	return collect(t, "due inventories", scanVault,
		"SELECT "+vaultCols+" FROM vaults WHERE last_write_at > inventory_at"+
			" AND (CASE inventory_at WHEN 0 THEN created_at ELSE inventory_at END) <= $1 LIMIT $2",
		enc(at), limit(n))
}

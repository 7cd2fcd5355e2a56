package sqlmeta

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

// Migration is one schema migration of a store, a file
// migrations/NNNN_name.sql of its embedded file system. Each store applies
// its own migrations in its own way; they share only how the files are
// named and ordered.
type Migration struct {
	Version int    // NNNN, positive
	Name    string // the file's path in the file system
}

// Migrations returns the migrations in fsys, migrations/*.sql, in version
// order. It fails when a name does not start with a positive version number,
// when two files share a version or when there are none. store prefixes
// the errors: "sqlite", "postgres".
func Migrations(fsys fs.FS, store string) ([]Migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []Migration
	for _, name := range names {
		base := path.Base(name)
		prefix, _, _ := strings.Cut(base, "_")
		v, err := strconv.Atoi(prefix)
		if err != nil || v <= 0 {
			return nil, fmt.Errorf("%s: migration %s: name must start with a positive version number", store, base)
		}
		ms = append(ms, Migration{Version: v, Name: name})
	}
	slices.SortFunc(ms, func(a, b Migration) int { return a.Version - b.Version })
	for i := 1; i < len(ms); i++ {
		if ms[i-1].Version == ms[i].Version {
			return nil, fmt.Errorf("%s: migrations %s and %s share a version", store, ms[i-1].Name, ms[i].Name)
		}
	}
	if len(ms) == 0 {
		return nil, fmt.Errorf("%s: no migrations embedded", store)
	}
	return ms, nil
}

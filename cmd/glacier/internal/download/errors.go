package download

import (
	"fmt"
	"strings"

	"github.com/glacierd/glacierd/internal/units"
)

// SpaceError is a download the file system has no room for, found before
// anything was written.
type SpaceError struct {
	Path       string // the output
	Dir        string // where its partial file goes
	Need, Free int64
}

// Error says how much room is missing.
func (e *SpaceError) Error() string {
	return fmt.Sprintf("not enough disk space for %s: %s more to download, but %s has only %s free; free some space (or download elsewhere) and run the command again",
		e.Path, units.Format(e.Need), e.Dir, units.Format(e.Free))
}

// RangeError is a range whose data does not match the tree hash Glacier
// sent with it.
type RangeError struct {
	Range     Range
	Got, Want string
}

// Error names the range and both hashes.
func (e *RangeError) Error() string {
	return fmt.Sprintf("%s: the data received hashes to %s, but Glacier sent tree hash %s", e.Range, e.Got, e.Want)
}

// CorruptError is a download that failed verification: some ranges did not
// match their tree hashes (Ranges), or the whole output did not match the
// job's (Got, Want). The data stays in Path for inspection, and running the
// download again fetches the bad parts again.
type CorruptError struct {
	Path      string
	Ranges    []RangeError
	Got, Want string
}

// Error explains what failed and how to recover.
func (e *CorruptError) Error() string {
	var b strings.Builder
	if len(e.Ranges) > 0 {
		fmt.Fprintf(&b, "corrupted download: %d range(s) failed tree-hash verification:", len(e.Ranges))
		for _, r := range e.Ranges {
			b.WriteString("\n  " + r.Error())
		}
		fmt.Fprintf(&b, "\nthe data is kept in %s; run the command again to fetch the bad range(s) again", e.Path)
		return b.String()
	}
	return fmt.Sprintf("corrupted download: the data received has tree hash %s, but the job's is %s\n"+
		"the data is kept in %s; run the command again to download it again", e.Got, e.Want, e.Path)
}

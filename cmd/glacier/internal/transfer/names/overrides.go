package names

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ParseOverrides reads the override CSV: one "archive ID,key" record per
// line, keys relative to the destination prefix. A first record whose first
// field is "ArchiveId" or "archive_id" (any case) is a header. An archive
// listed twice is an error.
func ParseOverrides(r io.Reader) (map[string]string, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 2
	cr.Comment = '#'
	out := map[string]string{}
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("override CSV: %w", err)
		}
		id := strings.TrimSpace(rec[0])
		if line == 1 && (strings.EqualFold(id, "ArchiveId") || strings.EqualFold(id, "archive_id")) {
			continue
		}
		if _, dup := out[id]; dup {
			return nil, fmt.Errorf("override CSV: archive %s listed twice", id)
		}
		out[id] = rec[1]
	}
}

// Package dirfiles lists the files of a directory tree to upload as
// archives, each with a description derived from its path.
package dirfiles

import (
	"io/fs"
	"path/filepath"
	"strconv"
)

// File is a regular file under the root.
type File struct {
	Path        string // as found under the root given to List
	Rel         string // relative to the root, with / separators
	Size        int64
	Description string // Rel, with characters outside printable ASCII escaped Go-style
}

// Skipped is a directory entry List leaves out, and why.
type Skipped struct {
	Path   string
	Reason string
}

// List walks root and returns its non-empty regular files in lexical order,
// and what it skipped: symbolic links (not followed), devices, sockets and
// pipes, and empty files (Glacier archives hold at least one byte).
func List(root string) ([]File, []Skipped, error) {
	var files []File
	var skipped []Skipped
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			reason := "not a regular file"
			if d.Type()&fs.ModeSymlink != 0 {
				reason = "symbolic link (not followed)"
			}
			skipped = append(skipped, Skipped{path, reason})
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.Size() == 0 {
			skipped = append(skipped, Skipped{path, "empty (an archive holds at least one byte)"})
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		files = append(files, File{Path: path, Rel: rel, Size: info.Size(), Description: Describe(rel)})
		return nil
	})
	return files, skipped, err
}

// Describe makes s a valid Glacier archive description: printable ASCII,
// other characters escaped Go-style (é becomes \u00e9), at most 1,024
// characters (longer ones keep their end, the more specific part).
func Describe(s string) string {
	for _, r := range s {
		if r < 32 || r > 126 {
			q := strconv.QuoteToASCII(s)
			s = q[1 : len(q)-1]
			break
		}
	}
	if len(s) > 1024 {
		s = s[len(s)-1024:]
	}
	return s
}

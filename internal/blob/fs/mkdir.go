package fs

import (
	"errors"
	iofs "io/fs"
	"os"
	"path/filepath"
)

// MkdirAll creates dir and any missing parents, as os.MkdirAll does, and
// makes each directory it creates durable by syncing its parent: without
// that, a power cut soon after the first start can take away a data
// directory, and the acknowledged archives in it, whose contents were all
// synced.
func MkdirAll(dir string, perm os.FileMode) error {
	dir = filepath.Clean(dir)
	fi, err := os.Stat(dir)
	if err == nil {
		if !fi.IsDir() {
			return &os.PathError{Op: "mkdir", Path: dir, Err: errors.New("not a directory")}
		}
		return nil
	}
	if !errors.Is(err, iofs.ErrNotExist) {
		return err
	}
	parent := filepath.Dir(dir)
	if parent != dir {
		if err := MkdirAll(parent, perm); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, perm); err != nil {
		if errors.Is(err, iofs.ErrExist) {
			return nil // made meanwhile by someone else, who syncs it
		}
		return err
	}
	return syncPath(parent)
}

// syncPath fsyncs the directory at path.
func syncPath(path string) error {
	d, err := os.Open(path)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

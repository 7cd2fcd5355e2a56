package fs

import (
	"errors"
	"fmt"
	iofs "io/fs"
	"path"
	"strings"
)

// Key limits; see glacier.BlobStore. A segment of 200 bytes plus the suffix
// stays well under the usual 255-byte limit of a file name.
const (
	maxKeyLen     = 1024
	maxSegmentLen = 200
)

// blobName returns the root-relative file name of key's blob, or an error if
// key is not a valid blob key.
func blobName(key string) (string, error) {
	if err := validKey(key); err != nil {
		return "", err
	}
	return blobsDir + "/" + key + blobSuffix, nil
}

// validKey accepts keys of 1 to maxKeyLen bytes made of [A-Za-z0-9_-]
// segments of 1 to maxSegmentLen bytes separated by single slashes. This
// rules out absolute paths, ".." and empty segments.
func validKey(key string) error {
	if key == "" || len(key) > maxKeyLen {
		return fmt.Errorf("blob store: invalid key %q: length %d not in [1, %d]", key, len(key), maxKeyLen)
	}
	for seg := range strings.SplitSeq(key, "/") {
		if seg == "" || len(seg) > maxSegmentLen {
			return fmt.Errorf("blob store: invalid key %q: segment length %d not in [1, %d]", key, len(seg), maxSegmentLen)
		}
		for i := range len(seg) {
			c := seg[i]
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
				return fmt.Errorf("blob store: invalid key %q: byte %q not allowed", key, c)
			}
		}
	}
	return nil
}

// mkdir creates the root-relative directory name unless it exists and, when
// it creates it, syncs its parent so that the new entry is durable.
func (s *Store) mkdir(name string) error {
	err := s.root.Mkdir(name, dirPerm)
	if errors.Is(err, iofs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return s.syncDir(path.Dir(name))
}

// mkdirs creates the root-relative directory dir under blobs and its missing
// parents, each durably, and returns once all of dir's ancestors are durable.
func (s *Store) mkdirs(dir string) error {
	s.dirMu.Lock()
	defer s.dirMu.Unlock()
	// Directories are only created under dirMu, and synced before it is
	// released, so one that exists now is durable.
	if fi, err := s.root.Stat(dir); err == nil && fi.IsDir() {
		return nil
	}
	rel := strings.TrimPrefix(dir, blobsDir+"/")
	p := blobsDir
	for seg := range strings.SplitSeq(rel, "/") {
		p += "/" + seg
		if err := s.mkdir(p); err != nil {
			return err
		}
	}
	return nil
}

// syncDir fsyncs the root-relative directory name, making the creation,
// renaming or removal of its entries durable.
func (s *Store) syncDir(name string) error {
	d, err := s.root.Open(name)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

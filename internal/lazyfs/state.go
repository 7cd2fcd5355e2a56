package lazyfs

import (
	"errors"
	"fmt"
	iofs "io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
)

// state is the bookkeeping of an FS: which file is where now, and what is
// durable. Paths are slash-separated and relative to the root, which is "".
// Files are known by an ID that follows them through renames; the ID names
// the file's shadow copy. The caller serializes every method.
type state struct {
	backing, shadow string
	nextID          uint64
	cur             map[string]uint64      // regular file → ID, as the backing directory holds them now
	synced          map[string]*dirEntries // directory → its entries at its last fsync; every durable directory has one
	dirty           map[uint64]spans       // ID → ranges written or cut off since its last sync
	curRefs         map[uint64]int         // ID → names in cur
	durRefs         map[uint64]int         // ID → names in synced
	last            lastWrite              // the last write not yet synced, for tearing
	stats           Stats
}

// dirEntries is a directory's entries.
type dirEntries struct {
	files map[string]uint64
	dirs  map[string]bool
}

func newEntries() *dirEntries {
	return &dirEntries{files: map[string]uint64{}, dirs: map[string]bool{}}
}

// lastWrite is a write of n bytes at off to file id.
type lastWrite struct {
	id     uint64
	off, n int64
}

// newState takes everything in backing as durable, copying each file to
// the (empty) shadow directory.
func newState(backing, shadow string) (*state, error) {
	s := &state{backing: backing, shadow: shadow, cur: map[string]uint64{}, synced: map[string]*dirEntries{},
		dirty: map[uint64]spans{}, curRefs: map[uint64]int{}, durRefs: map[uint64]int{}}
	err := filepath.WalkDir(backing, func(p string, d iofs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(backing, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if rel == "." {
			s.synced[""] = newEntries()
			return nil
		}
		dir, name := split(rel)
		switch {
		case d.IsDir():
			s.synced[dir].dirs[name] = true
			s.synced[rel] = newEntries()
		case d.Type().IsRegular():
			id := s.newFile(rel)
			s.synced[dir].files[name] = id
			s.durRefs[id]++
			return copyFile(s.shadowPath(id), p)
		default:
			return fmt.Errorf("lazyfs: %s: only regular files and directories are supported", p)
		}
		return nil
	})
	return s, err
}

// split returns the directory and the name of a path.
func split(p string) (dir, name string) {
	dir, name = path.Split(p)
	return path.Clean("/" + dir)[1:], name
}

func (s *state) real(p string) string { return filepath.Join(s.backing, filepath.FromSlash(p)) }

func (s *state) shadowPath(id uint64) string {
	return filepath.Join(s.shadow, strconv.FormatUint(id, 10))
}

// newFile gives the file now at p a new ID and an empty shadow.
func (s *state) newFile(p string) uint64 {
	s.nextID++
	id := s.nextID
	s.cur[p] = id
	s.curRefs[id]++
	return id
}

// live reports whether file id has a name, now or durably.
func (s *state) live(id uint64) bool { return s.curRefs[id] > 0 || s.durRefs[id] > 0 }

// drop forgets file id if it has no name left, now or durably.
func (s *state) drop(id uint64) {
	if s.live(id) {
		return
	}
	delete(s.curRefs, id)
	delete(s.durRefs, id)
	delete(s.dirty, id)
	if s.last.id == id {
		s.last = lastWrite{}
	}
	_ = os.Remove(s.shadowPath(id))
}

// created records that p was created (or opened with O_CREAT) and returns
// its ID. A new file's durable contents are empty.
func (s *state) created(p string) (uint64, error) {
	if id, ok := s.cur[p]; ok {
		return id, nil
	}
	id := s.newFile(p)
	f, err := os.OpenFile(s.shadowPath(id), os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return 0, err
	}
	return id, f.Close()
}

// opened returns the ID of the file at p.
func (s *state) opened(p string) (uint64, error) {
	if id, ok := s.cur[p]; ok {
		return id, nil
	}
	return 0, fmt.Errorf("lazyfs: %s is not a file lazyfs knows", p)
}

// wrote records a write of n bytes at off.
func (s *state) wrote(id uint64, off, n int64) {
	if !s.live(id) || n <= 0 {
		return
	}
	s.dirty[id] = s.dirty[id].add(off, off+n)
	s.last = lastWrite{id, off, n}
	s.stats.Writes++
}

// truncated records that the file's size was set to size (or that its
// contents from size on may have changed, as by fallocate).
func (s *state) truncated(id uint64, size int64) {
	if !s.live(id) {
		return
	}
	s.dirty[id] = s.dirty[id].add(size, toEnd)
	s.stats.Writes++
}

// syncFile makes file id's current contents, read from src, durable.
func (s *state) syncFile(id uint64, src source) error {
	s.stats.FileSyncs++
	rs := s.dirty[id]
	if !s.live(id) || len(rs) == 0 {
		return nil
	}
	sh, err := os.OpenFile(s.shadowPath(id), os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer sh.Close()
	if err := copySpans(sh, src, rs); err != nil {
		return fmt.Errorf("lazyfs: sync file %d: %w", id, err)
	}
	delete(s.dirty, id)
	if s.last.id == id {
		s.last = lastWrite{}
	}
	return nil
}

// renamed records the rename of file src to dst.
func (s *state) renamed(src, dst string) {
	id, ok := s.cur[src]
	if !ok || src == dst {
		return
	}
	s.unlinked(dst)
	delete(s.cur, src)
	s.cur[dst] = id
}

// unlinked records the removal of file p.
func (s *state) unlinked(p string) {
	id, ok := s.cur[p]
	if !ok {
		return
	}
	delete(s.cur, p)
	s.curRefs[id]--
	s.drop(id)
}

// syncDir makes directory d's current entries durable (its own name
// becomes durable when its parent is synced).
func (s *state) syncDir(d string) error {
	s.stats.DirSyncs++
	ents, err := os.ReadDir(s.real(d))
	if err != nil {
		return err
	}
	nw := newEntries()
	for _, e := range ents {
		p := path.Join(d, e.Name())
		switch {
		case e.IsDir():
			nw.dirs[e.Name()] = true
			if s.synced[p] == nil {
				s.synced[p] = newEntries()
			}
		case e.Type().IsRegular():
			if id, ok := s.cur[p]; ok {
				nw.files[e.Name()] = id
				s.durRefs[id]++
			}
		}
	}
	old := s.synced[d]
	s.synced[d] = nw
	if old == nil {
		return nil
	}
	for _, id := range old.files {
		s.durRefs[id]--
		s.drop(id)
	}
	for name := range old.dirs {
		if !nw.dirs[name] {
			s.forgetDir(path.Join(d, name))
		}
	}
	return nil
}

// forgetDir drops the synced entries of directory d and of the directories
// under it, which syncing d's parent has durably removed.
func (s *state) forgetDir(d string) {
	e := s.synced[d]
	if e == nil {
		return
	}
	delete(s.synced, d)
	for _, id := range e.files {
		s.durRefs[id]--
		s.drop(id)
	}
	for name := range e.dirs {
		s.forgetDir(path.Join(d, name))
	}
}

// copyFile copies the file src to dst.
func copyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_RDWR|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	err = copySpans(out, osSource{in}, spans{{0, toEnd}})
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

// source is what copySpans copies from.
type source interface {
	ReadAt(p []byte, off int64) (int, error)
	Size() (int64, error)
}

type osSource struct{ *os.File }

func (s osSource) Size() (int64, error) {
	fi, err := s.Stat()
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// copySpans makes dst equal to src in the ranges rs, and as long as src.
func copySpans(dst *os.File, src source, rs spans) error {
	size, err := src.Size()
	if err != nil {
		return err
	}
	buf := make([]byte, 256<<10)
	for _, r := range rs {
		for off := r.off; off < min(r.end, size); {
			n := min(int64(len(buf)), min(r.end, size)-off)
			got, err := src.ReadAt(buf[:n], off)
			if got < int(n) {
				if err == nil {
					err = errors.New("short read")
				}
				return err
			}
			if _, err := dst.WriteAt(buf[:n], off); err != nil {
				return err
			}
			off += n
		}
	}
	return dst.Truncate(size)
}

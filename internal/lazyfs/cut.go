package lazyfs

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// CutReport says what a power cut threw away.
type CutReport struct {
	Reverted    int   // files whose unsynced writes were undone
	Removed     int   // file names removed (never durable, or durable under another ID)
	Restored    int   // durable file names brought back from their shadow copies
	RemovedDirs int   // directories removed (their names were never durable)
	Torn        int64 // bytes of the last unsynced write that were kept (a torn write)
}

// cut rewrites the backing directory to the durable state and makes that
// the only state. With r, it keeps a prefix of the last unsynced write,
// ending at a 512-byte boundary r picks.
func (s *state) cut(r *rand.Rand) (CutReport, error) {
	var rep CutReport
	tornID, tornOff, torn, err := s.tear(r)
	if err != nil {
		return rep, err
	}
	files, dirs := s.durable()
	for p, id := range s.cur {
		if did, ok := files[p]; ok && did == id {
			if rs := s.dirty[id]; len(rs) > 0 {
				if err := s.revert(p, id, rs); err != nil {
					return rep, err
				}
				rep.Reverted++
			}
			continue
		}
		if err := os.Remove(s.real(p)); err != nil {
			return rep, fmt.Errorf("lazyfs: cut: %w", err)
		}
		rep.Removed++
	}
	if rep.RemovedDirs, err = s.cutDirs(dirs); err != nil {
		return rep, err
	}
	cur, err := s.restore(files, &rep)
	if err != nil {
		return rep, err
	}
	s.reset(cur, dirs)
	if torn != nil {
		for p, id := range s.cur {
			if id == tornID {
				if err := s.applyTorn(p, id, tornOff, torn); err != nil {
					return rep, err
				}
				rep.Torn = int64(len(torn))
			}
		}
	}
	s.stats.Cuts++
	return rep, s.removeDeadShadows()
}

// durable returns the durable files (path → ID) and directories.
func (s *state) durable() (map[string]uint64, map[string]bool) {
	files, dirs := map[string]uint64{}, map[string]bool{}
	var walk func(d string)
	walk = func(d string) {
		e := s.synced[d]
		if e == nil {
			return
		}
		dirs[d] = true
		for name, id := range e.files {
			files[joinRel(d, name)] = id
		}
		for name := range e.dirs {
			walk(joinRel(d, name))
		}
	}
	walk("")
	return files, dirs
}

func joinRel(d, name string) string {
	if d == "" {
		return name
	}
	return d + "/" + name
}

// tear picks the part of the last unsynced write that a cut keeps: the
// bytes from its start to a 512-byte boundary inside it. It returns nil
// when there is no such write, no boundary falls inside it, or r is nil.
func (s *state) tear(r *rand.Rand) (uint64, int64, []byte, error) {
	w := s.last
	if r == nil || w.id == 0 || !s.live(w.id) {
		return 0, 0, nil, nil
	}
	first := (w.off/512 + 1) * 512
	if first >= w.off+w.n {
		return 0, 0, nil, nil
	}
	end := first + 512*r.Int64N((w.off+w.n-1-first)/512+1)
	for p, id := range s.cur {
		if id != w.id {
			continue
		}
		f, err := os.Open(s.real(p))
		if err != nil {
			return 0, 0, nil, err
		}
		defer f.Close()
		b := make([]byte, end-w.off)
		n, _ := f.ReadAt(b, w.off)
		return w.id, w.off, b[:n], nil
	}
	return 0, 0, nil, nil
}

// revert undoes the unsynced changes rs of file id at p.
func (s *state) revert(p string, id uint64, rs spans) error {
	sh, err := os.Open(s.shadowPath(id))
	if err != nil {
		return err
	}
	defer sh.Close()
	f, err := os.OpenFile(s.real(p), os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = copySpans(f, osSource{sh}, rs)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("lazyfs: cut: revert %s: %w", p, err)
	}
	return nil
}

// cutDirs removes the directories that are not durable, then creates the
// durable ones that are missing.
func (s *state) cutDirs(dirs map[string]bool) (int, error) {
	var gone []string
	err := filepath.WalkDir(s.backing, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(s.backing, p)
		if err != nil {
			return err
		}
		if rel = filepath.ToSlash(rel); rel == "." {
			rel = ""
		}
		if !dirs[rel] {
			gone = append(gone, p)
			return filepath.SkipDir
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("lazyfs: cut: %w", err)
	}
	for _, p := range gone {
		if err := os.RemoveAll(p); err != nil {
			return 0, fmt.Errorf("lazyfs: cut: %w", err)
		}
	}
	want := make([]string, 0, len(dirs))
	for d := range dirs {
		want = append(want, d)
	}
	slices.SortFunc(want, func(a, b string) int { return strings.Count(a, "/") - strings.Count(b, "/") })
	for _, d := range want {
		if err := os.Mkdir(s.real(d), 0o750); err != nil && !os.IsExist(err) {
			return 0, fmt.Errorf("lazyfs: cut: %w", err)
		}
	}
	return len(gone), nil
}

// restore brings back, from their shadow copies, the durable files the
// backing directory lacks, and returns the new map of files. A file durable
// under two names (renamed, and both directories synced) becomes two files.
func (s *state) restore(files map[string]uint64, rep *CutReport) (map[string]uint64, error) {
	cur, used := map[string]uint64{}, map[uint64]bool{}
	var missing []string
	for p, id := range files {
		if cid, ok := s.cur[p]; ok && cid == id {
			cur[p], used[id] = id, true
		} else {
			missing = append(missing, p)
		}
	}
	slices.Sort(missing)
	for _, p := range missing {
		id := files[p]
		if used[id] {
			s.nextID++
			if err := copyFile(s.shadowPath(s.nextID), s.shadowPath(id)); err != nil {
				return nil, fmt.Errorf("lazyfs: cut: %w", err)
			}
			id = s.nextID
		}
		if err := copyFile(s.real(p), s.shadowPath(id)); err != nil {
			return nil, fmt.Errorf("lazyfs: cut: restore %s: %w", p, err)
		}
		cur[p], used[id] = id, true
		rep.Restored++
	}
	return cur, nil
}

// reset makes cur, in the directories dirs, the current and the durable
// state.
func (s *state) reset(cur map[string]uint64, dirs map[string]bool) {
	s.cur, s.synced = cur, map[string]*dirEntries{}
	s.curRefs, s.durRefs, s.dirty = map[uint64]int{}, map[uint64]int{}, map[uint64]spans{}
	s.last = lastWrite{}
	for d := range dirs {
		s.synced[d] = newEntries()
	}
	for d := range dirs {
		if d != "" {
			parent, name := split(d)
			s.synced[parent].dirs[name] = true
		}
	}
	for p, id := range cur {
		dir, name := split(p)
		s.synced[dir].files[name] = id
		s.curRefs[id]++
		s.durRefs[id]++
	}
}

// applyTorn writes the kept part of a torn write to file id at p, and to
// its shadow: after the cut it is on the disk.
func (s *state) applyTorn(p string, id uint64, off int64, b []byte) error {
	for _, name := range []string{s.real(p), s.shadowPath(id)} {
		f, err := os.OpenFile(name, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		_, err = f.WriteAt(b, off)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("lazyfs: cut: tear %s: %w", p, err)
		}
	}
	return nil
}

// removeDeadShadows removes the shadow copies of files that no longer
// exist.
func (s *state) removeDeadShadows() error {
	ents, err := os.ReadDir(s.shadow)
	if err != nil {
		return err
	}
	for _, e := range ents {
		var id uint64
		if _, err := fmt.Sscan(e.Name(), &id); err == nil && s.live(id) {
			continue
		}
		if err := os.Remove(filepath.Join(s.shadow, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

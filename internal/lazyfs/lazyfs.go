package lazyfs

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"
)

// FS is a mounted lazyfs.
type FS struct {
	mountpoint string
	server     *fuse.Server

	// mu serializes every operation that changes files or their names, with
	// the bookkeeping it updates.
	mu sync.Mutex
	st *state
}

// Stats counts the operations an FS has seen.
type Stats struct {
	Writes    int // writes, truncations and allocations
	FileSyncs int // fsync and fdatasync of files
	DirSyncs  int // fsync of directories
	Cuts      int
}

// Available reports why lazyfs cannot be mounted here, or nil if it can.
func Available() error {
	if _, err := os.Stat("/dev/fuse"); err != nil {
		return fmt.Errorf("lazyfs needs /dev/fuse: %w", err)
	}
	if os.Geteuid() != 0 {
		return errors.New("lazyfs mounts with mount(2), which needs root")
	}
	return nil
}

// Mount mounts at mountpoint a lazyfs of the directory backing, keeping
// its durable copies in the directory shadow (which must be empty and
// outside backing). Everything already in backing is taken as durable.
// Unmount it when done.
func Mount(mountpoint, backing, shadow string) (*FS, error) {
	st, err := newState(backing, shadow)
	if err != nil {
		return nil, fmt.Errorf("lazyfs: %w", err)
	}
	var sb syscall.Stat_t
	if err := syscall.Stat(backing, &sb); err != nil {
		return nil, fmt.Errorf("lazyfs: %w", err)
	}
	l := &FS{mountpoint: mountpoint, st: st}
	lroot := &fs.LoopbackRoot{Path: backing, Dev: uint64(sb.Dev)}
	root := &node{LoopbackNode: &fs.LoopbackNode{RootData: lroot}, lfs: l}
	lroot.RootNode = root
	// No caching in the kernel beyond an open file: a cut changes files
	// behind its back. (Without FOPEN_KEEP_CACHE, every open drops the
	// file's cached pages.)
	var zero time.Duration
	server, err := fs.Mount(mountpoint, root, &fs.Options{
		EntryTimeout: &zero, AttrTimeout: &zero, NegativeTimeout: &zero,
		MountOptions: fuse.MountOptions{
			FsName: "lazyfs", Name: "lazyfs", DirectMount: true, DirectMountStrict: true,
			DisableXAttrs: true,
		},
	})
	if err != nil {
		return nil, fmt.Errorf("lazyfs: mount %s: %w", mountpoint, err)
	}
	l.server = server
	return l, nil
}

// Unmount unmounts the file system; its files must be closed.
func (l *FS) Unmount() error { return l.server.Unmount() }

// Cut simulates a power cut: the mount's files, names and directories
// become what was durable, and that becomes the durable state. With r, a
// prefix of the last unsynced write survives, up to a 512-byte boundary r
// picks. No process may have a file of the mount open.
func (l *FS) Cut(r *rand.Rand) (CutReport, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.st.cut(r)
}

// Stats returns the counts of operations so far.
func (l *FS) Stats() Stats {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.st.stats
}

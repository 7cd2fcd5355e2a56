package fs

import (
	"os"

	"golang.org/x/sys/unix"
)

// startWriteback asks the kernel to begin writing n bytes of f from off to
// the disk, without waiting for the writes to finish (it may wait for room
// in the disk's queue). It is only a hint: an error is ignored, and
// durability still comes from Put's fsync.
func startWriteback(f *os.File, off, n int64) {
	_ = unix.SyncFileRange(int(f.Fd()), off, n, unix.SYNC_FILE_RANGE_WRITE)
}

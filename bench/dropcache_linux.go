package main

import (
	"os"

	"golang.org/x/sys/unix"
)

// dropCache asks the kernel to drop the file's pages from the page cache,
// so that the next read of it comes from the disk, as a retrieval of data
// nobody touched lately does. The stored blobs are clean (their upload
// synced them), so POSIX_FADV_DONTNEED drops them all.
func dropCache(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED)
}

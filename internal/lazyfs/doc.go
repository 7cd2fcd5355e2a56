// Package lazyfs is a test file system that loses, on demand, everything a
// power cut would: a FUSE pass-through to a real directory that remembers
// what has been made durable and, on Cut, throws the rest away.
//
// Reads and writes go straight to the backing directory, which therefore
// always holds what a running program sees (the page cache, so to speak).
// Beside it, lazyfs keeps the durable state: for every file, a shadow copy
// of its contents as of its last fsync or fdatasync, and for every
// directory, its entries as of its last fsync. A file's data becomes
// durable when the file is synced; its name (a create, rename or unlink)
// when its directory is synced; a directory's own name when its parent is
// synced. Cut rewrites the backing directory to that durable state, and can
// tear the last unsynced write at a random 512-byte boundary, as a disk
// that lost power part-way through it would.
//
// What it models is the strict POSIX reading, stricter than ext4 or XFS in
// practice: nothing is durable unless it was synced. Only regular files
// and directories are supported; hard links, symbolic links, special files,
// O_TMPFILE, copy_file_range and the renaming of directories are refused
// with ENOTSUP. Advisory locks (flock, fcntl) are left to the kernel.
// Simplifications: unsynced writes are lost whole (only the last one can be
// torn), never reordered; a directory removed and re-created under the
// same name before its parent is synced keeps the old one's synced entries;
// the "last write" is the last FUSE write, which the kernel may have split
// off a larger write(2).
// sync_file_range is not a durability operation and FUSE does not pass it
// on, so it makes nothing durable here either.
//
// Cut must only be called when no process has a file of the mount open:
// kill the program and wait for it first. The kernel writes a dead
// process's dirty shared-mmap pages (SQLite's -shm) back through FUSE as
// its files are closed, so they land in the volatile state and are lost.
//
// Mounting needs /dev/fuse and root (mount(2) is called directly; no
// fusermount is needed). The package is for tests: it keeps no state
// outside an FS and holds one lock across every operation.
package lazyfs

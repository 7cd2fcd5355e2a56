package lazyfs

import (
	"context"
	"syscall"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"
)

// file is an open regular file whose writes and syncs are recorded.
type file struct {
	*fs.LoopbackFile
	lfs *FS
	id  uint64
}

func (f *file) Write(ctx context.Context, data []byte, off int64) (uint32, syscall.Errno) {
	f.lfs.mu.Lock()
	defer f.lfs.mu.Unlock()
	n, errno := f.LoopbackFile.Write(ctx, data, off)
	f.lfs.st.wrote(f.id, off, int64(n))
	return n, errno
}

func (f *file) Allocate(ctx context.Context, off, size uint64, mode uint32) syscall.Errno {
	f.lfs.mu.Lock()
	defer f.lfs.mu.Unlock()
	f.lfs.st.truncated(f.id, int64(off))
	return f.LoopbackFile.Allocate(ctx, off, size, mode)
}

// Fsync (fsync and fdatasync alike) makes the file's data durable.
func (f *file) Fsync(ctx context.Context, _ uint32) syscall.Errno {
	f.lfs.mu.Lock()
	defer f.lfs.mu.Unlock()
	return fs.ToErrno(f.lfs.st.syncFile(f.id, fileSource{ctx, f.LoopbackFile}))
}

// PassthroughFd refuses kernel passthrough, which would bypass Write.
func (f *file) PassthroughFd() (int, bool) { return 0, false }

// fileSource reads an open file for syncFile.
type fileSource struct {
	ctx context.Context
	f   *fs.LoopbackFile
}

func (s fileSource) ReadAt(p []byte, off int64) (int, error) {
	res, errno := s.f.Read(s.ctx, p, off)
	if errno != 0 {
		return 0, errno
	}
	defer res.Done()
	b, st := res.Bytes(p)
	if !st.Ok() {
		return 0, syscall.Errno(st)
	}
	return copy(p, b), nil
}

func (s fileSource) Size() (int64, error) {
	var out fuse.AttrOut
	if errno := s.f.Getattr(s.ctx, &out); errno != 0 {
		return 0, errno
	}
	return int64(out.Size), nil
}

// dir is an open directory whose fsync makes its entries durable.
type dir struct {
	ds   fs.FileHandle
	lfs  *FS
	path string
}

func (d *dir) Fsyncdir(context.Context, uint32) syscall.Errno {
	d.lfs.mu.Lock()
	defer d.lfs.mu.Unlock()
	return fs.ToErrno(d.lfs.st.syncDir(d.path))
}

func (d *dir) Readdirent(ctx context.Context) (*fuse.DirEntry, syscall.Errno) {
	return d.ds.(fs.FileReaddirenter).Readdirent(ctx)
}

func (d *dir) Seekdir(ctx context.Context, off uint64) syscall.Errno {
	return d.ds.(fs.FileSeekdirer).Seekdir(ctx, off)
}

func (d *dir) Releasedir(ctx context.Context, flags uint32) {
	d.ds.(fs.FileReleasedirer).Releasedir(ctx, flags)
}

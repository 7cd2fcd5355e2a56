package lazyfs

import (
	"context"
	"path"
	"syscall"

	"github.com/hanwen/go-fuse/v2/fs"
	"github.com/hanwen/go-fuse/v2/fuse"
)

// node is a file or directory of the mount: a loopback node whose
// operations on data and names are recorded in the FS's state.
type node struct {
	*fs.LoopbackNode
	lfs *FS
}

var (
	_ fs.NodeWrapChilder     = (*node)(nil)
	_ fs.NodeCreater         = (*node)(nil)
	_ fs.NodeOpener          = (*node)(nil)
	_ fs.NodeOpendirHandler  = (*node)(nil)
	_ fs.NodeRenamer         = (*node)(nil)
	_ fs.NodeUnlinker        = (*node)(nil)
	_ fs.NodeSetattrer       = (*node)(nil)
	_ fs.NodeLinker          = (*node)(nil)
	_ fs.NodeSymlinker       = (*node)(nil)
	_ fs.NodeMknoder         = (*node)(nil)
	_ fs.NodeCopyFileRanger  = (*node)(nil)
	_ fs.FileFsyncdirer      = (*dir)(nil)
	_ fs.FileReaddirenter    = (*dir)(nil)
	_ fs.FileFsyncer         = (*file)(nil)
	_ fs.FileWriter          = (*file)(nil)
	_ fs.FileAllocater       = (*file)(nil)
	_ fs.FilePassthroughFder = (*file)(nil)
)

// WrapChild makes every node under the root a node.
func (n *node) WrapChild(_ context.Context, ops fs.InodeEmbedder) fs.InodeEmbedder {
	return &node{LoopbackNode: ops.(*fs.LoopbackNode), lfs: n.lfs}
}

// rel returns the root-relative path of name in n, or of n itself.
func (n *node) rel(name string) string {
	p := n.EmbeddedInode().Path(nil)
	if name == "" {
		return p
	}
	return path.Join(p, name)
}

func (n *node) Create(ctx context.Context, name string, flags, mode uint32, out *fuse.EntryOut) (*fs.Inode, fs.FileHandle, uint32, syscall.Errno) {
	l := n.lfs
	l.mu.Lock()
	defer l.mu.Unlock()
	ch, fh, ff, errno := n.LoopbackNode.Create(ctx, name, readable(flags), mode, out)
	if errno != 0 {
		return nil, nil, 0, errno
	}
	id, err := l.st.created(n.rel(name))
	if err != nil {
		_ = fh.(fs.FileReleaser).Release(ctx)
		return nil, nil, 0, fs.ToErrno(err)
	}
	if flags&syscall.O_TRUNC != 0 {
		l.st.truncated(id, 0)
	}
	return ch, &file{LoopbackFile: fh.(*fs.LoopbackFile), lfs: l, id: id}, ff, 0
}

func (n *node) Open(ctx context.Context, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	l := n.lfs
	l.mu.Lock()
	defer l.mu.Unlock()
	id, err := l.st.opened(n.rel(""))
	if err != nil {
		return nil, 0, syscall.EIO
	}
	fh, ff, errno := n.LoopbackNode.Open(ctx, readable(flags))
	if errno != 0 {
		return nil, 0, errno
	}
	if flags&syscall.O_TRUNC != 0 {
		l.st.truncated(id, 0)
	}
	return &file{LoopbackFile: fh.(*fs.LoopbackFile), lfs: l, id: id}, ff, 0
}

func (n *node) Setattr(ctx context.Context, f fs.FileHandle, in *fuse.SetAttrIn, out *fuse.AttrOut) syscall.Errno {
	size, ok := in.GetSize()
	if !ok {
		return n.LoopbackNode.Setattr(ctx, f, in, out)
	}
	l := n.lfs
	l.mu.Lock()
	defer l.mu.Unlock()
	var id uint64
	if lf, isFile := f.(*file); isFile {
		id = lf.id
	} else {
		var err error
		if id, err = l.st.opened(n.rel("")); err != nil {
			return syscall.EIO
		}
	}
	l.st.truncated(id, int64(size))
	return n.LoopbackNode.Setattr(ctx, f, in, out)
}

func (n *node) Rename(ctx context.Context, name string, newParent fs.InodeEmbedder, newName string, flags uint32) syscall.Errno {
	if flags&^uint32(unixRenameNoreplace) != 0 {
		return syscall.ENOTSUP
	}
	l := n.lfs
	l.mu.Lock()
	defer l.mu.Unlock()
	src := n.rel(name)
	if _, ok := l.st.cur[src]; !ok {
		return syscall.ENOTSUP // a directory (or nothing): renaming directories is not modelled
	}
	dst := path.Join(newParent.EmbeddedInode().Path(nil), newName)
	if errno := n.LoopbackNode.Rename(ctx, name, newParent, newName, flags); errno != 0 {
		return errno
	}
	l.st.renamed(src, dst)
	return 0
}

func (n *node) Unlink(ctx context.Context, name string) syscall.Errno {
	l := n.lfs
	l.mu.Lock()
	defer l.mu.Unlock()
	if errno := n.LoopbackNode.Unlink(ctx, name); errno != 0 {
		return errno
	}
	l.st.unlinked(n.rel(name))
	return 0
}

// OpendirHandle opens a directory whose fsync makes its entries durable.
func (n *node) OpendirHandle(ctx context.Context, flags uint32) (fs.FileHandle, uint32, syscall.Errno) {
	ds, ff, errno := n.LoopbackNode.OpendirHandle(ctx, flags)
	if errno != 0 {
		return nil, 0, errno
	}
	return &dir{ds: ds, lfs: n.lfs, path: n.rel("")}, ff, 0
}

// readable turns write-only open flags into read-write ones: a sync reads
// the data it makes durable through the handle it is called on.
func readable(flags uint32) uint32 {
	if flags&syscall.O_ACCMODE == syscall.O_WRONLY {
		flags = flags&^syscall.O_ACCMODE | syscall.O_RDWR
	}
	return flags
}

// The operations lazyfs does not model.

func (n *node) Link(context.Context, fs.InodeEmbedder, string, *fuse.EntryOut) (*fs.Inode, syscall.Errno) {
	return nil, syscall.ENOTSUP
}

func (n *node) Symlink(context.Context, string, string, *fuse.EntryOut) (*fs.Inode, syscall.Errno) {
	return nil, syscall.ENOTSUP
}

func (n *node) Mknod(context.Context, string, uint32, uint32, *fuse.EntryOut) (*fs.Inode, syscall.Errno) {
	return nil, syscall.ENOTSUP
}

func (n *node) Tmpfile(context.Context, uint32, uint32, *fuse.EntryOut) (*fs.Inode, fs.FileHandle, uint32, syscall.Errno) {
	return nil, nil, 0, syscall.ENOTSUP
}

func (n *node) CopyFileRange(context.Context, fs.FileHandle, uint64, *fs.Inode, fs.FileHandle, uint64, uint64, uint64) (uint32, syscall.Errno) {
	return 0, syscall.ENOTSUP
}

// unixRenameNoreplace is RENAME_NOREPLACE, which changes nothing lazyfs
// models.
const unixRenameNoreplace = 1

package fs

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	iofs "io/fs"
	"os"
	"path"
	"sync"

	"github.com/glacierd/glacierd/internal/blob/blobio"

	"github.com/glacierd/glacierd/internal/glacier"
)

const (
	blobsDir   = "blobs"
	tmpDir     = "tmp"
	blobSuffix = ".blob"
	bufSize    = 1 << 20 // bytes copied per read, and between checks of ctx
	filePerm   = 0o640
	dirPerm    = 0o750
)

// Store is a glacier.BlobStore on a local directory. It is safe for
// concurrent use. Close it when done.
type Store struct {
	root    *os.Root
	orphans int
	// dirMu is held while directories under blobs are created and synced, so
	// that a Put that finds its parent directory can rely on it being durable.
	dirMu sync.Mutex
	bufs  sync.Pool // *[]byte of bufSize
}

var _ glacier.BlobStore = (*Store)(nil)

// Open opens the store in dir, creating dir, dir/blobs and dir/tmp durably as needed,
// and removes the temporary files a crash left in dir/tmp; Orphans
// reports how many. No other process may use dir while the Store is open.
func Open(dir string) (*Store, error) {
	if err := MkdirAll(dir, dirPerm); err != nil {
		return nil, fmt.Errorf("blob store: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("blob store: %w", err)
	}
	s := &Store{root: root}
	s.bufs.New = func() any {
		b := make([]byte, bufSize)
		return &b
	}
	for _, d := range []string{blobsDir, tmpDir} {
		if err := s.mkdir(d); err != nil {
			root.Close()
			return nil, fmt.Errorf("blob store: %w", err)
		}
	}
	if s.orphans, err = s.removeOrphans(); err != nil {
		root.Close()
		return nil, fmt.Errorf("blob store: removing temporary files: %w", err)
	}
	return s, nil
}

// Orphans returns how many temporary files, left by an interrupted
// Put, Open removed.
func (s *Store) Orphans() int { return s.orphans }

// Close releases the store's directory. Calls running or made after Close fail.
func (s *Store) Close() error { return s.root.Close() }

// removeOrphans removes everything in dir/tmp and returns how many entries
// it removed.
func (s *Store) removeOrphans() (int, error) {
	d, err := s.root.Open(tmpDir)
	if err != nil {
		return 0, err
	}
	entries, err := d.ReadDir(-1)
	d.Close()
	if err != nil {
		return 0, err
	}
	for _, e := range entries {
		if err := s.root.RemoveAll(path.Join(tmpDir, e.Name())); err != nil {
			return 0, err
		}
	}
	return len(entries), nil
}

// Put writes r to a temporary file, checks its size, syncs it and renames it
// to key's file. On failure, or when ctx ends first, it removes what it wrote.
func (s *Store) Put(ctx context.Context, key string, r io.Reader, size int64) (err error) {
	name, err := blobName(key)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	tmp := path.Join(tmpDir, rand.Text())
	f, err := s.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, filePerm)
	if err != nil {
		return fmt.Errorf("blob store: put %s: %w", key, err)
	}
	renamed := false
	defer func() {
		if err == nil {
			return
		}
		f.Close() // a second Close is harmless
		if renamed {
			_ = s.root.Remove(name)
		} else {
			_ = s.root.Remove(tmp)
		}
		err = fmt.Errorf("blob store: put %s: %w", key, err)
	}()
	n, err := s.copy(ctx, f, r, size)
	if err != nil {
		return err
	}
	if size >= 0 && n != size {
		return fmt.Errorf("read %d bytes, declared %d", n, size)
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	dir := path.Dir(name)
	if err := s.mkdirs(dir); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := s.root.Rename(tmp, name); err != nil {
		return err
	}
	renamed = true
	if skipRenameSync {
		return nil
	}
	return s.syncDir(dir)
}

// copy copies r to f in chunks of bufSize, checking ctx before each, and
// returns the number of bytes copied. With size >= 0 it stops one byte past
// size, enough to tell that r is too long.
func (s *Store) copy(ctx context.Context, f *os.File, r io.Reader, size int64) (int64, error) {
	bp := s.bufs.Get().(*[]byte)
	defer s.bufs.Put(bp)
	buf := *bp
	if size >= 0 {
		r = io.LimitReader(r, size+1)
	}
	wb := newWriteback(f)
	defer wb.stop()
	var written int64
	for {
		if err := ctx.Err(); err != nil {
			return written, err
		}
		n, err := blobio.Fill(r, buf)
		if n > 0 {
			if _, err := f.Write(buf[:n]); err != nil {
				return written, err
			}
			written += int64(n)
			wb.written(written)
		}
		if err == io.EOF {
			return written, nil
		}
		if err != nil {
			return written, err
		}
	}
}

// Open returns a reader of n bytes of key's blob from byte off (to the end
// when n < 0). The range must lie within the blob.
func (s *Store) Open(ctx context.Context, key string, off, n int64) (io.ReadCloser, error) {
	name, err := blobName(key)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	f, err := s.root.Open(name)
	if errors.Is(err, iofs.ErrNotExist) {
		return nil, glacier.Errorf(glacier.KindNotFound, "blob %s not found", key)
	}
	if err != nil {
		return nil, fmt.Errorf("blob store: open %s: %w", key, err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("blob store: open %s: %w", key, err)
	}
	size := fi.Size()
	if n < 0 && off >= 0 && off <= size {
		n = size - off
	}
	if off < 0 || off > size || n > size-off {
		f.Close()
		return nil, fmt.Errorf("blob store: open %s: range (%d, %d) outside %d bytes", key, off, n, size)
	}
	if _, err := f.Seek(off, io.SeekStart); err != nil {
		f.Close()
		return nil, fmt.Errorf("blob store: open %s: %w", key, err)
	}
	// The Range's WriteTo lets a network connection send the file with
	// sendfile(2). (Asking the kernel to read ahead of the sending with
	// POSIX_FADV_WILLNEED was tried: on a file not in the page cache it made
	// four parallel ranges slower, as its reads queued ahead of the ones
	// sendfile was waiting for.)
	return blobio.NewRange(f, n, f), nil
}

// Delete removes key's blob and syncs its directory; a missing blob is not
// an error.
func (s *Store) Delete(ctx context.Context, key string) error {
	name, err := blobName(key)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	err = s.root.Remove(name)
	if errors.Is(err, iofs.ErrNotExist) {
		return nil
	}
	if err == nil {
		err = s.syncDir(path.Dir(name))
	}
	if err != nil {
		return fmt.Errorf("blob store: delete %s: %w", key, err)
	}
	return nil
}

//go:build unix

package storeset

import (
	"os"
	"syscall"
)

// lockDir takes an exclusive advisory lock on path, so that two glacierd
// processes never share one data directory. The lock ends with the process.
func lockDir(path string) (unlock func() error, err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, err
	}
	return f.Close, nil
}

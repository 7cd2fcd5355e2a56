//go:build !(linux || darwin)

package download

// diskFree reports the free space as unknown (-1) where it is not measured.
func diskFree(string) (int64, error) { return -1, nil }

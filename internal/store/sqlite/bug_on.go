//go:build glacierd_bug_syncnormal

package sqlite

// synchronous: see bug_off.go. THIS BUILD LOSES ACKNOWLEDGED COMMITS ON
// POWER LOSS; it exists only for the power-cut test.
const (
	synchronous = "NORMAL"
	syncLevel   = 1
)

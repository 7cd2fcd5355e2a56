//go:build glacierd_bug_nodirsync

package fs

// skipRenameSync: see bug_off.go. THIS BUILD LOSES ACKNOWLEDGED ARCHIVES ON
// POWER LOSS; it exists only for the power-cut test.
const skipRenameSync = true

//go:build !glacierd_bug_nodirsync

package fs

// skipRenameSync leaves out the directory fsync after a blob's rename. It
// is true only in builds tagged glacierd_bug_nodirsync, which the power-cut
// test makes to show that it catches exactly this kind of mistake.
const skipRenameSync = false

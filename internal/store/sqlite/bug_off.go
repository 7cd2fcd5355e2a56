//go:build !glacierd_bug_syncnormal

package sqlite

// synchronous is the writer's PRAGMA synchronous, and syncLevel its number.
// FULL fsyncs the WAL at every commit. Builds tagged glacierd_bug_syncnormal
// use NORMAL instead, which the power-cut test makes to show that it
// catches commits that are acknowledged before they are durable.
const (
	synchronous = "FULL"
	syncLevel   = 2
)

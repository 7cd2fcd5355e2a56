// Package treehash computes the Amazon Glacier SHA-256 tree hash.
//
// The tree hash of a byte string is defined in the Glacier developer guide
// ("Computing Checksums"): the input is cut into 1 MiB leaves (the last one may
// be shorter), each leaf is hashed with SHA-256, and adjacent digests are then
// hashed pairwise (SHA-256 of the two concatenated 32-byte digests), level by
// level, an odd last node being carried up to the next level unchanged, until
// a single root remains. An input of at most 1 MiB therefore hashes to its
// plain SHA-256, and the empty input hashes to SHA-256 of nothing (the
// behaviour of botocore's calculate_tree_hash).
//
// [Hasher] computes the tree hash of a stream in O(log n) memory, [Combine]
// builds an archive's tree hash from the tree hashes of its multipart-upload
// parts, and [Aligned] tells whether a byte range of an archive is a node of
// the archive's tree (Glacier's "tree-hash aligned" ranges, the only ranges
// for which a retrieval response carries a tree hash).
//
// The package imports only the standard library and holds no package-level
// mutable state.
package treehash

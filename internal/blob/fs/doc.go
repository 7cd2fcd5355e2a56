// Package fs implements glacier.BlobStore on a local directory.
//
// Blobs live under dir/blobs, one file per key: key "a/b" is the file
// dir/blobs/a/b.blob. The suffix, which no key segment can contain, keeps the
// file of key "a" apart from the directory holding key "a/b". A Put writes a
// temporary file in dir/tmp (the same file system), fsyncs it, renames it into
// place and fsyncs the directory, so a blob is either complete and durable or
// absent. Temporary files left by a crash are removed when the store is
// opened; one process at a time may use a directory.
//
// All file access goes through an os.Root, so no key can reach outside dir.
package fs

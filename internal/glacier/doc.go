// Package glacier is the domain vocabulary of glacierd: the records a Glacier
// vault service keeps — vaults and their configuration (tags, access and
// lock policies, notifications), archives and their stored segments,
// multipart uploads and their parts, retrieval jobs, accounts' provisioned
// capacity and retrieval policies, queued notifications and blobs awaiting
// collection — the error kinds every layer speaks, the narrow storage
// interfaces that metadata and blob stores implement (MetaStore with its Tx,
// BlobStore), and the Notifier and Clock the service is given.
//
// It is a leaf: it imports only the standard library and performs no I/O.
// Every other package of glacierd imports it; it imports none of them.
package glacier

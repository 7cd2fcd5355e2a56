// Package glacier is the domain vocabulary of glacierd: the records a Glacier
// vault service keeps (vaults, archives, multipart uploads and their parts),
// the error kinds every layer speaks, and the narrow storage interfaces that
// metadata and blob stores implement.
//
// It is a leaf: it imports only the standard library and performs no I/O.
// Every other package of glacierd imports it; it imports none of them.
package glacier

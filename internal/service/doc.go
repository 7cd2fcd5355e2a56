// Package service implements Glacier's semantics, one method per API
// operation: validation, authorization, multipart assembly, tree-hash checks,
// job timing, inventory, retrieval policy and provisioned capacity.
//
// It speaks only domain types (package glacier) and reaches storage only
// through glacier.MetaStore and glacier.BlobStore. It knows nothing of HTTP,
// SQL or files. Every error it returns is a *glacier.Error whose Message is
// the text AWS would show, or an unclassified error that the HTTP layer logs
// and hides.
package service

package app

import "github.com/glacierd/glacierd/internal/storeset"

// stores returns the part of c that names the stores.
func (c Config) stores() storeset.Config {
	return storeset.Config{Data: c.Data, Meta: c.Meta, Blobs: c.Blobs, S3AccessKey: c.S3AccessKey, S3SecretKey: c.S3SecretKey}
}

package app

import (
	"net/http"

	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/selectout"
	"github.com/glacierd/glacierd/internal/storeset"
)

// newSelectOutput returns the writer of select jobs' output for
// --select-s3, or nil (select jobs refused) when it is not set.
func newSelectOutput(c Config, tr http.RoundTripper) (glacier.SelectOutput, error) {
	if c.SelectS3 == "" {
		return nil, nil
	}
	e, err := storeset.ParseS3Endpoint("--select-s3", c.SelectS3, c.SelectS3AccessKey, c.SelectS3SecretKey)
	if err != nil {
		return nil, err
	}
	return selectout.New(selectout.Config{Endpoint: e.Endpoint, Secure: e.Secure, Region: e.Region,
		AccessKey: e.AccessKey, SecretKey: e.SecretKey, Transport: tr})
}

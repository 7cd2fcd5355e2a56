// Package payloadhash is a per-call option for aws-sdk-go-v2's Glacier
// client that hands it a request body's SHA-256 already known to the caller.
// The `glacier` CLI and the benchmark both upload with it.
package payloadhash

import (
	"context"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// Option sends sum (lowercase hex, or UNSIGNED-PAYLOAD) as the request's
// x-amz-content-sha256, which Glacier requires on uploads, and signs with
// it, so the SDK does not read the body again to hash it. Pair it with the
// input's Checksum (the tree hash), which likewise stops the SDK's own
// tree-hash pass; with Checksum set, that pass neither reads the body nor
// sets the header.
func Option(sum string) func(*glacier.Options) {
	return func(o *glacier.Options) {
		o.APIOptions = append(o.APIOptions, func(st *middleware.Stack) error {
			return st.Finalize.Add(middleware.FinalizeMiddlewareFunc("glacierd:ContentSHA256",
				func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
					if req, ok := in.Request.(*smithyhttp.Request); ok {
						req.Header.Set("X-Amz-Content-Sha256", sum)
					}
					return next.HandleFinalize(v4.SetPayloadHash(ctx, sum), in)
				}), middleware.Before)
		})
	}
}

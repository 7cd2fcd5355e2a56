package upload

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/glacier"
)

// API is the part of the Glacier client uploads use.
type API interface {
	UploadArchive(ctx context.Context, in *glacier.UploadArchiveInput, optFns ...func(*glacier.Options)) (*glacier.UploadArchiveOutput, error)
	InitiateMultipartUpload(ctx context.Context, in *glacier.InitiateMultipartUploadInput, optFns ...func(*glacier.Options)) (*glacier.InitiateMultipartUploadOutput, error)
	UploadMultipartPart(ctx context.Context, in *glacier.UploadMultipartPartInput, optFns ...func(*glacier.Options)) (*glacier.UploadMultipartPartOutput, error)
	CompleteMultipartUpload(ctx context.Context, in *glacier.CompleteMultipartUploadInput, optFns ...func(*glacier.Options)) (*glacier.CompleteMultipartUploadOutput, error)
	glacier.ListPartsAPIClient
	glacier.ListMultipartUploadsAPIClient
}

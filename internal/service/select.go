package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/glacierselect"
	"github.com/glacierd/glacierd/internal/jobdoc"
)

// Select jobs (InitiateJob Type "select"): validated here before a job
// exists, run by complete when they are due (select_run.go). Their output
// goes to the caller's S3 bucket through glacier.SelectOutput.

// The enums of S3Location, as the service model names them.
var (
	cannedACLs      = []string{"private", "public-read", "public-read-write", "aws-exec-read", "authenticated-read", "bucket-owner-read", "bucket-owner-full-control"}
	storageClasses  = []string{"STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA"}
	encryptionTypes = []string{"aws:kms", "AES256"}
	permissions     = []string{"FULL_CONTROL", "WRITE", "WRITE_ACP", "READ", "READ_ACP"}
	granteeTypes    = []string{"AmazonCustomerByEmail", "CanonicalUser", "Group"}
)

// checkSelectShape checks that a select job's request has the members a
// select job needs and none of the others'.
func checkSelectShape(j *glacier.Job, p JobParams) error {
	switch {
	case p.ArchiveID == "":
		return glacier.Errorf(glacier.KindMissingParameter, "Required parameter missing: archiveId")
	case p.Format != "":
		return invalidParam("Format is only valid for an inventory-retrieval job")
	case p.Inventory != nil:
		return invalidParam("InventoryRetrievalParameters is only valid for an inventory-retrieval job")
	case p.RetrievalByteRange != "":
		return invalidParam("RetrievalByteRange is not valid for a select job")
	case p.SelectParameters == nil:
		return glacier.Errorf(glacier.KindMissingParameter, "Required parameter missing: SelectParameters")
	case p.OutputLocation == nil:
		return glacier.Errorf(glacier.KindMissingParameter, "Required parameter missing: OutputLocation.S3")
	case p.OutputLocation.BucketName == "":
		return glacier.Errorf(glacier.KindMissingParameter, "Required parameter missing: OutputLocation.S3.BucketName")
	case p.OutputLocation.Prefix == "":
		return glacier.Errorf(glacier.KindMissingParameter, "Required parameter missing: OutputLocation.S3.Prefix")
	}
	j.ArchiveID = p.ArchiveID
	return nil
}

// setSelect validates a select job's parameters (the SQL included) and
// output location into j.
func (s *Service) setSelect(j *glacier.Job, p JobParams) error {
	if _, err := s.compileSelect(p.SelectParameters); err != nil {
		return err
	}
	if err := checkLocation(p.OutputLocation); err != nil {
		return err
	}
	sel, loc := *p.SelectParameters, *p.OutputLocation
	j.Select, j.OutputLocation = &sel, &loc
	j.OutputPath = strings.TrimSuffix(loc.Prefix, "/") + "/" + j.ID + "/"
	return nil
}

// compileSelect compiles a select job's parameters; an engine refusal is
// InvalidParameterValue.
func (s *Service) compileSelect(p *glacier.SelectParameters) (*glacierselect.Query, error) {
	q, err := s.selectParser.Compile(engineParams(p))
	if ie, ok := errors.AsType[*glacierselect.InvalidError](err); ok {
		return nil, invalidParam("%s", ie.Message)
	}
	return q, err
}

// engineParams converts the domain's select parameters to the engine's.
func engineParams(p *glacier.SelectParameters) glacierselect.Params {
	in, out := p.Input, p.Output
	return glacierselect.Params{
		ExpressionType: p.ExpressionType,
		Expression:     p.Expression,
		Input: glacierselect.CSVInput{
			FileHeaderInfo: glacierselect.FileHeaderInfo(in.FileHeaderInfo), Comments: in.Comments,
			QuoteEscapeCharacter: in.QuoteEscapeCharacter, RecordDelimiter: in.RecordDelimiter,
			FieldDelimiter: in.FieldDelimiter, QuoteCharacter: in.QuoteCharacter,
		},
		Output: glacierselect.CSVOutput{
			QuoteFields: glacierselect.QuoteFields(out.QuoteFields), QuoteEscapeCharacter: out.QuoteEscapeCharacter,
			RecordDelimiter: out.RecordDelimiter, FieldDelimiter: out.FieldDelimiter, QuoteCharacter: out.QuoteCharacter,
		},
	}
}

// checkLocation checks OutputLocation.S3's enums and grants.
func checkLocation(l *glacier.S3Location) error {
	const at = "OutputLocation.S3."
	if err := checkEnum(at+"CannedACL", l.CannedACL, cannedACLs); err != nil {
		return err
	}
	if err := checkEnum(at+"StorageClass", l.StorageClass, storageClasses); err != nil {
		return err
	}
	if e := l.Encryption; e != nil {
		if err := checkEnum(at+"Encryption.EncryptionType", e.EncryptionType, encryptionTypes); err != nil {
			return err
		}
		if e.EncryptionType != "aws:kms" && (e.KMSKeyID != "" || e.KMSContext != "") {
			return invalidParam("Invalid %sEncryption: KMSKeyId and KMSContext are only valid with EncryptionType aws:kms", at)
		}
	}
	for i, g := range l.AccessControlList {
		name := fmt.Sprintf("%sAccessControlList[%d].", at, i)
		if g.Grantee.Type == "" {
			return glacier.Errorf(glacier.KindMissingParameter, "Required parameter missing: %sGrantee.Type", name)
		}
		if err := checkEnum(name+"Grantee.Type", g.Grantee.Type, granteeTypes); err != nil {
			return err
		}
		if err := checkEnum(name+"Permission", g.Permission, permissions); err != nil {
			return err
		}
	}
	return nil
}

// checkEnum refuses v ("" is not given) if it is not one of valid.
func checkEnum(name, v string, valid []string) error {
	if v == "" || slices.Contains(valid, v) {
		return nil
	}
	return invalidParam("Invalid %s: %s. Valid values are: %s", name, v, strings.Join(valid, ", "))
}

// writeJobTxt writes the new job's description, job.txt, under its output
// path.
func (s *Service) writeJobTxt(ctx context.Context, j glacier.Job) error {
	doc, err := jobdoc.Marshal(s.jobInfo(j, j.CreatedAt))
	if err != nil {
		return err
	}
	return s.putOutput(ctx, j, "job.txt", bytes.NewReader(doc), int64(len(doc)))
}

// putOutput writes one object, of size bytes (-1: unknown), under j's
// output path. The SelectOutput's
// *glacier.Error kinds are kept (a refusal by S3 is the caller's problem:
// InvalidParameterValue); any other failure is Unavailable.
func (s *Service) putOutput(ctx context.Context, j glacier.Job, name string, r io.Reader, size int64) error {
	key := j.OutputPath + name
	err := s.selectOut.Put(ctx, *j.OutputLocation, key, r, size)
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return ctx.Err()
	case errors.As(err, new(*glacier.Error)):
		return err
	}
	return glacier.Wrap(glacier.KindUnavailable, err, fmt.Sprintf("Could not write s3://%s/%s", j.OutputLocation.BucketName, key))
}

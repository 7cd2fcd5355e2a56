package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"

	"github.com/glacierd/glacierd/cmd/glacier/internal/upload"
	"github.com/glacierd/glacierd/internal/units"
)

type uploadCmd struct {
	Vault       string      `arg:"" help:"Vault name."`
	File        string      `arg:"" help:"File to upload; - reads standard input; a directory uploads every file in it, each as an archive described by its path."`
	Description *string     `short:"d" help:"Archive description (default: the file's name; none for standard input)." placeholder:"TEXT"`
	PartSize    units.Bytes `name:"part-size" help:"Multipart part size, 1MiB times a power of two up to 4GiB; inputs larger than one part then go multipart (default: chosen from the size, 16MiB for standard input)." placeholder:"SIZE"`
	Threshold   units.Bytes `name:"multipart-threshold" default:"64MiB" help:"Inputs at least this large use a parallel multipart upload."`
	Concurrency int         `short:"c" default:"4" help:"Parts uploaded in parallel (memory: about (concurrency + 2) × part size)."`
	Resume      string      `xor:"resume" placeholder:"UPLOAD_ID" help:"Resume this multipart upload: send only the parts the vault lacks or holds damaged."`
	ResumeAuto  bool        `name:"resume-auto" xor:"resume" help:"Resume the newest in-progress upload with the same description and part size, if there is one."`

	Parallel     int  `short:"j" default:"4" help:"Files uploaded at once when FILE is a directory (memory: up to this many times the multipart threshold)."`
	SkipExisting bool `name:"skip-existing" help:"Skip a file whose contents the catalog says are already in the vault (same size and tree hash)."`
}

// Validate checks the flags before anything is read or sent.
func (c *uploadCmd) Validate() error {
	if c.Concurrency < 1 || c.Concurrency > 64 {
		return fmt.Errorf("--concurrency must be from 1 to 64")
	}
	if c.PartSize != 0 {
		if err := upload.CheckPartSize(int64(c.PartSize)); err != nil {
			return fmt.Errorf("--part-size: %w", err)
		}
	}
	if c.Threshold < 0 {
		return errors.New("--multipart-threshold must not be negative")
	}
	return nil
}

// defaultDescription derives an archive description from a file name.
// Glacier descriptions are printable ASCII, so other characters are escaped
// Go-style (é becomes \u00e9).
func defaultDescription(file string) string {
	name := filepath.Base(file)
	for _, r := range name {
		if r < 32 || r > 126 {
			q := strconv.QuoteToASCII(name)
			return q[1 : len(q)-1]
		}
	}
	return name
}

// Run uploads the file or standard input and prints the archive.
func (c *uploadCmd) Run(a *app) error {
	src := upload.Source{R: a.env.stdin, Size: -1}
	desc := ""
	if c.File == "-" {
		if f, ok := a.env.stdin.(*os.File); ok {
			if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
				src.Size = fi.Size() // redirected from a file: the size is known
			}
		}
	} else {
		f, err := os.Open(c.File)
		if err != nil {
			return err
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			return err
		}
		if fi.IsDir() {
			return c.runDir(a)
		}
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("%s is not a regular file (use - to read a stream from standard input)", c.File)
		}
		src = upload.Source{R: f, Size: fi.Size()}
		desc = defaultDescription(c.File)
	}
	if c.Description != nil {
		desc = *c.Description
	}
	gl, err := a.client(c.Concurrency)
	if err != nil {
		return err
	}
	if f, ok := src.R.(*os.File); ok && c.File != "-" {
		if skip, err := c.skipDuplicate(a, gl, f, src.Size); skip || err != nil {
			return err
		}
	}
	bar := a.bar(src.Size, "upload")
	res, err := upload.Run(a.ctx, gl, src, upload.Options{
		AccountID: a.cli.AccountID, Vault: c.Vault, Description: desc,
		PartSize: int64(c.PartSize), Threshold: int64(c.Threshold), Concurrency: c.Concurrency,
		ResumeID: c.Resume, ResumeAuto: c.ResumeAuto,
		Progress: bar.Add, Notice: a.notice,
	})
	if err != nil {
		bar.Abandon()
		return err
	}
	bar.Finish()
	a.record(gl, c.Vault, c.File, desc, res)
	if a.jsonOut() {
		return a.printJSON(res)
	}
	t := a.table()
	fmt.Fprintf(t, "Archive ID:\t%s\n", res.ArchiveID)
	fmt.Fprintf(t, "Size:\t%d bytes (%s)\n", res.Size, units.Format(res.Size))
	fmt.Fprintf(t, "Tree hash:\t%s\n", res.TreeHash)
	if res.UploadID != "" {
		fmt.Fprintf(t, "Parts:\t%d of %s: %d sent, %d already in the vault\n", res.Parts, units.Format(res.PartSize), res.PartsSent, res.PartsSkipped)
	}
	return t.Flush()
}

// uploadsCmd groups the multipart upload commands.
type uploadsCmd struct {
	List  uploadsListCmd  `cmd:"" help:"List a vault's in-progress multipart uploads."`
	Abort uploadsAbortCmd `cmd:"" help:"Abort a multipart upload, discarding its parts."`
}

type uploadsListCmd struct {
	Vault string `arg:"" help:"Vault name."`
}

// uploadJSON is an in-progress upload as --output json prints it.
type uploadJSON struct {
	MultipartUploadId  string // Glacier's spelling, kept for JSON
	ArchiveDescription string
	CreationDate       string
	PartSizeInBytes    int64
}

// Run lists the in-progress multipart uploads, following all pages.
func (c *uploadsListCmd) Run(a *app) error {
	gl, err := a.client(1)
	if err != nil {
		return err
	}
	list := []uploadJSON{}
	p := glacier.NewListMultipartUploadsPaginator(gl, &glacier.ListMultipartUploadsInput{AccountId: a.account(), VaultName: &c.Vault})
	for p.HasMorePages() {
		page, err := p.NextPage(a.ctx)
		if err != nil {
			return err
		}
		for _, u := range page.UploadsList {
			list = append(list, uploadJSON{aws.ToString(u.MultipartUploadId), aws.ToString(u.ArchiveDescription), aws.ToString(u.CreationDate), u.PartSizeInBytes})
		}
	}
	if a.jsonOut() {
		return a.printJSON(list)
	}
	t := a.table()
	fmt.Fprintln(t, "CREATED\tPART SIZE\tDESCRIPTION\tUPLOAD ID")
	for _, u := range list {
		fmt.Fprintf(t, "%s\t%s\t%s\t%s\n", u.CreationDate, units.Format(u.PartSizeInBytes), orDash(u.ArchiveDescription), u.MultipartUploadId)
	}
	return t.Flush()
}

type uploadsAbortCmd struct {
	Vault    string `arg:"" help:"Vault name."`
	UploadID string `arg:"" name:"upload-id" help:"Multipart upload ID."`
}

// Run aborts the multipart upload.
func (c *uploadsAbortCmd) Run(a *app) error {
	gl, err := a.client(1)
	if err != nil {
		return err
	}
	_, err = gl.AbortMultipartUpload(a.ctx, &glacier.AbortMultipartUploadInput{AccountId: a.account(), VaultName: &c.Vault, UploadId: &c.UploadID})
	return err
}

// archiveCmd groups the archive commands.
type archiveCmd struct {
	Delete archiveDeleteCmd `cmd:"" help:"Delete an archive."`
}

type archiveDeleteCmd struct {
	Vault     string `arg:"" help:"Vault name."`
	ArchiveID string `arg:"" name:"archive" help:"Archive ID, or the file name or description of a catalogued archive."`
}

// Run deletes the archive.
func (c *archiveDeleteCmd) Run(a *app) error {
	gl, err := a.client(1)
	if err != nil {
		return err
	}
	id, err := a.resolveArchive(gl, c.Vault, c.ArchiveID)
	if err != nil {
		return err
	}
	if _, err = gl.DeleteArchive(a.ctx, &glacier.DeleteArchiveInput{AccountId: a.account(), VaultName: &c.Vault, ArchiveId: &id}); err != nil {
		return err
	}
	a.markDeleted(gl, c.Vault, id)
	return nil
}

// The SDK client must satisfy the upload package's API.
var _ upload.API = (*glacier.Client)(nil)

package httpapi

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

// isoTime formats t the way Glacier does (ISO 8601, UTC, milliseconds), or
// returns nil (JSON null) for the zero time.
func isoTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format("2006-01-02T15:04:05.000Z")
	return &s
}

// location is the path of a resource of vault ref that a Location header
// names: the vault itself, or (with kind and id) one of its archives, jobs or
// multipart uploads.
func location(ref glacier.VaultRef, kindAndID ...string) string {
	p := "/" + ref.Account + "/vaults/" + ref.Name
	for _, s := range kindAndID {
		p += "/" + s
	}
	return p
}

// nullable returns nil (JSON null) for "", else a pointer to s.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// writeJSON sends v as a JSON response with the given status.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, err = w.Write(b)
	return err
}

// parseLimit reads the limit query parameter: def when absent, at most max.
func parseLimit(q url.Values, def, max int) (int, error) {
	s := q.Get("limit")
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, glacier.Errorf(glacier.KindInvalidParameter, "Invalid limit: %s. The limit must be a positive integer.", s)
	}
	return min(n, max), nil
}

// requiredHeader returns header name, or a MissingParameterValueException.
func requiredHeader(r *http.Request, name string) (string, error) {
	v := r.Header.Get(name)
	if v == "" {
		return "", glacier.Errorf(glacier.KindMissingParameter, "Required parameter missing: %s", name)
	}
	return v, nil
}

// int64Header parses a required integer header.
func int64Header(r *http.Request, name string) (int64, error) {
	v, err := requiredHeader(r, name)
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, glacier.Errorf(glacier.KindInvalidParameter, "Invalid %s: %s", name, v)
	}
	return n, nil
}

// vaultWire is DescribeVaultOutput and a ListVaults entry.
type vaultWire struct {
	CreationDate      *string `json:"CreationDate"`
	LastInventoryDate *string `json:"LastInventoryDate"`
	NumberOfArchives  int64   `json:"NumberOfArchives"`
	SizeInBytes       int64   `json:"SizeInBytes"`
	VaultARN          string  `json:"VaultARN"`
	VaultName         string  `json:"VaultName"`
}

type listVaultsWire struct {
	Marker    *string     `json:"Marker"`
	VaultList []vaultWire `json:"VaultList"`
}

type uploadWire struct {
	ArchiveDescription *string `json:"ArchiveDescription"`
	CreationDate       *string `json:"CreationDate"`
	MultipartUploadId  string  `json:"MultipartUploadId"`
	PartSizeInBytes    int64   `json:"PartSizeInBytes"`
	VaultARN           string  `json:"VaultARN"`
}

type listUploadsWire struct {
	Marker      *string      `json:"Marker"`
	UploadsList []uploadWire `json:"UploadsList"`
}

type partWire struct {
	RangeInBytes   string `json:"RangeInBytes"`
	SHA256TreeHash string `json:"SHA256TreeHash"`
}

type listPartsWire struct {
	ArchiveDescription *string    `json:"ArchiveDescription"`
	CreationDate       *string    `json:"CreationDate"`
	Marker             *string    `json:"Marker"`
	MultipartUploadId  string     `json:"MultipartUploadId"`
	PartSizeInBytes    int64      `json:"PartSizeInBytes"`
	Parts              []partWire `json:"Parts"`
	VaultARN           string     `json:"VaultARN"`
}

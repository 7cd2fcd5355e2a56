package main

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/glacierd/glacierd/internal/treehash"
)

// floorMarker starts the line with which the floor server announces its
// address.
const floorMarker = "floor listening on "

// floor is the reference server: it accepts UploadArchive and the multipart
// operations at Glacier's paths and does only what any correct server must
// for an upload: stream the body to a temporary file while computing its
// tree hash, check the hash, fsync, rename into place, fsync the directory,
// answer. For downloads it serves a file's ranges at GetJobOutput's path. With linear set it also checks the body's SHA-256 against
// x-amz-content-sha256, which SigV4 makes a server verify. It checks no
// signature and keeps no metadata beyond the part hashes of open uploads.
type floor struct {
	dir    string
	linear bool
	mu     sync.Mutex
	parts  map[string]map[int64][32]byte // upload ID → part start → tree hash
	files  map[string][]string           // archive ID → its files under blobs
}

// floorJob returns the job ID under which the floor serves the file at path.
func floorJob(path string) string { return base64.RawURLEncoding.EncodeToString([]byte(path)) }

// serveFloor runs the floor server on dir until the process is killed.
func serveFloor(dir string, linear bool) error {
	for _, d := range []string{"tmp", "blobs"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o750); err != nil {
			return err
		}
	}
	f := &floor{dir: dir, linear: linear, parts: map[string]map[int64][32]byte{}, files: map[string][]string{}}
	const v = "/{account}/vaults/{vault}"
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+v+"/archives", f.uploadArchive)
	mux.HandleFunc("DELETE "+v+"/archives/{archive}", f.deleteArchive)
	mux.HandleFunc("POST "+v+"/multipart-uploads", f.initiate)
	mux.HandleFunc("PUT "+v+"/multipart-uploads/{upload}", f.uploadPart)
	mux.HandleFunc("POST "+v+"/multipart-uploads/{upload}", f.complete)
	mux.HandleFunc("GET "+v+"/jobs/{job}/output", f.output)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Println(floorMarker + ln.Addr().String())
	return http.Serve(ln, mux)
}

func newID() string { return rand.Text() }

// store streams the body into a file named name under blobs and returns its
// tree hash, after checking it (and the linear hash) against the headers.
func (f *floor) store(r *http.Request, name string) ([32]byte, error) {
	tmp := filepath.Join(f.dir, "tmp", newID())
	file, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return [32]byte{}, err
	}
	defer os.Remove(tmp) // fails harmlessly once renamed
	defer file.Close()
	th := treehash.New()
	var lh hash.Hash
	w := io.MultiWriter(file, th)
	if f.linear {
		lh = sha256.New()
		w = io.MultiWriter(file, th, lh)
	}
	// Fill a 1 MiB buffer before each write and hash, as glacierd does.
	buf := make([]byte, 1<<20)
	var n int64
	for {
		k, err := io.ReadFull(r.Body, buf)
		if k > 0 {
			if _, err := w.Write(buf[:k]); err != nil {
				return [32]byte{}, err
			}
			n += int64(k)
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return [32]byte{}, err
		}
	}
	if n != r.ContentLength {
		return [32]byte{}, fmt.Errorf("body has %d bytes, Content-Length %d", n, r.ContentLength)
	}
	sum := th.Root()
	if got := hex.EncodeToString(sum[:]); got != r.Header.Get("X-Amz-Sha256-Tree-Hash") {
		return sum, fmt.Errorf("tree hash %s, header %s", got, r.Header.Get("X-Amz-Sha256-Tree-Hash"))
	}
	if lh != nil {
		if got := hex.EncodeToString(lh.Sum(nil)); got != r.Header.Get("X-Amz-Content-Sha256") {
			return sum, fmt.Errorf("SHA-256 %s, header %s", got, r.Header.Get("X-Amz-Content-Sha256"))
		}
	}
	if err := file.Sync(); err != nil {
		return sum, err
	}
	if err := file.Close(); err != nil {
		return sum, err
	}
	blobs := filepath.Join(f.dir, "blobs")
	if err := os.Rename(tmp, filepath.Join(blobs, name)); err != nil {
		return sum, err
	}
	return sum, syncDir(blobs)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

func fail(w http.ResponseWriter, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	fmt.Fprintf(w, `{"code":"InvalidParameterValueException","message":%q,"type":"Client"}`, err.Error())
}

func (f *floor) uploadArchive(w http.ResponseWriter, r *http.Request) {
	id := newID()
	sum, err := f.store(r, id)
	if err != nil {
		fail(w, err)
		return
	}
	f.created(w, r, id, []string{id}, sum)
}

// created records that archive is stored in files under blobs and answers
// 201 with its location, ID and tree hash.
func (f *floor) created(w http.ResponseWriter, r *http.Request, archive string, files []string, sum [32]byte) {
	f.mu.Lock()
	f.files[archive] = files
	f.mu.Unlock()
	h := w.Header()
	h.Set("Location", "/"+r.PathValue("account")+"/vaults/"+r.PathValue("vault")+"/archives/"+archive)
	h.Set("X-Amz-Archive-Id", archive)
	h.Set("X-Amz-Sha256-Tree-Hash", hex.EncodeToString(sum[:]))
	w.WriteHeader(http.StatusCreated)
}

func (f *floor) initiate(w http.ResponseWriter, r *http.Request) {
	id := newID()
	f.mu.Lock()
	f.parts[id] = map[int64][32]byte{}
	f.mu.Unlock()
	h := w.Header()
	h.Set("Location", "/"+r.PathValue("account")+"/vaults/"+r.PathValue("vault")+"/multipart-uploads/"+id)
	h.Set("X-Amz-Multipart-Upload-Id", id)
	w.WriteHeader(http.StatusCreated)
}

func (f *floor) uploadPart(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("upload")
	rng, _ := strings.CutPrefix(r.Header.Get("Content-Range"), "bytes ")
	first, _, _ := strings.Cut(rng, "-")
	start, err := strconv.ParseInt(first, 10, 64)
	if err != nil {
		fail(w, fmt.Errorf("bad Content-Range %q", r.Header.Get("Content-Range")))
		return
	}
	sum, err := f.store(r, id+"-"+first)
	if err != nil {
		fail(w, err)
		return
	}
	f.mu.Lock()
	f.parts[id][start] = sum
	f.mu.Unlock()
	w.Header().Set("X-Amz-Sha256-Tree-Hash", hex.EncodeToString(sum[:]))
	w.WriteHeader(http.StatusNoContent)
}

// complete checks that the part hashes combine to the archive's tree hash.
func (f *floor) complete(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("upload")
	f.mu.Lock()
	parts := f.parts[id]
	delete(f.parts, id)
	f.mu.Unlock()
	starts := make([]int64, 0, len(parts))
	for s := range parts {
		starts = append(starts, s)
	}
	sort.Slice(starts, func(i, j int) bool { return starts[i] < starts[j] })
	sums := make([][32]byte, len(starts))
	names := make([]string, len(starts))
	for i, s := range starts {
		sums[i] = parts[s]
		names[i] = id + "-" + strconv.FormatInt(s, 10)
	}
	root := treehash.Combine(sums)
	if got := hex.EncodeToString(root[:]); got != r.Header.Get("X-Amz-Sha256-Tree-Hash") {
		fail(w, fmt.Errorf("parts combine to %s, header %s", got, r.Header.Get("X-Amz-Sha256-Tree-Hash")))
		return
	}
	f.created(w, r, newID(), names, root)
}

// deleteArchive removes an archive's files, so that repeated runs do not
// fill the disk.
func (f *floor) deleteArchive(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	names := f.files[r.PathValue("archive")]
	delete(f.files, r.PathValue("archive"))
	f.mu.Unlock()
	for _, name := range names {
		if err := os.Remove(filepath.Join(f.dir, "blobs", name)); err != nil {
			fail(w, err)
			return
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// output serves the file named by the job ID (see floorJob) with Range
// support: http.ServeContent, which sends the range with sendfile(2).
func (f *floor) output(w http.ResponseWriter, r *http.Request) {
	path, err := base64.RawURLEncoding.DecodeString(r.PathValue("job"))
	if err != nil {
		fail(w, err)
		return
	}
	file, err := os.Open(string(path))
	if err != nil {
		fail(w, err)
		return
	}
	defer file.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	http.ServeContent(w, r, "", time.Time{}, file)
}

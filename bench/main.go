// Command bench measures glacierd against a floor: a minimal server that
// does only what any correct Glacier server must do for an upload (stream
// the body to a file while computing its tree hash, fsync, rename). It also
// measures glacierd's peak memory while a 4 GiB archive streams in, its
// download speed against cat(1) of the stored file, and how long an
// inventory of a million archives takes. See README.md.
//
//	go run ./bench          # full sizes (about 5 minutes)
//	go run ./bench -quick   # small sizes (well under a minute)
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// sizes are the amounts one run works with.
type sizes struct {
	single, multipart, partSize int64 // upload comparison
	parallel                    int   // parts in flight
	rss                         int64 // the archive streamed in while memory is watched
	download                    int64 // the archive read back in ranges
	ranges                      int
	archives, batch             int // inventory records, and per insert transaction
}

// sizesFor returns the full sizes, or the small ones of -quick.
func sizesFor(quick bool) sizes {
	if quick {
		return sizes{16 << 20, 64 << 20, 16 << 20, 4, 256 << 20, 64 << 20, 4, 10_000, 10_000}
	}
	return sizes{256 << 20, 1 << 30, 16 << 20, 4, 4 << 30, 1 << 30, 4, 1_000_000, 50_000}
}

// Targets.
const (
	minRatio = 0.9      // glacierd throughput / floor throughput
	maxHWM   = 64 << 20 // glacierd peak RSS while a large archive streams in
)

type config struct {
	sizes
	quick bool
	dir   string // work directory
	logs  string
	bin   string
	reps  int
	only  map[string]bool
	tick  bool // the glacierd binary has --tick

	inprocess bool // run glacierd in this process
}

func main() {
	quick := flag.Bool("quick", false, "small sizes (16 MiB / 64 MiB uploads, 10k archives) for a smoke run")
	dir := flag.String("dir", "", "work directory for glacierd's and the floor's data, on the file system to measure (default: a new directory in $TMPDIR)")
	reps := flag.Int("reps", 3, "repetitions of each interleaved measurement")
	keep := flag.Bool("keep", false, "keep the work directory")
	bin := flag.String("glacierd", "", "glacierd binary to measure (default: go build ./cmd/glacierd)")
	archives := flag.Int("archives", 0, "inventory records to create (default: 1,000,000; 10,000 with -quick)")
	only := flag.String("only", "upload,rss,download,inventory", "comma-separated phases to run: upload, rss, download, inventory, cli (the glacier CLI's upload against the bench client's), scaleout (PostgreSQL + S3, 1 and 3 instances; needs Debian's postgresql)")
	inprocess := flag.Bool("inprocess", false, "run glacierd inside this process (internal/app) instead of as a child process; memory figures are then meaningless")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of this process (with -inprocess: client and glacierd) to this file")
	floorDir := flag.String("serve-floor", "", "internal: serve the floor server on this directory")
	floorSHA := flag.Bool("floor-sha256", false, "internal: the floor also checks x-amz-content-sha256")
	flag.Parse()
	if *floorDir != "" {
		if err := serveFloor(*floorDir, *floorSHA); err != nil {
			fmt.Fprintln(os.Stderr, "floor:", err)
			os.Exit(1)
		}
		return
	}
	cfg := config{sizes: sizesFor(*quick), quick: *quick, dir: *dir, bin: *bin, reps: *reps, only: map[string]bool{}, inprocess: *inprocess}
	if *archives > 0 {
		cfg.archives = *archives
	}
	for p := range strings.SplitSeq(*only, ",") {
		cfg.only[strings.TrimSpace(p)] = true
	}
	if *cpuprofile != "" {
		stop, err := startCPUProfile(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench:", err)
			os.Exit(1)
		}
		defer stop()
	}
	if err := run(&cfg, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(cfg *config, keep bool) (err error) {
	if cfg.dir == "" {
		if cfg.dir, err = os.MkdirTemp("", "glacierd-bench-"); err != nil {
			return err
		}
	} else if err := os.MkdirAll(cfg.dir, 0o750); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench: keeping the work directory, with the servers' logs:", cfg.dir)
		} else if !keep {
			_ = os.RemoveAll(cfg.dir)
		}
	}()
	cfg.logs = filepath.Join(cfg.dir, "logs")
	if err := os.MkdirAll(cfg.logs, 0o750); err != nil {
		return err
	}
	if cfg.inprocess {
		fmt.Println("glacierd: in this process (internal/app)")
		cfg.tick = hasTickFlag()
	} else if cfg.bin == "" {
		if cfg.bin, err = buildGlacierd(cfg.dir); err != nil {
			return err
		}
		fmt.Println("glacierd: built from ./cmd/glacierd, run as a separate process")
	}
	if !cfg.inprocess {
		help, _ := exec.Command(cfg.bin, "--help").CombinedOutput()
		cfg.tick = strings.Contains(string(help), "-tick")
	}

	mode := "full"
	if cfg.quick {
		mode = "quick"
	}
	fmt.Printf("mode %s, %d reps, %d CPUs, %s/%s, %s; work dir %s (logs kept there with -keep)\n",
		mode, cfg.reps, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version(), cfg.dir)
	ctx := context.Background()
	r := &report{}
	if d, err := ddContext(cfg.dir); err == nil {
		r.dd = float64(256<<20) / d.Seconds()
	} else {
		fmt.Println("dd:", err)
	}
	if cfg.only["upload"] || cfg.only["download"] {
		if err := uploadPhase(ctx, cfg, r); err != nil {
			return err
		}
	}
	if cfg.only["rss"] {
		if err := rssPhase(ctx, cfg, r); err != nil {
			return err
		}
	}
	if cfg.only["inventory"] {
		if err := inventoryPhase(ctx, cfg, r); err != nil {
			return err
		}
	}
	if cfg.only["cli"] {
		if err := cliPhase(ctx, cfg, r); err != nil {
			return err
		}
	}
	if cfg.only["scaleout"] {
		if err := scaleoutPhase(ctx, cfg, r); err != nil {
			return err
		}
	}
	r.print(os.Stdout, cfg)
	return nil
}

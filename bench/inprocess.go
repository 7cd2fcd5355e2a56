package main

import (
	"context"
	"fmt"
	"os"
	"runtime/pprof"

	"github.com/glacierd/glacierd/internal/app"
)

// startInProcess runs glacierd (internal/app, as cmd/glacierd does) inside
// this process, so that a CPU profile of the run covers it. Its memory
// figures are then this whole process's.
func startInProcess(args []string, logPath string) (*proc, error) {
	c, err := app.ParseFlags("glacierd", args)
	if err != nil {
		return nil, err
	}
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	m := &app.Main{Config: c, LogOutput: logf}
	if err := m.Open(context.Background()); err != nil {
		logf.Close()
		return nil, fmt.Errorf("glacierd in-process: %w", err)
	}
	stop := func() error {
		err := m.Close()
		logf.Close()
		return err
	}
	p := &proc{name: "glacierd (in-process)", url: m.URL(), pidv: os.Getpid(), stopFn: stop, killFn: func() { _ = stop() }}
	return p, p.waitHealthy("/healthz")
}

// startCPUProfile writes a CPU profile of this process to path until the
// returned function is called.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// hasTickFlag reports whether internal/app knows --tick.
func hasTickFlag() bool {
	_, err := app.ParseFlags("glacierd", []string{"--tick", "0"})
	return err == nil
}

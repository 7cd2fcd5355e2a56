// Command glacierd is a self-hosted, wire-compatible Amazon Glacier vault
// server (API version 2012-06-01). Run it with no flags to serve on
// 127.0.0.1:8080 from ./glacierd-data; see -help for the rest.
//
// "glacierd migrate" copies a data directory's contents into other stores
// (PostgreSQL and S3); see "glacierd migrate -help".
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/glacierd/glacierd/internal/app"
	"github.com/glacierd/glacierd/internal/migrate"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "glacierd:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) > 0 && args[0] == "migrate" {
		return runMigrate(args[1:])
	}
	cfg, err := app.ParseFlags("glacierd", args)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := &app.Main{Config: cfg}
	if err := m.Open(ctx); err != nil {
		return err
	}
	select {
	case <-ctx.Done():
		m.Logger.Info("shutting down: waiting for in-flight requests", "timeout", cfg.ShutdownTimeout)
	case err := <-waitErr(m):
		if err != nil {
			_ = m.Close()
			return err
		}
	}
	return m.Close()
}

func waitErr(m *app.Main) <-chan error {
	ch := make(chan error, 1)
	go func() { ch <- m.Wait() }()
	return ch
}

// runMigrate runs "glacierd migrate": it copies the stores and prints the
// report (also when the migration fails part way).
func runMigrate(args []string) error {
	cfg, err := migrate.ParseFlags("glacierd migrate", args)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	rep, err := migrate.Run(ctx, cfg, log)
	if err == nil || rep.Elapsed > 0 {
		fmt.Print(rep)
	}
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	fmt.Println("migration complete")
	return nil
}

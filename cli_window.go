package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/lang"
	bolt "go.etcd.io/bbolt"

	"cloudreel/accounts"
	"cloudreel/fetch"
	"cloudreel/fetch/cleanup"
	"cloudreel/fetch/limits"
	"cloudreel/fetch/queue"
	"cloudreel/gui"
)

// backend is what the window and the headless commands share: the store,
// the accounts and the download queue.
type backend struct {
	log      *slog.Logger
	store    *accounts.Store
	queue    *queue.Queue
	db       *bolt.DB       // the shared store, for what else keeps its data there (clean-up)
	limits   *limits.Shared // the slots and speed limit downloads and uploads share
	dir      string         // the data folder the store is in
	closeAll func()
}

// openStore opens the store in dir and the accounts on it; close the
// returned db when done.
func openStore(dir string, secrets *accounts.Secrets) (*accounts.Store, *bolt.DB, error) {
	db, err := accounts.OpenDB(dir)
	if err != nil {
		return nil, nil, err
	}
	store, err := accounts.NewStore(db, secrets)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	store.SetTimeouts(storeTimeouts)
	return store, db, nil
}

// openHeadless opens the backend of the user's data folder for a headless
// command (interrupted jobs continue) and says, once, what was done about a
// damaged store.
func openHeadless(c *cliEnv) (*backend, error) {
	dir, err := configDir()
	if err != nil {
		return nil, err
	}
	b, err := openBackend(dir, accounts.NewSecrets(), true)
	if err != nil {
		return nil, err
	}
	tellRepair(c, b.store)
	return b, nil
}

// openBackend opens the store in dir and builds the accounts and the
// queue on it. headless decides whether interrupted jobs continue (true)
// or come back paused.
func openBackend(dir string, secrets *accounts.Secrets, headless bool) (*backend, error) {
	store, db, err := openStore(dir, secrets)
	if err != nil {
		return nil, err
	}
	logFile, err := os.OpenFile(filepath.Join(dir, "cloudreel.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: %w", lang.L("opening the log"), err)
	}
	log := slog.New(fetch.RedactingHandler{Next: slog.NewTextHandler(logFile, nil)})
	opts := queue.NewOptions(db, func(ctx context.Context, accountID string) (fetch.Connector, error) {
		a, err := store.Get(accountID)
		if err != nil {
			return nil, err
		}
		return store.Connector(ctx, a)
	})
	opts.Headless = headless
	opts.Log = log
	opts.Shared = limits.New(opts.Concurrency)
	q, err := queue.New(opts)
	if err != nil {
		db.Close()
		logFile.Close()
		return nil, err
	}
	return &backend{log: log, store: store, queue: q, db: db, dir: dir, limits: opts.Shared, closeAll: func() {
		q.Close()
		db.Close()
		logFile.Close()
	}}, nil
}

// runWindow opens the window on the user's own accounts.
func runWindow(stderr io.Writer, _ bool) int {
	dir, err := configDir()
	if err != nil {
		fmt.Fprintln(stderr, "cloudreel:", err)
		return 1
	}
	claim, first := claimWindow(dir, stderr)
	if !first {
		return 0 // the open Cloudreel came to the front
	}
	defer claim.release()
	b, err := openBackend(dir, accounts.NewSecrets(), false)
	if err != nil {
		fmt.Fprintln(stderr, "cloudreel:", fetch.Plain(err))
		return 1
	}
	defer b.closeAll()
	cleanups, err := cleanup.NewStore(b.db)
	if err != nil {
		fmt.Fprintln(stderr, "cloudreel:", fetch.Plain(err))
		return 1
	}
	uploads, err := uploaderOn(b, nil)
	if err != nil {
		fmt.Fprintln(stderr, "cloudreel:", fetch.Plain(err))
		return 1
	}
	a := app.NewWithID("io.cloudreel.app")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go b.queue.Start(ctx)
	w := gui.New(a, gui.Deps{
		Accounts:      b.store,
		Queue:         b.queue,
		Uploads:       uploads,
		Cleanup:       cleanups,
		DefaultFolder: videosFolder(),
		IsDir:         isDir,
		Version:       version + " (" + build + ")",
		DataDir:       dir,
		StartDemo:     func(context.Context) error { return startDemoProcess() },
		DemoElsewhere: true, // the demo opens its own window: this one closes

		SyncNow:      syncAllNow(b),
		StartAtLogin: startAtLogin(),

		Log: b.log,
	})
	claim.shows(w)
	w.Show()
	a.Run()
	return 0
}

// isDir reports whether path is a folder (for folders dropped on the window).
func isDir(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// videosFolder is the OS's folder for videos: XDG_VIDEOS_DIR on Linux,
// Movies on macOS, Videos on Windows (and as the fallback).
func videosFolder() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return "."
	}
	if runtime.GOOS == "darwin" {
		return filepath.Join(home, "Movies")
	}
	if xdg := xdgVideos(home); xdg != "" {
		return xdg
	}
	return filepath.Join(home, "Videos")
}

// xdgVideos reads XDG_VIDEOS_DIR from the user's user-dirs.dirs (Linux).
func xdgVideos(home string) string {
	cfg := os.Getenv("XDG_CONFIG_HOME")
	if cfg == "" {
		cfg = filepath.Join(home, ".config")
	}
	data, err := os.ReadFile(filepath.Join(cfg, "user-dirs.dirs"))
	if err != nil {
		return ""
	}
	return parseUserDirs(string(data), home)
}

// parseUserDirs finds XDG_VIDEOS_DIR in the text of user-dirs.dirs,
// expanding $HOME.
func parseUserDirs(text, home string) string {
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		v, ok := strings.CutPrefix(line, "XDG_VIDEOS_DIR=")
		if !ok {
			continue
		}
		v = strings.Trim(v, `"`)
		v = strings.ReplaceAll(v, "$HOME", home)
		if v == home || v == home+"/" {
			return "" // "no Videos folder" is spelled as $HOME
		}
		return v
	}
	return ""
}

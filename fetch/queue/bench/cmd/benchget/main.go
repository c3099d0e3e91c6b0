// Command benchget drives Cloudreel's download queue against plain URLs,
// for the benchmarks in fetch/queue/bench/bench.sh: the files are queued as
// one account's recordings, a connector resolves each to its URL, and the
// program exits once every file is whole on disk (status 0) or not (1).
//
//	benchget -dest DIR -state DIR -size BYTES [-c N] URL...
package main

import (
	"context"
	"flag"
	"fmt"
	"iter"
	"os"
	"strconv"
	"time"

	"cloudreel/accounts"
	"cloudreel/fetch"
	"cloudreel/fetch/queue"
)

// urlConnector resolves file i to the i-th URL, as a platform's connector
// would hand out a fresh link.
type urlConnector struct {
	urls []string
	size int64
}

func (c urlConnector) Platform() fetch.Platform { return fetch.Valt }

func (c urlConnector) Check(context.Context) error { return nil }

func (c urlConnector) List(context.Context, fetch.Query) iter.Seq2[fetch.Recording, error] {
	return func(func(fetch.Recording, error) bool) {}
}

func (c urlConnector) Resolve(_ context.Context, f fetch.File) (fetch.Source, error) {
	i, err := strconv.Atoi(f.Ref)
	if err != nil || i < 0 || i >= len(c.urls) {
		return fetch.Source{}, fmt.Errorf("no URL for file %q", f.ID)
	}
	return fetch.Source{URL: c.urls[i], Size: c.size}, nil
}

func main() {
	dest := flag.String("dest", "", "folder to download into")
	state := flag.String("state", "", "folder for the queue's store")
	size := flag.Int64("size", 0, "size of every file in bytes")
	conc := flag.Int("c", 3, "files at once (1-8)")
	flag.Parse()
	if *dest == "" || *state == "" || flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: benchget -dest DIR -state DIR -size BYTES [-c N] URL...")
		os.Exit(2)
	}
	if err := run(*dest, *state, *size, *conc, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "benchget:", err)
		os.Exit(1)
	}
}

func run(dest, state string, size int64, conc int, urls []string) error {
	db, err := accounts.OpenDB(state)
	if err != nil {
		return err
	}
	defer db.Close()
	conn := urlConnector{urls: urls, size: size}
	opts := queue.NewOptions(db, func(context.Context, string) (fetch.Connector, error) { return conn, nil })
	opts.Concurrency = conc
	opts.Headless = true
	opts.Template = "{fileid}.{ext}"
	q, err := queue.New(opts)
	if err != nil {
		return err
	}
	defer q.Close()
	var reqs []queue.AddRequest
	for i := range urls {
		id := "file" + strconv.Itoa(i)
		reqs = append(reqs, queue.AddRequest{
			AccountID: "bench", AccountName: "Bench", Platform: fetch.Valt,
			Recording: fetch.Recording{ID: "rec" + strconv.Itoa(i), Title: "Benchmark " + strconv.Itoa(i)},
			File:      fetch.File{ID: id, RecordingID: "rec" + strconv.Itoa(i), Kind: "video", Ext: "bin", Size: size, Ref: strconv.Itoa(i)},
			Folder:    dest,
		})
	}
	jobs, err := q.Add(reqs...)
	if err != nil {
		return err
	}
	ids := make([]string, len(jobs))
	for i, j := range jobs {
		ids[i] = j.ID
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	start := time.Now()
	rep, err := queue.RunHeadless(ctx, q, ids, os.Stderr, false)
	if err != nil {
		return err
	}
	if !rep.OK() || rep.Done != len(urls) {
		return fmt.Errorf("not every file arrived: %+v", rep)
	}
	fmt.Printf("%.3f\n", time.Since(start).Seconds())
	return nil
}

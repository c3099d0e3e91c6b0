package upload

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// benchSize is the file the benchmark sends: the 1 GiB. It is a
// sparse file, so it takes no room on CI's disk.
const benchSize = 1 << 30

// BenchmarkUploadLargeFile sends a 1 GiB file to the simulated Valt (in
// the same process, so the figures cover both ends) and reports the
// largest heap seen while it went and the process's peak RSS, in MiB
// (target: under 60 MB): streamed, they stay a few MiB whatever the
// file's size. `make bench` runs it.
func BenchmarkUploadLargeFile(b *testing.B) {
	bn := newBench(b)
	path := filepath.Join(bn.dir, "large.mp4")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	// A sparse file: its bytes read as zeros without taking the disk.
	if err := f.Truncate(benchSize); err != nil {
		b.Fatal(err)
	}
	f.Close()
	b.SetBytes(benchSize)
	var peak atomic.Uint64
	for i := range b.N {
		u := bn.uploader(b, nil)
		jobs, err := u.Add(Request{AccountID: "valt1", Path: path, Key: "bench-" + strconv.Itoa(i)})
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		stop := sampleHeap(&peak)
		rep := u.Run(context.Background(), []string{jobs[0].ID})
		stop()
		if !rep.OK() {
			b.Fatalf("the upload failed: %+v", rep.Jobs[0])
		}
	}
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
	if rss, ok := peakRSS(); ok {
		b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MiB")
	}
}

// sampleHeap records the largest in-use heap every few milliseconds until
// the returned function is called.
func sampleHeap(peak *atomic.Uint64) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

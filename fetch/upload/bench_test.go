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

// benchSize is the file the benchmark sends: large enough that reading it
// whole would show plainly in the heap, small enough for CI's disk.
const benchSize = 256 << 20

// BenchmarkUploadLargeFile sends a 256 MiB file to the simulated Valt (in
// the same process, so the figure covers both ends) and reports the
// largest heap seen while it went, in MiB: streamed, it stays a few MiB
// whatever the file's size.
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

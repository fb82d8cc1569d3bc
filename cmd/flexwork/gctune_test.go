package main

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

func TestTheCollectorsHeadroomShrinksAsTheHeapGrows(t *testing.T) {
	for _, c := range []struct {
		live uint64
		want int
	}{{0, 400}, {20 << 20, 400}, {64 << 20, 400}, {128 << 20, 200}, {200 << 20, 128}, {256 << 20, 100}, {4 << 30, 100}} {
		if got := gcPercentFor(c.live); got != c.want {
			t.Errorf("GOGC for %d MiB live: %d, want %d", c.live>>20, got, c.want)
		}
	}
}

func TestTheTunerRunsAfterEachCollection(t *testing.T) {
	var calls atomic.Int32
	stop := afterEachGC(func() { calls.Add(1) })
	for cycles := 0; calls.Load() < 3; cycles++ {
		if cycles == 100 {
			t.Fatalf("%d calls after %d collections", calls.Load(), cycles)
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond) // finalizers run on their own goroutine
	}
	stop()
	runtime.GC()
	time.Sleep(50 * time.Millisecond)
	after := calls.Load()
	runtime.GC()
	time.Sleep(50 * time.Millisecond)
	if calls.Load() != after {
		t.Fatalf("the tuner ran after it was stopped")
	}
	if live := liveHeap(); live == 0 {
		t.Fatal("the live heap reads 0")
	}
}

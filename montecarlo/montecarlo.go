// Package montecarlo is nadra's reproducible parallel Monte Carlo engine:
// one random stream per path derived from the seed and the path index,
// results stored in path order, so a run depends only on its seed and
// inputs and never on how many workers ran it. It also holds the
// distributions and summaries the deal model draws from and reports.
package montecarlo

import (
	"context"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Stream returns the random stream of one path: a PCG generator whose
// two 64-bit seeds are SplitMix64 hashes of (seed, index). Streams of
// different paths are statistically independent for practical purposes,
// and a path's stream does not depend on which worker runs it.
func Stream(seed uint64, index int) *rand.Rand {
	p := new(rand.PCG)
	Reseed(p, seed, index)
	return rand.New(p)
}

// Reseed points an existing PCG at the stream of path index, so workers
// can reuse one generator without allocating.
func Reseed(p *rand.PCG, seed uint64, index int) {
	a := splitmix(seed ^ 0x6a09e667f3bcc909)
	a = splitmix(a + uint64(index))
	b := splitmix(a ^ 0xbb67ae8584caa73b)
	p.Seed(a, b)
}

// splitmix is the SplitMix64 finaliser (Steele, Lea and Flood 2014).
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Config says how many paths to run, from which seed, on how many
// workers.
type Config struct {
	Paths   int
	Seed    uint64
	Workers int // 0 means runtime.GOMAXPROCS(0)
	// Progress, if set, is called from one goroutine with the number of
	// paths done so far, every 100 ms and once at the end.
	Progress func(done int)
}

// Path computes one path: it draws from rng and writes exactly width
// results to out. Implementations keep per-worker scratch space; Run
// makes one per worker with the factory it is given.
type Path interface {
	Run(index int, rng *rand.Rand, out []float64)
}

// Results are the per-path outputs of a run in path order: row i holds
// path i's width values.
type Results struct {
	Paths, Width int
	Data         []float64
}

// Row returns path i's values.
func (r *Results) Row(i int) []float64 { return r.Data[i*r.Width : (i+1)*r.Width] }

// Column returns column j across all paths, in path order.
func (r *Results) Column(j int) []float64 {
	out := make([]float64, r.Paths)
	for i := range out {
		out[i] = r.Data[i*r.Width+j]
	}
	return out
}

// Run runs cfg.Paths paths of width results each, on cfg.Workers
// goroutines, each with its own Path from newPath. Paths are handed out
// in blocks; each path draws from Stream(cfg.Seed, index) and writes its
// row, so the results are identical whatever the number of workers. It
// returns ctx.Err() if the context is cancelled.
func Run(ctx context.Context, cfg Config, width int, newPath func() Path) (*Results, error) {
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if workers > cfg.Paths {
		workers = max(1, cfg.Paths)
	}
	res := &Results{Paths: cfg.Paths, Width: width, Data: make([]float64, cfg.Paths*width)}
	const block = 256
	var next, done atomic.Int64
	var wg sync.WaitGroup
	stop := make(chan struct{})
	var progress sync.WaitGroup
	if cfg.Progress != nil {
		progress.Add(1)
		go func() {
			defer progress.Done()
			t := time.NewTicker(100 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					cfg.Progress(int(done.Load()))
				}
			}
		}()
	}
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := newPath()
			var pcg rand.PCG
			rng := rand.New(&pcg)
			for {
				if ctx.Err() != nil {
					return
				}
				start := int(next.Add(block)) - block
				if start >= cfg.Paths {
					return
				}
				end := min(start+block, cfg.Paths)
				for i := start; i < end; i++ {
					Reseed(&pcg, cfg.Seed, i)
					p.Run(i, rng, res.Data[i*width:(i+1)*width])
				}
				done.Add(int64(end - start))
			}
		}()
	}
	wg.Wait()
	close(stop)
	progress.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if cfg.Progress != nil {
		cfg.Progress(cfg.Paths)
	}
	return res, nil
}

// SummarizeColumns summarises the given columns of res, on up to workers
// goroutines (0: all cores), one column at a time each. The summaries do
// not depend on the number of workers.
func SummarizeColumns(res *Results, cols []int, workers int) []Summary {
	return SummarizeEach(len(cols), workers, func(k int, buf []float64) []float64 {
		buf = buf[:0]
		for i := 0; i < res.Paths; i++ {
			buf = append(buf, res.Data[i*res.Width+cols[k]])
		}
		return buf
	})
}

// SummarizeEach summarises n series on up to workers goroutines; fill
// writes series k into the buffer it is given and returns it.
func SummarizeEach(n, workers int, fill func(k int, buf []float64) []float64) []Summary {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	out := make([]Summary, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < min(workers, n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []float64
			for {
				k := int(next.Add(1)) - 1
				if k >= n {
					return
				}
				buf = fill(k, buf)
				out[k] = summarizeInPlace(buf)
			}
		}()
	}
	wg.Wait()
	return out
}

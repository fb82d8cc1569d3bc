package bench

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"flexwork/server/auth"
)

// Secret signs the bench server's access tokens, so the load generator can
// mint tokens for its virtual users without a password hash per sign-in.
const Secret = "bench-signing-key-0123456789abcdef-0123456789"

// Child is a flexwork process a measurement drives: the server, or the
// floor. The load commands use it too.
type Child struct {
	Addr string
	cmd  *exec.Cmd
	dir  string
	// exited is closed when the process has ended, and waitErr is then
	// how: Wait runs once, from the start.
	exited  chan struct{}
	waitErr error
}

// StartChild runs this binary with args and env (after the environment and
// a data dir, address and token key of its own) and waits until /readyz
// answers.
func StartChild(ctx context.Context, args []string, env ...string) (*Child, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "flexwork-bench-")
	if err != nil {
		return nil, err
	}
	c := &Child{Addr: addr, dir: dir, cmd: exec.CommandContext(ctx, self, args...)}
	c.cmd.Env = append(os.Environ(), "FLEXWORK_DATA_DIR="+dir, "FLEXWORK_ADDR="+addr, "FLEXWORK_JWT_SECRET="+Secret)
	c.cmd.Env = append(c.cmd.Env, env...)
	logFile, err := os.Create(filepath.Join(dir, "server.log"))
	if err != nil {
		return nil, err
	}
	c.cmd.Stdout, c.cmd.Stderr = logFile, logFile
	if err := c.cmd.Start(); err != nil {
		return nil, err
	}
	c.exited = make(chan struct{})
	go func() {
		c.waitErr = c.cmd.Wait()
		close(c.exited)
	}()
	how := "did not become ready in 60 s"
wait:
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); {
		if resp, err := http.Get("http://" + addr + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return c, nil
			}
		}
		select {
		case <-c.exited: // no use waiting out the minute
			how = fmt.Sprintf("exited before it was ready (%v)", c.waitErr)
			break wait
		case <-time.After(100 * time.Millisecond):
		}
	}
	b, _ := os.ReadFile(logFile.Name()) // before Stop removes it
	c.Stop()
	return nil, fmt.Errorf("%s %s; its log:\n%s", args[0], how, lastLines(string(b), 20))
}

// Stop ends the process and removes its data dir.
func (c *Child) Stop() {
	if c.exited != nil {
		_ = c.cmd.Process.Signal(syscall.SIGTERM)
		<-c.exited
	}
	os.RemoveAll(c.dir)
}

// Metric reads one unlabelled series from the process's /metrics.
func (c *Child) Metric(name string) (float64, error) {
	resp, err := http.Get("http://" + c.Addr + "/metrics")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if f := strings.Fields(sc.Text()); len(f) == 2 && f[0] == name {
			return strconv.ParseFloat(f[1], 64)
		}
	}
	if err := sc.Err(); err != nil {
		return 0, err
	}
	return 0, fmt.Errorf("metric %s: not exported", name)
}

// Statements is the server's count of SQL statements so far, NaN when it
// cannot be read: a figure computed from it then prints NaN, not a
// plausible wrong number.
func (c *Child) Statements() float64 {
	v, err := c.Metric("flexwork_sql_statements_total")
	if err != nil {
		return math.NaN()
	}
	return v
}

// RSS is the process's resident memory in bytes.
func (c *Child) RSS() int64 { return c.status("VmRSS:") }

// PeakRSS is the most resident memory the process has held (VmHWM).
func (c *Child) PeakRSS() int64 { return c.status("VmHWM:") }

// status reads a size from /proc/<pid>/status.
func (c *Child) status(field string) int64 {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", c.cmd.Process.Pid))
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, field) {
			f := strings.Fields(line)
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb * 1024
		}
	}
	return 0
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// tokens mints access tokens the bench server accepts.
func tokens() (*auth.Tokens, error) { return auth.NewTokens([]byte(Secret), 24*time.Hour, nil) }

// Fetch saves one of the process's paths (a heap profile) to a file.
func (c *Child) Fetch(path, file string) error {
	resp, err := http.Get("http://" + c.Addr + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(f, resp.Body)
	return err
}

// measured is what a run reads its figures from: one process, or the
// replicas of a server.
type measured interface {
	Statements() float64
	Profile(file string, d time.Duration) func() error
	RSS() int64
}

// replicas are servers sharing one database: their statements and memory
// add up; the profile is the first one's.
type replicas struct{ servers []*Child }

func (r *replicas) Statements() float64 {
	n := 0.0
	for _, s := range r.servers {
		n += s.Statements()
	}
	return n
}

func (r *replicas) Profile(file string, d time.Duration) func() error {
	return r.servers[0].Profile(file, d)
}

func (r *replicas) RSS() int64 {
	var n int64
	for _, s := range r.servers {
		n += s.RSS()
	}
	return n
}

// quiesce waits (up to 30 s) until the server is idle: jobs left over from
// an earlier run (pushes, fan-outs) would otherwise count as this run's SQL.
func quiesce(c measured) {
	last := c.Statements()
	calm := 0
	for deadline := time.Now().Add(30 * time.Second); calm < 2 && time.Now().Before(deadline); {
		time.Sleep(500 * time.Millisecond)
		now := c.Statements()
		if now-last <= 5 {
			calm++
		} else {
			calm = 0
		}
		last = now
	}
}

// Profile records the process's CPU profile for d into file in the
// background (nothing when file is ""); the returned function waits for it.
func (c *Child) Profile(file string, d time.Duration) func() error {
	if file == "" {
		return func() error { return nil }
	}
	done := make(chan error, 1)
	go func() {
		resp, err := http.Get(fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", c.Addr, max(1, int(d.Seconds()))))
		if err != nil {
			done <- err
			return
		}
		defer resp.Body.Close()
		f, err := os.Create(file)
		if err != nil {
			done <- err
			return
		}
		_, err = io.Copy(f, resp.Body)
		f.Close()
		done <- err
	}()
	return func() error { return <-done }
}

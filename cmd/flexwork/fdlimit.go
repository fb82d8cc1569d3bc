package main

import (
	"fmt"
	"syscall"
)

// raiseFileLimit lifts the soft open-files limit to the hard one: ten
// thousand sockets need ten thousand descriptors on each side. The server
// child inherits it.
func raiseFileLimit() {
	var r syscall.Rlimit
	if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &r) == nil && r.Cur < r.Max {
		r.Cur = r.Max
		_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &r)
	}
}

// needFiles fails at once when this process (and so the server child)
// cannot open want descriptors, even after raising its hard limit where it
// may: dials failing one by one near the limit would read as a slow or
// broken server.
func needFiles(want uint64) error {
	var r syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &r); err != nil {
		return err
	}
	if r.Max >= want {
		return nil
	}
	// Only a process with CAP_SYS_RESOURCE may raise its hard limit.
	if syscall.Setrlimit(syscall.RLIMIT_NOFILE, &syscall.Rlimit{Cur: want, Max: want}) == nil {
		return nil
	}
	return fmt.Errorf("this load needs %d open files per process and the hard limit here is %d "+
		"(raise it as root with `ulimit -Hn`, or ask for fewer)", want, r.Max)
}

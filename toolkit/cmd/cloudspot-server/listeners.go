package main

import (
	"errors"
	"fmt"
	"net"
	"syscall"
)

// listenAddr is an address serve listens on, with the flag that chose it
// so that a failure names what to change.
type listenAddr struct {
	flag, addr string
}

// bindListeners binds every address serve listens on, in order, before
// anything else is opened: a port that another process holds fails the
// start before a database is created or migrated. On a failure the
// listeners already bound are closed. Each listener (the API, the metrics,
// ...) is one entry of addrs.
func bindListeners(addrs ...listenAddr) ([]net.Listener, error) {
	lns := make([]net.Listener, 0, len(addrs))
	for _, a := range addrs {
		ln, err := net.Listen("tcp", a.addr)
		if err != nil {
			for _, l := range lns {
				l.Close()
			}
			return nil, bindError(a, err)
		}
		lns = append(lns, ln)
	}
	return lns, nil
}

// bindError says why a could not be bound and what to do.
func bindError(a listenAddr, err error) error {
	_, port, _ := net.SplitHostPort(a.addr)
	switch {
	case errors.Is(err, syscall.EADDRINUSE):
		return fmt.Errorf("%s %s: port %s is in use (another cloudspot-server?); stop what listens there, or choose another port with %s", a.flag, a.addr, port, a.flag)
	case errors.Is(err, syscall.EACCES):
		return fmt.Errorf("%s %s: port %s needs privileges this process lacks; choose a port above 1023 and put a reverse proxy in front (see docs/deploy.md)", a.flag, a.addr, port)
	case errors.Is(err, syscall.EADDRNOTAVAIL):
		return fmt.Errorf("%s %s: no interface of this machine has that address", a.flag, a.addr)
	}
	return fmt.Errorf("%s %s: %w", a.flag, a.addr, err)
}

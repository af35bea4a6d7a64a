package main

import (
	"net"
)

// notifySystemd sends state ("READY=1", "STOPPING=1") to the service
// manager that started the process, when it asked for it: systemd with
// Type=notify sets NOTIFY_SOCKET to a datagram socket, and waits for
// READY=1 before it counts the service as started (and starts what comes
// after it). Without NOTIFY_SOCKET it does nothing. A name that starts with
// "@" is in Linux's abstract namespace, which package net reads as such.
func notifySystemd(getenv func(string) string, state string) error {
	name := getenv("NOTIFY_SOCKET")
	if name == "" {
		return nil
	}
	conn, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: name, Net: "unixgram"})
	if err != nil {
		return err
	}
	defer conn.Close()
	_, err = conn.Write([]byte(state))
	return err
}

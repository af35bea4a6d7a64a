// Command cloudspot is the Cloudspot ERP API from a terminal: sign users of
// an external app in, look at their permissions, and list a company's
// products and clients as a table for people or as JSON, NDJSON or CSV for
// scripts.
//
//	cloudspot login --app timeapp          # sign in, token kept in the OS keyring
//	cloudspot permissions --has timeapp_use
//	CLOUDSPOT_TOKEN=... cloudspot artikels list --status ZICHTBAAR -o csv
//
// Exit codes follow gh: 0 success, 1 a failed call, 2 wrong usage,
// 4 authentication needed.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/command"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(report(err, os.Stderr))
}

// Exit codes, as gh uses them.
const (
	exitOK       = 0
	exitFailed   = 1
	exitUsage    = 2
	exitNeedAuth = 4
)

// report writes err as one line on w and returns the process's exit code.
func report(err error, w io.Writer) int {
	if err == nil {
		return exitOK
	}
	var q quietExit
	if errors.As(err, &q) {
		return q.code
	}
	fmt.Fprintln(w, "cloudspot:", command.Visible(err.Error(), ""))
	return exitCode(err)
}

// exitCode maps an error returned by run to the process's exit code.
func exitCode(err error) int {
	var u usageError
	var a authError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &u):
		return exitUsage
	case errors.As(err, &a):
		return exitNeedAuth
	}
	var q quietExit
	if errors.As(err, &q) {
		return q.code
	}
	return exitFailed
}

// usageError is a mistake in the command line (exit code 2).
type usageError struct{ error }

// authError means the user must sign in or supply a valid token (exit
// code 4).
type authError struct{ error }

// failure is a call that failed for another reason (exit code 1). Commands
// return it so that run can tell their errors from cobra's own usage errors.
type failure struct{ error }

// quietExit ends the program with code and prints nothing, for answers that
// are the exit code itself (permissions --has).
type quietExit struct{ code int }

func (q quietExit) Error() string { return fmt.Sprintf("exit status %d", q.code) }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }
func authf(format string, args ...any) error  { return authError{fmt.Errorf(format, args...)} }
func failf(format string, args ...any) error  { return failure{fmt.Errorf(format, args...)} }

// isTyped reports whether err already carries its exit code.
func isTyped(err error) bool {
	var u usageError
	var a authError
	var f failure
	var q quietExit
	return errors.As(err, &u) || errors.As(err, &a) || errors.As(err, &f) || errors.As(err, &q)
}

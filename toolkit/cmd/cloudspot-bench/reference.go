package main

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The reference Python client (cloudspot-erp-api) is measured beside SDK
// All when -reference names it: a driver of ours (reference.py) lists the
// same company with the client's CompanyAPI, unchanged, in a python3
// process of its own, and prints what a client process of the bench
// prints. The client itself is never part of this module: a user gets it
// with pip install cloudspot-erp-api, or checks out its repository.

//go:embed reference.py
var referenceDriver string

// installedReference is the -reference value for the client that python3
// imports without help (pip install cloudspot-erp-api).
const installedReference = "installed"

// referenceHint is what the bench says when -reference is not given.
const referenceHint = "the reference Python client is not measured: add -reference DIR (a checkout of cloudspot-erp-api, the directory holding cloudspot/api.py) or -reference installed (pip install cloudspot-erp-api) for its rows beside SDK All"

// reference is the reference client found by -reference.
type reference struct {
	python  string // the python3 that runs the driver
	dir     string // the checkout put on PYTHONPATH; "" for the installed client
	workDir string // where the driver runs, so that no directory of the caller's shadows the client
	module  string // the cloudspot/api.py that python3 imported
	release string // cloudspot-erp-api's version, "unknown" when neither setup.py nor metadata tells
	pyVer   string // python3's version
}

// findReference checks that python3 imports the client that arg names
// (a directory holding cloudspot/api.py, or "installed") and returns it.
// Every failure is a usage error that says what to do.
func findReference(ctx context.Context, arg, workDir string) (*reference, error) {
	python, err := exec.LookPath("python3")
	if err != nil {
		return nil, usageError{errors.New("-reference: python3 is not on PATH; install Python 3 with requests, or leave -reference out")}
	}
	r := &reference{python: python, workDir: workDir}
	if arg != installedReference {
		if r.dir, err = filepath.Abs(arg); err != nil {
			return nil, usageError{fmt.Errorf("-reference %s: %v", arg, err)}
		}
		if fi, err := os.Stat(r.dir); err != nil || !fi.IsDir() {
			return nil, usageError{fmt.Errorf("-reference %s: no such directory; give a checkout of cloudspot-erp-api (the directory holding cloudspot/api.py), or %q for the one pip installed", arg, installedReference)}
		}
		if _, err := os.Stat(filepath.Join(r.dir, "cloudspot", "api.py")); err != nil {
			return nil, usageError{fmt.Errorf("-reference %s: no cloudspot/api.py in it; give the directory that holds the package cloudspot (a checkout of cloudspot-erp-api), or %q for the one pip installed", arg, installedReference)}
		}
	}
	out, err := r.driver(ctx, "check")
	if err != nil {
		if r.dir == "" {
			return nil, usageError{fmt.Errorf("-reference %s: python3 cannot import cloudspot.api (%v); pip install cloudspot-erp-api, or give -reference a checkout of it", arg, err)}
		}
		return nil, usageError{fmt.Errorf("-reference %s: python3 cannot import cloudspot.api from it (%v); give a checkout of cloudspot-erp-api, with requests installed", arg, err)}
	}
	var found struct {
		Module  string `json:"module"`
		Release string `json:"release"`
		Python  string `json:"python"`
	}
	if err := decodeDriverLine(out, &found); err != nil || found.Module == "" {
		return nil, fmt.Errorf("-reference %s: the driver's check printed %q: %v", arg, out, err)
	}
	if r.dir != "" && !strings.HasPrefix(found.Module, r.dir+string(filepath.Separator)) {
		return nil, usageError{fmt.Errorf("-reference %s: python3 imported %s instead, from outside the directory", arg, found.Module)}
	}
	r.module, r.release, r.pyVer = found.Module, found.Release, found.Python
	return r, nil
}

// list has the client list a company's artikels or klanten (what) from the
// server at base, runs times in one process, and reads the driver's result.
func (r *reference) list(ctx context.Context, what, base, token string, runs int) (clientResult, error) {
	out, err := r.driver(ctx, what, base, token, strconv.Itoa(runs))
	if err != nil {
		return clientResult{}, fmt.Errorf("reference client %s.list(): %w", what, err)
	}
	res, err := parseReferenceResult(out, runs)
	if err != nil {
		return res, fmt.Errorf("reference client %s.list(): %w", what, err)
	}
	return res, nil
}

// driver runs reference.py with args and returns what it printed; a failure
// carries the end of what it said on stderr (a traceback ends with its
// cause).
func (r *reference) driver(ctx context.Context, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, r.python, append([]string{"-c", referenceDriver}, args...)...)
	cmd.Dir = r.workDir
	cmd.Env = os.Environ()
	if r.dir != "" {
		cmd.Env = append(cmd.Env, "PYTHONPATH="+r.dir)
	}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%v: %s", err, lastLines(errOut.String(), 3))
	}
	return out.Bytes(), nil
}

// lastLines returns the last n non-empty lines of s, at most 1000 bytes.
func lastLines(s string, n int) string {
	lines := strings.FieldsFunc(s, func(r rune) bool { return r == '\n' })
	lines = lines[max(0, len(lines)-n):]
	out := strings.Join(lines, " | ")
	if len(out) > 1000 {
		out = "..." + out[len(out)-1000:]
	}
	return out
}

// decodeDriverLine decodes the one JSON object that the driver prints,
// refusing anything before or after it and keys it does not know.
func decodeDriverLine(out []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	switch _, err := dec.Token(); err {
	case io.EOF:
		return nil
	case nil:
		return errors.New("more than one JSON value")
	default:
		return err
	}
}

// parseReferenceResult reads the driver's result of runs lists: one JSON
// line with the items of the last list, one positive duration per list and
// a positive peak RSS.
func parseReferenceResult(out []byte, runs int) (clientResult, error) {
	var r clientResult
	if err := decodeDriverLine(out, &r); err != nil {
		return clientResult{}, fmt.Errorf("the driver printed %.200q: %v", out, err)
	}
	switch {
	case len(r.Durations) != runs:
		return clientResult{}, fmt.Errorf("the driver timed %d lists, want %d", len(r.Durations), runs)
	case slices.Min(r.Durations) <= 0:
		return clientResult{}, fmt.Errorf("the driver timed a list at %s", slices.Min(r.Durations))
	case r.Items < 0:
		return clientResult{}, fmt.Errorf("the driver counted %d items", r.Items)
	case r.PeakRSS <= 0:
		return clientResult{}, fmt.Errorf("the driver's peak RSS is %d", r.PeakRSS)
	}
	return r, nil
}

// benchReference lists the company's artikels and klanten with the
// reference client, from the server itself, and prints them beside SDK
// All of the same company: artikels in the SDK's default version (what a
// program gets; artikelsAll, measured already for the Artikels table) and
// in version 0.4, the bytes the reference client reads, since it sends no
// version and would fail on a later version's keys; klanten in the SDK's
// default version. Each side must count every item seeded.
func benchReference(ctx context.Context, c config, srv *server, co seeded, artikelsAll clientResult, stdout io.Writer) error {
	rows := []struct {
		what string // the reference client's endpoint
		sdk  string // the SDK's call
		mode string // the client mode that measures it; "" for artikelsAll
	}{
		{"artikels", "Artikels.All, its default version (latest)", ""},
		{"artikels", "Artikels.All, version 0.4 (the reference client's bytes)", "all-0.4"},
		{"klanten", "Klanten.All, its default version (latest)", "klanten-all"},
	}
	t := table{title: fmt.Sprintf("SDK All beside the reference Python client (cloudspot-erp-api %s, Python %s), %d products and %d clients, from the server (median, slowest of %d)", c.reference.release, c.reference.pyVer, co.n, co.n, c.runs),
		head: []string{"reference client", "SDK", "items", "reference: median", "slowest", "peak RSS", "SDK: median", "slowest", "client peak RSS", "SDK All is"}}
	refs := map[string]clientResult{} // per endpoint: one reference measure for its rows
	for _, row := range rows {
		ref, ok := refs[row.what]
		if !ok {
			var err error
			if ref, err = c.reference.list(ctx, row.what, srv.url, co.token, c.runs); err != nil {
				return err
			}
			refs[row.what] = ref
		}
		sdk := artikelsAll
		if row.mode != "" {
			var err error
			if sdk, err = client(ctx, c, row.mode, srv.url, co.token, c.runs); err != nil {
				return fmt.Errorf("SDK %s: %w", row.sdk, err)
			}
		}
		if ref.Items != co.n || sdk.Items != co.n {
			return fmt.Errorf("%d %s seeded, but the reference client's %s.list() read %d and SDK %s %d", co.n, row.what, row.what, ref.Items, row.sdk, sdk.Items)
		}
		refMed, sdkMed := median(ref.Durations), median(sdk.Durations)
		t.add(row.what+".list()", row.sdk, strconv.Itoa(co.n),
			dur(refMed), dur(slices.Max(ref.Durations)), mb(ref.PeakRSS),
			dur(sdkMed), dur(slices.Max(sdk.Durations)), mb(sdk.PeakRSS), speedup(refMed, sdkMed))
	}
	t.print(stdout)
	return nil
}

// speedup says how many times faster the SDK's median was than the
// reference client's.
func speedup(ref, sdk time.Duration) string {
	if sdk >= ref {
		return fmt.Sprintf("%.1fx slower", float64(sdk)/float64(ref))
	}
	return fmt.Sprintf("%.1fx faster", float64(ref)/float64(sdk))
}

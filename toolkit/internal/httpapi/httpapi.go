// Package httpapi serves the ERP's wire protocol (version 1) over HTTP on
// top of an erp.Service. Every response is JSON with exactly the keys the
// protocol names, errors included, because the reference client rejects
// anything else.
package httpapi

import (
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// Prefix is where the API is mounted.
const Prefix = "/api/v1"

// Header names of the protocol.
const (
	HeaderRequestor = "X-ERP-REQUESTOR"
	HeaderToken     = "X-ERP-TOKEN"
)

// Handler serves the API. Create it with New.
type Handler struct {
	svc     *erp.Service
	log     *slog.Logger
	proxies []netip.Prefix
	routes  map[string]map[string]http.HandlerFunc // path without trailing slash → method → handler
	observe Observer
	// lists keeps the list bodies; listDir and listMax are where and how
	// many bytes of them (ListFiles).
	lists   *listFiles
	listDir string
	listMax int64
	// treeWriters are the buffers of the category trees (*bufio.Writer),
	// per Handler, so that nothing is shared between servers in one
	// process.
	treeWriters sync.Pool
}

// Option changes a Handler.
type Option func(*Handler)

// TrustProxies makes the handler take a sign-in's client address from the
// X-Forwarded-For header when the request comes from one of these networks
// (a reverse proxy of one's own). Without it the header is ignored: anyone
// can send it, and believing it would let a client pick the address its
// sign-in limits are counted under.
func TrustProxies(networks ...netip.Prefix) Option {
	return func(h *Handler) { h.proxies = append(h.proxies, networks...) }
}

// Observer is told of every request once it is answered: route is the
// matched route ("/api/v1/artikels", without the trailing slash) or "other"
// for an unknown path, and method one of the methods of HTTP (GET, POST,
// ...) or "other" (see MethodLabel), so that it can label metrics without
// letting clients invent labels.
type Observer func(route, method string, status int, took time.Duration)

// MethodLabel is method when it is one of the methods HTTP defines, and
// "other" for any other: what a client sends there is not bounded, and a
// metric labelled with it would grow with every new one.
func MethodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodConnect, http.MethodOptions, http.MethodTrace:
		return method
	}
	return "other"
}

// Observe makes the handler report every request to o.
func Observe(o Observer) Option {
	return func(h *Handler) { h.observe = o }
}

// ListFiles makes the handler keep the list bodies it sends in a directory
// it makes under dir ("" for the system's temporary directory), at most
// maxBytes of them (DefaultListFilesSize when 0). Close removes them.
func ListFiles(dir string, maxBytes int64) Option {
	return func(h *Handler) { h.listDir, h.listMax = dir, maxBytes }
}

// New returns the API handler for svc, logging to log. Logs carry method,
// path, status and duration; never a header, a body or a token. The method
// and path are the client's: log should clip and escape what it writes (as
// cloudspot-server's logger does).
func New(svc *erp.Service, log *slog.Logger, opts ...Option) *Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	h := &Handler{svc: svc, log: log}
	for _, o := range opts {
		o(h)
	}
	if h.listMax <= 0 {
		h.listMax = DefaultListFilesSize
	}
	h.lists = newListFiles(h.listDir, h.listMax)
	h.routes = map[string]map[string]http.HandlerFunc{
		Prefix + "/auth/signin-external-app": {http.MethodPost: h.signIn},
		Prefix + "/auth/get-permissions":     {http.MethodGet: h.permissions},
		Prefix + "/auth/get-user":            {http.MethodGet: h.user},
		Prefix + "/auth/signout":             {http.MethodPost: h.signOut},
		Prefix + "/artikels":                 {http.MethodGet: h.artikels},
		Prefix + "/klanten":                  {http.MethodGet: h.klanten},
		Prefix + "/categories":               {http.MethodGet: h.categories},
		Prefix + "/openapi.json":             {http.MethodGet: h.openapi},
		"/healthz":                           {http.MethodGet: h.healthz},
		"/readyz":                            {http.MethodGet: h.readyz},
	}
	return h
}

// Close removes the list bodies the handler keeps on disk. Lists asked for
// after it fail; stop the server first.
func (h *Handler) Close() error { return h.lists.close() }

// ServeHTTP routes a request. Paths match with or without their trailing
// slash (POST cannot follow a redirect reliably, so both are served); an
// unknown path is a JSON 404 and a known path with another method a JSON 405.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	id := h.requestID(r)
	rec.Header().Set(HeaderRequestID, id)
	route := "other"
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			h.log.Error("panic serving request", "request_id", id, "method", r.Method, "path", r.URL.Path, "panic", v)
			if rec.wrote {
				// Part of a body went out: cut the connection so that
				// the client cannot take it for a whole one.
				panic(http.ErrAbortHandler)
			}
			writeJSON(rec, http.StatusInternalServerError, message{"Internal error."})
		}
		took := time.Since(start)
		h.log.Info("request", "request_id", id, "method", r.Method, "path", r.URL.Path, "status", rec.status, "duration", took.Round(time.Microsecond))
		if h.observe != nil {
			h.observe(route, MethodLabel(r.Method), rec.status, took)
		}
	}()
	rec.Header().Set("X-Content-Type-Options", "nosniff")
	rec.Header().Set("Cache-Control", "no-store")
	if tooLarge(rec, r) {
		return
	}
	path := strings.TrimSuffix(r.URL.Path, "/")
	if path == "" {
		path = "/"
	}
	methods, ok := h.routes[path]
	if !ok || !canonical(r.URL) {
		writeJSON(rec, http.StatusNotFound, message{"Not found."})
		return
	}
	route = path
	handle, ok := methods[r.Method]
	if !ok && r.Method == http.MethodHead {
		handle, ok = methods[http.MethodGet]
	}
	if !ok {
		allow := make([]string, 0, len(methods))
		for m := range methods {
			allow = append(allow, m)
		}
		sort.Strings(allow)
		rec.Header().Set("Allow", strings.Join(allow, ", "))
		// Only a method of HTTP is named: the answer does not echo what
		// a client made up.
		msg := "Method " + r.Method + " not allowed."
		if MethodLabel(r.Method) == "other" {
			msg = "Method not allowed."
		}
		writeJSON(rec, http.StatusMethodNotAllowed, message{msg})
		return
	}
	// A version nobody speaks is refused on every call alike, even where
	// all versions answer the same, so that a client's mistake shows at
	// once.
	if _, err := askedVersion(r); err != nil {
		h.fail(rec, r, err)
		return
	}
	handle(rec, r)
}

// message is the protocol's error body.
type message struct {
	Message string `json:"message"`
}

// StatusOf returns the HTTP status for a domain error: the one table from
// domain error codes to HTTP statuses.
func StatusOf(err error) int {
	switch erp.ErrorCode(err) {
	case erp.EInvalid:
		return http.StatusBadRequest
	case erp.EUnauthorized:
		return http.StatusUnauthorized
	case erp.EForbidden:
		return http.StatusForbidden
	case erp.ENotFound:
		return http.StatusNotFound
	case erp.EConflict:
		return http.StatusConflict
	case erp.ETooMany:
		return http.StatusTooManyRequests
	case erp.EUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// fail writes err as the protocol's error body. Internal errors are logged
// in full and shown to the client only as "Internal error.".
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := StatusOf(err)
	var de *erp.Error
	if errors.As(err, &de) && de.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((de.RetryAfter+time.Second-1)/time.Second)))
	}
	switch status {
	case http.StatusInternalServerError:
		h.log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	case http.StatusServiceUnavailable:
		h.log.Warn("unavailable", "method", r.Method, "path", r.URL.Path, "err", err)
		w.Header().Set("Retry-After", "2")
	}
	writeJSON(w, status, message{erp.ErrorMessage(err)})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"message":"Internal error."}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.wrote {
		s.status, s.wrote = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	s.wrote = true
	return s.ResponseWriter.Write(b)
}

// ReadFrom lets net/http send a file with sendfile through the recorder.
func (s *statusRecorder) ReadFrom(r io.Reader) (int64, error) {
	s.wrote = true
	if rf, ok := s.ResponseWriter.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(struct{ io.Writer }{s.ResponseWriter}, r)
}

// canonical reports whether a request's path is written the one plain way:
// no percent-encoding where none is needed (an encoded slash, an encoded
// letter), no empty segment and no dot segment. Another spelling of a
// resource's path is 404, so that a proxy's path rules cannot be walked
// around.
func canonical(u *url.URL) bool {
	if u.RawPath != "" || !strings.HasPrefix(u.Path, "/") || strings.Contains(u.Path, "//") {
		return false
	}
	for _, seg := range strings.Split(u.Path, "/") {
		if seg == "." || seg == ".." {
			return false
		}
	}
	return true
}

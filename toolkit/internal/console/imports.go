package console

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/importfile"
)

// Imports: a file is uploaded, previewed (every record checked by the
// import's own rules, nothing written), and imported only when the console
// user says so, all or nothing, as admin import does. A large file is read
// in the background while the page shows how far it got.

// Bounds on the imports a process keeps.
const (
	maxImports        = 32               // uploaded files kept at once, over all users
	maxImportsPerUser = 4                // ... of one console user
	importKept        = time.Hour        // how long a finished import is shown
	uploadTime        = 10 * time.Minute // how long an upload may take to arrive
)

// Import states.
const (
	stateChecking  = "checking"
	stateChecked   = "checked"
	stateImporting = "importing"
	stateImported  = "imported"
	stateFailed    = "failed"
)

// imports are the uploaded files of this process, each with its preview
// and its import.
type imports struct {
	dir    string
	ctx    context.Context // ends with Close
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu   sync.Mutex
	jobs map[string]*importJob
}

func newImports(dir string) *imports {
	ctx, cancel := context.WithCancel(context.Background())
	return &imports{dir: dir, ctx: ctx, cancel: cancel, jobs: map[string]*importJob{}}
}

// close stops the imports in progress (their transactions roll back) and
// removes the files.
func (im *imports) close() error {
	im.cancel()
	im.wg.Wait()
	return os.RemoveAll(im.dir)
}

// importJob is one uploaded file.
type importJob struct {
	ID      string
	owner   int64 // the console user who uploaded it; nobody else sees it
	Company string
	Kind    string
	Format  importfile.Format
	Name    string // the file's name as uploaded, for the page
	Size    int64
	path    string
	created time.Time

	read atomic.Int64 // bytes read by the step in progress

	mu      sync.Mutex
	state   string
	preview erp.ImportPreview
	result  erp.ImportResult
	failure string
	ended   time.Time
}

// importView is a job as its page shows it, read under its lock.
type importView struct {
	ID, Company, Kind, Name string
	Format                  importfile.Format
	Size                    int64
	State                   string
	Percent                 int
	Preview                 erp.ImportPreview
	Result                  erp.ImportResult
	Failure                 string
}

func (j *importJob) view() importView {
	j.mu.Lock()
	defer j.mu.Unlock()
	v := importView{ID: j.ID, Company: j.Company, Kind: j.Kind, Name: j.Name, Format: j.Format, Size: j.Size,
		State: j.state, Preview: j.preview, Result: j.result, Failure: j.failure}
	if j.Size > 0 {
		v.Percent = int(min(100, j.read.Load()*100/j.Size))
	}
	return v
}

// add keeps a new job, making room by forgetting finished ones that are
// old; it refuses when the user or the process holds too many.
func (im *imports) add(j *importJob, now time.Time) error {
	im.mu.Lock()
	defer im.mu.Unlock()
	mine := 0
	for id, o := range im.jobs {
		o.mu.Lock()
		expired := !o.ended.IsZero() && now.Sub(o.ended) > importKept
		o.mu.Unlock()
		if expired {
			os.Remove(o.path)
			delete(im.jobs, id)
			continue
		}
		if o.owner == j.owner {
			mine++
		}
	}
	if mine >= maxImportsPerUser || len(im.jobs) >= maxImports {
		return erp.Errorf(erp.ETooMany, "Too many imports are waiting; import or leave them for an hour first.")
	}
	im.jobs[j.ID] = j
	return nil
}

// job returns a job of the console user; another user's is not found.
func (im *imports) job(id string, owner int64) (*importJob, error) {
	im.mu.Lock()
	defer im.mu.Unlock()
	j := im.jobs[id]
	if j == nil || j.owner != owner {
		return nil, erp.Errorf(erp.ENotFound, "There is no such import; an import is kept an hour after it ends.")
	}
	return j, nil
}

// run does step in the background on the job's file, counting what it
// reads, and records how it ended.
func (im *imports) run(j *importJob, actor string, step func(ctx context.Context, r io.Reader) error) {
	im.wg.Add(1)
	go func() {
		defer im.wg.Done()
		j.read.Store(0)
		err := func() error {
			f, err := os.Open(j.path)
			if err != nil {
				return err
			}
			defer f.Close()
			return step(erp.WithActor(im.ctx, actor), &countingReader{f, &j.read})
		}()
		if err != nil {
			j.mu.Lock()
			j.state, j.failure, j.ended = stateFailed, err.Error(), time.Now()
			j.mu.Unlock()
			os.Remove(j.path)
		}
	}()
}

type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// isUpload reports whether r uploads an import file: its body is bounded,
// and its form token checked, by uploadImport as it reads it.
func isUpload(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return r.Method == http.MethodPost && mt == "multipart/form-data" &&
		strings.HasPrefix(r.URL.Path, "/companies/") && strings.HasSuffix(r.URL.Path, "/import")
}

type importFormPage struct {
	Company *erp.Company
	Kinds   []string
	Kind    string
	Format  string
	Max     int64
}

func (c *Console) importForm(q *request) error {
	return c.importPage(q, http.StatusOK, importFormPage{Kind: q.r.FormValue("kind")})
}

func (c *Console) importPage(q *request, status int, p importFormPage, errs ...fieldError) error {
	co, err := c.svc.Company(q.ctx, q.r.PathValue("company"))
	if err != nil {
		return err
	}
	p.Company, p.Kinds, p.Max = co, importfile.Kinds(), c.cfg.MaxUpload
	if p.Kind == "" {
		p.Kind = importfile.KindArtikels
	}
	return q.page(c, status, "import", "companies", "Import into "+co.Name, p, errs...)
}

// uploadImport reads an uploaded file into the console's directory and
// starts its preview. The form's parts come in the order of its fields:
// the token first, so that nothing of a forged upload is written.
func (c *Console) uploadImport(q *request) error {
	slug := q.r.PathValue("company")
	if _, err := c.svc.Company(q.ctx, slug); err != nil {
		return err
	}
	http.NewResponseController(q.w).SetReadDeadline(time.Now().Add(uploadTime))
	q.r.Body = http.MaxBytesReader(q.w, q.r.Body, c.cfg.MaxUpload+maxFormBytes)
	mr, err := q.r.MultipartReader()
	if err != nil {
		return c.importPage(q, http.StatusBadRequest, importFormPage{}, fieldError{"file", "The form did not arrive whole; send it again."})
	}
	var p importFormPage
	tokenOK := false
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return c.uploadFailed(q, p, err)
		}
		name := part.FormName()
		if name != "csrf" && !tokenOK {
			part.Close()
			return c.refuseForm(q)
		}
		if name != "file" {
			v, err := io.ReadAll(io.LimitReader(part, 256))
			part.Close()
			if err != nil {
				return c.uploadFailed(q, p, err)
			}
			switch name {
			case "csrf":
				tokenOK = q.tokenOK(string(v))
			case "kind":
				p.Kind = string(v)
			case "format":
				p.Format = string(v)
			}
			continue
		}
		return c.receiveFile(q, slug, p, part)
	}
	if !tokenOK {
		return c.refuseForm(q)
	}
	return c.importPage(q, http.StatusBadRequest, p, fieldError{"file", "Choose a file to import."})
}

func (c *Console) refuseForm(q *request) error {
	c.message(q.w, q.r, http.StatusForbidden, "Refused", "This form's token is missing or belongs to another session, so it was not accepted. Reload the page and try again.")
	return nil
}

func (c *Console) uploadFailed(q *request, p importFormPage, err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return c.importPage(q, http.StatusRequestEntityTooLarge, p, fieldError{"file", fmt.Sprintf("The file is larger than the console takes (%d MB); import it with cloudspot-server admin import.", c.cfg.MaxUpload>>20)})
	}
	return c.importPage(q, http.StatusBadRequest, p, fieldError{"file", "The file did not arrive whole; send it again."})
}

// receiveFile writes the file part to disk and starts its preview.
func (c *Console) receiveFile(q *request, slug string, p importFormPage, part io.ReadCloser) error {
	defer part.Close()
	name := ""
	if fp, ok := part.(interface{ FileName() string }); ok {
		name = clipText(filepath.Base(fp.FileName()), 100)
	}
	if !slices.Contains(importfile.Kinds(), p.Kind) {
		return c.importPage(q, http.StatusBadRequest, p, fieldError{"kind", "Choose what the file holds."})
	}
	var f importfile.Format
	var err error
	if p.Format != "" {
		f, err = importfile.ParseFormat(p.Format)
	} else {
		f, err = importfile.FormatOf(name)
	}
	if err != nil {
		return c.importPage(q, http.StatusBadRequest, p, fieldError{"format", err.Error() + "; choose the format"})
	}
	j := &importJob{ID: randomID(), owner: q.user.ID, Company: slug, Kind: p.Kind, Format: f, Name: name, created: time.Now(), state: stateChecking}
	j.path = filepath.Join(c.imports.dir, j.ID)
	out, err := os.OpenFile(j.path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	n, err := io.Copy(out, io.LimitReader(part, c.cfg.MaxUpload+1))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > c.cfg.MaxUpload {
		err = &http.MaxBytesError{Limit: c.cfg.MaxUpload}
	}
	if err != nil {
		os.Remove(j.path)
		return c.uploadFailed(q, p, err)
	}
	j.Size = n
	if err := c.imports.add(j, time.Now()); err != nil {
		os.Remove(j.path)
		return c.importPage(q, http.StatusTooManyRequests, p, fieldError{"file", erp.ErrorMessage(err)})
	}
	c.imports.run(j, erp.ConsoleActor(q.user.Username), func(ctx context.Context, r io.Reader) error {
		pv, err := importfile.Preview(ctx, c.svc, j.Kind, j.Company, r, j.Format)
		if err != nil {
			return err
		}
		j.mu.Lock()
		defer j.mu.Unlock()
		j.state, j.preview = stateChecked, pv
		if pv.Problems != nil {
			j.ended = time.Now()
			os.Remove(j.path) // it cannot be imported
		}
		return nil
	})
	return q.done(c, "/imports/"+j.ID, "")
}

func (c *Console) showImport(q *request) error {
	j, err := c.imports.job(q.r.PathValue("id"), q.user.ID)
	if err != nil {
		return err
	}
	v := j.view()
	view := view{Title: "Import " + v.Kind, Nav: "companies", User: q.user, CSRF: q.csrf, Flash: c.takeFlash(q.w, q.r), Data: v}
	if v.State == stateChecking || v.State == stateImporting {
		view.Refresh = 1
	}
	c.render(q.w, q.r, http.StatusOK, "importjob", view)
	return nil
}

// runImport is admin import: the file the preview passed, all or nothing.
func (c *Console) runImport(q *request) error {
	j, err := c.imports.job(q.r.PathValue("id"), q.user.ID)
	if err != nil {
		return err
	}
	j.mu.Lock()
	ready := j.state == stateChecked && j.preview.Problems == nil
	if ready {
		j.state = stateImporting
	}
	j.mu.Unlock()
	if !ready {
		return q.done(c, "/imports/"+j.ID, "This file cannot be imported (again).")
	}
	c.imports.run(j, erp.ConsoleActor(q.user.Username), func(ctx context.Context, r io.Reader) error {
		res, err := importfile.Import(ctx, c.svc, j.Kind, j.Company, r, j.Format)
		if err != nil {
			return err
		}
		j.mu.Lock()
		j.state, j.result, j.ended = stateImported, res, time.Now()
		j.mu.Unlock()
		os.Remove(j.path)
		return nil
	})
	return q.done(c, "/imports/"+j.ID, "")
}

// importTemplate is admin import --template: a file with every key and an
// example, to fill in.
func (c *Console) importTemplate(q *request) error {
	file := q.r.PathValue("file")
	kind, ext, _ := strings.Cut(file, ".")
	f, err := importfile.ParseFormat(ext)
	if err != nil || !slices.Contains(importfile.Kinds(), kind) {
		return erp.Errorf(erp.ENotFound, "There is no template %q.", clipText(file, 40))
	}
	q.w.Header().Set("Content-Type", map[importfile.Format]string{importfile.CSV: "text/csv; charset=utf-8", importfile.JSON: "application/json"}[f])
	q.w.Header().Set("Content-Disposition", "attachment; filename="+url.PathEscape(file))
	return importfile.Template(q.w, kind, f)
}

func randomID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return hex.EncodeToString(b)
}

// clipText keeps at most n bytes of valid UTF-8.
func clipText(s string, n int) string {
	s = strings.ToValidUTF8(s, "")
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

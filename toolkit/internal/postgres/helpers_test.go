package postgres_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
)

var storeTime = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// server builds cloudspot-server (once per test process) and starts it on
// db with extra flags.
func server(t *testing.T, db string, flags ...string) *erptest.Process {
	t.Helper()
	bin := erptest.Build(t, "./cmd/cloudspot-server")
	return erptest.StartProcess(t, bin, append([]string{"--db", db}, flags...)...)
}

// admin runs `cloudspot-server admin ARGS --db db` and fails the test unless
// it succeeds; it returns stdout and stderr.
func admin(t *testing.T, db, stdin string, args ...string) (string, string) {
	t.Helper()
	bin := erptest.Build(t, "./cmd/cloudspot-server")
	out, errOut, code := erptest.Run(t, stdin, []string{"CLOUDSPOT_DB=" + db}, bin, append([]string{"admin"}, args...)...)
	if code != 0 {
		t.Fatalf("admin %s: exit %d\n%s", strings.Join(args, " "), code, errOut)
	}
	return out, errOut
}

// adminAsync is admin for goroutines: it reports instead of failing.
func adminAsync(bin, db string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append([]string{"admin"}, args...)...)
	cmd.Env = append(os.Environ(), "CLOUDSPOT_DB="+db)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return string(out), &adminError{args, err, stderr.String()}
	}
	return string(out), nil
}

type adminError struct {
	args   []string
	err    error
	stderr string
}

func (e *adminError) Error() string {
	return "admin " + strings.Join(e.args, " ") + ": " + e.err.Error() + "\n" + e.stderr
}

func userAPI(t *testing.T, p *erptest.Process) *cloudspot.UserAPI {
	t.Helper()
	return erptest.Must(cloudspot.NewUserAPI(demo.App, cloudspot.WithBaseURL(p.URL)))(t)
}

func companyAPI(t *testing.T, p *erptest.Process, token string) *cloudspot.CompanyAPI {
	t.Helper()
	return erptest.Must(cloudspot.NewCompanyAPI(token, cloudspot.WithBaseURL(p.URL)))(t)
}

// root is the server's address without the API prefix, where /readyz is.
func root(p *erptest.Process) string { return strings.TrimSuffix(p.URL, "/api/v1") }

// get fetches url with headers and returns the status and the body's
// "message" (empty when the body is not such JSON).
func get(t *testing.T, method, url string, body string, headers ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m struct {
		Message string `json:"message"`
	}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		json.NewDecoder(resp.Body).Decode(&m)
	}
	return resp.StatusCode, m.Message
}

func wire(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func sameSlugs(got cloudspot.Permissions, want []string) bool {
	return strings.Join(got, ",") == strings.Join(want, ",")
}

package command

import "testing"

func TestSameERP(t *testing.T) {
	t.Parallel()
	const test = "http://localhost:8000/api/v1"
	same := []string{
		"http://localhost:8000/api/v1",
		"http://127.0.0.1:8000/api/v1",
		"http://[::1]:8000/api/v1",
		"http://127.0.0.2:8000/api/v1",
		"HTTP://LocalHost:8000/api/v1/",
		"http://localhost:8000/api/v1//",
	}
	for _, b := range same {
		if !SameERP(test, b) {
			t.Errorf("SameERP(%q, %q) = false, want true", test, b)
		}
	}
	different := []string{
		"http://localhost:8001/api/v1",   // another port
		"https://localhost:8000/api/v1",  // another scheme
		"http://localhost:8000/api/v2",   // another path
		"http://localhost/api/v1",        // port 80
		"http://10.0.0.1:8000/api/v1",    // not loopback
		"http://example.com:8000/api/v1", // a name that may be anywhere
		"http://localhost.example.com:8000/api/v1",
		"http://127.0.0.1.nip.io:8000/api/v1",
		"http://a.localhost:8000/api/v1", // Go asks DNS for it
		"http://localhost.:8000/api/v1",  // Go asks DNS for it
		"not a URL",
	}
	for _, b := range different {
		if SameERP(test, b) {
			t.Errorf("SameERP(%q, %q) = true, want false", test, b)
		}
	}
	if !SameERP("https://erp.cloudspot.be/api/v1", "https://ERP.cloudspot.be:443/api/v1/") {
		t.Error("the default port and the case of the host must not matter")
	}
}

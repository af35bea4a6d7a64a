package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"net"
	"net/http"
	"os"
	"sort"
	"strconv"
	"sync"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/demo"
)

// The client side runs in processes of its own (the bench command started
// again as `cloudspot-bench client MODE ...`), so that each reports the peak
// memory of its own work and nothing else.

// clientResult is what a client process prints, as one JSON line.
type clientResult struct {
	Items     int             `json:"items"`
	Durations []time.Duration `json:"durations"`
	Errors    int             `json:"errors"`
	FirstErr  string          `json:"first_error,omitempty"`
	PeakRSS   int64           `json:"peak_rss"`
}

// plainArtikel is a product as a program without the SDK would decode it
// with encoding/json: the same keys, prices as float64.
type plainArtikel struct {
	Naam               string  `json:"naam"`
	Beschrijving       string  `json:"beschrijving"`
	SKU                string  `json:"SKU"`
	VoorraadBijhouden  string  `json:"voorraad_bijhouden"`
	OpVoorraad         float64 `json:"op_voorraad"`
	ProductURL         string  `json:"product_url"`
	VerkoopprijsExcl   float64 `json:"verkoopprijs_excl"`
	VerkoopprijsIncl   float64 `json:"verkoopprijs_incl"`
	InkoopprijsExcl    float64 `json:"inkoopprijs_excl"`
	InkoopprijsIncl    float64 `json:"inkoopprijs_incl"`
	BTW                float64 `json:"BTW"`
	Bestellingtype     string  `json:"bestellingtype"`
	UnitsPerBestelling float64 `json:"units_per_bestelling"`
	Status             string  `json:"status"`
}

// runClient is `cloudspot-bench client MODE BASEURL TOKEN RUNS`.
func runClient(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) != 4 {
		return errors.New("usage: cloudspot-bench client list|all|all-0.4|klanten-all|stdjson|stdjson06|signin BASEURL TOKEN RUNS")
	}
	mode, base, token := args[0], args[1], args[2]
	runs, err := strconv.Atoi(args[3])
	if err != nil || runs < 1 {
		return fmt.Errorf("runs: want a positive number, got %q", args[3])
	}
	var res clientResult
	if mode == "signin" {
		res = signInBurst(ctx, base, runs)
	} else {
		opts := []cloudspot.Option{cloudspot.WithBaseURL(base), cloudspot.WithMaxResponseBytes(1 << 40)}
		if mode == "all-0.4" {
			opts = append(opts, cloudspot.WithAPIVersion("0.4"))
		}
		company, err := cloudspot.NewCompanyAPI(token, opts...)
		if err != nil {
			return err
		}
		for range runs {
			start := time.Now()
			var n int
			switch mode {
			case "list":
				var as []cloudspot.Artikel
				as, err = company.Artikels.List(ctx)
				n = len(as)
			case "all", "all-0.4":
				n, err = count(company.Artikels.All(ctx))
			case "klanten-all":
				n, err = count(company.Klanten.All(ctx))
			case "stdjson":
				n, err = decodeStdlib[plainArtikel](ctx, base+"/artikels/", token)
			case "stdjson06":
				n, err = decodeStdlib[plainDetailedArtikel](ctx, base+"/artikels/", token)
			default:
				return fmt.Errorf("unknown client mode %q", mode)
			}
			if err != nil {
				return err
			}
			res.Durations = append(res.Durations, time.Since(start))
			res.Items = n
		}
	}
	if res.PeakRSS, err = peakRSS(os.Getpid()); err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(res)
}

// count reads a list to its end, one element at a time.
func count[T any](all iter.Seq2[T, error]) (int, error) {
	n := 0
	for _, err := range all {
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func decodeStdlib[T any](ctx context.Context, url, token string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("X-ERP-TOKEN", token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var body struct {
		Data []T `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return 0, err
	}
	return len(body.Data), nil
}

// signInBurst signs users bench-1 ... bench-n in at once, from 32 loopback
// addresses as people would come from many machines. Durations are
// each sign-in's latency; the last one is the whole burst.
func signInBurst(ctx context.Context, base string, n int) clientResult {
	var res clientResult
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := &net.TCPAddr{IP: net.IPv4(127, 0, 1, byte(1+i%32))}
			tr := &http.Transport{DialContext: (&net.Dialer{LocalAddr: local}).DialContext}
			api, err := cloudspot.NewUserAPI(demo.App, cloudspot.WithBaseURL(base), cloudspot.WithHTTPClient(&http.Client{Transport: tr, Timeout: 5 * time.Minute}))
			t0 := time.Now()
			if err == nil {
				_, err = api.Authenticate(ctx, fmt.Sprintf("bench-%d", i+1), benchPassword)
			}
			d := time.Since(t0)
			tr.CloseIdleConnections()
			mu.Lock()
			defer mu.Unlock()
			res.Durations = append(res.Durations, d)
			if err != nil {
				res.Errors++
				if res.FirstErr == "" {
					res.FirstErr = err.Error()
				}
			}
		}()
	}
	wg.Wait()
	total := time.Since(start)
	sort.Slice(res.Durations, func(i, j int) bool { return res.Durations[i] < res.Durations[j] })
	res.Durations = append(res.Durations, total)
	res.Items = n
	return res
}

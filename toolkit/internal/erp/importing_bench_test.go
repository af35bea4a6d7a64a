package erp_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"syscall"
	"testing"
	"time"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erptest"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/importfile"
)

// csvArtikels is a CSV file of n products, made as it is read.
type csvArtikels struct {
	n, i int
	buf  bytes.Buffer
}

func (c *csvArtikels) Read(p []byte) (int, error) {
	for c.buf.Len() < len(p) && c.i <= c.n {
		if c.i == 0 {
			c.buf.WriteString("naam,beschrijving,SKU,voorraad_bijhouden,op_voorraad,product_url,verkoopprijs_excl,verkoopprijs_incl," +
				"inkoopprijs_excl,inkoopprijs_incl,BTW,bestellingtype,units_per_bestelling,status\n")
		} else {
			i := c.i
			fmt.Fprintf(&c.buf, "Artikel %d,Beschrijving van artikel %d,SKU-%07d,FYSIEK,%d,https://www.example.be/a/%d,%d.95,%d.07,%d.10,%d.41,21,IDEAAL,1,ZICHTBAAR\n",
				i, i, i, i%500, i, i%90+1, i%90+2, i%50+1, i%50+1)
		}
		c.i++
	}
	if c.buf.Len() == 0 {
		return 0, io.EOF
	}
	return c.buf.Read(p)
}

// BenchmarkImportArtikels imports a CSV file of 100,000 products into an
// empty company of a SQLite database, from reading the file to the commit,
// and reports rows per second of the wall clock and of CPU time (the
// process's, the collector's included). Beside it, the same file only read
// and checked (BenchmarkReadArtikels) is the ceiling that the storage adds
// to.
//
//	go test -run '^$' -bench Artikels -benchtime 3x ./toolkit/internal/erp/
func BenchmarkImportArtikels(b *testing.B) {
	const n = 100_000
	ctx := context.Background()
	svc := erptest.Must(erp.NewService(erp.Config{Store: erptest.OpenSQLite(b)}))(b)
	round := 0
	cpu := cpuTime(b)
	for b.Loop() {
		round++
		slug := fmt.Sprintf("bench%d", round)
		if _, err := svc.CreateCompany(ctx, slug, "Bench"); err != nil {
			b.Fatal(err)
		}
		r, err := svc.ImportArtikels(ctx, slug, importfile.Artikels(&csvArtikels{n: n}, importfile.CSV))
		if err != nil || r.Created != n {
			b.Fatalf("%+v, %v", r, err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(n*b.N)/(cpuTime(b)-cpu), "rows/cpu-s")
}

func BenchmarkReadArtikels(b *testing.B) {
	const n = 100_000
	cpu := cpuTime(b)
	for b.Loop() {
		for rec, err := range importfile.Artikels(&csvArtikels{n: n}, importfile.CSV) {
			if err != nil || len(rec.Problems) > 0 || len(erp.CheckArtikel(rec.Value)) > 0 {
				b.Fatal(err, rec.Problems)
			}
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(n*b.N)/(cpuTime(b)-cpu), "rows/cpu-s")
}

// cpuTime is the CPU time of the whole process so far, in seconds: on a
// shared machine a better measure of the work than the wall clock.
func cpuTime(b *testing.B) float64 {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		b.Fatal(err)
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano()).Seconds()
}

package cloudspottest_test

import (
	"context"
	"errors"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/cloudspottest"
)

// priceList is the code under test: it must survive an ERP that is down.
func priceList(ctx context.Context, c *cloudspot.CompanyAPI) (map[string]string, error) {
	as, err := c.Artikels.List(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, a := range as {
		out[a.SKU] = a.VerkoopprijsIncl.String()
	}
	return out, nil
}

func TestPriceList(t *testing.T) {
	srv := cloudspottest.Start(t, cloudspottest.Fixtures{
		Companies: []cloudspottest.Company{{
			Slug:     "acme",
			Tokens:   []cloudspottest.CompanyToken{{Name: "shop", Artikels: true}},
			Artikels: []cloudspot.Artikel{{Naam: "Koffie", SKU: "KOF-1", VerkoopprijsIncl: cloudspot.NewDecimal(1250, 2)}},
		}},
	})
	company, err := cloudspot.NewCompanyAPI(srv.CompanyToken("acme", "shop"), srv.Options()...)
	if err != nil {
		t.Fatal(err)
	}

	prices, err := priceList(context.Background(), company)
	if err != nil || prices["KOF-1"] != "12.50" {
		t.Fatalf("priceList = %v, %v", prices, err)
	}

	srv.Inject(cloudspottest.Fault{Path: "/artikels/", Times: 1, Status: 502, HTML: true})
	var apiErr *cloudspot.Error
	if _, err := priceList(context.Background(), company); !errors.As(err, &apiErr) || apiErr.StatusCode != 502 {
		t.Fatalf("with the ERP down: err = %v, want the 502", err)
	}
}

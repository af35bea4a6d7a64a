// Package demo creates the example that the reference wrapper's
// documentation describes: a company with a catalogue (in API version 0.6
// with a category tree, brands, photos, price categories, EAN codes and
// texts in Dutch, French and English), the external app
// "timeapp" with its permission tree, a user holding its first three
// permissions and a company token with both rights. The credentials are
// fixed and public, for local use only.
package demo

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/importfile"
)

// The demo's fixed credentials. They are published in the README, so a
// server holding them must never be reachable from elsewhere.
const (
	Company      = "demo"
	CompanyName  = "Koffiehuis Demo BV"
	App          = "timeapp"
	AppName      = "TimeApp"
	Username     = "demo"
	Password     = "cloudspot-demo"
	Viewer       = "viewer" // holds only timeapp_use
	CompanyToken = "DemoCompanyTokenForLocalUseOnly0000000000000000"
	// CompanyUID and Pin are the demo company's uid and the demo user's
	// pin (the viewer has none), which version 0.5 of the API sends.
	CompanyUID = "0f4a2c6e-3b1d-4e8a-9c57-6d2e1f8b4a90"
	Pin        = "2468"
)

// Tree returns timeapp's permission tree as the ERP's permission screen
// shows it: slug, label, parent slug.
func Tree() [][3]string {
	return [][3]string{
		{"timeapp_use", "TimeApp: toegang", ""},
		{"timeapp_timetracking_use", "Timetrackings", "timeapp_use"},
		{"timeapp_timetracking_create", "Aanmaken", "timeapp_timetracking_use"},
		{"timeapp_timetracking_edit", "Bewerken", "timeapp_timetracking_use"},
		{"timeapp_timetracking_delete", "Verwijderen", "timeapp_timetracking_use"},
	}
}

// Granted returns the demo user's permissions: the first three of Tree.
func Granted() []string {
	return []string{"timeapp_use", "timeapp_timetracking_use", "timeapp_timetracking_create"}
}

//go:embed data/categorieen.json
var categorieenJSON []byte

//go:embed data/artikels.json
var artikelsJSON []byte

//go:embed data/klanten.json
var klantenJSON []byte

// Result says what Seed created; all false when the demo was already there.
type Result struct {
	Created bool
}

// Seed creates whatever part of the demo is missing, so running it again,
// or after an interrupted run, duplicates nothing.
func Seed(ctx context.Context, svc *erp.Service) (Result, error) {
	var res Result
	step := func(what string, err error) error {
		switch erp.ErrorCode(err) {
		case "":
			res.Created = true
			return nil
		case erp.EConflict:
			return nil
		}
		return fmt.Errorf("demo %s: %w", what, err)
	}
	_, err := svc.CreateCompany(ctx, Company, CompanyName)
	created := err == nil
	if err := step("company", err); err != nil {
		return res, err
	}
	// The uid and the pin are set when the demo is created, so that an
	// administrator's later change survives the next start.
	if created {
		if err := svc.SetCompanyUID(ctx, Company, CompanyUID); err != nil {
			return res, fmt.Errorf("demo company uid: %w", err)
		}
	}
	_, err = svc.CreateApp(ctx, App, AppName)
	if err := step("app", err); err != nil {
		return res, err
	}
	for _, p := range Tree() {
		_, err := svc.AddPermission(ctx, App, p[0], p[1], p[2])
		if err := step("permission "+p[0], err); err != nil {
			return res, err
		}
	}
	users := []struct {
		u     erp.NewUser
		perms []string
	}{
		{erp.NewUser{Username: Username, Password: Password, FirstName: "Jan", LastName: "Peeters", Email: "jan.peeters@koffiehuis-demo.be", Company: Company}, Granted()},
		{erp.NewUser{Username: Viewer, Password: Password, FirstName: "Lotte", LastName: "Janssens", Email: "lotte.janssens@koffiehuis-demo.be", Company: Company}, Granted()[:1]},
	}
	for _, u := range users {
		// An existing user is a conflict, which step accepts.
		_, err := svc.CreateUser(ctx, u.u)
		created := err == nil
		if err := step("user "+u.u.Username, err); err != nil {
			return res, err
		}
		if created && u.u.Username == Username {
			if err := svc.SetUserPin(ctx, Username, Pin); err != nil {
				return res, fmt.Errorf("demo pin: %w", err)
			}
		}
		for _, p := range u.perms {
			if err := svc.Grant(ctx, u.u.Username, p); err != nil {
				return res, fmt.Errorf("demo grant %s: %w", p, err)
			}
		}
	}
	_, err = svc.RegisterCompanyToken(ctx, Company, "demo (products and clients)", CompanyToken, erp.Rights{Artikels: true, Klanten: true})
	if err := step("company token", err); err != nil {
		return res, err
	}
	// The categories first: the products name them.
	if r, err := svc.ImportCategorieen(ctx, Company, importfile.Categorieen(bytes.NewReader(categorieenJSON), importfile.JSON)); err != nil {
		return res, fmt.Errorf("demo categorieen: %w", err)
	} else if r.Created > 0 {
		res.Created = true
	}
	if r, err := svc.ImportArtikels(ctx, Company, importfile.Artikels(bytes.NewReader(artikelsJSON), importfile.JSON)); err != nil {
		return res, fmt.Errorf("demo artikels: %w", err)
	} else if r.Created > 0 {
		res.Created = true
	}
	if r, err := svc.ImportKlanten(ctx, Company, importfile.Klanten(bytes.NewReader(klantenJSON), importfile.JSON)); err != nil {
		return res, fmt.Errorf("demo klanten: %w", err)
	} else if r.Created > 0 {
		res.Created = true
	}
	return res, nil
}

package cloudspottest

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// Fixtures is what the server holds when it starts. The zero value is an
// empty ERP: every call answers as the ERP does for unknown tokens.
type Fixtures struct {
	Companies []Company
	Apps      []App
	Users     []User
	// MaxFailedSignIns is how many failed sign-ins a username may have in
	// 15 minutes before the server answers 429; 0 means the server's
	// default of 10, a negative number turns the limit off.
	MaxFailedSignIns int
}

// signInLimits are the server's limits for f: MaxFailedSignIns per
// username in 15 minutes. Every call of a test comes from the one loopback
// address, so the server's limit per address is off.
func (f Fixtures) signInLimits() erp.SignInLimits {
	n := f.MaxFailedSignIns
	if n == 0 {
		n = 10
	}
	l := erp.Limit{Max: n, Window: 15 * time.Minute}
	return erp.SignInLimits{PerPair: l, PerUser: l, PerAddress: erp.Limit{Max: -1}}
}

// Company is a company with its data and the API tokens that read it.
type Company struct {
	Slug string // short handle: Users name it, CompanyToken takes it
	Name string // default Slug
	// UID is the company's uid, which API version 0.5 sends with the
	// sign-in and the user; a random UUID when empty.
	UID    string
	Tokens []CompanyToken
	// Categorieen is the product category tree, by Naam and Children;
	// the server gives the ids (leave ID 0), which Server.CategorieID
	// finds. Names are unique among siblings.
	Categorieen []cloudspot.Categorie
	// Artikels need a Naam and a unique SKU; an empty VoorraadBijhouden,
	// Bestellingtype or Status is NIET, IDEAAL or ZICHTBAAR. The fields of
	// API version 0.6 (Merk, Fotos, EAN, ...) are stored as given; a
	// category is named by its Naam (unique in the company) or by the id
	// Server.CategorieID returns, which a fixture cannot know yet.
	Artikels []cloudspot.Artikel
	Klanten  []cloudspot.Klant // by unique Klantennummer
}

// CompanyToken is a company API token with the rights it carries; a token
// needs at least one. The server makes a random secret unless Secret (at
// least 32 characters) is given; Server.CompanyToken returns it.
type CompanyToken struct {
	Name     string
	Artikels bool // may read the products and the categories
	Klanten  bool // may read the clients
	Secret   string
	// APIVersion is the version of the bodies the token's calls get when
	// the client does not ask for one: "0.4" (the default, the protocol's
	// bodies), "0.5", "0.6" or "latest". The SDK asks for the latest on
	// every call, so this matters to code that does not use it, such as
	// a test of the reference client's expectations.
	APIVersion string
}

// App is an external app that signs users in, with its permission tree.
// Permission slugs start with the app's slug and an underscore, as the
// ERP's do ("timeapp_timetracking_create").
type App struct {
	Slug        string
	Name        string
	Permissions []Permission
	// APIVersion is the version of the bodies the app's sign-ins and users
	// get when the client does not ask for one: "0.4" (the default),
	// "0.5" (the company's uid and the user's pin), "0.6" or "latest".
	APIVersion string
}

// Permission is a node of an app's permission tree.
type Permission struct {
	Slug     string
	Label    string
	Children []Permission
}

// User is a person who signs in to apps with a username and password (at
// least 8 characters). Permissions may be listed in any order; a
// permission's parent must be listed too, since the ERP grants a child only
// under its parent.
type User struct {
	Username    string
	Password    string
	FirstName   string
	LastName    string
	Email       string
	Company     string // a Company's Slug
	Pin         string // 4 to 12 digits, which API version 0.5 sends with the user; none when empty
	Permissions []string
	// Inactive users are refused at sign-in like a wrong password.
	Inactive bool
}

// seed creates f through the server's own service, so that fixtures obey
// the same rules as data entered with the admin commands.
func (s *Server) seed(ctx context.Context, svc *erp.Service, f Fixtures) error {
	for _, c := range f.Companies {
		name := c.Name
		if name == "" {
			name = c.Slug
		}
		if _, err := svc.CreateCompany(ctx, c.Slug, name); err != nil {
			return err
		}
		if c.UID != "" {
			if err := svc.SetCompanyUID(ctx, c.Slug, c.UID); err != nil {
				return fmt.Errorf("company %q: %w", c.Slug, err)
			}
		}
		if err := checkCategorieIDs(c.Categorieen); err != nil {
			return fmt.Errorf("company %q: %w", c.Slug, err)
		}
		if _, err := svc.ImportCategorieen(ctx, c.Slug, func(yield func(erp.Record[erp.NewCategorie], error) bool) {
			categorieRecords(c.Categorieen, nil, yield)
		}); err != nil {
			return fmt.Errorf("company %q: categorieen: %w", c.Slug, err)
		}
		if _, err := svc.ImportArtikels(ctx, c.Slug, erp.Records(withDefaults(c.Artikels))); err != nil {
			return fmt.Errorf("company %q: artikels: %w", c.Slug, err)
		}
		if _, err := svc.ImportKlanten(ctx, c.Slug, erp.Records(c.Klanten)); err != nil {
			return fmt.Errorf("company %q: klanten: %w", c.Slug, err)
		}
		for _, tok := range c.Tokens {
			key := [2]string{c.Slug, tok.Name}
			if _, dup := s.tokens[key]; dup {
				return fmt.Errorf("company %q: two tokens named %q", c.Slug, tok.Name)
			}
			rights := erp.Rights{Artikels: tok.Artikels, Klanten: tok.Klanten}
			version, err := erp.ParseAPIVersion(tok.APIVersion)
			if err != nil {
				return fmt.Errorf("company %q: token %q: %w", c.Slug, tok.Name, err)
			}
			secret := tok.Secret
			var issued *erp.CompanyToken
			if secret == "" {
				secret, issued, err = svc.IssueCompanyToken(ctx, c.Slug, tok.Name, rights)
			} else {
				issued, err = svc.RegisterCompanyToken(ctx, c.Slug, tok.Name, secret, rights)
			}
			if err == nil && version != "" {
				err = svc.SetCompanyTokenAPIVersion(ctx, issued.ID, version)
			}
			if err != nil {
				return fmt.Errorf("company %q: token %q: %w", c.Slug, tok.Name, err)
			}
			s.tokens[key] = secret
		}
	}
	depth := map[string]int{} // permission slug → depth in its tree
	for _, a := range f.Apps {
		if _, err := svc.CreateApp(ctx, a.Slug, a.Name); err != nil {
			return err
		}
		if a.APIVersion != "" {
			v, err := erp.ParseAPIVersion(a.APIVersion)
			if err == nil {
				err = svc.SetAppAPIVersion(ctx, a.Slug, v)
			}
			if err != nil {
				return fmt.Errorf("app %q: %w", a.Slug, err)
			}
		}
		if err := addPermissions(ctx, svc, a.Slug, "", a.Permissions, 0, depth); err != nil {
			return err
		}
	}
	for _, u := range f.Users {
		if _, err := svc.CreateUser(ctx, erp.NewUser{Username: u.Username, Password: u.Password,
			FirstName: u.FirstName, LastName: u.LastName, Email: u.Email, Company: u.Company}); err != nil {
			return err
		}
		s.passwords[u.Username] = u.Password
		if u.Pin != "" {
			if err := svc.SetUserPin(ctx, u.Username, u.Pin); err != nil {
				return fmt.Errorf("user %q: %w", u.Username, err)
			}
		}
		perms := append([]string(nil), u.Permissions...)
		sort.SliceStable(perms, func(i, j int) bool { return depth[perms[i]] < depth[perms[j]] })
		for _, p := range perms {
			if err := svc.Grant(ctx, u.Username, p); err != nil {
				return fmt.Errorf("user %q: %w", u.Username, err)
			}
		}
		if u.Inactive {
			if err := svc.SetUserActive(ctx, u.Username, false); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkCategorieIDs reports a fixture's category that gives an id.
func checkCategorieIDs(cs []cloudspot.Categorie) error {
	for _, c := range cs {
		if c.ID != 0 {
			return fmt.Errorf("categorie %q has ID %d: leave it 0, the server gives the ids (Server.CategorieID finds them)", c.Naam, c.ID)
		}
		if err := checkCategorieIDs(c.Children); err != nil {
			return err
		}
	}
	return nil
}

// categorieRecords yields a tree as import records, parents first. It
// reports false when yield asked to stop, so that no level goes on.
func categorieRecords(cs []cloudspot.Categorie, parents []string, yield func(erp.Record[erp.NewCategorie], error) bool) bool {
	for _, c := range cs {
		if !yield(erp.Record[erp.NewCategorie]{Value: erp.NewCategorie{Naam: c.Naam, Parents: parents}}, nil) {
			return false
		}
		if !categorieRecords(c.Children, append(parents[:len(parents):len(parents)], c.Naam), yield) {
			return false
		}
	}
	return true
}

func addPermissions(ctx context.Context, svc *erp.Service, app, parent string, ps []Permission, level int, depth map[string]int) error {
	for _, p := range ps {
		if _, err := svc.AddPermission(ctx, app, p.Slug, p.Label, parent); err != nil {
			return err
		}
		depth[p.Slug] = level
		if err := addPermissions(ctx, svc, app, p.Slug, p.Children, level+1, depth); err != nil {
			return err
		}
	}
	return nil
}

// withDefaults fills the enumerations a test did not care to set.
func withDefaults(as []cloudspot.Artikel) []cloudspot.Artikel {
	out := make([]cloudspot.Artikel, len(as))
	for i, a := range as {
		if a.VoorraadBijhouden == "" {
			a.VoorraadBijhouden = cloudspot.VoorraadBijhoudenNiet
		}
		if a.Bestellingtype == "" {
			a.Bestellingtype = cloudspot.BestellingtypeIdeaal
		}
		if a.Status == "" {
			a.Status = cloudspot.ArtikelStatusZichtbaar
		}
		out[i] = a
	}
	return out
}

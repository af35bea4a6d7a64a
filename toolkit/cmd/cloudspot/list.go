package main

import (
	"context"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/internal/wirekeys"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/progress"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/textsearch"
)

// The columns a table shows by default; --fields chooses others.
var (
	artikelTable = []string{"SKU", "naam", "status", "voorraad_bijhouden", "op_voorraad", "verkoopprijs_incl"}
	klantTable   = []string{"klantennummer", "voornaam", "achternaam", "bedrijfsnaam", "plaats", "land"}
)

// choice is a filter value with the ERP's word and English aliases.
type choice struct {
	value   string
	aliases []string
}

var (
	statusChoices = []choice{
		{string(cloudspot.ArtikelStatusZichtbaar), []string{"visible"}},
		{string(cloudspot.ArtikelStatusNietVerkoopbaar), []string{"not-sellable"}},
		{string(cloudspot.ArtikelStatusGedeactiveerd), []string{"deactivated"}},
	}
	stockChoices = []choice{
		{string(cloudspot.VoorraadBijhoudenNiet), []string{"none"}},
		{string(cloudspot.VoorraadBijhoudenFysiek), []string{"physical"}},
		{string(cloudspot.VoorraadBijhoudenDigitaal), []string{"digital"}},
	}
	typeChoices = []choice{{"person", []string{"persoon"}}, {"company", []string{"bedrijf"}}}
)

// parseChoices reads a comma-separated flag value into the ERP's words.
func parseChoices(flag, value string, choices []choice) ([]string, error) {
	if value == "" {
		return nil, nil
	}
	var out []string
	for _, v := range strings.Split(value, ",") {
		v = strings.TrimSpace(v)
		i := slices.IndexFunc(choices, func(c choice) bool {
			return strings.EqualFold(c.value, v) || slices.ContainsFunc(c.aliases, func(a string) bool { return strings.EqualFold(a, v) })
		})
		if i < 0 {
			return nil, usagef("--%s %s: want one of %s", flag, v, choiceList(choices))
		}
		out = append(out, choices[i].value)
	}
	return out, nil
}

func choiceList(choices []choice) string {
	var s []string
	for _, c := range choices {
		s = append(s, c.value)
	}
	return strings.Join(s, ", ")
}

func completeChoices(choices []choice) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		var s []string
		for _, c := range choices {
			s = append(s, c.value)
		}
		return s, cobra.ShellCompDirectiveNoFileComp
	}
}

// listFlags are the flags both list commands share.
type listFlags struct {
	tokenFlags
	outputFlags
	search string
	limit  int
}

func (l *listFlags) add(cmd *cobra.Command, keys, defTable []string, searchWhat string) {
	l.outputFlags.add(cmd, keys, defTable)
	cmd.Flags().StringVarP(&l.search, "search", "s", "", "only those whose "+searchWhat+" contains this text (ignoring case and accents)")
	cmd.Flags().IntVar(&l.limit, "limit", 0, "show at most this many (0: all)")
}

// fetchAll makes one company call with list, with progress on a terminal's
// stderr, and turns its error into one line that says what to do.
func fetchAll[T any](c *cli, cmd *cobra.Command, f *tokenFlags, label string, list func(context.Context, *cloudspot.CompanyAPI) ([]T, error)) ([]T, error) {
	api, src, base, p, err := c.companyAPI(f, label)
	if err != nil {
		return nil, err
	}
	items, err := list(cmd.Context(), api)
	p.Done()
	if err != nil {
		return nil, c.explain(err, base, src)
	}
	return items, nil
}

// companyAPI finds the company token and makes the client, with progress on
// a terminal's stderr.
func (c *cli) companyAPI(f *tokenFlags, label string) (api *cloudspot.CompanyAPI, src tokenSource, base string, p *progress.Meter, err error) {
	base, err = c.base()
	if err != nil {
		return nil, src, "", nil, err
	}
	token, src, err := c.companyToken(f, base)
	if err != nil {
		return nil, src, "", nil, err
	}
	if !c.verbose {
		p = progress.On(c.stderr, label, progress.Bytes, 0)
	}
	api, err = cloudspot.NewCompanyAPI(token, c.options(base, p)...)
	if err != nil {
		return nil, src, "", nil, usagef("%v", err)
	}
	return api, src, base, p, nil
}

func (c *cli) artikelsCmd() *cobra.Command {
	l := listFlags{tokenFlags: tokenFlags{token: &c.token}}
	var status, stock string
	list := &cobra.Command{
		Use:   "list",
		Short: "List the company's products",
		Long: `list prints the products of the company the token belongs to, optionally
filtered by status, stock mode and a text in the name or SKU.

Fields (for --fields): ` + strings.Join(wirekeys.Artikel(), ", ") + `;
and from a server of a later API version (0.6), shown only when asked for
or with --fields all: ` + strings.Join(wirekeys.ArtikelExtensions(), ", ") + `.
A table shows their lists in short: category names, the main photo's URL,
prices per price category, EAN codes joined by "|", texts as "nl: ...".
A CSV cell holds the list's JSON, so an export imports again; JSON and NDJSON
keep them whole.`,
		Example: `  CLOUDSPOT_TOKEN=... cloudspot artikels list --test
  cloudspot artikels list --status ZICHTBAAR --stock FYSIEK -o csv > voorraad.csv
  cloudspot artikels list --search arabica --fields SKU,naam,verkoopprijs_incl -o json
  cloudspot artikels list --fields SKU,naam,merk,categorieen,EAN,fotos -o table`,
		Args: noArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			format, keys, err := l.resolve(c)
			if err != nil {
				return err
			}
			statuses, err := parseChoices("status", status, statusChoices)
			if err != nil {
				return err
			}
			stocks, err := parseChoices("stock", stock, stockChoices)
			if err != nil {
				return err
			}
			if l.limit < 0 {
				return usagef("--limit %d: want 0 or more", l.limit)
			}
			items, err := fetchAll(c, cmd, &l.tokenFlags, "fetching products", func(ctx context.Context, api *cloudspot.CompanyAPI) ([]cloudspot.Artikel, error) {
				return api.Artikels.List(ctx)
			})
			if err != nil {
				return err
			}
			q := textsearch.New(l.search)
			var rows []record
			for _, a := range items {
				if (statuses != nil && !slices.Contains(statuses, string(a.Status))) ||
					(stocks != nil && !slices.Contains(stocks, string(a.VoorraadBijhouden))) ||
					!q.Artikel(&a) {
					continue
				}
				if l.limit > 0 && len(rows) == l.limit {
					break
				}
				r, err := toRecord(a, l.every())
				if err != nil {
					return err
				}
				rows = append(rows, r)
			}
			return write(c.stdout, c.stderr, format, keys, rows, false, c.width())
		}),
	}
	l.extra = wirekeys.ArtikelExtensions()
	l.add(list, wirekeys.Artikel(), artikelTable, "name or SKU")
	list.Flags().StringVar(&status, "status", "", "only these statuses, comma-separated: "+choiceList(statusChoices))
	list.Flags().StringVar(&stock, "stock", "", "only these stock modes, comma-separated: "+choiceList(stockChoices))
	_ = list.RegisterFlagCompletionFunc("status", completeChoices(statusChoices))
	_ = list.RegisterFlagCompletionFunc("stock", completeChoices(stockChoices))

	cmd := &cobra.Command{
		Use: "artikels",
		// The ERP's noun is the command; the English one only points to it.
		SuggestFor: []string{"products", "product"},
		Short:      "The company's products",
		Example: `  cloudspot artikels list --test --status ZICHTBAAR
  cloudspot artikels get 42 --test`,
	}
	cmd.AddCommand(list, c.artikelGetCmd())
	return cmd
}

func (c *cli) klantenCmd() *cobra.Command {
	l := listFlags{tokenFlags: tokenFlags{token: &c.token}}
	var country, kind string
	list := &cobra.Command{
		Use:   "list",
		Short: "List the company's clients",
		Long: `list prints the clients of the company the token belongs to, optionally
filtered by country, by person or company, and by a text in the name.

Fields (for --fields): ` + strings.Join(wirekeys.Klant(), ", ") + `.`,
		Example: `  CLOUDSPOT_TOKEN=... cloudspot klanten list --test
  cloudspot klanten list --country NL,FR --type company -o csv
  cloudspot klanten list --search müller -o ndjson`,
		Args: noArgs,
		RunE: runE(func(cmd *cobra.Command, _ []string) error {
			format, keys, err := l.resolve(c)
			if err != nil {
				return err
			}
			kinds, err := parseChoices("type", kind, typeChoices)
			if err != nil {
				return err
			}
			if len(kinds) > 1 {
				kinds = nil // both: no filter
			}
			var countries []string
			for _, cc := range strings.Split(country, ",") {
				if cc = strings.ToUpper(strings.TrimSpace(cc)); cc != "" {
					countries = append(countries, cc)
				}
			}
			if l.limit < 0 {
				return usagef("--limit %d: want 0 or more", l.limit)
			}
			items, err := fetchAll(c, cmd, &l.tokenFlags, "fetching clients", func(ctx context.Context, api *cloudspot.CompanyAPI) ([]cloudspot.Klant, error) {
				return api.Klanten.List(ctx)
			})
			if err != nil {
				return err
			}
			q := textsearch.New(l.search)
			var rows []record
			for _, k := range items {
				if (countries != nil && !slices.Contains(countries, strings.ToUpper(k.Land))) ||
					(kinds != nil && (kinds[0] == "company") != k.IsBedrijf) ||
					!q.Klant(&k) {
					continue
				}
				if l.limit > 0 && len(rows) == l.limit {
					break
				}
				r, err := toRecord(k, wirekeys.Klant())
				if err != nil {
					return err
				}
				rows = append(rows, r)
			}
			return write(c.stdout, c.stderr, format, keys, rows, false, c.width())
		}),
	}
	l.add(list, wirekeys.Klant(), klantTable, "name, company name or client number")
	list.Flags().StringVar(&country, "country", "", "only clients in these countries, comma-separated two-letter codes (BE,NL)")
	list.Flags().StringVar(&kind, "type", "", "only persons or only companies: person or company")
	_ = list.RegisterFlagCompletionFunc("type", completeChoices(typeChoices))
	_ = list.RegisterFlagCompletionFunc("country", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"BE", "NL", "FR", "LU", "DE"}, cobra.ShellCompDirectiveNoFileComp
	})

	cmd := &cobra.Command{
		Use:        "klanten",
		SuggestFor: []string{"clients", "client", "customers"},
		Short:      "The company's clients",
		Example:    `  cloudspot klanten list --test --country BE`,
	}
	cmd.AddCommand(list)
	return cmd
}

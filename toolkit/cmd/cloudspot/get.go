package main

import (
	"errors"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/internal/wirekeys"
)

// artikelGetCmd is `artikels get ID`: one product by the ERP's id
// (GET /artikels/?id=).
func (c *cli) artikelGetCmd() *cobra.Command {
	tok := tokenFlags{token: &c.token}
	out := outputFlags{extra: wirekeys.ArtikelExtensions()}
	keys := append([]string{"id"}, wirekeys.Artikel()...)
	get := &cobra.Command{
		Use:   "get ID",
		Short: "Show one product by its id in the ERP",
		Long: `get prints one product of the company the token belongs to, by the product's
id in the ERP (GET /artikels/?id=, a call of later versions of the API).
--fields takes the fields of artikels list (see its --help), all of them
with --fields all.`,
		Example: `  CLOUDSPOT_TOKEN=... cloudspot artikels get 42 --test
  cloudspot artikels get 42 -o json --fields id,SKU,verkoopprijs_incl
  cloudspot artikels get 42 -o json --fields all`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("%s takes one product id (see %s --help)", cmd.CommandPath(), cmd.CommandPath())
			}
			return nil
		},
		RunE: runE(func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil || id <= 0 {
				return usagef("%q is not a product id: want a positive number", args[0])
			}
			format, fields, err := out.resolve(c)
			if err != nil {
				return err
			}
			api, src, base, p, err := c.companyAPI(&tok, "fetching the product")
			if err != nil {
				return err
			}
			a, err := api.Artikels.Get(cmd.Context(), id)
			p.Done()
			var apiErr *cloudspot.Error
			if errors.Is(err, cloudspot.ErrNotFound) && errors.As(err, &apiErr) && !isNotJSON(apiErr) {
				// The ERP answered in its own words: the API is there,
				// the product is not.
				return failf("no product with id %d in the token's company", id)
			}
			if err != nil {
				return c.explain(err, base, src)
			}
			r, err := toRecord(a, out.every())
			if err != nil {
				return err
			}
			return write(c.stdout, c.stderr, format, fields, []record{r}, true, c.width())
		}),
	}
	out.add(get, keys, append([]string{"id"}, artikelTable...))
	return get
}

// isNotJSON reports an error for an answer that was not the ERP's JSON, such
// as a web server's own 404 page at a wrong base URL.
func isNotJSON(e *cloudspot.Error) bool {
	return strings.HasPrefix(e.Message, "expected JSON")
}

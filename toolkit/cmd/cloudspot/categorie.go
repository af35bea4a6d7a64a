package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/cloudspot-toolkit/cloudspot"
)

// categorieKeys are the columns of a category as a row (-o ndjson, csv):
// parent_id and path place it in the tree, which a row cannot show.
var categorieKeys = []string{"id", "naam", "parent_id", "path"}

// categorieenCmd is `categorieen list` and `categorieen get ID`: the
// company's product categories (GET /categories/).
func (c *cli) categorieenCmd() *cobra.Command {
	list := &cobra.Command{
		Use:   "list",
		Short: "Show the company's product categories as a tree",
		Long: `list prints the product categories of the company the token belongs to
(GET /categories/, a call of later versions of the API; the token needs the
right to see products).

A table shows the tree, each level indented, with the ids. -o json prints the
tree as the ERP sends it; -o ndjson and -o csv print one row per category,
parents before their children, with the fields ` + strings.Join(categorieKeys, ", ") + `:
path is the names from the top, joined by "/" (a "/" or "\" in a name is
written "\/" or "\\"), the form the server's category import reads.`,
		Example: `  CLOUDSPOT_TOKEN=... cloudspot categorieen list --test
  cloudspot categorieen list -o csv > categorieen.csv
  cloudspot categorieen list -o ndjson --fields id,path`,
		Args: noArgs,
	}
	lo := c.categorieOutput(list)
	list.RunE = runE(func(cmd *cobra.Command, _ []string) error {
		format, keys, err := lo.resolve(c)
		if err != nil {
			return err
		}
		tree, err := c.categorieTree(cmd, &lo.tok)
		if err != nil {
			return err
		}
		return writeCategorieen(c, format, keys, tree, nil)
	})

	get := &cobra.Command{
		Use:   "get ID",
		Short: "Show one product category and its subcategories",
		Long: `get prints one category of the company the token belongs to, by its id in
the ERP, with its subcategories, in the formats of categorieen list (see its
--help); a row's path starts at the top of the company's tree.`,
		Example: `  CLOUDSPOT_TOKEN=... cloudspot categorieen get 3 --test
  cloudspot categorieen get 3 -o json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("%s takes one category id (see %s --help)", cmd.CommandPath(), cmd.CommandPath())
			}
			return nil
		},
	}
	gop := c.categorieOutput(get)
	get.RunE = runE(func(cmd *cobra.Command, args []string) error {
		id, err := strconv.ParseInt(args[0], 10, 64)
		if err != nil || id <= 0 {
			return usagef("%q is not a category id: want a positive number", args[0])
		}
		format, keys, err := gop.resolve(c)
		if err != nil {
			return err
		}
		tree, err := c.categorieTree(cmd, &gop.tok)
		if err != nil {
			return err
		}
		// The whole tree, not GET /categories/?id=: it also tells where
		// the category sits, which a row's parent_id and path show.
		node, parents := findCategorie(tree, id, nil)
		if node == nil {
			return failf("no category with id %d in the token's company", id)
		}
		return writeCategorieen(c, format, keys, []cloudspot.Categorie{*node}, parents)
	})

	cmd := &cobra.Command{
		Use: "categorieen",
		// categories and categorie are near enough to be suggested
		// towards it anyway.
		SuggestFor: []string{"category"},
		Short:      "The company's product categories",
		Example: `  cloudspot categorieen list --test
  cloudspot categorieen get 3 --test -o csv`,
	}
	cmd.AddCommand(list, get)
	return cmd
}

// categorieFlags are a category command's token and output flags.
type categorieFlags struct {
	tok tokenFlags
	outputFlags
}

func (c *cli) categorieOutput(cmd *cobra.Command) *categorieFlags {
	f := &categorieFlags{tok: tokenFlags{token: &c.token}}
	f.outputFlags.add(cmd, categorieKeys, categorieKeys)
	return f
}

// resolve is outputFlags.resolve; --fields chooses the columns of rows, and
// means nothing to a tree.
func (f *categorieFlags) resolve(c *cli) (string, []string, error) {
	format, keys, err := f.outputFlags.resolve(c)
	if err == nil && strings.TrimSpace(f.fields) != "" && (format == formatTable || format == formatJSON) {
		err = usagef("--fields chooses the columns of -o ndjson and csv; a tree (-o %s) shows every category whole", format)
	}
	return format, keys, err
}

// categorieTree fetches the company's tree.
func (c *cli) categorieTree(cmd *cobra.Command, f *tokenFlags) ([]cloudspot.Categorie, error) {
	api, src, base, p, err := c.companyAPI(f, "fetching categories")
	if err != nil {
		return nil, err
	}
	tree, err := api.Categorieen.List(cmd.Context())
	p.Done()
	var apiErr *cloudspot.Error
	if errors.Is(err, cloudspot.ErrNotFound) && errors.As(err, &apiErr) && !isNotJSON(apiErr) {
		// The API is there (it answered in its own words), the call is not.
		return nil, failf("%s does not serve categories (404 for %s): that needs a server of a later API version (cloudspot-server 0.6)", base, apiErr.Path)
	}
	if err != nil {
		return nil, c.explain(err, base, src)
	}
	return tree, nil
}

// findCategorie finds id in tree, with its ancestors from the top.
func findCategorie(tree []cloudspot.Categorie, id int64, parents []cloudspot.Categorie) (*cloudspot.Categorie, []cloudspot.Categorie) {
	for i := range tree {
		if tree[i].ID == id {
			return &tree[i], parents
		}
		if n, p := findCategorie(tree[i].Children, id, append(parents[:len(parents):len(parents)], tree[i])); n != nil {
			return n, p
		}
	}
	return nil, nil
}

// writeCategorieen prints tree, whose top categories have the ancestors
// parents, in format.
func writeCategorieen(c *cli, format string, keys []string, tree []cloudspot.Categorie, parents []cloudspot.Categorie) error {
	switch format {
	case formatTable:
		_, err := io.WriteString(c.stdout, categorieTable(tree, c.width()))
		return err
	case formatJSON:
		if tree == nil {
			tree = []cloudspot.Categorie{}
		}
		raw, err := json.Marshal(tree)
		if err != nil {
			return err
		}
		var out bytes.Buffer
		if err := json.Indent(&out, raw, "", "  "); err != nil {
			return err
		}
		out.WriteByte('\n')
		_, err = c.stdout.Write(out.Bytes())
		return err
	}
	var parentID int64
	var path []string
	for _, p := range parents {
		parentID = p.ID
		path = append(path, pathSegment(p.Naam))
	}
	var rows []record
	var walk func(cs []cloudspot.Categorie, parentID int64, path []string)
	walk = func(cs []cloudspot.Categorie, parentID int64, path []string) {
		for _, cat := range cs {
			p := append(path[:len(path):len(path)], pathSegment(cat.Naam))
			parent := json.RawMessage("null")
			if parentID != 0 {
				parent = json.RawMessage(strconv.FormatInt(parentID, 10))
			}
			rows = append(rows, record{
				{"id", json.RawMessage(strconv.FormatInt(cat.ID, 10))},
				{"naam", jsonText(cat.Naam)},
				{"parent_id", parent},
				{"path", jsonText(strings.Join(p, "/"))},
			})
			walk(cat.Children, cat.ID, p)
		}
	}
	walk(tree, parentID, path)
	return write(c.stdout, c.stderr, format, keys, rows, false, c.width())
}

// jsonText is s as a JSON string; empty is null, as the ERP writes it.
func jsonText(s string) json.RawMessage {
	if s == "" {
		return json.RawMessage("null")
	}
	b, _ := json.Marshal(s)
	return b
}

// pathSegment escapes a name for a path: "/" separates, "\" escapes.
func pathSegment(naam string) string {
	return strings.NewReplacer(`\`, `\\`, `/`, `\/`).Replace(naam)
}

// categorieTable draws the tree: ids right-aligned, names indented two
// spaces a level, cut to the terminal's width (when known).
func categorieTable(tree []cloudspot.Categorie, width int) string {
	type line struct {
		id    string
		depth int
		naam  string
	}
	var lines []line
	idWidth := len("ID")
	var walk func(cs []cloudspot.Categorie, depth int)
	walk = func(cs []cloudspot.Categorie, depth int) {
		for _, cat := range cs {
			id := strconv.FormatInt(cat.ID, 10)
			idWidth = max(idWidth, len(id))
			lines = append(lines, line{id, depth, flatText(jsonText(cat.Naam))})
			walk(cat.Children, depth+1)
		}
	}
	walk(tree, 0)
	var b strings.Builder
	fmt.Fprintf(&b, "%*s  %s\n", idWidth, "ID", "NAAM")
	for _, l := range lines {
		naam := strings.Repeat("  ", l.depth) + l.naam
		if width > 0 {
			naam = cut(naam, max(width-idWidth-2, minColumn))
		}
		fmt.Fprintf(&b, "%*s  %s\n", idWidth, l.id, strings.TrimRight(naam, " "))
	}
	return b.String()
}

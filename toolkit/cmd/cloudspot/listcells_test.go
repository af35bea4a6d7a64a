package main

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/command"
)

// TestWireCellIsInertJSON: a list cell shows no character a terminal acts
// on, and its JSON still reads back as the list the server sent.
func TestWireCellIsInertJSON(t *testing.T) {
	t.Parallel()
	raw := json.RawMessage("[ {\"naam\": \"Bier\u202e reeB\u0085\x7f\", \"id\": 3}, \"\u2028\U0001D11E\"\n]")
	cell := wireCell(raw)
	if command.Visible(cell, "") != cell {
		t.Errorf("the cell %q holds characters a terminal acts on", cell)
	}
	var got, want any
	if err := json.Unmarshal([]byte(cell), &got); err != nil {
		t.Fatalf("the cell %q is not JSON: %v", cell, err)
	}
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("the cell reads as %q, want %q", got, want)
	}
}

package main

import (
	"strings"
	"testing"

	"nadra/server"
)

// TestServeHelp_ListsEveryPage: nadra serve --help names every page of the
// dashboard's navigation, so a new page cannot be left out of it.
func TestServeHelp_ListsEveryPage(t *testing.T) {
	pages := server.Pages()
	if len(pages) < 9 {
		t.Fatalf("got %d pages, want the dashboard's nine or more", len(pages))
	}
	for _, p := range pages {
		if !strings.Contains(serveHelp, "\n  "+p+" ") {
			t.Fatalf("serve --help does not list %s", p)
		}
	}
}

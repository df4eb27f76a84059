package render

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

func TestLogChart_WriteSVG(t *testing.T) {
	c := &LogChart{ID: "log", Title: "The log & its checkpoints", Width: 1000, Size: 10, CosignedLabel: "co-signed by US and UA",
		Checkpoints: []LogCheckpoint{{Size: 4, Cosigned: true, Title: "co-signed by US and UA at size 4"}, {Size: 8, Title: "at size 8, waiting for UA's co-signature"}},
		Source:      "Source: the ledger's checkpoints."}
	var b bytes.Buffer
	if err := c.WriteSVG(&b); err != nil {
		t.Fatal(err)
	}
	wellFormed(t, b.Bytes())
	s := b.String()
	// The bar is 1000 - 12 - 16 = 972 px for 10 entries, 97.2 px an entry:
	// entries 0-3 co-signed (4 × 97.2 = 388.8), 4-7 waiting (388.8 from
	// 400.8), 8-9 uncovered (194.4 from 789.6).
	for _, want := range []string{
		`class="cosigned" x="12" y="`, `width="388.8"`,
		`class="waiting" x="400.8"`,
		`class="uncovered" x="789.6"`, `width="194.4"`,
		`data-size="10"`, `data-cosigned="4"`,
		`aria-label="at size 8, waiting for UA&#39;s co-signature"`,
		"The log &amp; its checkpoints", "Source: the ledger", "entries in the log, by index",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("chart lacks %q", want)
		}
	}
	if n := strings.Count(s, `class="checkpoint"`); n != 2 {
		t.Errorf("%d checkpoint markers, want 2", n)
	}
	// The x axis ticks are whole entries: 0, 2, 4, 6, 8, 10.
	var ticks []string
	for _, m := range regexp.MustCompile(`text-anchor="[a-z]+" fill="#333">([0-9,]+)<`).FindAllStringSubmatch(s, -1) {
		ticks = append(ticks, m[1])
	}
	if got := strings.Join(ticks, " "); got != "0 2 4 6 8 10" {
		t.Errorf("ticks %q", got)
	}

	// An empty log: an outline, no segments, and a description that says
	// no checkpoint binds.
	b.Reset()
	(&LogChart{ID: "e", Title: "Empty", Width: 380, FontSize: 12, CosignedLabel: "co-signed by US and UA"}).WriteSVG(&b)
	wellFormed(t, b.Bytes())
	s = b.String()
	if strings.Contains(s, `class="cosigned"`) || !strings.Contains(s, `stroke-dasharray="4 3"`) || !strings.Contains(s, "none co-signed by both parties yet") {
		t.Errorf("empty log chart:\n%s", s)
	}
}

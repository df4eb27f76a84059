package nadra

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// The regular expressions the hand-written shape checks in ledger.go stand
// for: the test's oracle.
var shapes = []struct {
	name string
	re   *regexp.Regexp
	fn   func(string) bool
}{
	{"entry id", regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$`), isEntryID},
	{"actor", regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`), isActor},
	{"period", regexp.MustCompile(`^[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$`), isPeriod},
	{"fx rate", regexp.MustCompile(`^[0-9]{1,6}(\.[0-9]{1,6})?$`), isFXRate},
	{"account", regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*(:[a-z0-9][a-z0-9_.-]*){0,4}$`), isAccount},
}

func TestLedgerShapes_Cases(t *testing.T) {
	for _, tt := range []struct {
		s    string
		want map[string]bool // by shape name; absent means false
	}{
		{"", nil},
		{"a", map[string]bool{"entry id": true, "actor": true, "account": true}},
		{"UA-2026-0001", map[string]bool{"entry id": true, "actor": true}},
		{"ua:2026:1", map[string]bool{"entry id": true, "account": true}},
		{"2026", map[string]bool{"entry id": true, "actor": true, "period": true, "fx rate": true, "account": true}},
		{"2026-Q4", map[string]bool{"entry id": true, "actor": true, "period": true}},
		{"2026-Q5", map[string]bool{"entry id": true, "actor": true}},
		{"2026-12", map[string]bool{"entry id": true, "actor": true, "period": true, "account": true}},
		{"2026-13", map[string]bool{"entry id": true, "actor": true, "account": true}},
		{"2026-00", map[string]bool{"entry id": true, "actor": true, "account": true}},
		{"41.2865", map[string]bool{"entry id": true, "actor": true, "fx rate": true}},
		{"1234567", map[string]bool{"entry id": true, "actor": true, "account": true}},
		{"1.", map[string]bool{"entry id": true, "actor": true}},
		{".5", nil},
		{"a:b:c:d:e", map[string]bool{"entry id": true, "account": true}},
		{"a:b:c:d:e:f", map[string]bool{"entry id": true}},
		{"fund:receipts.rent", map[string]bool{"entry id": true, "account": true}},
		{"fund.receipts", map[string]bool{"entry id": true, "actor": true}},
		{"a:", map[string]bool{"entry id": true}},
		{strings.Repeat("x", 64), map[string]bool{"entry id": true, "actor": true, "account": true}},
		{strings.Repeat("x", 65), map[string]bool{"entry id": true, "account": true}},
		{strings.Repeat("x", 128), map[string]bool{"entry id": true, "account": true}},
		{strings.Repeat("x", 129), map[string]bool{"account": true}},
		{"é", nil},
	} {
		for _, sh := range shapes {
			if got := sh.fn(tt.s); got != tt.want[sh.name] {
				t.Errorf("%s(%q) = %v, want %v", sh.name, tt.s, got, tt.want[sh.name])
			}
		}
	}
}

// TestLedgerShapes_Oracle compares each hand-written check with its
// regular expression on random strings over the bytes that matter.
func TestLedgerShapes_Oracle(t *testing.T) {
	const alphabet = "09aAzZQq-_.:1234/ é\n"
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 200000; i++ {
		n := r.IntN(12)
		if r.IntN(50) == 0 {
			n = 60 + r.IntN(80) // around the length limits
		}
		b := make([]byte, n)
		for j := range b {
			b[j] = alphabet[r.IntN(len(alphabet))]
		}
		s := string(b)
		for _, sh := range shapes {
			if got, want := sh.fn(s), sh.re.MatchString(s); got != want {
				t.Fatalf("%s(%q) = %v, but the regular expression says %v", sh.name, s, got, want)
			}
		}
	}
}

func FuzzLedgerShapes(f *testing.F) {
	for _, s := range []string{"", "2026-Q1", "41.2865", "fund:receipts.rent", "UA-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, sh := range shapes {
			if got, want := sh.fn(s), sh.re.MatchString(s); got != want {
				t.Fatalf("%s(%q) = %v, but the regular expression says %v", sh.name, s, got, want)
			}
		}
	})
}

package ledger

import (
	"fmt"
	"sort"

	"nadra"
)

// The accounting views (balances, what is due against what was paid, the
// two-party reconciliation) read a journal: the log's entries, or the
// public journal shipped with nadra, or an entries file. They never change
// it. Each starts from the journal's effective entries, corrections
// applied.

// Journal is a sequence of entries in the order they were recorded: the
// log's, by index, or a file's, by position.
type Journal struct {
	Name string `json:"name"` // "log", "public" or the file's name
	// Signed is true for the log, whose entries are each signed by the
	// party that posted it; the public journal and entries files are
	// signed by no one.
	Signed bool `json:"signed"`
	// Public is true when every entry is a public figure (its docs), not
	// a party's own books.
	Public  bool           `json:"public"`
	Entries []*nadra.Entry `json:"-"`
}

// Effective is an entry in force: the latest entry of its correction
// chain. An entry whose "corrects" names another replaces it, and a
// correction of a correction replaces both; when two entries correct the
// same one, the later (by position) wins. Nothing is removed: Replaced
// keeps the chain's history.
type Effective struct {
	Entry    *nadra.Entry `json:"entry"`
	Position int          `json:"position"` // in the journal: the log index
	// Original is the id of the chain's first entry: the flow as first
	// stated. It is the entry's own id when it corrects nothing.
	Original string `json:"original"`
	// Replaced lists the ids of the chain's other entries, oldest first;
	// empty when the flow was never corrected.
	Replaced []string `json:"replaced,omitempty"`
}

// Corrected reports whether the flow was corrected.
func (e *Effective) Corrected() bool { return len(e.Replaced) > 0 }

// Effective returns the journal's effective entries in the order their
// flows were first stated. It checks what the log checks on every append,
// since a journal read from a file was never appended: ids are unique,
// and a correction names an earlier entry of the same party. The error
// names the entry's position and id.
func (j *Journal) Effective() ([]Effective, error) {
	pos := make(map[string]int, len(j.Entries))
	root := make([]int, len(j.Entries)) // the position of each entry's chain's first entry
	for i, e := range j.Entries {
		if e == nil {
			return nil, nadra.Errorf(nadra.EINVALID, "%s: entry %d is missing", j.Name, i)
		}
		if k, dup := pos[e.ID]; dup {
			return nil, nadra.Errorf(nadra.EINVALID, "%s: entry %d (%s): the id is used by entry %d already; ids are unique, and a correction is a new entry with its own id and \"corrects\"", j.Name, i, e.ID, k)
		}
		root[i] = i
		if e.Corrects != "" {
			k, ok := pos[e.Corrects]
			switch {
			case !ok:
				return nil, nadra.Errorf(nadra.EINVALID, "%s: entry %d (%s): corrects %s, which is not an earlier entry", j.Name, i, e.ID, e.Corrects)
			case j.Entries[k].Party != e.Party:
				return nil, nadra.Errorf(nadra.EINVALID, "%s: entry %d (%s): corrects %s, which is %s's entry; a party corrects its own", j.Name, i, e.ID, e.Corrects, j.Entries[k].Party)
			}
			root[i] = root[k]
		}
		pos[e.ID] = i
	}
	chains := map[int][]int{}
	var roots []int
	for i := range j.Entries {
		r := root[i]
		if _, ok := chains[r]; !ok {
			roots = append(roots, r)
		}
		chains[r] = append(chains[r], i)
	}
	out := make([]Effective, 0, len(roots))
	for _, r := range roots {
		c := chains[r]
		last := c[len(c)-1]
		eff := Effective{Entry: j.Entries[last], Position: last, Original: j.Entries[r].ID}
		for _, i := range c[:len(c)-1] {
			eff.Replaced = append(eff.Replaced, j.Entries[i].ID)
		}
		out = append(out, eff)
	}
	return out, nil
}

// AccountBalance is one account's balance in one party's books: debits
// less credits, so a credit balance is negative.
type AccountBalance struct {
	Account string  `json:"account"`
	Balance Amounts `json:"balance"`
}

// Books is one party's trial balance: the balance of every account its
// entries post to, and the totals of their debit and credit lines.
type Books struct {
	Party    string           `json:"party"`
	Entries  int              `json:"entries"`
	Accounts []AccountBalance `json:"accounts"`
	Debits   Amounts          `json:"debits"`
	Credits  Amounts          `json:"credits"`
	// Balanced is true when debits equal credits in each currency and in
	// US dollars. It is always true: every entry balances, in its
	// currency and (by how postings are converted) in US dollars.
	Balanced bool `json:"balanced"`
}

// TrialBalance is each party's books as of a day.
type TrialBalance struct {
	AsOf    string   `json:"as_of,omitempty"`   // YYYY-MM-DD; empty for every entry, whatever its date
	Periods []string `json:"periods,omitempty"` // the journal's periods that end that day
	Books   []Books  `json:"books"`
}

// Balances returns the trial balance of each party in parties (every
// party, US then UA, when nil) from the effective entries dated on or
// before asOf (every entry when asOf is empty). A UAH posting's US
// dollar figure is at its own entry's rate (USDMethod).
func Balances(eff []Effective, asOf string, parties []string) (*TrialBalance, error) {
	if parties == nil {
		parties = []string{nadra.PartyUS, nadra.PartyUA}
	}
	tb := &TrialBalance{AsOf: asOf}
	var ad adder
	for _, party := range parties {
		b := Books{Party: party, Accounts: []AccountBalance{}}
		acc := map[string]*AccountBalance{}
		for _, ef := range eff {
			e := ef.Entry
			if e.Party != party || asOf != "" && e.Date > asOf {
				continue
			}
			b.Entries++
			usd, err := postingsUSD(e)
			if err != nil {
				return nil, nadra.Errorf(nadra.EINVALID, "entry %d (%s): %s", ef.Position, e.ID, nadra.ErrorMessage(err))
			}
			for i, p := range e.Postings {
				a := acc[p.Account]
				if a == nil {
					a = &AccountBalance{Account: p.Account}
					acc[p.Account] = a
				}
				if p.Debit != 0 {
					line := amounts(p.Debit, e.Currency, usd[i])
					a.Balance = ad.addAmounts(a.Balance, line)
					b.Debits = ad.addAmounts(b.Debits, line)
				} else {
					line := amounts(p.Credit, e.Currency, usd[i])
					a.Balance = ad.subAmounts(a.Balance, line)
					b.Credits = ad.addAmounts(b.Credits, line)
				}
			}
		}
		for _, a := range acc {
			b.Accounts = append(b.Accounts, *a)
		}
		sort.Slice(b.Accounts, func(i, j int) bool { return b.Accounts[i].Account < b.Accounts[j].Account })
		b.Balanced = b.Debits == b.Credits
		tb.Books = append(tb.Books, b)
	}
	if err := ad.err(); err != nil {
		return nil, err
	}
	return tb, nil
}

// BalancesByPeriod returns the trial balance as of each day on which one
// of the effective entries' periods ends, then the total of every entry.
func BalancesByPeriod(eff []Effective, parties []string) ([]*TrialBalance, error) {
	var out []*TrialBalance
	for _, pe := range PeriodEnds(eff) {
		tb, err := Balances(eff, pe.Date, parties)
		if err != nil {
			return nil, err
		}
		tb.Periods = pe.Periods
		out = append(out, tb)
	}
	tb, err := Balances(eff, "", parties)
	if err != nil {
		return nil, err
	}
	return append(out, tb), nil
}

// String names the trial balance's day for people.
func (tb *TrialBalance) String() string {
	if tb.AsOf == "" {
		return "all entries"
	}
	if len(tb.Periods) == 0 {
		return "as of " + tb.AsOf
	}
	return fmt.Sprintf("as of %s (end of %s)", tb.AsOf, joinAnd(tb.Periods))
}

func joinAnd(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	out := s[0]
	for _, x := range s[1 : len(s)-1] {
		out += ", " + x
	}
	return out + " and " + s[len(s)-1]
}

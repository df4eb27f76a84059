package nadra

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/tlog"
)

// The ledger records what has flowed under a deal: each party's statement
// of each flow, signed by the party, as an append-only log. Each party's
// entries are its books, in double entry over one chart of accounts, so
// that the two parties' books can be reconciled the way EITI reconciles
// what companies say they paid with what governments say they received.

// Parties of the reference deal. A party's name is also the name of its
// signing key. Persisted in signed entries: never rename.
const (
	PartyUS = "US"
	PartyUA = "UA"
)

// Key roles. A log key signs checkpoints; a party key signs the entries
// its party posts and co-signs checkpoints as a witness; an auditor key may
// co-sign checkpoints. Persisted: append only.
const (
	RoleLog     = "log"
	RoleParty   = "party"
	RoleAuditor = "auditor"
)

// Entry kinds. Persisted in signed entries: append only, never rename.
const (
	KindCommitment         = "commitment"          // a party commits capital; no cash moves
	KindContributionCash   = "contribution_cash"   // a party pays cash into the fund
	KindContributionInKind = "contribution_inkind" // new US military aid, valued, counted as US capital
	KindReceipt            = "receipt"             // the state receives a payment from a licensee
	KindTransfer           = "transfer"            // the state transfers its share of receipts to the fund
	KindInvestment         = "investment"          // the fund invests in a project
	KindDistribution       = "distribution"        // the fund distributes to a partner
	KindExpense            = "expense"             // the fund pays an expense
)

// EntryKinds lists the kinds in order.
var EntryKinds = []string{KindCommitment, KindContributionCash, KindContributionInKind, KindReceipt,
	KindTransfer, KindInvestment, KindDistribution, KindExpense}

// Receipt streams: what a licensee paid the state for. Persisted: append
// only.
const (
	ReceiptRent     = "rent"      // subsoil rent on extraction
	ReceiptRoyalty  = "royalty"   // a royalty under a contract
	ReceiptFee      = "fee"       // a fee for, or the sale of, a special permit
	ReceiptPSAShare = "psa_share" // proceeds of the state's share of production under a PSA
)

// Currencies an entry may be in.
const (
	CurrencyUSD = "USD"
	CurrencyUAH = "UAH"
)

// The fund, as a payer or payee.
const FundName = "fund"

// Money is an amount in minor units (cents, kopiykas). It is written as a
// decimal string with two decimals, "75000000.00", never as a float.
type Money int64

// MaxMoney bounds any amount: 10^15 minor units, ten trillion in major
// units, beyond any flow of the deal.
const MaxMoney Money = 1_000_000_000_000_000

// ParseMoney reads a decimal amount with at most two decimals ("1234.5",
// "-20.00"): up to 16 digits before the point. Exponents, thousands
// separators, hex, a leading "+" and anything non-finite are refused.
func ParseMoney(s string) (Money, error) {
	bad := func() (Money, error) {
		return 0, Errorf(EINVALID, "%q is not an amount; expected digits with at most two decimals, e.g. 75000000.00", s)
	}
	t := s
	neg := false
	if len(t) > 0 && t[0] == '-' {
		neg, t = true, t[1:]
	}
	whole, frac, dot := strings.Cut(t, ".")
	if len(whole) == 0 || len(whole) > 16 || dot && (len(frac) == 0 || len(frac) > 2) {
		return bad()
	}
	var m Money
	for _, part := range []string{whole, frac} {
		for i := 0; i < len(part); i++ {
			c := part[i]
			if c < '0' || c > '9' {
				return bad()
			}
			m = m*10 + Money(c-'0')
		}
	}
	for i := len(frac); i < 2; i++ {
		m *= 10
	}
	if m > MaxMoney {
		return 0, Errorf(EINVALID, "%q is larger than %s", s, MaxMoney)
	}
	if neg {
		m = -m
	}
	return m, nil
}

// String formats an amount with two decimals.
func (m Money) String() string {
	sign := ""
	v := int64(m)
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

// MarshalText writes the amount as a decimal string.
func (m Money) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText reads a decimal string.
func (m *Money) UnmarshalText(b []byte) error {
	v, err := ParseMoney(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// Float returns the amount in major units.
func (m Money) Float() float64 { return float64(m) / 100 }

// Posting is one line of an entry: an account debited or credited.
// Exactly one of Debit and Credit is non-zero.
type Posting struct {
	Account string `json:"account"`
	Debit   Money  `json:"debit"`
	Credit  Money  `json:"credit"`
}

// Entry is one party's signed statement of one flow: a journal entry in
// that party's books. It is never updated or deleted; a correction is a
// new entry whose Corrects names the entry it replaces.
type Entry struct {
	// ID is the idempotency key, unique in the log: posting an entry
	// whose ID is in the log changes nothing.
	ID     string `json:"id"`
	Kind   string `json:"kind"`
	Date   string `json:"date"`   // YYYY-MM-DD, when the flow happened
	Period string `json:"period"` // YYYY, YYYY-Qn or YYYY-MM the flow belongs to
	// Party posts the entry and signs it: the entry is in its books.
	Party string `json:"party"`
	// From and To are the flow's payer and payee: a party (US, UA), the
	// fund, a licensee or a project.
	From   string `json:"from"`
	To     string `json:"to"`
	Stream string `json:"stream,omitempty"` // receipts: rent, royalty, fee or psa_share
	// Amount is in Currency; a UAH amount carries the rate used (UAH per
	// USD) and its source.
	Amount   Money  `json:"amount"`
	Currency string `json:"currency"`
	FXRate   string `json:"fx_rate,omitempty"`
	FXSource string `json:"fx_source,omitempty"`
	// Postings balance: their debits equal their credits.
	Postings []Posting `json:"postings"`
	Licence  string    `json:"licence,omitempty"`
	// Ref is the flow's reference both parties can quote (a payment
	// order, a decision number); statements match on it.
	Ref  string   `json:"ref,omitempty"`
	Docs []string `json:"docs"` // documentary references, each with its date
	// Valuation is how in-kind aid was valued (its basis and source).
	Valuation string `json:"valuation,omitempty"`
	Corrects  string `json:"corrects,omitempty"` // the ID of the entry this one corrects
	// Public marks a figure taken from public sources (Docs), not from a
	// party's own books.
	Public bool   `json:"public,omitempty"`
	Memo   string `json:"memo,omitempty"`
}

// The shapes of an entry's fields, checked by hand rather than by
// regular expression: Validate runs on every entry that ledger verify
// reads, and these take a twentieth of the time. ledger_shapes_test.go
// checks each against the regular expression it stands for.

// isEntryID reports whether s matches ^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$.
func isEntryID(s string) bool { return isName(s, 128, "._:-") }

// isActor reports whether s matches ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$.
func isActor(s string) bool { return isName(s, 64, "._-") }

// isName reports whether s is 1 to max bytes, an ASCII letter or digit
// and then letters, digits or bytes of extra.
func isName(s string, max int, extra string) bool {
	if len(s) == 0 || len(s) > max || !isAlnum(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isAlnum(s[i]) && strings.IndexByte(extra, s[i]) < 0 {
			return false
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isPeriod reports whether s matches ^[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$.
func isPeriod(s string) bool {
	if len(s) < 4 || !isDigits(s[:4]) {
		return false
	}
	switch r := s[4:]; {
	case r == "":
		return true
	case len(r) != 3 || r[0] != '-':
		return false
	case r[1] == 'Q':
		return r[2] >= '1' && r[2] <= '4'
	default:
		return r[1] == '0' && r[2] >= '1' && r[2] <= '9' || r[1] == '1' && r[2] >= '0' && r[2] <= '2'
	}
}

// isFXRate reports whether s matches ^[0-9]{1,6}(\.[0-9]{1,6})?$.
func isFXRate(s string) bool {
	whole, frac, dot := strings.Cut(s, ".")
	ok := len(whole) >= 1 && len(whole) <= 6 && isDigits(whole)
	if dot {
		ok = ok && len(frac) >= 1 && len(frac) <= 6 && isDigits(frac)
	}
	return ok
}

// isAccount reports whether s matches
// ^[a-z0-9][a-z0-9_-]*(:[a-z0-9][a-z0-9_.-]*){0,4}$.
func isAccount(s string) bool {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) > 5 {
		return false
	}
	for i, p := range parts {
		extra := "_-"
		if i > 0 {
			extra = "_.-"
		}
		if len(p) == 0 || !isLowerAlnum(p[0]) {
			return false
		}
		for j := 1; j < len(p); j++ {
			if !isLowerAlnum(p[j]) && strings.IndexByte(extra, p[j]) < 0 {
				return false
			}
		}
	}
	return true
}

func isLowerAlnum(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' }

// Validate returns an EINVALID error "field: problem" for the first bad
// field. It checks the entry alone; the log checks what needs the other
// entries (unique IDs, corrections, the posting party's key).
func (e *Entry) Validate() error {
	switch {
	case !isEntryID(e.ID):
		return Errorf(EINVALID, "id: %q: expected 1 to 128 letters, digits and . _ : -, starting with a letter or digit", e.ID)
	case !validKind(e.Kind):
		return Errorf(EINVALID, "kind: %q unknown; expected one of %s", e.Kind, strings.Join(EntryKinds, ", "))
	}
	if _, err := ParseDate(e.Date); err != nil {
		return Errorf(EINVALID, "date: %q: %s", e.Date, DateProblem(e.Date))
	}
	switch {
	case !isPeriod(e.Period):
		return Errorf(EINVALID, "period: %q: expected YYYY, YYYY-Qn or YYYY-MM", e.Period)
	case e.Party != PartyUS && e.Party != PartyUA:
		return Errorf(EINVALID, "party: %q: expected US or UA", e.Party)
	case !isActor(e.From):
		return Errorf(EINVALID, "from: %q: expected a party (US, UA), fund, or a licensee's or project's id", e.From)
	case !isActor(e.To):
		return Errorf(EINVALID, "to: %q: expected a party (US, UA), fund, or a licensee's or project's id", e.To)
	case e.From == e.To:
		return Errorf(EINVALID, "to: the payer and the payee are both %q", e.From)
	case e.Amount <= 0 || e.Amount > MaxMoney:
		return Errorf(EINVALID, "amount: %s: expected a positive amount up to %s", e.Amount, MaxMoney)
	case e.Currency != CurrencyUSD && e.Currency != CurrencyUAH:
		return Errorf(EINVALID, "currency: %q: expected USD or UAH", e.Currency)
	case e.Currency == CurrencyUAH && (e.FXRate == "" || e.FXSource == ""):
		return Errorf(EINVALID, "fx_rate: a UAH amount needs the rate used (UAH per USD) and its source (fx_source)")
	case e.Currency == CurrencyUSD && (e.FXRate != "" || e.FXSource != ""):
		return Errorf(EINVALID, "fx_rate: a USD amount takes no exchange rate")
	case e.FXRate != "" && !isFXRate(e.FXRate):
		return Errorf(EINVALID, "fx_rate: %q: expected a decimal number of UAH per USD, e.g. 41.2865", e.FXRate)
	case len(e.Docs) == 0:
		return Errorf(EINVALID, "docs: at least one documentary reference is required")
	case e.Corrects == e.ID:
		return Errorf(EINVALID, "corrects: an entry cannot correct itself")
	case e.Corrects != "" && !isEntryID(e.Corrects):
		return Errorf(EINVALID, "corrects: %q is not an entry id", e.Corrects)
	case len(e.Memo) > 2000:
		return Errorf(EINVALID, "memo: longer than 2000 bytes")
	case len(e.Ref) > 200 || len(e.Licence) > 100 || len(e.Valuation) > 1000:
		return Errorf(EINVALID, "ref: ref, licence or valuation too long")
	}
	if e.FXRate != "" {
		r, _ := strconv.ParseFloat(e.FXRate, 64)
		if !(r > 0) {
			return Errorf(EINVALID, "fx_rate: must be positive")
		}
		// The views convert to USD exactly; bound what they must hold.
		if float64(e.Amount)/r > float64(MaxMoney) {
			return Errorf(EINVALID, "fx_rate: %s UAH at %s UAH per USD is more than %s US dollars; check the rate", e.Amount, e.FXRate, MaxMoney)
		}
	}
	for i, d := range e.Docs {
		if strings.TrimSpace(d) == "" || len(d) > 1000 {
			return Errorf(EINVALID, "docs: reference %d is empty or longer than 1000 bytes", i+1)
		}
	}
	if err := e.validateKind(); err != nil {
		return err
	}
	return e.validatePostings()
}

func validKind(k string) bool {
	for _, v := range EntryKinds {
		if v == k {
			return true
		}
	}
	return false
}

func isPartner(s string) bool { return s == PartyUS || s == PartyUA }

// validateKind checks the payer, payee and fields each kind needs.
func (e *Entry) validateKind() error {
	switch e.Kind {
	case KindCommitment, KindContributionCash:
		if !isPartner(e.From) || e.To != FundName {
			return Errorf(EINVALID, "from: a %s is from US or UA to the fund", e.Kind)
		}
	case KindContributionInKind:
		if e.From != PartyUS || e.To != PartyUA {
			return Errorf(EINVALID, "from: in-kind aid is from US to UA; it counts as US capital in the fund")
		}
		if strings.TrimSpace(e.Valuation) == "" {
			return Errorf(EINVALID, "valuation: in-kind aid needs its valuation basis (e.g. the Ministry of Defence's report under Cabinet Resolution 1411) and source")
		}
	case KindReceipt:
		if e.To != PartyUA || isPartner(e.From) || e.From == FundName {
			return Errorf(EINVALID, "from: a receipt is from a licensee to UA (the state)")
		}
		switch e.Stream {
		case ReceiptRent, ReceiptRoyalty, ReceiptFee, ReceiptPSAShare:
		default:
			return Errorf(EINVALID, "stream: %q: expected rent, royalty, fee or psa_share", e.Stream)
		}
		if e.Licence == "" {
			return Errorf(EINVALID, "licence: a receipt names the licence it was paid under")
		}
	case KindTransfer:
		if e.From != PartyUA || e.To != FundName {
			return Errorf(EINVALID, "from: a transfer is from UA (the state) to the fund")
		}
	case KindInvestment:
		if e.From != FundName || isPartner(e.To) {
			return Errorf(EINVALID, "to: an investment is from the fund to a project")
		}
	case KindDistribution:
		if e.From != FundName || !isPartner(e.To) {
			return Errorf(EINVALID, "to: a distribution is from the fund to US or UA")
		}
	case KindExpense:
		if e.From != FundName || isPartner(e.To) {
			return Errorf(EINVALID, "to: an expense is from the fund to a payee that is not a partner")
		}
	}
	if e.Kind != KindReceipt && e.Stream != "" {
		return Errorf(EINVALID, "stream: only receipts have a stream")
	}
	if e.Kind != KindContributionInKind && e.Valuation != "" {
		return Errorf(EINVALID, "valuation: only in-kind contributions have a valuation")
	}
	return nil
}

// StandardPostings returns the postings of an entry of its kind, from its
// payer, payee and amount:
//
//	commitment           Dr <from>:commitment      Cr <from>:committed
//	contribution_cash    Dr fund:cash              Cr <from>:capital
//	contribution_inkind  Dr fund:inkind-aid        Cr us:capital
//	receipt              Dr ua:special-fund        Cr ua:receipts:<stream>
//	transfer             Dr fund:cash              Cr ua:capital
//	                     Dr ua:contributed         Cr ua:special-fund
//	investment           Dr fund:investments:<to>  Cr fund:cash
//	distribution         Dr <to>:capital           Cr fund:cash
//	expense              Dr fund:expenses          Cr fund:cash
func (e *Entry) StandardPostings() []Posting {
	a := e.Amount
	p := func(dr, cr string) []Posting {
		return []Posting{{Account: dr, Debit: a}, {Account: cr, Credit: a}}
	}
	low := strings.ToLower
	switch e.Kind {
	case KindCommitment:
		return p(low(e.From)+":commitment", low(e.From)+":committed")
	case KindContributionCash:
		return p("fund:cash", low(e.From)+":capital")
	case KindContributionInKind:
		return p("fund:inkind-aid", "us:capital")
	case KindReceipt:
		return p("ua:special-fund", "ua:receipts:"+e.Stream)
	case KindTransfer:
		return append(p("fund:cash", "ua:capital"), p("ua:contributed", "ua:special-fund")...)
	case KindInvestment:
		return p("fund:investments:"+low(e.To), "fund:cash")
	case KindDistribution:
		return p(low(e.To)+":capital", "fund:cash")
	case KindExpense:
		return p("fund:expenses", "fund:cash")
	}
	return nil
}

// validatePostings checks that the postings balance, each line debits or
// credits one valid account, and none exceeds the bound.
func (e *Entry) validatePostings() error {
	if len(e.Postings) < 2 || len(e.Postings) > 20 {
		return Errorf(EINVALID, "postings: expected 2 to 20 lines, got %d", len(e.Postings))
	}
	var dr, cr Money
	for i, p := range e.Postings {
		switch {
		case !isAccount(p.Account):
			return Errorf(EINVALID, "postings: line %d: account %q: expected lower-case words separated by colons, e.g. fund:cash", i+1, p.Account)
		case p.Debit < 0 || p.Credit < 0:
			return Errorf(EINVALID, "postings: line %d: negative amount; debit or credit instead", i+1)
		case (p.Debit == 0) == (p.Credit == 0):
			return Errorf(EINVALID, "postings: line %d: give a debit or a credit, not both or neither", i+1)
		case p.Debit > MaxMoney || p.Credit > MaxMoney:
			return Errorf(EINVALID, "postings: line %d: amount too large", i+1)
		}
		dr += p.Debit
		cr += p.Credit
	}
	if dr != cr {
		return Errorf(EINVALID, "postings: debits %s and credits %s do not balance", dr, cr)
	}
	return nil
}

// USD returns the entry's amount in US dollars (a UAH amount at its rate).
func (e *Entry) USD() float64 {
	if e.Currency == CurrencyUSD {
		return e.Amount.Float()
	}
	r, err := strconv.ParseFloat(e.FXRate, 64)
	if err != nil || !(r > 0) || math.IsInf(r, 0) {
		return math.NaN()
	}
	return e.Amount.Float() / r
}

// LedgerKey is a public key registered with the ledger: a note verifier
// key ("name+hash+base64", golang.org/x/mod/sumdb/note) and its role.
type LedgerKey struct {
	Name string `json:"name"` // the party's name, "US" or "UA"; the log's origin; the auditor's name
	Role string `json:"role"` // log, party or auditor
	Key  string `json:"key"`  // the verifier key
}

// LedgerRecord is an entry as the log holds it: its index (leaf number),
// the signed note it was posted as, and the entry decoded.
type LedgerRecord struct {
	Index  int64  `json:"index"`
	Note   []byte `json:"-"` // the signed note: the entry's canonical JSON, a blank line, the signature
	Entry  Entry  `json:"entry"`
	Signer string `json:"signer"` // the key that signed it
}

// LedgerCheckpoint is a signed tree head: the log's size and root hash in
// the C2SP tlog-checkpoint format, signed by the log and co-signed by the
// parties.
type LedgerCheckpoint struct {
	ID       int64    `json:"id"`
	Origin   string   `json:"origin"`
	Size     int64    `json:"size"`
	Root     string   `json:"root"`      // base64, as in the note
	Note     []byte   `json:"-"`         // the note with every signature
	SignedBy []string `json:"signed_by"` // names of the keys whose signatures verify
	Created  string   `json:"created_at"`
}

// LedgerFilter narrows a listing of the log's records. An empty field
// matches any entry.
type LedgerFilter struct {
	Party   string // the party that posted the entry: US or UA
	Kind    string
	Period  string // entries whose period falls within it: 2026 matches 2026, 2026-Q1 and 2026-03
	Licence string
	// Offset and Limit page the matches, in index order; Limit 0 is no
	// limit.
	Offset, Limit int
}

// Validate returns an EINVALID error naming the first bad field.
func (f *LedgerFilter) Validate() error {
	switch {
	case f.Party != "" && !isPartner(f.Party):
		return Errorf(EINVALID, "party: %q: expected US or UA", f.Party)
	case f.Kind != "" && !validKind(f.Kind):
		return Errorf(EINVALID, "kind: %q unknown; expected one of %s", f.Kind, strings.Join(EntryKinds, ", "))
	case f.Period != "" && !isPeriod(f.Period):
		return Errorf(EINVALID, "period: %q: expected YYYY, YYYY-Qn or YYYY-MM", f.Period)
	case len(f.Licence) > 100:
		return Errorf(EINVALID, "licence: longer than 100 bytes")
	case f.Offset < 0 || f.Limit < 0:
		return Errorf(EINVALID, "offset: offset and limit must not be negative")
	}
	return nil
}

// LedgerService stores the log. Implemented by sqlite and postgres.
type LedgerService interface {
	// RegisterKey adds a public key. ECONFLICT if the name is taken by
	// another key.
	RegisterKey(ctx context.Context, k LedgerKey) error
	// Keys returns every registered key.
	Keys(ctx context.Context) ([]LedgerKey, error)
	// Append verifies each signed note against the registered party keys
	// and appends them in order, in one transaction: all or none.
	// EUNAUTHORIZED for an unknown key or a bad signature; EFORBIDDEN for
	// an entry signed by a key other than its party's, or correcting the
	// other party's entry; EINVALID for a bad entry; ECONFLICT for an ID
	// already in the log (a replay).
	Append(ctx context.Context, notes [][]byte) ([]LedgerRecord, error)
	// Records returns the records with index in [from, to).
	Records(ctx context.Context, from, to int64) ([]LedgerRecord, error)
	// Size returns the number of records.
	Size(ctx context.Context) (int64, error)
}

// LedgerStore is the whole of a ledger's store: the log, its listing,
// checkpoints, co-signatures and proofs. Implemented by sqlite and
// postgres; the conformance suite (storetest) holds them to one contract.
type LedgerStore interface {
	LedgerService
	// FindRecords returns a page of records matching the filter, in index
	// order, and how many match in all. EINVALID for a bad filter.
	FindRecords(ctx context.Context, f LedgerFilter) ([]LedgerRecord, int64, error)
	// Corrections returns the corrections among the entries from index
	// from on (corrected id → the latest correction's id), and the log's
	// size, from which to ask next.
	Corrections(ctx context.Context, from int64) (map[string]string, int64, error)
	// IDIndex returns the index of the entry with an id; ENOTFOUND if none.
	IDIndex(ctx context.Context, id string) (int64, error)
	// Notes streams the signed notes with index in [from, to), in order.
	Notes(ctx context.Context, from, to int64, fn func(idx int64, note []byte) error) error
	// Checkpoint signs the current tree with the log's key (made on first
	// use, named origin) and stores it; when the latest checkpoint covers
	// every entry it returns that one and false. EINVALID for an empty log.
	Checkpoint(ctx context.Context, origin string) (*LedgerCheckpoint, bool, error)
	// Checkpoints returns every checkpoint, oldest first, with every
	// co-signature and the keys whose signatures verify.
	Checkpoints(ctx context.Context) ([]*LedgerCheckpoint, error)
	// FindCheckpoints returns a page of checkpoints, oldest or newest
	// first, and how many there are.
	FindCheckpoints(ctx context.Context, offset, limit int, newestFirst bool) ([]*LedgerCheckpoint, int64, error)
	// AddCosignature stores the co-signatures a checkpoint note carries.
	// ENOTFOUND when no stored checkpoint has its size and root; ECONFLICT
	// when it carries no new co-signature.
	AddCosignature(ctx context.Context, msg []byte) (*LedgerCheckpoint, error)
	// LastCosigned returns the latest checkpoint key name has co-signed,
	// or nil.
	LastCosigned(ctx context.Context, name string) (*LedgerCheckpoint, error)
	// Prove returns the inclusion proof of entry n in the tree of size t,
	// and that tree's root.
	Prove(ctx context.Context, n, t int64) (tlog.RecordProof, tlog.Hash, error)
	// ProveConsistency returns the proof that the tree of size n is a
	// prefix of the tree of size t, and both roots.
	ProveConsistency(ctx context.Context, t, n int64) (tlog.TreeProof, tlog.Hash, tlog.Hash, error)
	// HashReader returns a reader of the stored hashes, and a function to
	// release it.
	HashReader(ctx context.Context) (tlog.HashReader, func(), error)
}

// DefaultLedgerOrigin names the log (and its key) when the caller gives
// none.
const DefaultLedgerOrigin = "nadra.local/ledger"

package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"nadra"
	"nadra/dataset"
	"nadra/internal/csvfmt"
	"nadra/internal/flows"
	"nadra/ledger"
)

// The accounting views over a journal: balances, what is due against what
// was paid, the two-party reconciliation, and the flows as CSV or XLSX.
// They read; they never post.

// licenceEligibility returns the rule that decides whether the state's
// receipts under a licence count toward what Ukraine owes the fund under
// terms: the licence register's verdict (nadra.LicenceEligibility) for
// the licence and its deposit. A licence the register does not hold, or
// whose facts do not decide it, is "unknown": its due is listed apart,
// in no total, never counted as zero.
func (m *Main) licenceEligibility(ctx context.Context, terms *nadra.DealTerms) (ledger.Eligibility, error) {
	if err := m.open(ctx); err != nil {
		return nil, err
	}
	ls, err := m.Licences.FindLicences(ctx, nadra.LicenceFilter{})
	if err != nil {
		return nil, err
	}
	deps, _, err := m.Deposits.FindDeposits(ctx, nadra.DepositFilter{})
	if err != nil {
		return nil, err
	}
	return ledger.RegisterEligibility(terms, ls, deps), nil
}

const journalFlagHelp = "the `JOURNAL`: log, public (the public figures shipped with nadra), or an entries FILE (JSON or CSV, as for ledger post); default: the log if it has entries, else public"

// loadJournal reads the journal a report runs on: "log", "public", an
// entries file, or, when name is empty, the log if it has entries and
// else the public journal.
func (m *Main) loadJournal(ctx context.Context, name string) (*ledger.View, error) {
	switch name {
	case "", "log":
		if err := m.open(ctx); err != nil {
			return nil, err
		}
		n, err := m.Ledger.Size(ctx)
		if err != nil {
			return nil, err
		}
		if n == 0 && name == "" {
			return m.loadJournal(ctx, "public")
		}
		recs, err := m.Ledger.Records(ctx, 0, n)
		if err != nil {
			return nil, err
		}
		es := make([]*nadra.Entry, len(recs))
		for i := range recs {
			es[i] = &recs[i].Entry
		}
		return ledger.LogView(es)
	case "public":
		p, err := dataset.Public()
		if err != nil {
			return nil, err
		}
		return ledger.PublicView(p)
	}
	data, err := readFile(ctx, name, m.Stdin, kindEntries)
	if err != nil {
		return nil, err
	}
	es, err := ledger.ParseEntries(name, data)
	if err != nil {
		return nil, err
	}
	return ledger.FileView(name, es)
}

// viewHeader prints which journal a report used and how it gets US
// dollars.
func viewHeader(w io.Writer, v *ledger.View) {
	fprintf(w, "Journal: %s (%d entries, %d in force", v.Info.Name, v.Info.Entries, v.Info.InForce)
	if v.Info.Corrected > 0 {
		fprintf(w, ", %d of them corrections", v.Info.Corrected)
	}
	fprintf(w, "): %s.\n", v.Info.Note)
	fprintf(w, "USD: %s\n", wrap(v.Info.USD, 90, "     "))
}

// viewMissing prints, for the public journal, the flows it lacks because
// no public source gives their amounts: their absence is not a zero.
func viewMissing(w io.Writer, v *ledger.View) {
	if v.Missing == nil {
		return
	}
	fprintf(w, "\nNot in the public journal, because no public source gives the amount (an absence, not a zero):\n")
	for _, m := range v.Missing {
		fprintf(w, "  - %s (%s, %s, %s)\n      %s\n", m.Flow, m.Kind, m.Party, m.Period, wrap(m.Why, 86, "      "))
		for _, src := range m.Sources {
			fprintf(w, "      source: %s\n", src)
		}
	}
}

// minor formats an amount in minor units for a table: "-" for zero.
func minor(m nadra.Money) string {
	if m == 0 {
		return "-"
	}
	return m.String()
}

// amts formats Amounts for a table: "-" for none.
func amts(a ledger.Amounts) string {
	if a.IsZero() {
		return "-"
	}
	return a.String()
}

func (m *Main) runLedgerBalance(ctx context.Context, args []string) error {
	fs := m.flags("ledger balance", `Usage: nadra ledger balance [--party US|UA] [--as-of DATE | --period P] [--journal JOURNAL] [--json | --csv]

Each party's books (the entries it posted, corrections applied): the balance
of every account, debits less credits (a credit balance is negative), in
USD, in UAH, and in USD at each entry's own rate; and the totals of the
debit and credit lines, which are equal in each party's books. Without
--as-of or --period, the books as of the end of each period of the journal,
then of every entry.`)
	party := fs.String("party", "", "one party's books: US or UA (default both)")
	asOf := fs.String("as-of", "", "the books as of `DATE` (YYYY-MM-DD): entries dated on or before it")
	period := fs.String("period", "", "the books as of the end of period `P` (YYYY, YYYY-Qn or YYYY-MM)")
	journal := fs.String("journal", "", journalFlagHelp)
	var out outputFlags
	fs.BoolVar(&out.json, "json", false, "print JSON")
	fs.BoolVar(&out.csv, "csv", false, "print CSV")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if err := out.check(); err != nil {
		return err
	}
	var parties []string
	switch *party {
	case "":
	case nadra.PartyUS, nadra.PartyUA:
		parties = []string{*party}
	default:
		return usagef("--party %q: expected US or UA", *party)
	}
	if *asOf != "" && *period != "" {
		return usagef("give --as-of or --period, not both")
	}
	if *asOf != "" {
		if _, err := nadra.ParseDate(*asOf); err != nil {
			return usagef("--as-of: %s", nadra.ErrorMessage(err))
		}
	}
	if *period != "" {
		if err := ledger.CheckPeriod(*period); err != nil {
			return usagef("--period: %s", nadra.ErrorMessage(err))
		}
	}
	v, err := m.loadJournal(ctx, *journal)
	if err != nil {
		return err
	}
	rep, err := v.Balances(ledger.BalancesOptions{Parties: parties, AsOf: *asOf, Period: *period})
	if err != nil {
		return err
	}
	tbs := rep.Balances
	switch {
	case out.json:
		return writeJSON(m.Stdout, rep)
	case out.csv:
		w := csvfmt.NewWriter(m.Stdout)
		w.Write([]string{"journal", "as_of", "periods", "party", "account", "usd", "uah", "in_usd"})
		for _, tb := range tbs {
			for _, b := range tb.Books {
				for _, a := range b.Accounts {
					w.Write([]string{v.Info.Name, tb.AsOf, strings.Join(tb.Periods, ";"), b.Party, a.Account,
						a.Balance.USD.String(), a.Balance.UAH.String(), a.Balance.InUSD.String()})
				}
			}
		}
		w.Flush()
		return w.Error()
	}
	viewHeader(m.Stdout, v)
	fprintf(m.Stdout, "Balances are debits less credits: a credit balance is negative.\n")
	for _, tb := range tbs {
		fprintf(m.Stdout, "\n%s\n", capitalise(tb.String()))
		for _, b := range tb.Books {
			state := "debits equal credits"
			if !b.Balanced {
				state = "DEBITS AND CREDITS DIFFER"
			}
			fprintf(m.Stdout, "  %s books, %d entries: debits %s, credits %s: %s\n", b.Party, b.Entries, amts(b.Debits), amts(b.Credits), state)
			if len(b.Accounts) == 0 {
				continue
			}
			tw := newTab(m.Stdout)
			fmt.Fprintln(tw, "    ACCOUNT\tUSD\tUAH\tIN USD")
			for _, a := range b.Accounts {
				fmt.Fprintf(tw, "    %s\t%s\t%s\t%s\n", a.Account, minor(a.Balance.USD), minor(a.Balance.UAH), minor(a.Balance.InUSD))
			}
			tw.Flush()
		}
	}
	return nil
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func (m *Main) runLedgerDue(ctx context.Context, args []string) error {
	fs := m.flags("ledger due", `Usage: nadra ledger due [--period P] [--deal TERMS] [--journal JOURNAL] [--json | --csv]

What Ukraine owes the fund, the terms' ukraine_share of the state's
receipts from eligible licences (receipt entries in UA's books, in the
terms' revenue streams), against what was transferred (transfer entries:
paid, per UA's books; received, per the US books), per period and licence,
with the arrears (negative: a surplus) carried forward. Receipts whose
licence's eligibility is unknown are listed apart, their due in no total.
Then each partner's capital: the terms' us_cash and ukraine_cash schedules
and the commitments posted, against cash contributions and, as the terms
say (us_inkind_aid_counts), US in-kind aid.`)
	period := fs.String("period", "", "only the periods within `P` (YYYY, YYYY-Qn or YYYY-MM); earlier arrears are brought forward")
	deal := fs.String("deal", "urif-2025", "the deal `TERMS`: a shipped id (nadra deal list) or a terms file")
	journal := fs.String("journal", "", journalFlagHelp)
	var out outputFlags
	fs.BoolVar(&out.json, "json", false, "print JSON")
	fs.BoolVar(&out.csv, "csv", false, "print CSV, one figure a row")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if err := out.check(); err != nil {
		return err
	}
	if *period != "" {
		if err := ledger.CheckPeriod(*period); err != nil {
			return usagef("--period: %s", nadra.ErrorMessage(err))
		}
	}
	terms, err := m.loadTerms(ctx, *deal)
	if err != nil {
		return err
	}
	v, err := m.loadJournal(ctx, *journal)
	if err != nil {
		return err
	}
	elig, err := m.licenceEligibility(ctx, terms)
	if err != nil {
		return err
	}
	dv, err := v.Due(ledger.DueOptions{Terms: terms, Eligible: elig, Period: *period})
	if err != nil {
		return err
	}
	rep := dv.Due
	switch {
	case out.json:
		return writeJSON(m.Stdout, dv)
	case out.csv:
		return writeDueCSV(m.Stdout, v.Info.Name, rep)
	}
	w := m.Stdout
	viewHeader(w, v)
	fprintf(w, "Terms: %s: Ukraine owes the fund %s of the state's receipts from eligible licences in the revenue streams %s.\n",
		rep.Terms, strconv.FormatFloat(rep.Share*100, 'f', -1, 64)+"%", strings.Join(rep.Streams, ", "))
	fprintf(w, "\nDue against paid, per period and licence (arrears: due less paid; negative: a surplus)\n")
	starred := false
	star := func(a ledger.Amounts, incomplete bool) string {
		if !incomplete {
			return amts(a)
		}
		starred = true
		return amts(a) + " *"
	}
	if !rep.BroughtForwardUA.IsZero() || !rep.BroughtForwardUS.IsZero() || rep.BroughtForwardIncomplete {
		fprintf(w, "  brought forward from before %s: arrears per UA's books %s, per the US books %s\n", rep.Period,
			star(rep.BroughtForwardUA, rep.BroughtForwardIncomplete), star(rep.BroughtForwardUS, rep.BroughtForwardIncomplete))
	}
	if len(rep.Periods) == 0 {
		fprintf(w, "  no receipts and no transfers in this journal%s\n", periodSuffix(rep.Period))
	} else {
		tw := newTab(w)
		fmt.Fprintln(tw, "  PERIOD\tLICENCE\tRECEIPTS\tDUE\tDUE, ELIGIBILITY UNKNOWN\tPAID (UA)\tRECEIVED (US)\tARREARS (UA)\tARREARS (US)")
		for _, p := range rep.Periods {
			for _, l := range p.Licences {
				lic := l.Licence
				if lic == "" {
					lic = "(no licence named)"
				}
				fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.Period, lic, amts(l.Receipts), amts(l.Due), amts(l.Unknown), amts(l.PaidUA), amts(l.ReceivedUS),
					star(l.ArrearsUA, l.Incomplete), star(l.ArrearsUS, l.Incomplete))
			}
			t := p.Total
			fmt.Fprintf(tw, "  %s\ttotal\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.Period, amts(t.Receipts), amts(t.Due), amts(t.Unknown), amts(t.PaidUA), amts(t.ReceivedUS),
				star(t.ArrearsUA, t.Incomplete), star(t.ArrearsUS, t.Incomplete))
			fmt.Fprintf(tw, "  %s\tcarried forward\t\t\t\t\t\t%s\t%s\n", p.Period, star(p.CarriedUA, p.CarriedIncomplete), star(p.CarriedUS, p.CarriedIncomplete))
		}
		tw.Flush()
	}
	if starred {
		fprintf(w, "  * leaves out the due of receipts whose licence's eligibility is unknown (below): if they are eligible, the arrears are that much higher.\n")
	}
	if len(rep.Unknown) > 0 {
		fprintf(w, "\nLeft out of every total: receipts whose licence's eligibility is unknown (their due is not counted, as zero or otherwise)\n")
		for _, l := range rep.Unknown {
			fprintf(w, "  %s  %s: receipts %s; due if eligible %s; %s (%s)\n", l.Period, l.Licence, l.Receipts, l.Due, l.Reason, entryList(l))
		}
	}
	if len(rep.NotDue) > 0 {
		fprintf(w, "\nNot due\n")
		for _, l := range rep.NotDue {
			fprintf(w, "  %s  %s: receipts %s: %s (%s)\n", l.Period, l.Licence, l.Receipts, l.Reason, entryList(l))
		}
	}
	inkind := "US in-kind aid counts as US capital (us_inkind_aid_counts)"
	if !rep.InKindCounts {
		inkind = "these terms do not count US in-kind aid as capital"
	}
	fprintf(w, "\nCapital: the terms' cash schedules and the commitments, against what was paid in, in USD at each entry's own rate; %s.\nOutstanding figures are cumulative to the end of each year; negative: more was paid in.\n", inkind)
	if len(rep.Capital) == 0 {
		fprintf(w, "  no schedule and no capital entries%s\n", periodSuffix(rep.Period))
	} else {
		tw := newTab(w)
		fmt.Fprintln(tw, "  PARTNER\tYEAR\tBOOKS\tSCHEDULED\tCOMMITTED\tCASH\tIN-KIND\tCOUNTED\tOUTSTANDING VS SCHEDULE\tOUTSTANDING VS COMMITTED")
		for _, r := range rep.Capital {
			fmt.Fprintf(tw, "  %s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Partner, r.Year, r.Books, minor(r.Scheduled), minor(r.Committed.InUSD),
				minor(r.Cash.InUSD), minor(r.InKind.InUSD), minor(r.Counted), minor(r.OutstandingSchedule), minor(r.OutstandingCommitted))
		}
		tw.Flush()
		if v.Info.Name == "public" {
			fprintf(w, "  The public journal has no contribution entries: no public source gives the amounts paid in (below).\n  Outstanding here is what no public source shows as paid, not arrears.\n")
		}
	}
	viewMissing(w, v)
	return nil
}

// entryList names a due line's entries, and the originals the corrections
// among them replace.
func entryList(l ledger.DueLine) string {
	var out []string
	for _, id := range l.Entries {
		if orig, ok := l.Replaces[id]; ok {
			id += ", correcting " + orig
		}
		out = append(out, id)
	}
	return strings.Join(out, "; ")
}

func periodSuffix(p string) string {
	if p == "" {
		return ""
	}
	return " within " + p
}

// writeDueCSV writes the due report one figure a row: section, period,
// licence, partner, books, measure, currency, amount and a note, so that
// any figure can be pivoted out.
func writeDueCSV(out io.Writer, journal string, rep *ledger.DueReport) error {
	w := csvfmt.NewWriter(out)
	w.Write([]string{"journal", "terms", "section", "period", "licence", "partner", "books", "measure", "currency", "amount", "note"})
	row := func(section, period, licence, partner, books, measure, cur string, m nadra.Money, note string) {
		w.Write([]string{journal, rep.Terms, section, period, licence, partner, books, measure, cur, m.String(), note})
	}
	am := func(section, period, licence, measure string, a ledger.Amounts, note string) {
		row(section, period, licence, "", "", measure, "usd", a.USD, note)
		row(section, period, licence, "", "", measure, "uah", a.UAH, note)
		row(section, period, licence, "", "", measure, "in_usd", a.InUSD, note)
	}
	due := func(section, period string, l ledger.DueLicence) {
		for _, f := range []struct {
			m string
			a ledger.Amounts
		}{{"receipts", l.Receipts}, {"due", l.Due}, {"unknown_due", l.Unknown}, {"paid_per_ua", l.PaidUA},
			{"received_per_us", l.ReceivedUS}, {"arrears_per_ua", l.ArrearsUA}, {"arrears_per_us", l.ArrearsUS}} {
			am(section, period, l.Licence, f.m, f.a, l.Eligibility)
		}
	}
	for _, p := range rep.Periods {
		for _, l := range p.Licences {
			due("due", p.Period, l)
		}
		due("due_total", p.Period, p.Total)
		am("carried", p.Period, "", "carried_per_ua", p.CarriedUA, "")
		am("carried", p.Period, "", "carried_per_us", p.CarriedUS, "")
	}
	for _, l := range rep.Unknown {
		am("eligibility_unknown", l.Period, l.Licence, "receipts", l.Receipts, l.Reason)
		am("eligibility_unknown", l.Period, l.Licence, "due_if_eligible", l.Due, l.Reason)
	}
	for _, l := range rep.NotDue {
		am("not_due", l.Period, l.Licence, "receipts", l.Receipts, l.Reason)
	}
	for _, r := range rep.Capital {
		y := strconv.Itoa(r.Year)
		for _, f := range []struct {
			m string
			v nadra.Money
		}{{"scheduled", r.Scheduled}, {"committed", r.Committed.InUSD}, {"cash", r.Cash.InUSD}, {"inkind", r.InKind.InUSD},
			{"counted", r.Counted}, {"outstanding_vs_schedule", r.OutstandingSchedule}, {"outstanding_vs_committed", r.OutstandingCommitted}} {
			row("capital", y, "", r.Partner, r.Books, f.m, "in_usd", f.v, "")
		}
	}
	w.Flush()
	return w.Error()
}

func (m *Main) runLedgerReconcile(ctx context.Context, args []string) error {
	fs := m.flags("ledger reconcile", `Usage: nadra ledger reconcile [--period P] [--rel R] [--floor USD] [--journal JOURNAL] [--json | --csv]

Matches the US statements of each flow against UA's, the way EITI
reconciles what companies paid with what governments received: first on
kind, from, to, licence, period and ref, for entries that quote a ref both
sides share; then, for every entry left, on the sum per kind, from, to,
licence, stream and period. A difference is a discrepancy only when it
exceeds both thresholds: --rel of the payee side's statement and --floor in
US dollars. The defaults, 1% and $100,000, are the USEITI margin of
variance for royalties and taxes. Reports the discrepancies (both amounts,
the difference, which thresholds it passed), the flows one side stated and
the other did not, and the matched flows.`)
	period := fs.String("period", "", "only the flows of periods within `P` (YYYY, YYYY-Qn or YYYY-MM)")
	rel := fs.String("rel", "0.01", "the relative threshold `R`, a fraction of the payee side's amount (0.01 is 1%)")
	floor := fs.String("floor", ledger.DefaultThresholds.Floor.String(), "the absolute floor, in `USD`")
	journal := fs.String("journal", "", journalFlagHelp)
	var out outputFlags
	fs.BoolVar(&out.json, "json", false, "print JSON")
	fs.BoolVar(&out.csv, "csv", false, "print CSV, one flow a row")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if err := out.check(); err != nil {
		return err
	}
	if *period != "" {
		if err := ledger.CheckPeriod(*period); err != nil {
			return usagef("--period: %s", nadra.ErrorMessage(err))
		}
	}
	th := ledger.Thresholds{}
	if th.Rel, err = ledger.ParseRel(*rel); err != nil {
		return usagef("--rel %s", nadra.ErrorMessage(err))
	}
	if th.Floor, err = ledger.ParseFloor(*floor); err != nil {
		return usagef("--floor %s", nadra.ErrorMessage(err))
	}
	v, err := m.loadJournal(ctx, *journal)
	if err != nil {
		return err
	}
	rv, err := v.Reconcile(th, *period)
	if err != nil {
		return err
	}
	rep := rv.Reconcile
	switch {
	case out.json:
		return writeJSON(m.Stdout, rv)
	case out.csv:
		return writeReconCSV(m.Stdout, v.Info.Name, rep)
	}
	w := m.Stdout
	viewHeader(w, v)
	fprintf(w, "Thresholds: a difference is a discrepancy only when it exceeds both %s of the payee side's statement and $%s in US dollars.\n  Defaults: %s.\n",
		strconv.FormatFloat(th.Rel*100, 'f', -1, 64)+"%", th.Floor, ledger.ThresholdsSource)
	fprintf(w, "Matching: on the ref both sides quote; without one, on the sum per kind, payer, payee, licence, stream and period.\n")
	section := func(title string, items []ledger.ReconItem) {
		fprintf(w, "\n%s: %d\n", title, len(items))
		if len(items) == 0 {
			return
		}
		tw := newTab(w)
		fmt.Fprintln(tw, "  FLOW\tBASIS\tUS STATES\tUA STATES\tDIFFERENCE (US − UA)\tNOTE")
		for _, it := range items {
			us, ua := "-", "-"
			if it.US != nil {
				us = it.US.Amount.String()
			}
			if it.UA != nil {
				ua = it.UA.Amount.String()
			}
			diff := "-"
			if it.US != nil && it.UA != nil {
				diff = it.Diff.String()
				switch it.Currency {
				case nadra.CurrencyUAH:
					diff = "UAH " + diff
				default:
					diff = "$" + diff
				}
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\n", it.Key(), it.Basis, us, ua, diff, it.Note)
		}
		tw.Flush()
	}
	section("Discrepancies", rep.Discrepancies)
	section("Stated by the US only", rep.USOnly)
	section("Stated by UA only", rep.UAOnly)
	section("Matched", rep.Matched)
	return nil
}

func writeReconCSV(out io.Writer, journal string, rep *ledger.Reconciliation) error {
	w := csvfmt.NewWriter(out)
	w.Write([]string{"journal", "status", "basis", "kind", "from", "to", "licence", "stream", "period", "ref",
		"us_usd", "us_uah", "us_in_usd", "ua_usd", "ua_uah", "ua_in_usd", "currency", "difference", "difference_usd",
		"relative_to", "relative", "exceeds_relative", "exceeds_floor", "us_entries", "ua_entries", "note"})
	side := func(s *ledger.Side) []string {
		if s == nil {
			return []string{"", "", ""}
		}
		return []string{s.Amount.USD.String(), s.Amount.UAH.String(), s.Amount.InUSD.String()}
	}
	ids := func(s *ledger.Side) string {
		if s == nil {
			return ""
		}
		return strings.Join(s.Entries, ";")
	}
	for _, it := range rep.Items() {
		rec := []string{journal, it.Status, it.Basis, it.Kind, it.From, it.To, it.Licence, it.Stream, it.Period, it.Ref}
		rec = append(rec, side(it.US)...)
		rec = append(rec, side(it.UA)...)
		diff, diffUSD, relv := "", "", ""
		if it.US != nil && it.UA != nil {
			diff, diffUSD, relv = it.Diff.String(), it.DiffUSD.String(), strconv.FormatFloat(it.Rel, 'f', 6, 64)
		}
		rec = append(rec, it.Currency, diff, diffUSD, it.Base, relv, strconv.FormatBool(it.ExceedsRel), strconv.FormatBool(it.ExceedsFloor),
			ids(it.US), ids(it.UA), it.Note)
		w.Write(rec)
	}
	w.Flush()
	return w.Error()
}

func (m *Main) runLedgerExportFlows(ctx context.Context, args []string) error {
	fs := m.flags("ledger export-flows", `Usage: nadra ledger export-flows [--format csv|xlsx] [-o FILE] [--journal JOURNAL]

Every entry of the journal, corrected ones included (in_force false, with
the id of the entry that replaced it), in the entries CSV columns of
dataset/FORMAT.md plus its position, the original entry of its chain and
its amount in USD at its own rate. XLSX adds a sheet of the postings and
one saying which journal it is. -o is written whole or not at all, never
over the database; XLSX needs -o.`)
	format := fs.String("format", "csv", "csv or xlsx")
	outPath := fs.String("o", "", "write to `FILE` instead of standard output")
	journal := fs.String("journal", "", journalFlagHelp)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	switch *format {
	case "csv":
	case "xlsx":
		if *outPath == "" || *outPath == "-" {
			return usagef("--format xlsx writes a binary file: give -o FILE")
		}
	default:
		return usagef("--format %q: expected csv or xlsx", *format)
	}
	v, err := m.loadJournal(ctx, *journal)
	if err != nil {
		return err
	}
	if _, _, err := m.checkOutput(*outPath); err != nil {
		return err
	}
	var buf bytes.Buffer
	if *format == "csv" {
		err = flows.WriteCSV(&buf, v)
	} else {
		err = flows.WriteXLSX(&buf, v)
	}
	if err != nil {
		return err
	}
	return m.writeOutput(*outPath, buf.Bytes())
}

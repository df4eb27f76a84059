package ledger

import (
	"math/big"
	"strings"

	"nadra"
)

// USDMethod says how the views obtain US dollars. Every report prints it.
const USDMethod = "US dollar figures convert each UAH amount at the exchange rate of its own entry (fx_rate, UAH per USD, with its fx_source), rounded half away from zero to the cent; USD amounts are as posted. No other rate, and no later rate, is ever applied."

// Amounts is a sum of amounts in each currency, with its US dollar
// equivalent at each entry's own rate. Amounts in minor units; a negative
// figure in a balance is a credit balance, in arrears a surplus.
type Amounts struct {
	USD   nadra.Money `json:"usd"`    // in US dollars, as posted
	UAH   nadra.Money `json:"uah"`    // in hryvnias, as posted
	InUSD nadra.Money `json:"in_usd"` // both, in US dollars at each entry's own rate
}

// IsZero reports whether every figure is zero.
func (a Amounts) IsZero() bool { return a == Amounts{} }

// String formats the amounts for people: "UAH 31700000.00 = $733117.48".
// Hryvnias that net to zero at different rates show what is left in US
// dollars: "UAH 0.00 = $0.06".
func (a Amounts) String() string {
	switch {
	case a.UAH == 0 && a.InUSD == a.USD:
		return "$" + a.USD.String()
	case a.USD == 0:
		return "UAH " + a.UAH.String() + " = $" + a.InUSD.String()
	}
	return "$" + a.USD.String() + " + UAH " + a.UAH.String() + " = $" + a.InUSD.String()
}

// adder adds money, remembering whether any sum overflowed: the views
// never wrap around silently. Sums stay far below the bound for any real
// journal (each entry is at most nadra.MaxMoney, 10^15 minor units).
type adder struct{ over bool }

func (ad *adder) add(a, b nadra.Money) nadra.Money {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) {
		ad.over = true
	}
	return s
}

func (ad *adder) addAmounts(a, b Amounts) Amounts {
	return Amounts{ad.add(a.USD, b.USD), ad.add(a.UAH, b.UAH), ad.add(a.InUSD, b.InUSD)}
}

func (ad *adder) subAmounts(a, b Amounts) Amounts {
	return ad.addAmounts(a, Amounts{-b.USD, -b.UAH, -b.InUSD})
}

// err returns an error if any sum overflowed.
func (ad *adder) err() error {
	if ad.over {
		return nadra.Errorf(nadra.EINVALID, "the totals exceed %s minor units, beyond what nadra adds exactly; split the journal", nadra.Money(1<<62))
	}
	return nil
}

// amounts returns amount m of currency cur as Amounts, with usd its value
// in US cents.
func amounts(m nadra.Money, cur string, usd nadra.Money) Amounts {
	if cur == nadra.CurrencyUAH {
		return Amounts{UAH: m, InUSD: usd}
	}
	return Amounts{USD: m, InUSD: usd}
}

// rateMicros parses an exchange rate (UAH per USD, at most six decimals,
// as nadra.Entry.Validate allows) into millionths.
func rateMicros(s string) (int64, error) {
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(whole) > 6 || len(frac) > 6 {
		return 0, nadra.Errorf(nadra.EINVALID, "fx_rate %q: expected a decimal number of UAH per USD", s)
	}
	var v int64
	for _, part := range []string{whole, frac + strings.Repeat("0", 6-len(frac))} {
		for i := 0; i < len(part); i++ {
			c := part[i]
			if c < '0' || c > '9' {
				return 0, nadra.Errorf(nadra.EINVALID, "fx_rate %q: expected a decimal number of UAH per USD", s)
			}
			v = v*10 + int64(c-'0')
		}
	}
	if v <= 0 {
		return 0, nadra.Errorf(nadra.EINVALID, "fx_rate %q: must be positive", s)
	}
	return v, nil
}

// mulDiv returns a×b÷c rounded half away from zero, and false if the
// result does not fit in an int64. c must be positive.
func mulDiv(a, b, c int64) (int64, bool) {
	n := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
	q, r := new(big.Int).QuoRem(n, big.NewInt(c), new(big.Int))
	r.Abs(r).Lsh(r, 1)
	if r.Cmp(big.NewInt(c)) >= 0 {
		q.Add(q, big.NewInt(int64(n.Sign())))
	}
	return q.Int64(), q.IsInt64()
}

// ToUSD returns an amount in US cents: a USD amount as it is, a UAH
// amount at rate fxRate (UAH per USD) rounded half away from zero.
func ToUSD(m nadra.Money, currency, fxRate string) (nadra.Money, error) {
	if currency == nadra.CurrencyUSD {
		return m, nil
	}
	r, err := rateMicros(fxRate)
	if err != nil {
		return 0, err
	}
	// nadra.Entry.Validate refuses an entry worth more than
	// nadra.MaxMoney US dollars; an int64 holds far more.
	v, ok := mulDiv(int64(m), 1_000_000, r)
	if !ok {
		return 0, nadra.Errorf(nadra.EINVALID, "UAH %s at %s UAH per USD is beyond what nadra can count in US cents", m, fxRate)
	}
	return nadra.Money(v), nil
}

// EntryUSD returns an entry's amount in US cents at its own rate.
func EntryUSD(e *nadra.Entry) (nadra.Money, error) {
	return ToUSD(e.Amount, e.Currency, e.FXRate)
}

// postingsUSD returns each posting's amount in US cents. The entry's total
// debit is converted once at its rate, and that figure is spread over the
// debit lines, and again over the credit lines, in proportion to their
// amounts (largest remainder, ties to the earlier line): so an entry's
// debits equal its credits in US dollars as they do in its currency.
func postingsUSD(e *nadra.Entry) ([]nadra.Money, error) {
	out := make([]nadra.Money, len(e.Postings))
	if e.Currency == nadra.CurrencyUSD {
		for i, p := range e.Postings {
			out[i] = p.Debit + p.Credit
		}
		return out, nil
	}
	var total nadra.Money
	for _, p := range e.Postings {
		total += p.Debit // each line is at most MaxMoney and there are at most 20: no overflow
	}
	if total == 0 {
		return out, nil
	}
	usd, err := ToUSD(total, e.Currency, e.FXRate)
	if err != nil {
		return nil, err
	}
	for _, debit := range []bool{true, false} {
		var lines []int
		for i, p := range e.Postings {
			if (p.Debit != 0) == debit {
				lines = append(lines, i)
			}
		}
		spread(e.Postings, lines, total, usd, out)
	}
	return out, nil
}

// spread sets out[i] for the given lines to their share of usd, each
// line's amount over total, by largest remainder.
func spread(ps []nadra.Posting, lines []int, total, usd nadra.Money, out []nadra.Money) {
	type rem struct {
		line int
		r    *big.Int
	}
	var given nadra.Money
	rems := make([]rem, 0, len(lines))
	T, U := big.NewInt(int64(total)), big.NewInt(int64(usd))
	for _, i := range lines {
		a := ps[i].Debit + ps[i].Credit
		n := new(big.Int).Mul(big.NewInt(int64(a)), U)
		q, r := new(big.Int).QuoRem(n, T, new(big.Int))
		out[i] = nadra.Money(q.Int64())
		given += out[i]
		rems = append(rems, rem{i, r})
	}
	for left := usd - given; left > 0; left-- {
		best := -1
		for j, r := range rems {
			if best < 0 || r.r.Cmp(rems[best].r) > 0 {
				best = j
			}
		}
		out[rems[best].line]++
		rems[best].r = big.NewInt(-1)
	}
}

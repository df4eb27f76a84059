package deal_test

import (
	"math/rand/v2"
	"sync"
	"testing"

	"nadra"
	"nadra/dataset"
	"nadra/deal"
	"nadra/geo"
	"nadra/montecarlo"
)

var (
	regOnce sync.Once
	reg     deal.Registry
	regErr  error
)

// MustRegistry returns the embedded dataset's registry with the statuses
// of the latest control snapshot.
func MustRegistry(tb testing.TB) deal.Registry {
	tb.Helper()
	regOnce.Do(func() {
		ds, err := dataset.Default()
		if err != nil {
			regErr = err
			return
		}
		b, err := dataset.Boundaries()
		if err != nil {
			regErr = err
			return
		}
		snap := ds.Snapshots[len(ds.Snapshots)-1]
		rep := geo.Access(snap.Date, geo.NewClassifier(snap, b), geo.Registry{Deposits: ds.Deposits, Estimates: ds.Estimates, Commodities: ds.Commodities}, geo.AccessOptions{})
		reg = deal.Registry{Deposits: ds.Deposits, Estimates: ds.Estimates, Access: rep, Licences: ds.Licences}
	})
	if regErr != nil {
		tb.Fatal(regErr)
	}
	return reg
}

// MustInputs returns the default inputs: the embedded registry and model
// parameters with their default settings.
func MustInputs(tb testing.TB) deal.Inputs {
	tb.Helper()
	p, err := dataset.ModelParams()
	if err != nil {
		tb.Fatal(err)
	}
	return deal.Inputs{Registry: MustRegistry(tb), Params: p, Settings: deal.DefaultSettings(p)}
}

// MustTerms returns shipped terms by id.
func MustTerms(tb testing.TB, id string) *nadra.DealTerms {
	tb.Helper()
	t, err := dataset.Deal(id)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

func newRNG(seed uint64) *rand.Rand { return montecarlo.Stream(seed, 0) }

package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"nadra"
	"nadra/internal/wire"
	"nadra/server"
	"nadra/webhook"
)

const serveHelp = `Usage: nadra serve [--addr HOST:PORT] [--db PATH] [--fetch-every DURATION] [--private]

Serves the dashboard, the JSON API under /api/v1 (OpenAPI document at
/api/v1/openapi.json) and OGC API - Features under /ogc, for QGIS and
GDAL (ogrinfo OAPIF:http://HOST:PORT/ogc). The dashboard's pages:

  /map        the map, with a time slider over every control snapshot
  /deposits   the deposits table; /deposits/ID, one deposit
  /timeline   the share behind the front line over every snapshot
  /claims     public claims tested against the data
  /scenarios  what a ceasefire line or a territorial exchange would change
  /supply     dependence on China, and what Ukraine's deposits would change
  /deal       the deal simulator, and one set of terms against another
  /flows      the ledger: what has flowed, balances, due, reconciliation
  /api        Data & API: routes, exports, and the licences of the data

On a fresh machine the database is created from the embedded dataset.
Everything works offline. Requests are logged to standard error. Stop with
Ctrl-C (SIGINT) or SIGTERM: requests in flight are finished first.

--fetch-every 24h fetches new control snapshots from DeepState's public
history API in the background, at start and then every interval (10m to
720h), with the importer of 'nadra import control --deepstate': each
snapshot in one transaction, a broken or implausible one refused whole,
one seen before skipped. A failed fetch is logged and tried again sooner
(1 min, doubling, up to the interval). The map page shows the last
successful update. New snapshots fire the watches (nadra watch); their
webhooks are delivered in the background, never holding up a request.
DeepState's data is free for non-commercial and defence use.

Every write needs an API token (nadra token create), sent as
"Authorization: Bearer TOKEN": imports (POST /api/v1/import/KIND) an
editor's, ledger entries a party token of the entries' party (and each
entry still signed by the party's registered key), co-signatures a
party's or an auditor's. Without a token a write is a 401; with a token
of another role a 403. Reads are public: with --addr 0.0.0.0:PORT (every
interface) or another host's address, anyone who can reach the port can
read the dashboard and the API, and serve says so on standard error.
--private makes every read need a token too (any role). Failed
authentications are limited per client address (429 past 10, then one
every 6 s).`

// stores returns the services of m's open database that the server reads.
func (m *Main) stores() wire.Stores {
	return wire.Stores{Deposits: m.Deposits, Snapshots: m.Snapshots, Commodities: m.Commodities, Supply: m.Supply,
		Licences: m.Licences, Ledger: m.Ledger, Catalog: m.Catalog}
}

func (m *Main) runServe(ctx context.Context, args []string) error {
	fs := m.flags("serve", serveHelp)
	addr := fs.String("addr", "127.0.0.1:8080", "listen on `HOST:PORT`; port 0 picks a free one")
	every := fs.String("fetch-every", "", "fetch new DeepState snapshots every `DURATION` (e.g. 24h; 10m to 720h); default: never")
	baseURL := fs.String("deepstate-url", "https://deepstatemap.live", "DeepState API base `URL` for --fetch-every")
	private := fs.Bool("private", false, "every read needs a token too (any role); writes always do")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	var interval time.Duration
	if *every != "" {
		if interval, err = parseFetchEvery(*every); err != nil {
			return err
		}
		if u, err := url.Parse(*baseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nadra.Errorf(nadra.EINVALID, "--deepstate-url: %q is not an http or https URL", nadra.Truncate(*baseURL, 80))
		}
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	s := server.NewServer()
	s.Addr = *addr
	s.Version = Version
	s.Logger = slog.New(slog.NewTextHandler(m.Stderr, nil))
	// The store's services and the embedded data (boundaries, public
	// journal, model parameters, claims, scenario files) reach the
	// server through internal/wire, as in its tests and the load bench.
	if err := wire.Server(s, m.stores()); err != nil {
		return err
	}
	s.Tokens, s.Private = m.Tokens, *private
	s.Import, s.Audit = m.importHTTP, m.Audit
	if m.Watches != nil {
		s.Watches, s.Fetches = m.Watches, m.Watches
	}
	if m.Watches != nil {
		if s.FeedKey, err = m.Watches.FeedKey(ctx); err != nil {
			return err
		}
	}
	s.FetchEvery = interval
	if f, ok := m.DB.(nadra.ChangeFeed); ok {
		s.Changes = f // several processes on one database: drop caches when any writes
	}
	if err := s.Open(); err != nil {
		return err
	}
	out, warn := listenMessage(listenAddr(*addr, s.ListenAddr()), hostIPs())
	fmt.Fprintf(m.Stdout, "nadra: %s (database %s); Ctrl-C stops\n", out, m.dbName())
	if warn != "" {
		fmt.Fprintf(m.Stderr, "nadra: warning: %s\n", warn)
	}
	// Background work: webhook deliveries always, fetches when asked. It
	// stops with the server; an import in flight rolls back.
	bg, stopBG := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	wake := make(chan struct{}, 1)
	m.quiet = true
	if m.Watches != nil {
		d := &webhook.Deliverer{Store: m.Watches, Now: m.Now, Logger: s.Logger, UserAgent: "nadra/" + Version}
		wg.Add(1)
		go func() { defer wg.Done(); d.Run(bg, webhookPoll, wake) }()
	}
	if interval > 0 {
		f := newFetcher(m, *baseURL, interval, s.Logger)
		f.wake = wake
		f.imported = s.Invalidate
		s.Logger.Info("fetching new control snapshots", "source", *baseURL, "every", interval.String())
		wg.Add(1)
		go func() { defer wg.Done(); f.run(bg) }()
	}
	<-ctx.Done()
	s.Logger.Info("shutting down", "reason", context.Cause(ctx))
	stopBG()
	err = s.Close()
	wg.Wait()
	if err != nil {
		return err
	}
	s.Logger.Info("stopped")
	return nil
}

// webhookPoll is how often nadra serve looks for due webhook deliveries.
const webhookPoll = 15 * time.Second

// parseFetchEvery reads --fetch-every: a Go duration (24h, 90m) from
// MinFetchEvery to MaxFetchEvery.
func parseFetchEvery(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, nadra.Errorf(nadra.EINVALID, "--fetch-every: %q is not a duration; expected e.g. 24h or 90m", nadra.Truncate(s, 40))
	}
	if d < MinFetchEvery || d > MaxFetchEvery {
		return 0, nadra.Errorf(nadra.EINVALID, "--fetch-every: %s out of range; expected %s to %s", d, MinFetchEvery, MaxFetchEvery)
	}
	return d, nil
}

// listenMessage says where a server listening on a serves: the real
// address and, when that is every interface, URLs that reach it (this
// machine's loopback, then hosts, this machine's addresses on the
// network). warn is not empty when other hosts can reach it.
func listenMessage(a *net.TCPAddr, hosts []net.IP) (out, warn string) {
	url := func(ip net.IP) string { return "http://" + net.JoinHostPort(ip.String(), strconv.Itoa(a.Port)) + "/" }
	switch {
	case a.IP.IsLoopback():
		return "serving on " + url(a.IP), ""
	case !a.IP.IsUnspecified():
		return "serving on " + url(a.IP), fmt.Sprintf("%s is reachable from other hosts, and nadra has no login: anyone who can reach it can use the dashboard and the API. Use --addr 127.0.0.1:%d to serve this machine only.", a, a.Port)
	}
	urls := []string{url(net.IPv4(127, 0, 0, 1)) + " on this machine"}
	var others []string
	for _, ip := range hosts {
		if ip.To4() == nil && a.IP.To4() != nil {
			continue // an IPv4 wildcard does not answer on IPv6
		}
		if len(others) < 3 {
			others = append(others, url(ip))
		}
	}
	if len(others) > 0 {
		urls = append(urls, strings.Join(others, " or ")+" from other hosts")
	}
	return fmt.Sprintf("serving on %s, every network interface: %s", a, strings.Join(urls, ", ")),
		fmt.Sprintf("%s is every network interface, reachable from other hosts, and nadra has no login: anyone who can reach this machine can use the dashboard and the API. Use --addr 127.0.0.1:%d to serve this machine only.", a, a.Port)
}

// listenAddr is the address a server listens on as the user gave it,
// with the port it got: Go listens on [::] for 0.0.0.0, but 0.0.0.0 is
// what the user asked for and recognises. A host name gives the
// listener's own address.
func listenAddr(requested string, ln *net.TCPAddr) *net.TCPAddr {
	host, _, err := net.SplitHostPort(requested)
	if ip := net.ParseIP(host); err == nil && ip != nil {
		return &net.TCPAddr{IP: ip, Port: ln.Port}
	}
	return ln
}

// hostIPs returns this machine's global unicast addresses, IPv4 first.
func hostIPs() []net.IP {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return nil
	}
	var v4, v6 []net.IP
	for _, a := range addrs {
		n, ok := a.(*net.IPNet)
		if !ok || !n.IP.IsGlobalUnicast() {
			continue
		}
		if n.IP.To4() != nil {
			v4 = append(v4, n.IP)
		} else {
			v6 = append(v6, n.IP)
		}
	}
	return append(v4, v6...)
}

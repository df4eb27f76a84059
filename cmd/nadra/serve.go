package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"

	"nadra"
	"nadra/dataset"
	"nadra/server"
)

const serveHelp = `Usage: nadra serve [--addr HOST:PORT] [--db PATH]

Serves the dashboard (map with a time slider, deposits table, timeline,
scenarios, supply), the JSON API under /api/v1 (OpenAPI document at
/api/v1/openapi.json) and OGC API -
Features under /ogc, for QGIS and GDAL (ogrinfo OAPIF:http://HOST:PORT/ogc).
On a fresh machine the database is created from the embedded dataset.
Everything works offline. Requests are logged to standard error. Stop with
Ctrl-C (SIGINT) or SIGTERM: requests in flight are finished first.

The ledger's API takes writes (entries, co-signatures) only when they are
signed by a registered key; there is no other login.

nadra has no login: the default address serves this machine only. With
--addr 0.0.0.0:PORT (every interface) or another host's address, anyone
who can reach the port can use the dashboard and the API, and serve says
so on standard error.`

func (m *Main) runServe(ctx context.Context, args []string) error {
	fs := m.flags("serve", serveHelp)
	addr := fs.String("addr", "127.0.0.1:8080", "listen on `HOST:PORT`; port 0 picks a free one")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if err := m.open(ctx); err != nil {
		return err
	}
	b, err := dataset.Boundaries()
	if err != nil {
		return err
	}
	s := server.NewServer()
	s.Addr = *addr
	s.Version = Version
	s.Logger = slog.New(slog.NewTextHandler(m.Stderr, nil))
	s.Deposits, s.Snapshots, s.Commodities, s.Supply, s.Boundaries = m.Deposits, m.Snapshots, m.Commodities, m.Supply, b
	s.Ledger = m.Ledger
	s.Licences = m.Licences
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
	<-ctx.Done()
	s.Logger.Info("shutting down", "reason", context.Cause(ctx))
	if err := s.Close(); err != nil {
		return err
	}
	s.Logger.Info("stopped")
	return nil
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

package main

import (
	"net"
	"strings"
	"testing"
)

// TestListenMessage checks what serve prints for each kind of address
// (issue 9: --addr 0.0.0.0:P printed "serving on http://127.0.0.1:P/"
// and said nothing about other hosts).
func TestListenMessage(t *testing.T) {
	hosts := []net.IP{net.ParseIP("192.168.1.5"), net.ParseIP("10.0.0.7"), net.ParseIP("2001:db8::5")}
	for _, tt := range []struct {
		addr     *net.TCPAddr
		out      []string // substrings of the line
		notOut   []string
		warnWith string // "" for no warning
	}{
		{&net.TCPAddr{IP: net.ParseIP("127.0.0.1"), Port: 8080}, []string{"serving on http://127.0.0.1:8080/"}, nil, ""},
		{&net.TCPAddr{IP: net.ParseIP("::1"), Port: 8080}, []string{"serving on http://[::1]:8080/"}, nil, ""},
		{&net.TCPAddr{IP: net.IPv4zero, Port: 8080},
			[]string{"serving on 0.0.0.0:8080, every network interface", "http://127.0.0.1:8080/ on this machine", "http://192.168.1.5:8080/ or http://10.0.0.7:8080/ from other hosts"},
			[]string{"2001:db8"}, "0.0.0.0:8080 is every network interface, reachable from other hosts"},
		{&net.TCPAddr{IP: net.IPv6unspecified, Port: 8080},
			[]string{"serving on [::]:8080, every network interface", "http://127.0.0.1:8080/ on this machine", "http://[2001:db8::5]:8080/"}, nil,
			"reachable from other hosts"},
		{&net.TCPAddr{IP: net.ParseIP("192.168.1.5"), Port: 9000}, []string{"serving on http://192.168.1.5:9000/"}, nil,
			"192.168.1.5:9000 is reachable from other hosts"},
	} {
		out, warn := listenMessage(tt.addr, hosts)
		for _, want := range tt.out {
			if !strings.Contains(out, want) {
				t.Errorf("%v: got %q, want it to contain %q", tt.addr, out, want)
			}
		}
		for _, not := range tt.notOut {
			if strings.Contains(out, not) {
				t.Errorf("%v: got %q, want no %q", tt.addr, out, not)
			}
		}
		switch {
		case tt.warnWith == "" && warn != "":
			t.Errorf("%v: warning %q, want none", tt.addr, warn)
		case tt.warnWith != "" && (!strings.Contains(warn, tt.warnWith) || !strings.Contains(warn, "--addr 127.0.0.1:")):
			t.Errorf("%v: warning %q, want %q and the loopback alternative", tt.addr, warn, tt.warnWith)
		}
	}
}

// TestListenAddr checks that the address shown is the one asked for, with
// the port the listener got.
func TestListenAddr(t *testing.T) {
	ln := &net.TCPAddr{IP: net.IPv6unspecified, Port: 4242}
	for _, tt := range []struct{ requested, want string }{
		{"0.0.0.0:0", "0.0.0.0:4242"},
		{"[::]:0", "[::]:4242"},
		{":0", "[::]:4242"},
		{"127.0.0.1:4242", "127.0.0.1:4242"},
		{"localhost:0", "[::]:4242"}, // a name: the listener's address
	} {
		if got := listenAddr(tt.requested, ln).String(); got != tt.want {
			t.Errorf("listenAddr(%q) = %s, want %s", tt.requested, got, tt.want)
		}
	}
}

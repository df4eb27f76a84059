package postgres

import (
	"context"
	"sort"
	"strings"
	"time"

	"nadra"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgxlisten"
)

// changeChannel is the NOTIFY channel of committed writes; the payload is
// the changed tables (nadra.Change…), comma-separated. Persisted in
// running servers: never rename.
const changeChannel = "nadra_changes"

var _ nadra.ChangeFeed = (*DB)(nil)

// touch records that tx changes tables, for the notification its commit
// sends.
func (tx *Tx) touch(tables ...string) {
	if tx.changed == nil {
		tx.changed = map[string]bool{}
	}
	for _, t := range tables {
		tx.changed[t] = true
	}
}

// commit notifies the tables tx changed and commits. PostgreSQL delivers
// a notification when, and only if, its transaction commits.
func (tx *Tx) commit(ctx context.Context) error {
	if len(tx.changed) > 0 {
		var ts []string
		for t := range tx.changed {
			ts = append(ts, t)
		}
		sort.Strings(ts)
		if _, err := tx.Exec(ctx, `SELECT pg_notify($1, $2)`, changeChannel, strings.Join(ts, ",")); err != nil {
			return formatError(err)
		}
	}
	return formatError(tx.Commit(ctx))
}

// ListenReconnect is how long WatchChanges waits before listening again
// after losing its connection.
const ListenReconnect = time.Second

// WatchChanges listens for the writes committed by every process on the
// database (LISTEN on a connection of its own, through pgxlisten) and
// calls changed with the tables each changed; changed(nil) each time it
// (re)starts listening, and down(err) when it loses the connection. It
// returns when ctx ends.
func (db *DB) WatchChanges(ctx context.Context, changed func(tables []string), down func(error)) error {
	cfg := db.pool.Config().ConnConfig.Copy()
	l := &pgxlisten.Listener{
		Connect:        func(ctx context.Context) (*pgx.Conn, error) { return pgx.ConnectConfig(ctx, cfg) },
		LogError:       func(ctx context.Context, err error) { down(err) },
		ReconnectDelay: ListenReconnect,
	}
	l.Handle(changeChannel, changeHandler{changed})
	return l.Listen(ctx)
}

// changeHandler passes notifications on; its backlog, called each time
// the listener (re)starts listening, is "anything may have changed".
type changeHandler struct{ changed func([]string) }

func (h changeHandler) HandleNotification(ctx context.Context, n *pgconn.Notification, conn *pgx.Conn) error {
	h.changed(strings.Split(n.Payload, ","))
	return nil
}

func (h changeHandler) HandleBacklog(ctx context.Context, channel string, conn *pgx.Conn) error {
	h.changed(nil)
	return nil
}

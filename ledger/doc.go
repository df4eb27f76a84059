// Package ledger is the pure logic of nadra's ledger: signed entries, the
// RFC 6962 Merkle tree over them (golang.org/x/mod/sumdb/tlog), checkpoints
// in the C2SP tlog-checkpoint note format signed by the log and co-signed
// by the parties (golang.org/x/mod/sumdb/note), the export format, and
// offline verification of an export. It does no I/O beyond the readers
// and writers it is given, and never touches a database: storage
// implements tlog.HashReader.
package ledger

package ledger

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"nadra"
)

// The export is three files in a directory, each starting with a header
// line naming its format:
//
//	keys         "nadra-ledger-keys v1", then one line per key: ROLE KEY
//	entries      "nadra-ledger-entries v1", then per entry a line
//	             "INDEX LENGTH" and the signed note of LENGTH bytes
//	checkpoints  "nadra-ledger-checkpoints v1", then per checkpoint a line
//	             "LENGTH" and the note with every signature
//
// Notes end with a newline, so the next header follows directly.
const (
	KeysFile        = "keys"
	EntriesFile     = "entries"
	CheckpointsFile = "checkpoints"

	keysHeader        = "nadra-ledger-keys v1"
	entriesHeader     = "nadra-ledger-entries v1"
	checkpointsHeader = "nadra-ledger-checkpoints v1"
)

// WriteKeys writes the keys file.
func WriteKeys(w io.Writer, keys []nadra.LedgerKey) error {
	b := bufio.NewWriter(w)
	fmt.Fprintln(b, keysHeader)
	for _, k := range keys {
		fmt.Fprintf(b, "%s %s\n", k.Role, k.Key)
	}
	return b.Flush()
}

// ReadKeys reads a keys file.
func ReadKeys(r io.Reader) ([]nadra.LedgerKey, error) {
	sc := bufio.NewScanner(io.LimitReader(r, 1<<20))
	line := 0
	var out []nadra.LedgerKey
	for sc.Scan() {
		line++
		t := sc.Text()
		if line == 1 {
			if t != keysHeader {
				return nil, nadra.Errorf(nadra.EINVALID, "%s:1: expected %q", KeysFile, keysHeader)
			}
			continue
		}
		role, key, ok := strings.Cut(t, " ")
		if !ok {
			return nil, nadra.Errorf(nadra.EINVALID, "%s:%d: expected ROLE KEY", KeysFile, line)
		}
		out = append(out, nadra.LedgerKey{Name: KeyName(key), Role: role, Key: key})
	}
	if err := sc.Err(); err != nil {
		return nil, nadra.Errorf(nadra.EINVALID, "%s: %v", KeysFile, err)
	}
	if line == 0 {
		return nil, nadra.Errorf(nadra.EINVALID, "%s: empty", KeysFile)
	}
	return out, nil
}

// RecordWriter writes the entries file.
type RecordWriter struct {
	w *bufio.Writer
	n int64
}

// NewRecordWriter starts an entries file.
func NewRecordWriter(w io.Writer) *RecordWriter {
	b := bufio.NewWriterSize(w, 1<<20)
	fmt.Fprintln(b, entriesHeader)
	return &RecordWriter{w: b}
}

// Write adds the next record.
func (rw *RecordWriter) Write(note []byte) error {
	fmt.Fprintf(rw.w, "%d %d\n", rw.n, len(note))
	rw.n++
	_, err := rw.w.Write(note)
	return err
}

// Flush flushes the buffer.
func (rw *RecordWriter) Flush() error { return rw.w.Flush() }

// RecordReader reads an entries file, one record at a time.
type RecordReader struct {
	r    *bufio.Reader
	line int64 // for messages: which record header we are at
	off  int64 // byte offset of the next header
	next int64 // the index the next record must have
}

// NewRecordReader checks the header and returns a reader.
func NewRecordReader(r io.Reader) (*RecordReader, error) {
	br := bufio.NewReaderSize(r, 1<<20)
	h, err := br.ReadString('\n')
	if err != nil || h != entriesHeader+"\n" {
		return nil, nadra.Errorf(nadra.EINVALID, "%s: the first line is not %q", EntriesFile, entriesHeader)
	}
	return &RecordReader{r: br, off: int64(len(h))}, nil
}

// Next returns the next record and its stated index, or io.EOF.
func (rr *RecordReader) Next() (int64, []byte, error) {
	h, err := rr.r.ReadString('\n')
	if err == io.EOF && h == "" {
		return 0, nil, io.EOF
	}
	at := rr.off
	if err != nil {
		return 0, nil, nadra.Errorf(nadra.EINVALID, "%s: byte %d: the file ends inside a record header (truncated)", EntriesFile, at)
	}
	rr.off += int64(len(h))
	idx, length, ok := strings.Cut(strings.TrimSuffix(h, "\n"), " ")
	i, e1 := strconv.ParseInt(idx, 10, 64)
	n, e2 := strconv.ParseInt(length, 10, 64)
	if !ok || e1 != nil || e2 != nil || i < 0 || n <= 0 || n > MaxNoteBytes {
		return 0, nil, nadra.Errorf(nadra.EINVALID, "%s: byte %d: expected a record header \"INDEX LENGTH\" (length at most %d), got %.40q", EntriesFile, at, MaxNoteBytes, h)
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(rr.r, buf); err != nil {
		return i, nil, nadra.Errorf(nadra.EINVALID, "%s: entry %d: the file ends inside it (truncated)", EntriesFile, i)
	}
	rr.off += n
	return i, buf, nil
}

// WriteCheckpoints writes the checkpoints file.
func WriteCheckpoints(w io.Writer, notes [][]byte) error {
	b := bufio.NewWriter(w)
	fmt.Fprintln(b, checkpointsHeader)
	for _, n := range notes {
		fmt.Fprintf(b, "%d\n", len(n))
		b.Write(n)
	}
	return b.Flush()
}

// ReadCheckpoints reads a checkpoints file.
func ReadCheckpoints(r io.Reader) ([][]byte, error) {
	br := bufio.NewReader(io.LimitReader(r, 256<<20))
	h, err := br.ReadString('\n')
	if err != nil || h != checkpointsHeader+"\n" {
		return nil, nadra.Errorf(nadra.EINVALID, "%s: the first line is not %q", CheckpointsFile, checkpointsHeader)
	}
	var out [][]byte
	for {
		l, err := br.ReadString('\n')
		if err == io.EOF && l == "" {
			return out, nil
		}
		n, e := strconv.Atoi(strings.TrimSuffix(l, "\n"))
		if err != nil || e != nil || n <= 0 || n > MaxNoteBytes {
			return nil, nadra.Errorf(nadra.EINVALID, "%s: checkpoint %d: expected its length on a line, got %.40q", CheckpointsFile, len(out)+1, l)
		}
		buf := make([]byte, n)
		if _, err := io.ReadFull(br, buf); err != nil {
			return nil, nadra.Errorf(nadra.EINVALID, "%s: checkpoint %d: the file ends inside it (truncated)", CheckpointsFile, len(out)+1)
		}
		out = append(out, buf)
	}
}

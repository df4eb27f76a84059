package main

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"syscall"

	"nadra"
)

// fileKind is a kind of file nadra reads from a path a user gives, with
// the most it reads of one. Each limit is far above any real file of its
// kind (the embedded deposits.csv is 50 KB, a DeepState raw layer 0.6 MB,
// a deal terms file 7 KB), and keeps what a file costs in memory bounded.
type fileKind struct {
	what  string // for messages: "the limit for <what>"
	max   int64  // bytes
	stdin bool   // FILE "-" reads standard input
}

var (
	kindTable     = fileKind{"deposits, estimates, licences and production files", 32 << 20, true}
	kindControl   = fileKind{"a control snapshot", 64 << 20, true}
	kindScenario  = fileKind{"a scenario's file: region", 16 << 20, false}
	kindTerms     = fileKind{"a deal terms file", 1 << 20, false}
	kindScenarios = fileKind{"a scenarios file", 4 << 20, true}
)

// interruptedError is returned when Ctrl-C or SIGTERM stops a command.
// Its message says what was kept.
type interruptedError struct{ msg string }

func (e *interruptedError) Error() string { return e.msg }

// errInterrupted is what an interrupted import reports when nothing of it
// landed: each import is one transaction, and the transaction honours the
// context, so an interrupted one rolls back.
var errInterrupted = &interruptedError{"interrupted; nothing was imported"}

// readFile reads a file a user named: standard input when path is "-"
// and k and the caller allow it (stdin not nil), else a regular file. A device, named pipe,
// socket or directory is refused before it is opened, and so is a file
// larger than k.max; standard input is refused once it passes k.max. It
// stops when ctx is done, even while a read blocks, returning ctx's error.
func readFile(ctx context.Context, path string, stdin io.Reader, k fileKind) ([]byte, error) {
	if path == "-" && stdin != nil && k.stdin {
		return readLimited(ctx, "standard input", stdin, k)
	}
	f, err := openRegular(path, k)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readLimited(ctx, path, f, k)
}

// openRegular opens path for reading if it is a regular file (following
// symbolic links) no larger than k.max.
func openRegular(path string, k fileKind) (*os.File, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, pathError(path, err)
	}
	if err := checkRegular(path, st, k); err != nil {
		return nil, err
	}
	// O_NONBLOCK: should path have become a named pipe since Stat, opening
	// it does not wait for a writer, and the check below refuses it.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, pathError(path, err)
	}
	if st, err = f.Stat(); err == nil {
		err = checkRegular(path, st, k)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// checkRegular refuses what is not a regular file, or is larger than k.max.
func checkRegular(path string, st fs.FileInfo, k fileKind) error {
	if !st.Mode().IsRegular() {
		if st.IsDir() {
			return nadra.Errorf(nadra.EINVALID, "%s: is a directory; expected a file", path)
		}
		hint := ""
		if k.stdin {
			hint = "; to read standard input, give -"
		}
		return nadra.Errorf(nadra.EINVALID, "%s: is %s, not a regular file%s", path, fileType(st.Mode()), hint)
	}
	if st.Size() > k.max {
		return tooLarge(path, k)
	}
	return nil
}

func tooLarge(name string, k fileKind) error {
	return nadra.Errorf(nadra.EINVALID, "%s: larger than %d MB, the limit for %s", name, k.max>>20, k.what)
}

// fileType names a file mode's type for messages.
func fileType(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0, m&fs.ModeCharDevice != 0:
		return "a device"
	case m.IsDir():
		return "a directory"
	}
	return "a special file"
}

// pathError turns an error from Stat or Open into a message naming the
// path, without Go's "stat"/"open" prefixes.
func pathError(path string, err error) error {
	var pe *fs.PathError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nadra.Errorf(nadra.EINVALID, "%s: no such file", path)
	case errors.Is(err, fs.ErrPermission):
		return nadra.Errorf(nadra.EINVALID, "%s: permission denied", path)
	case errors.As(err, &pe):
		return nadra.Errorf(nadra.EINVALID, "%s: %v", path, pe.Err)
	}
	return nadra.Errorf(nadra.EINVALID, "%s: %v", path, err)
}

// readLimited reads r to its end, at most k.max bytes, in a goroutine so
// that a read blocked on a terminal or a silent pipe does not keep the
// command from stopping when ctx is done. The goroutine is then left to
// finish or to die with the process; it checks ctx between reads.
func readLimited(ctx context.Context, name string, r io.Reader, k fileKind) ([]byte, error) {
	type result struct {
		data []byte
		err  error
	}
	done := make(chan result, 1)
	go func() {
		data, err := io.ReadAll(ctxReader{ctx, io.LimitReader(r, k.max+1)})
		done <- result{data, err}
	}()
	var res result
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case res = <-done:
	}
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case res.err != nil:
		return nil, nadra.Errorf(nadra.EINVALID, "%s: %v", name, res.err)
	case int64(len(res.data)) > k.max:
		return nil, tooLarge(name, k)
	}
	return res.data, nil
}

// ctxReader stops reading once its context is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// interruptible runs fn, work on memory only (a parse), and returns ctx's
// error as soon as ctx is done, leaving fn to finish unobserved.
// fn must not write to the database or any file: only work that can be
// abandoned belongs here. Transactions take ctx instead.
func interruptible[T any](ctx context.Context, fn func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := fn()
		done <- result{v, err}
	}()
	select {
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	case r := <-done:
		return r.v, r.err
	}
}

// interruptedImport reports an import stopped by Ctrl-C or SIGTERM as
// such: any error once ctx is done means the import's transaction did not
// commit (a commit that succeeded returns no error).
func interruptedImport(ctx context.Context, err error) error {
	var ie *interruptedError
	var ue *usageError
	if err == nil || errors.As(err, &ie) || errors.As(err, &ue) || ctx.Err() == nil {
		return err
	}
	return errInterrupted
}

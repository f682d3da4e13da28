package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// outFile is where a command writes what --out names: a temporary file beside it, renamed
// into place only once complete (a failed or interrupted export never leaves half a file
// under the name asked for), or standard output when --out is empty.
type outFile struct {
	path   string
	stdout io.Writer
	tmp    *os.File
}

func newOutFile(path string, stdout io.Writer) *outFile { return &outFile{path: path, stdout: stdout} }

// open returns the writer; its argument (a suggested file name, as the exports' use cases
// pass it) is not used: the user named the file.
func (o *outFile) open(string) (io.Writer, error) {
	if o.path == "" {
		return o.stdout, nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(o.path), "."+filepath.Base(o.path)+".*")
	if err != nil {
		return nil, fmt.Errorf("create %s: %w", o.path, err)
	}
	o.tmp = tmp
	return tmp, nil
}

// finish closes the temporary file and puts it in place when err (the writing's) is nil, and
// removes it otherwise; it returns the first error.
func (o *outFile) finish(err error) error {
	if o.tmp == nil {
		return err
	}
	if cerr := o.tmp.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("write %s: %w", o.path, cerr)
	}
	if err == nil {
		err = os.Rename(o.tmp.Name(), o.path)
	}
	if err != nil {
		os.Remove(o.tmp.Name())
	}
	return err
}

package cli

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/clientela/clientela/internal/app"
	"github.com/clientela/clientela/internal/i18n"
	"github.com/clientela/clientela/internal/transfer"
)

// bulkImportBytes: files larger than this import with the store's bulk load (the register's
// secondary indexes dropped for the load and rebuilt at the end): about 50,000 rows.
const bulkImportBytes = 5 << 20

// bulkImportBatch is the batch of a bulk import (unless --batch says otherwise).
const bulkImportBatch = 10000

// flagSet reports whether the flag name was given.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// mapFlags collects --map HEADER=field.
type mapFlags []string

func (m *mapFlags) String() string     { return strings.Join(*m, " ") }
func (m *mapFlags) Set(v string) error { *m = append(*m, v); return nil }

func runImport(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 || args[0] != "customers" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			fmt.Fprintln(env.Stdout, importUsageLine)
			return nil
		}
		fmt.Fprintln(env.Stderr, importUsageLine)
		return errUsage
	}
	return runImportCustomers(ctx, env, args[1:])
}

const importUsageLine = "Usage: clientela import customers [flags] FILE   (a .csv, .xlsx or .vcf file; clientela import customers --help)"

func runImportCustomers(ctx context.Context, env Env, args []string) error {
	fs := newFlagSet("import customers", env)
	storage := addStorageFlags(fs, env)
	dryRun := fs.Bool("dry-run", false, "check every row and report what would happen; change nothing")
	existing := fs.String("existing", "skip", "rows that match a customer: skip, update or refuse")
	key := fs.String("key", "reference", "match existing customers by reference, tax_id or email (rows without it: by the others)")
	createGroups := fs.Bool("create-groups", false, "create the groups the file names that do not exist (otherwise their rows are refused)")
	rejects := fs.String("rejects", "", "write the refused rows to this CSV file: the original columns, then line and reason")
	delimiter := fs.String("delimiter", "", "CSV delimiter: , ; or tab (default: detected)")
	encoding := fs.String("encoding", "", "CSV encoding: utf-8, utf-8-bom or windows-1252 (default: detected)")
	headerFlag := fs.String("header", "auto", "the first row names the columns: yes, no or auto")
	batch := fs.Int("batch", app.DefaultImportBatch, "rows per transaction, each all or nothing (files over 5 MB: 10000 unless given)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	var maps mapFlags
	fs.Var(&maps, "map", "HEADER=field: map a column (by header, or by number from 1) to a field, or to nothing with HEADER=; repeatable")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), importUsageLine)
		fmt.Fprintln(fs.Output(), "\nImports customers from a CSV file (delimiter, encoding and header detected), the first sheet")
		fmt.Fprintln(fs.Output(), "of an .xlsx file or a vCard file (a row per card, in fixed columns named after their fields).")
		fmt.Fprintln(fs.Output(), "Without --map the proposed mapping of columns to fields is used and printed.")
		fmt.Fprintln(fs.Output(), "Fields:", fieldList())
		fmt.Fprintln(fs.Output(), "The exit status is 1 when any row was refused.\n\nFlags:")
		fs.PrintDefaults()
	}
	// The file may come before or after the flags.
	var file string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	} else if fs.NArg() > 0 || file == "" {
		fs.Usage()
		return errUsage
	}

	stop, err := startCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	defer stop()
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("open %s: %w", file, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("open %s: %w", file, err)
	}
	head := make([]byte, transfer.SniffSize)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read %s: %w", file, err)
	}
	head = head[:n]
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("read %s: %w", file, err)
	}

	var rows transfer.Rows
	counter := &countingReader{r: f}
	hasHeader := true
	kind := transfer.DetectKind(head)
	switch kind {
	case transfer.KindXLSX:
		rows, err = transfer.OpenXLSX(file)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stderr, "Format: .xlsx, first sheet")
	case transfer.KindVCard:
		rows = transfer.OpenVCard(counter)
		fmt.Fprintln(env.Stderr, "Format: vCard, a row per card, in fixed columns")
	default:
		format := transfer.Sniff(head)
		if *delimiter != "" {
			d, ok := transfer.ParseDelimiter(*delimiter)
			if !ok {
				return fmt.Errorf("--delimiter: %q is not , ; or tab", *delimiter)
			}
			format.Delimiter = d
		}
		if *encoding != "" {
			if !transfer.ValidEncoding(transfer.Encoding(*encoding)) {
				return fmt.Errorf("--encoding: %q is not utf-8, utf-8-bom or windows-1252", *encoding)
			}
			format.Encoding = transfer.Encoding(*encoding)
		}
		rows = transfer.OpenCSV(counter, format)
		hasHeader = format.Header
		fmt.Fprintf(env.Stderr, "Format: CSV, delimiter %s, encoding %s\n", transfer.DelimiterName(format.Delimiter), format.Encoding)
	}
	defer rows.Close()
	switch *headerFlag {
	case "yes":
		hasHeader = true
	case "no":
		hasHeader = false
	case "auto":
	default:
		return fmt.Errorf("--header: %q is not yes, no or auto", *headerFlag)
	}
	if kind == transfer.KindVCard {
		hasHeader = true // its fixed columns
	}

	// The header (or the first row, to count the columns).
	firstLine, first, err := rows.Next()
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("%s holds no rows", file)
	}
	if err != nil {
		return err
	}
	var headers []string
	var pending []string // a first row that is data
	if hasHeader {
		headers = first
	} else {
		for i := range first {
			headers = append(headers, strconv.Itoa(i+1))
		}
		pending = first
	}
	mapping := transfer.ProposeMapping(headers)
	if !hasHeader {
		mapping = make([]transfer.Field, len(headers))
	}
	for _, m := range maps {
		col, field, ok := strings.Cut(m, "=")
		if !ok {
			return fmt.Errorf("--map %q: want HEADER=field", m)
		}
		if !transfer.ValidField(transfer.Field(field)) {
			return fmt.Errorf("--map %q: unknown field %q (fields: %s)", m, field, fieldList())
		}
		i := transfer.ColumnIndex(headers, col)
		if i < 0 {
			return fmt.Errorf("--map %q: no column %q", m, col)
		}
		mapping[i] = transfer.Field(field)
	}
	fmt.Fprintln(env.Stderr, "Mapping:")
	for i, h := range headers {
		to := string(mapping[i])
		if to == "" {
			to = "(ignored)"
		}
		fmt.Fprintf(env.Stderr, "  %-24s → %s\n", h, to)
	}

	db, err := storage.openExisting(ctx)
	if err != nil {
		return err
	}
	defer db.Close()

	var rw *csv.Writer
	var rejectsFile *os.File
	if *rejects != "" {
		if rejectsFile, err = os.Create(*rejects); err != nil {
			return fmt.Errorf("create %s: %w", *rejects, err)
		}
		defer rejectsFile.Close()
		if _, err := rejectsFile.Write([]byte{0xEF, 0xBB, 0xBF}); err != nil {
			return fmt.Errorf("write %s: %w", *rejects, err)
		}
		rw = csv.NewWriter(rejectsFile)
		if hasHeader {
			if err := rw.Write(append(append([]string{}, headers...), "line", "reason")); err != nil {
				return fmt.Errorf("write %s: %w", *rejects, err)
			}
		}
	}
	var bar *progress
	if f, ok := env.Stderr.(*os.File); ok && isTerminal(f) && kind != transfer.KindXLSX {
		bar = newProgress(env.Stderr, "importing (bytes)", info.Size())
	}
	bulk := info.Size() > bulkImportBytes
	if bulk && !flagSet(fs, "batch") {
		*batch = bulkImportBatch // a bulk load commits less often, as clientela seed does
	}
	opts := app.ImportOptions{Mapping: mapping, Key: app.ImportKey(*key), Existing: app.Existing(*existing),
		CreateGroups: *createGroups, DryRun: *dryRun, BatchSize: *batch, FileName: filepath.Base(file),
		Bulk: bulk,
		OnRefused: func(r app.RefusedRow) error {
			if rw == nil {
				return nil
			}
			cells := make([]string, len(headers))
			copy(cells, r.Cells)
			return rw.Write(append(cells, strconv.Itoa(r.Line), r.Reason()))
		},
		Progress: func(int64) {
			if bar != nil {
				bar.set(counter.n.Load())
			}
		}}
	src := rows
	if pending != nil {
		src = &prepended{line: firstLine, cells: pending, Rows: rows}
	}
	rep, err := newApp(db, nil).ImportCustomers(ctx, app.System(), src, opts)
	if bar != nil && err == nil {
		bar.set(info.Size())
	}
	if rw != nil {
		rw.Flush()
		if ferr := rw.Error(); ferr != nil && err == nil {
			err = fmt.Errorf("write %s: %w", *rejects, ferr)
		}
	}
	if err != nil {
		return err
	}
	printReport(env, rep)
	if rep.Refused > 0 {
		return fmt.Errorf("%d rows refused", rep.Refused)
	}
	return nil
}

func printReport(env Env, rep app.ImportReport) {
	verb := "Imported"
	if rep.DryRun {
		verb = "Dry run, nothing changed"
	}
	fmt.Fprintf(env.Stdout, "%s: %d rows: %d created, %d updated, %d unchanged, %d skipped, %d refused (%d batches of %d rows, each all or nothing).\n",
		verb, rep.Rows, rep.Created, rep.Updated, rep.Unchanged, rep.Skipped, rep.Refused, rep.Batches, rep.BatchSize)
	if rep.CreatedWithoutKey > 0 {
		fmt.Fprintf(env.Stdout, "%d created rows have no reference, tax id nor e-mail: importing the file again would create them again.\n", rep.CreatedWithoutKey)
	}
	if len(rep.GroupsCreated) > 0 {
		fmt.Fprintf(env.Stdout, "Groups created: %s\n", strings.Join(rep.GroupsCreated, ", "))
	}
	msgs := i18n.New()
	for _, r := range rep.RefusedRows {
		var parts []string
		for _, p := range r.Problems {
			parts = append(parts, p.Field+": "+msgs.T(i18n.English, "field."+p.Code, p.Params))
		}
		fmt.Fprintf(env.Stdout, "line %d: %s\n", r.Line, strings.Join(parts, "; "))
	}
	if int64(len(rep.RefusedRows)) < rep.Refused {
		fmt.Fprintf(env.Stdout, "… and %d more refused rows (see --rejects).\n", rep.Refused-int64(len(rep.RefusedRows)))
	}
}

func fieldList() string {
	var out []string
	for _, f := range transfer.ImportFields() {
		out = append(out, string(f))
	}
	return strings.Join(out, ", ")
}

// prepended gives a first row already read, then the rest.
type prepended struct {
	line  int
	cells []string
	done  bool
	transfer.Rows
}

func (p *prepended) Next() (int, []string, error) {
	if !p.done {
		p.done = true
		return p.line, p.cells, nil
	}
	return p.Rows.Next()
}

// countingReader counts the bytes read through it (the progress of a CSV import; the import
// reads on a goroutine of its own while the progress is shown from another).
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

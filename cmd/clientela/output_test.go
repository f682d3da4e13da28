package main_test

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/clientela/clientela/internal/testdb"
)

// TestVersion: --version names the release ("devel" unless the build sets one), the commit and
// the Go that built the binary.
func TestVersion(t *testing.T) {
	out, errOut, code := run(t, "", "--version")
	if code != 0 || !strings.HasPrefix(out, "clientela devel (commit ") || !strings.Contains(out, "built with "+runtime.Version()+")") {
		t.Errorf("--version: %d %q %q", code, out, errOut)
	}
	// The commit is the one go build recorded, when it could (a git clone, without
	// -buildvcs=false).
	info, err := exec.Command("go", "version", "-m", binary).Output()
	if err != nil {
		t.Fatal(err)
	}
	want := "commit unknown"
	if m := regexp.MustCompile(`vcs\.revision=(\w+)`).FindSubmatch(info); m != nil {
		want = "commit " + string(m[1])
	}
	if !strings.Contains(out, want) {
		t.Errorf("--version %q does not say %q", out, want)
	}
	// A release build sets the version.
	release := filepath.Join(t.TempDir(), "clientela")
	if out, err := exec.Command("go", "build", "-ldflags", "-X main.version=1.4.0", "-o", release, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	got, err := exec.Command(release, "--version").Output()
	if err != nil || !strings.HasPrefix(string(got), "clientela 1.4.0 (commit ") {
		t.Errorf("release --version: %q %v", got, err)
	}
}

// TestSeedOutputInALog: written to a pipe (a log, CI), progress is one line per batch rather
// than \r frames, and a second seed does not claim the groups the first one made.
func TestSeedOutputInALog(t *testing.T) {
	for _, b := range testdb.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			b = testdb.Prepare(t, b)
			s := storageArgs(b)
			out, errOut, code := run(t, "", append([]string{"seed", "--customers", "20001"}, s...)...)
			if code != 0 || !strings.Contains(out, "Added 20001 customers and 7 groups") {
				t.Fatalf("seed: %d\n%s\n%s", code, out, errOut)
			}
			if strings.Contains(errOut, "\r") {
				t.Errorf("progress in a pipe has \\r frames: %q", errOut)
			}
			steps := regexp.MustCompile(`(?m)^seeding: (\d+)/20001 \((\d+)%\)`).FindAllStringSubmatch(errOut, -1)
			if len(steps) != 3 || steps[0][1] != "10000" || steps[2][1] != "20001" || steps[2][2] != "100" {
				t.Errorf("progress lines %q in:\n%s", steps, errOut)
			}
			out, errOut, code = run(t, "", append([]string{"seed", "--customers", "10"}, s...)...)
			if code != 0 || !strings.Contains(out, "Added 10 customers to the "+b.Name+" database") {
				t.Errorf("second seed: %d\n%s\n%s", code, out, errOut)
			}
		})
	}
}

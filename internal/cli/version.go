package cli

import (
	"fmt"
	"runtime/debug"
)

// versionLine says which Clientela this is: the release (or "devel"), the commit it was built
// from and the Go that built it, as go build records them in the binary.
func versionLine(version string) string {
	if version == "" {
		version = "devel"
	}
	commit, goVersion := "unknown", "unknown Go"
	if info, ok := debug.ReadBuildInfo(); ok {
		goVersion = info.GoVersion
		var revision, modified string
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.modified":
				modified = s.Value
			}
		}
		if revision != "" {
			commit = revision
			if modified == "true" {
				commit += " with local changes"
			}
		}
	}
	return fmt.Sprintf("clientela %s (commit %s, built with %s)", version, commit, goVersion)
}

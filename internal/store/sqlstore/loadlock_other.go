//go:build !unix

package sqlstore

// lockLoadFile has no file lock to take on this platform: every load looks interrupted to
// other processes, as it did before leases existed.
func lockLoadFile(string, bool) (loadLease, bool, error) { return noLease{}, true, nil }

type noLease struct{}

func (noLease) release() error { return nil }

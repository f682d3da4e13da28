// Command clientela is the customer register of a point-of-sale backoffice. All the work is in
// package cli; this only hands it the process.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/clientela/clientela/internal/cli"
)

// version is the release, set when one is built:
//
//	go build -ldflags "-X main.version=1.4.0" ./cmd/clientela
//
// Left empty, clientela --version says "devel" (the commit and Go version come from the build).
var version string

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Version: version})
	stop()
	os.Exit(code)
}

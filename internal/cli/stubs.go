package cli

import (
	"context"
	"errors"
)

func runSeed(ctx context.Context, env Env, args []string) error  { return errors.New("not built yet") }
func runBench(ctx context.Context, env Env, args []string) error { return errors.New("not built yet") }

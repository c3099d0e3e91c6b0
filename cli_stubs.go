package main

import "errors"

// These commands are being built; each moves to its own cli_*.go file.

func runDownload(c *cliEnv, args []string) int { return c.fail(errors.New("download: not built yet")) }

package main

import "errors"

// These commands are being built; each moves to its own cli_*.go file.

func runAccounts(c *cliEnv, args []string) int   { return c.fail(errors.New("accounts: not built yet")) }
func runRecordings(c *cliEnv, args []string) int { return c.fail(errors.New("recordings: not built yet")) }
func runDownload(c *cliEnv, args []string) int   { return c.fail(errors.New("download: not built yet")) }

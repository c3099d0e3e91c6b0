package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"cloudreel/fetch"
	"cloudreel/fetch/sim"
)

// runSimulate serves the four simulated platforms until interrupted.
func runSimulate(c *cliEnv, args []string) int {
	fs := c.flags("simulate")
	addr := fs.String("addr", "127.0.0.1:8090", "address to listen on")
	small := fs.Bool("small", false, "small, unthrottled files (for tests)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg := demoSimConfig
	if *small {
		cfg = sim.Config{MinSize: 256 << 10, MaxSize: 2 << 20}
	}
	s := sim.New(cfg)
	u, err := s.Start(*addr)
	if err != nil {
		return c.fail(err)
	}
	fmt.Fprintln(c.stdout, u)
	for _, p := range fetch.Platforms {
		fmt.Fprintf(c.stdout, "  %-22s %s\n", p.Title(), s.BaseURL(p))
	}
	cr := s.Config().Credentials
	fmt.Fprintf(c.stdout, "Sign in with: Valt %s, IBM client %s, Zoom key %s, Huawei account %s (secrets: see fetch/sim DefaultCredentials)\n",
		cr.ValtUser, cr.IBMClientID, cr.ZoomKey, cr.HuaweiAccount)
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()
	<-ctx.Done()
	if err := s.Close(); err != nil {
		return c.fail(err)
	}
	return 0
}

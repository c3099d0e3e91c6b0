package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/lang"

	"cloudreel/accounts"
	"cloudreel/fetch"
	"cloudreel/fetch/cleanup"
	"cloudreel/fetch/sim"
	"cloudreel/gui"
)

// demoOptions shape the built-in demo.
type demoOptions struct {
	// WrongPassword stores a wrong secret for the Valt demo account, to
	// show what a sign-in failure looks like.
	WrongPassword bool
}

// demoAccount is one of the demo's sample accounts and its secret.
type demoAccount struct {
	account accounts.Account
	secret  string
}

// demoSimConfig is the simulator the demo and `simulate` serve: files of
// tens of MB, throttled so that progress is visible.
var demoSimConfig = sim.Config{MinSize: 20 << 20, MaxSize: 60 << 20, Throttle: 3 << 20}

// demoAccounts are the sample accounts the demo adds, one per platform.
func demoAccounts(s *sim.Server) []demoAccount {
	c := s.Config().Credentials
	return []demoAccount{
		{accounts.Account{Platform: fetch.ZoomSDK, Name: "Demo school (Zoom)", Server: s.BaseURL(fetch.ZoomSDK), APIKey: c.ZoomKey}, c.ZoomSecret},
		{accounts.Account{Platform: fetch.Valt, Name: "Interview suite (Valt)", Server: s.BaseURL(fetch.Valt), Username: c.ValtUser}, c.ValtPassword},
		{accounts.Account{Platform: fetch.IBMVideo, Name: "Lectures (IBM)", Server: s.BaseURL(fetch.IBMVideo), ClientID: c.IBMClientID}, c.IBMSecret},
		{accounts.Account{Platform: fetch.Huawei, Name: "Board meetings (Huawei)", Server: s.BaseURL(fetch.Huawei), HuaweiAccount: c.HuaweiAccount}, c.HuaweiPwd},
	}
}

// demoAddr is where the demo's simulator listens when the port is free.
const demoAddr = "127.0.0.1:47820"

// demoPendingPolls is how many times the demo's IBM answers "pending"
// for a video asked for the first time, so that "Preparing" (IBM making
// the MP4) is seen in the demo as it is on the real platform.
const demoPendingPolls = 1

// simSecret is the simulator's secret for an account that signs in as
// one of its sample users, whatever the account is called: every account
// in the demo's own data folder is on the simulator.
func simSecret(c sim.Credentials, a accounts.Account) (string, bool) {
	switch {
	case a.Platform == fetch.ZoomSDK && a.APIKey == c.ZoomKey:
		return c.ZoomSecret, true
	case a.Platform == fetch.Valt && a.Username == c.ValtUser:
		return c.ValtPassword, true
	case a.Platform == fetch.IBMVideo && a.ClientID == c.IBMClientID:
		return c.IBMSecret, true
	case a.Platform == fetch.Huawei && a.AppID != "" && (a.AppID == c.HuaweiAppID || a.AppID == c.HuaweiSingleAppID):
		return c.HuaweiKey, true
	case a.Platform == fetch.Huawei && a.AppID == "" && a.HuaweiAccount == c.HuaweiAccount:
		return c.HuaweiPwd, true
	}
	return "", false
}

// startDemo starts the simulator in this process, adds the demo accounts,
// and points every account of the demo's data folder at it again. The
// secrets stay in memory (the demo never writes to the keyring), so on
// each start every account that signs in as one of the simulator's
// sample users, the samples and those a person added in the demo alike,
// gets its secret again: demo accounts keep working for as long as the
// demo's data folder lives.
func startDemo(ctx context.Context, b *backend, opts demoOptions) (*sim.Server, error) {
	s := sim.New(demoSimConfig)
	// The same port every time when it is free: Zoom's download links
	// carry the server's address, and a download paused in one demo must
	// resume in the next.
	if _, err := s.Start(demoAddr); err != nil {
		if _, err := s.Start("127.0.0.1:0"); err != nil {
			return nil, err
		}
	}
	s.Faults().Update(func(f *sim.FaultSet) { f.IBMPendingPolls = demoPendingPolls })
	go func() {
		<-ctx.Done()
		s.Close()
	}()
	existing, err := b.store.List()
	if err != nil {
		return nil, err
	}
	samples := demoAccounts(s)
	wrong := func(a accounts.Account, secret string) string {
		if opts.WrongPassword && a.Platform == fetch.Valt {
			return "not-the-password"
		}
		return secret
	}
	have := map[string]bool{}
	for _, e := range existing {
		have[e.Name] = true
		secret, ok := simSecret(s.Config().Credentials, e)
		if !ok {
			continue // not the simulator's: it shows "sign in again"
		}
		for _, d := range samples {
			if d.account.Name == e.Name {
				secret = wrong(e, secret)
			}
		}
		e.Server = s.BaseURL(e.Platform)
		if err := b.store.Update(ctx, e, secret); err != nil {
			return nil, fmt.Errorf("%s: %w", lang.L("pointing the demo account {{.Name}} at the simulator", map[string]any{"Name": e.Name}), err)
		}
		b.queue.ForgetConnector(e.ID)
	}
	for _, d := range samples {
		if have[d.account.Name] {
			continue
		}
		if _, err := b.store.Add(ctx, d.account, wrong(d.account, d.secret)); err != nil {
			return nil, fmt.Errorf("%s: %w", lang.L("adding the demo account {{.Name}}", map[string]any{"Name": d.account.Name}), err)
		}
	}
	return s, nil
}

// runDemo opens the window on the built-in simulator, with sample
// accounts, in a data folder of its own so the demo never mixes with the
// user's real accounts.
func runDemo(c *cliEnv, args []string) int {
	fs := c.flags("demo")
	scene := fs.String("scene", "", "open on a prepared scene: demo, welcome, add-account, error (for screenshots)")
	dest := fs.String("dest", "", "download folder (default: Videos/Cloudreel demo)")
	size := fs.String("size", "", "the window's size, WIDTHxHEIGHT (for screenshots); it never goes below what the window needs")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	dir, err := configDir()
	if err != nil {
		return c.fail(err)
	}
	dir = filepath.Join(dir, "demo")
	b, err := openBackend(dir, sessionSecrets(), false)
	if err != nil {
		return c.fail(err)
	}
	defer b.closeAll()
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt)
	defer cancel()
	folder := *dest
	if folder == "" {
		folder = filepath.Join(videosFolder(), "Cloudreel demo")
	}
	// The simulator starts now, or on "Try the demo" in the welcome scene.
	var server atomic.Pointer[sim.Server]
	if *scene != "welcome" {
		opts := demoOptions{WrongPassword: *scene == "error"}
		s, err := startDemo(ctx, b, opts)
		if err != nil {
			return c.fail(fmt.Errorf("%s: %w", lang.L("starting the demo"), err))
		}
		server.Store(s)
	}
	go b.queue.Start(ctx)
	a := app.NewWithID("io.cloudreel.app.demo")
	deps := gui.Deps{Accounts: b.store, Queue: b.queue, DefaultFolder: folder, IsDir: isDir, Title: "Cloudreel (demo)",
		Version: version + " (" + build + ")", DataDir: dir, Log: b.log}
	if deps.Cleanup, err = cleanup.NewStore(b.db); err != nil {
		return c.fail(err)
	}
	// The demo's Valt takes uploads as a real one does, so that Send to
	// Valt… can be tried on it.
	if deps.Uploads, err = uploaderOn(b, nil); err != nil {
		return c.fail(err)
	}
	if *scene == "welcome" {
		deps.StartDemo = func(ctx context.Context) error {
			s, err := startDemo(ctx, b, demoOptions{})
			server.Store(s)
			return err
		}
	}
	deps.DemoAccount = func(p fetch.Platform) (accounts.Account, string, bool) {
		s := server.Load()
		if s == nil {
			return accounts.Account{}, "", false
		}
		for _, d := range demoAccounts(s) {
			if d.account.Platform == p {
				return d.account, d.secret, true
			}
		}
		return accounts.Account{}, "", false
	}
	w := gui.New(a, deps)
	if *size != "" {
		if err := w.ResizeTo(*size); err != nil {
			return c.fail(err)
		}
	}
	w.Show()
	if *scene != "" {
		go w.PlayScene(*scene, folder)
	}
	go func() {
		<-ctx.Done()
		fyne.Do(a.Quit) // Fyne's calls belong on its own goroutine
	}()
	a.Run()
	return 0
}

// sessionSecrets keeps the demo's secrets in memory only: they are the
// simulator's, and the demo must not write to the user's keyring.
func sessionSecrets() *accounts.Secrets {
	s := accounts.NewSecrets()
	s.UseSessionOnly(true)
	return s
}

// startDemoProcess opens the demo in a second window and process, with
// its own data folder, for "Try the demo" on the welcome screen.
func startDemoProcess() error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("%s: %w", lang.L("finding Cloudreel's program file"), err)
	}
	cmd := exec.Command(exe, "demo")
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("%s: %w", lang.L("starting the demo"), err)
	}
	go cmd.Wait()
	return nil
}

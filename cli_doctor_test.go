package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"cloudreel/fetch/sim"
)

// `doctor` checks each demo account, prints the report and saves the same
// report with -o; every step works on the simulator.
func TestDoctorEachPlatform(t *testing.T) {
	s := newCLIHome(t, sim.Config{Recordings: 8, MinSize: 1000, MaxSize: 2000})
	for _, d := range demoAccounts(s) {
		t.Run(string(d.account.Platform), func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "report.txt")
			code, stdout, stderr := runCLI(t, "doctor", "-account", d.account.Name, "-o", file)
			if code != 0 {
				t.Fatalf("exit %d: %s\n%s", code, stderr, stdout)
			}
			saved, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(stdout, string(saved)) || !strings.Contains(string(saved), "Result: Every step worked") ||
				!strings.Contains(string(saved), "Platform: "+d.account.Platform.Title()) {
				t.Fatalf("saved report:\n%s\nprinted:\n%s", saved, stdout)
			}
			if !strings.Contains(stdout, "The report is saved in "+file) || strings.Contains(string(saved), d.secret) {
				t.Fatalf("printed:\n%s", stdout)
			}
		})
	}
}

// A failed step makes the exit status 1 and says why; without -o the
// command says how to save the report.
func TestDoctorFailedStep(t *testing.T) {
	newCLIHome(t, sim.Config{Recordings: 3, MinSize: 1000, MaxSize: 2000})
	store, closeStore, err := openAccounts()
	if err != nil {
		t.Fatal(err)
	}
	a, err := store.ByName("Demo school (Zoom)")
	if err == nil {
		err = store.Update(context.Background(), a, "not-the-zoom-secret")
	}
	closeStore()
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, _ := runCLI(t, "doctor", "-account", "Demo school (Zoom)")
	if code != 1 || !strings.Contains(strings.Join(strings.Fields(stdout), " "), `Result: Step 1, "Sign in", did not work. Zoom did not accept the API key with this API secret.`) ||
		!strings.Contains(stdout, `cloudreel doctor -account "Demo school (Zoom)" -o cloudreel-report.txt`) || strings.Contains(stdout, "not-the-zoom-secret") {
		t.Fatalf("exit %d:\n%s", code, stdout)
	}
	if code, _, stderr := runCLI(t, "doctor"); code == 0 || !strings.HasPrefix(stderr, "cloudreel: ") {
		t.Fatalf("no account: exit %d, %q", code, stderr)
	}
}

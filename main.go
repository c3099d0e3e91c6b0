// Command cloudreel gets video recordings out of Valt, IBM Video
// Streaming, the Zoom Video SDK and Huawei Cloud Meeting and onto a disk.
// With no argument it opens the window; a sub-command runs headless (see
// cli.go and usage below).
package main

import (
	"fmt"
	"io"
	"log"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"

	"fyne.io/fyne/v2/lang"

	"cloudreel/fetch"
	"cloudreel/fetch/locale"
	"cloudreel/fetch/messages"
	"cloudreel/gui"
)

// version and build are stamped by the Makefile with -ldflags -X.
var (
	version = "0.1.0"
	build   = "dev"
)

const usage = `Cloudreel gets your video recordings onto your disk.

  cloudreel                      open the window
  cloudreel demo                 open the window on the built-in demo
  cloudreel simulate [-addr 127.0.0.1:8090] [-many N] [-cut-mid-body N ...]
                                 serve the simulated platforms until interrupted,
                                 with faults switched on (simulate -help lists them)
  cloudreel accounts add|list|remove ...
  cloudreel recordings -account NAME [-from YYYY-MM-DD] [-to YYYY-MM-DD] [-json]
  cloudreel download -account NAME [-from ...] [-to ...] [-id ID ...] [-kind KIND ...] [-dest DIR] [-cleanup]
  cloudreel cleanup [-account NAME] [-dry-run] [-cancel] [-set keep|trash|delete]
                                 trash or delete what was downloaded and verified,
                                 as the account's setting says
  cloudreel doctor -account NAME [-o FILE]
                                 check an account step by step; a report to send
  cloudreel verify [-account NAME] [-dest DIR]
                                 check the downloaded files on disk: what changed or went missing
  cloudreel sync [-account NAME ...] [-once]
                                 download every new recording of the accounts kept in sync;
                                 -set, -off, -list, -install, -uninstall (sync -help)
  cloudreel upload -account VALT [-name NAME] FILE...
  cloudreel copy -from ACCOUNT -to VALT [-from-date ...] [-to-date ...] [-id ID ...] [-kind KIND ...] [-dest DIR]
                                 send video files, or another account's recordings, to Valt
  cloudreel -version
`

func main() {
	collectSooner(os.Getenv)
	// Before any command runs: every sentence it says is in the language
	// chosen in Settings, else the system's, from its first line on.
	// Without the translations (none can be missing from the program) it
	// speaks English.
	if err := loadLanguage(); err != nil {
		fmt.Fprintln(os.Stderr, "cloudreel:", err)
	}
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// gcPercent is how far Go lets the heap grow past what is in use before
// it collects again (GOGC), unless GOGC is set. With Go's 100 the
// window's peak on 100,000 jobs swung between 133 and 156 MiB, over issue
// 14's 150 MB; with 50 it stays within 132 to 136 MiB, for about 0.1 s
// more processor time at start (docs/benchmarks.md, "At scale").
// Cloudreel stays open all day in the tray: its memory counts for more
// than that. Unlike a fixed memory limit, it costs no more as a store
// grows past what the limit was chosen for.
const gcPercent = 50

// collectSooner sets gcPercent, unless the environment sets GOGC.
func collectSooner(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
}

// run dispatches a command line and returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		return runWindow(stderr, false)
	}
	cli := &cliEnv{stdin: stdin, stdout: stdout, stderr: stderr}
	switch args[0] {
	case "simulate", "accounts", "recordings", "download", "cleanup", "upload", "copy", "sync":
		// Go's own messages (the HTTP library's "Unsolicited response
		// received on idle HTTP channel") are not for the person at the
		// terminal: they go to the log file. The window keeps them on
		// stderr, where its checks look for Fyne's warnings.
		defer routeStandardLog()()
	}
	switch args[0] {
	case "demo":
		return runDemo(cli, args[1:])
	case "simulate":
		return runSimulate(cli, args[1:])
	case "accounts":
		return runAccounts(cli, args[1:])
	case "recordings":
		return runRecordings(cli, args[1:])
	case "download":
		return runDownload(cli, args[1:])
	case "cleanup":
		return runCleanup(cli, args[1:])
	case "doctor":
		return runDoctor(cli, args[1:])
	case "verify":
		return runVerify(cli, args[1:])
	case "sync":
		return runSync(cli, args[1:])
	case "upload":
		return runUpload(cli, args[1:])
	case "copy":
		return runCopy(cli, args[1:])
	case "-version", "--version", "version":
		fmt.Fprintf(stdout, "Cloudreel %s (%s)\n", version, build)
		return 0
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, lang.L(usage))
		return 0
	}
	fmt.Fprintf(stderr, "cloudreel: %s\n\n%s", lang.L(`unknown command "{{.Command}}"`, map[string]any{"Command": args[0]}), lang.L(usage))
	return 2
}

// loadLanguage loads the commands' and the window's translations and
// speaks the language chosen in the settings folder (Settings > Language),
// else the system's: the one place where the program picks its language.
func loadLanguage() error {
	sets := []locale.Set{messages.Set, gui.Translations}
	dir, err := configDir()
	if err != nil {
		return locale.Load(sets...)
	}
	return locale.Apply(dir, sets...)
}

// routeStandardLog sends the standard library's log (net/http's messages
// among others) to cloudreel.log in the settings folder, through the
// redacting handler, and returns what puts it back. When the log file
// cannot be opened the messages are dropped rather than shown.
func routeStandardLog() (restore func()) {
	prevLogger, prevOut, prevFlags := slog.Default(), log.Writer(), log.Flags()
	var out io.Writer = io.Discard
	var file *os.File
	if dir, err := configDir(); err == nil && os.MkdirAll(dir, 0o700) == nil {
		if f, err := os.OpenFile(filepath.Join(dir, "cloudreel.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600); err == nil {
			out, file = f, f
		}
	}
	slog.SetDefault(slog.New(fetch.RedactingHandler{Next: slog.NewTextHandler(out, nil)}))
	return func() {
		slog.SetDefault(prevLogger)
		log.SetOutput(prevOut)
		log.SetFlags(prevFlags)
		if file != nil {
			file.Close()
		}
	}
}

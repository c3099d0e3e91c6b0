package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"
	"golang.org/x/term"

	"cloudreel/accounts"
	"cloudreel/fetch"
	"cloudreel/fetch/cleanup"
	"cloudreel/fetch/locale"
)

const accountsUsage = `cloudreel accounts add -platform valt|ibm|zoom|huawei -name NAME [-server URL]
        [-username U] [-client-id ID [-token-url URL]] [-api-key K] [-account A] [-app-id ID [-user-id U] [-corp-id C]]
        [-pin FINGERPRINT] [-after-download keep|trash|delete] [-no-check]
        [-template ID=VALUE ...] [-share-user ID ...] [-share-group ID ...]   (Valt: what every upload gets)
    reads the password or secret from standard input, tests the connection, saves the account
cloudreel accounts list [-json]
cloudreel accounts remove NAME
`

// checkTimeout bounds the connection test of `accounts add`, retries
// included, so that a server that answers, but ever so slowly, does not
// hang a script. (A silent one is given up sooner: storeTimeouts.)
const checkTimeout = 2 * time.Minute

// storeTimeouts bound how long a command waits for a platform that does
// not answer, in every command that signs in or lists (tests shorten them).
var storeTimeouts = accounts.DefaultTimeouts()

// tellRepair says, once, what Cloudreel did about a damaged store: what
// was lost and that accounts can be added again.
func tellRepair(c *cliEnv, store *accounts.Store) {
	if r := store.Repair(); r != nil {
		fmt.Fprintln(c.stderr, "cloudreel:", r.Plain())
		_ = store.ClearRepair()
	}
}

// runAccounts dispatches `cloudreel accounts add|list|remove`.
func runAccounts(c *cliEnv, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(c.stderr, "cloudreel: "+lang.L("say what to do with the accounts:")+"\n\n"+lang.L(accountsUsage))
		return 2
	}
	switch args[0] {
	case "add":
		return runAccountsAdd(c, args[1:])
	case "list", "ls":
		return runAccountsList(c, args[1:])
	case "remove", "rm":
		return runAccountsRemove(c, args[1:])
	case "-h", "-help", "--help", "help":
		fmt.Fprint(c.stdout, lang.L(accountsUsage))
		return 0
	}
	fmt.Fprintf(c.stderr, "cloudreel: %s\n\n%s", lang.L(`"{{.Command}}" is not an accounts command`, map[string]any{"Command": args[0]}), lang.L(accountsUsage))
	return 2
}

func runAccountsAdd(c *cliEnv, args []string) int {
	fs := c.flags("accounts add")
	platform := fs.String("platform", "", lang.L("valt, ibm, zoom or huawei"))
	var a accounts.Account
	fs.StringVar(&a.Name, "name", "", lang.L("a name for the account, unique"))
	fs.StringVar(&a.Server, "server", "", lang.L("the server address (required for Valt; others default to the platform's own)"))
	fs.StringVar(&a.Username, "username", "", lang.L("Valt: the user name"))
	fs.StringVar(&a.ClientID, "client-id", "", lang.L("IBM Video Streaming: the client ID"))
	fs.StringVar(&a.TokenURL, "token-url", "", lang.L("IBM Video Streaming: the token address of a private deployment (default: IBM's own)"))
	fs.StringVar(&a.APIKey, "api-key", "", lang.L("Zoom Video SDK: the API key"))
	fs.StringVar(&a.HuaweiAccount, "account", "", lang.L("Huawei Cloud Meeting: the account name"))
	fs.StringVar(&a.AppID, "app-id", "", lang.L("Huawei Cloud Meeting: the App ID (-user-id and -corp-id are optional)"))
	fs.StringVar(&a.UserID, "user-id", "", lang.L("Huawei Cloud Meeting: the user ID for App ID sign-in (empty: the enterprise's default administrator)"))
	fs.StringVar(&a.CorpID, "corp-id", "", lang.L("Huawei Cloud Meeting: the corp ID, only for a multi-enterprise (SP) App ID"))
	fs.StringVar(&a.Pin, "pin", "", lang.L("trust the server's certificate with this SHA-256 fingerprint (Valt)"))
	fs.StringVar(&a.Cleanup, "after-download", "", lang.L("what happens to a recording on the platform once downloaded and verified: keep (default), trash (Zoom) or delete (permanently, 7 days later; see cloudreel cleanup)"))
	var template, users, groups stringList
	fs.Var(&template, "template", lang.L("Valt: an additional-information template field every upload fills, ID=VALUE (repeatable; VALUE may say {title}, {date}, {source})"))
	fs.Var(&users, "share-user", lang.L("Valt: the id of a user every upload is shared with (repeatable)"))
	fs.Var(&groups, "share-group", lang.L("Valt: the id of a group every upload is shared with (repeatable)"))
	noCheck := fs.Bool("no-check", false, lang.L("save without testing the connection"))
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if err := uploadSettingsFlags(&a, template, users, groups); err != nil {
		return c.fail(err)
	}
	if fs.NArg() > 0 {
		return c.fail(errors.New(lang.L(`unexpected "{{.Arg}}": the password or secret is read from standard input, never from the command line`, map[string]any{"Arg": fs.Arg(0)})))
	}
	p, err := accounts.ParsePlatform(*platform)
	if *platform == "" {
		err = errors.New(lang.L("say which platform with -platform valt, ibm, zoom or huawei"))
	}
	if err != nil {
		return c.fail(err)
	}
	a.Platform = p
	a = a.Normalize()
	if err := a.Validate(); err != nil {
		return c.fail(err)
	}

	store, closeStore, err := openAccounts()
	if err != nil {
		return c.fail(err)
	}
	defer closeStore()
	tellRepair(c, store)
	if other, err := store.ByName(a.Name); err == nil {
		return c.fail(errors.New(lang.L(`an account called "{{.Name}}" exists already: choose another name`, map[string]any{"Name": other.Name})))
	}
	secret, err := readSecret(c, a)
	if err != nil {
		return c.fail(err)
	}

	ctx, cancel := signal.NotifyContext(context.Background(), stopSignals...)
	defer cancel()
	if !*noCheck {
		tctx, tcancel := context.WithTimeout(ctx, checkTimeout)
		err := store.Test(tctx, a, secret)
		tcancel()
		if err != nil {
			return c.fail(withPinHint(err))
		}
	}
	saved, err := store.Add(ctx, a, secret)
	if err != nil {
		return c.fail(err)
	}
	how := lang.L("connection tested")
	if *noCheck {
		how = lang.L("connection not tested")
	}
	fmt.Fprintln(c.stdout, lang.L(`Added "{{.Name}}" ({{.Platform}}, {{.Server}}, {{.How}}); its {{.Secret}} is in the system keyring.`,
		map[string]any{"Name": saved.Name, "Platform": saved.Platform.Name(), "Server": saved.ServerURL(), "How": how, "Secret": accounts.SecretName(saved)}))
	if p := policyOf(saved); p != cleanup.Keep {
		fmt.Fprintln(c.stdout, lang.L("After a recording is downloaded and verified, {{.Policy}}.", map[string]any{"Policy": policyWords(p)}))
	}
	return 0
}

// readSecret reads the secret from standard input: one line, without its
// line ending, so that both `echo secret |` and `printf %s secret |` work.
func readSecret(c *cliEnv, a accounts.Account) (string, error) {
	label := accounts.SecretName(a)
	if f, ok := c.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		// Typed at a terminal: ask, and do not show what is typed.
		fmt.Fprint(c.stderr, lang.L("Type the {{.Secret}} of {{.Name}} and press Enter (it is not shown): ", map[string]any{"Secret": label, "Name": a.Name}))
		typed, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(c.stderr)
		if err != nil {
			return "", fmt.Errorf("%s: %w", lang.L("reading the {{.Secret}}", map[string]any{"Secret": label}), err)
		}
		if len(typed) == 0 {
			return "", errors.New(lang.L("no {{.Secret}} was typed", map[string]any{"Secret": label}))
		}
		return string(typed), nil
	}
	line, err := bufio.NewReader(io.LimitReader(c.stdin, 64<<10)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("%s: %w", lang.L("reading the {{.Secret}} from standard input", map[string]any{"Secret": label}), err)
	}
	line = strings.TrimSuffix(line, "\n")
	line = strings.TrimSuffix(line, "\r")
	if line == "" {
		return "", errors.New(lang.L(`no {{.Secret}} on standard input: pipe it into the command, for example with printf '%s' "$SECRET" |`, map[string]any{"Secret": label}))
	}
	return line, nil
}

// pinHintError adds to an untrusted-certificate message how to trust the
// server from the command line.
type pinHintError struct {
	err         error
	fingerprint string
}

func (e *pinHintError) Error() string { return e.err.Error() }
func (e *pinHintError) Unwrap() error { return e.err }
func (e *pinHintError) Plain() string {
	return locale.Sentences(fetch.Plain(e.err), lang.L("To trust it, add: -pin {{.Fingerprint}}", map[string]any{"Fingerprint": e.fingerprint}))
}

func withPinHint(err error) error {
	var fe *fetch.Error
	if errors.As(err, &fe) && fe.Kind == fetch.KindUntrusted && fe.Fingerprint != "" {
		return &pinHintError{err: err, fingerprint: fe.Fingerprint}
	}
	return err
}

// accountJSON is one account in `accounts list -json`: the stored account
// (which holds no secret) with the server it really talks to.
type accountJSON struct {
	accounts.Account
	// Server shadows the embedded field, which is empty for a platform's
	// default server.
	Server string `json:"server"`
}

func runAccountsList(c *cliEnv, args []string) int {
	fs := c.flags("accounts list")
	asJSON := fs.Bool("json", false, lang.L("print one JSON array"))
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		return c.fail(errors.New(lang.L(`unexpected "{{.Arg}}": accounts list takes no names`, map[string]any{"Arg": fs.Arg(0)})))
	}
	store, closeStore, err := openAccounts()
	if err != nil {
		return c.fail(err)
	}
	defer closeStore()
	tellRepair(c, store)
	list, err := store.List()
	if err != nil {
		return c.fail(err)
	}
	if *asJSON {
		out := make([]accountJSON, len(list))
		for i, a := range list {
			out[i] = accountJSON{Account: a, Server: shownServer(a)}
		}
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return c.fail(err)
		}
		return 0
	}
	if len(list) == 0 {
		fmt.Fprintln(c.stdout, lang.L("No accounts yet. Add one with: cloudreel accounts add -platform valt|ibm|zoom|huawei -name NAME ..."))
		return 0
	}
	var tw table
	tw.header(lang.L("NAME\tPLATFORM\tSERVER\tUSER OR KEY ID"))
	for _, a := range list {
		tw.row(a.Name, a.Platform.Name(), shownServer(a), a.Identity())
	}
	if err := tw.write(c.stdout); err != nil {
		return c.fail(err)
	}
	return 0
}

// shownServer is the server an account talks to, with the password of an
// address saved by an older Cloudreel with one in it (user:password@host,
// refused now) masked.
func shownServer(a accounts.Account) string {
	if u, err := url.Parse(a.ServerURL()); err == nil && u.User != nil {
		return u.Redacted()
	}
	return a.ServerURL()
}

func runAccountsRemove(c *cliEnv, args []string) int {
	fs := c.flags("accounts remove")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		return c.fail(errors.New(lang.L(`say which account to remove, by its name in quotes: cloudreel accounts remove "NAME"`)))
	}
	store, closeStore, err := openAccounts()
	if err != nil {
		return c.fail(err)
	}
	defer closeStore()
	tellRepair(c, store)
	a, err := store.ByName(fs.Arg(0))
	if err != nil {
		return c.fail(err)
	}
	ctx, cancel := signal.NotifyContext(context.Background(), stopSignals...)
	defer cancel()
	if err := store.Remove(ctx, a.ID); err != nil {
		return c.fail(err)
	}
	fmt.Fprintln(c.stdout, lang.L(`Removed "{{.Name}}" and its {{.Secret}}.`, map[string]any{"Name": a.Name, "Secret": accounts.SecretName(a)}))
	return 0
}

// uploadSettingsFlags reads `accounts add`'s -template, -share-user and
// -share-group into a.
func uploadSettingsFlags(a *accounts.Account, template, users, groups []string) error {
	for _, line := range template {
		id, v, err := accounts.ParseTemplateLine(line)
		if err != nil {
			return err
		}
		if a.UploadTemplate == nil {
			a.UploadTemplate = map[string]string{}
		}
		a.UploadTemplate[id] = v
	}
	var err error
	if a.ShareUsers, err = accounts.ParseIDs(strings.Join(users, ","), "user"); err != nil {
		return err
	}
	a.ShareGroups, err = accounts.ParseIDs(strings.Join(groups, ","), "group")
	return err
}

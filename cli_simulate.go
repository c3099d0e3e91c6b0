package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os/signal"
	"reflect"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"cloudreel/fetch"
	"cloudreel/fetch/sim"
)

// runSimulate serves the four simulated platforms until interrupted, with
// the faults asked for on the command line switched on, so that a person
// can play a fault report again without writing Go.
func runSimulate(c *cliEnv, args []string) int {
	fs := c.flags("simulate")
	addr := fs.String("addr", "127.0.0.1:8090", lang.L("address to listen on"))
	small := fs.Bool("small", false, lang.L("small, unthrottled files (for tests)"))
	many := fs.Int("many", 0, lang.L("recordings in each platform's account (default 40; e.g. 5000 for a large account)"))
	var faults sim.FaultSet
	faultFlags(fs, &faults)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		return c.fail(errors.New(lang.L(`unexpected "{{.Arg}}": see cloudreel simulate -help`, map[string]any{"Arg": fs.Arg(0)})))
	}
	if *many < 0 {
		return c.fail(errors.New(lang.L("-many {{.Count}}: give a number of recordings, 1 or more", map[string]any{"Count": *many})))
	}
	// Before the first line is printed: whoever reads it may press Ctrl+C
	// at once, and must find the command listening for it.
	ctx, cancel := signal.NotifyContext(context.Background(), stopSignals...)
	defer cancel()
	cfg := demoSimConfig
	if *small {
		cfg = sim.Config{MinSize: 256 << 10, MaxSize: 2 << 20}
	}
	cfg.Recordings = *many
	s := sim.New(cfg)
	s.Faults().Set(faults)
	u, err := s.Start(*addr)
	if err != nil {
		return c.fail(err)
	}
	fmt.Fprintln(c.stdout, u)
	for _, p := range fetch.Platforms {
		fmt.Fprintf(c.stdout, "  %-22s %s\n", p.Name(), s.BaseURL(p))
	}
	cr := s.Config().Credentials
	fmt.Fprintln(c.stdout, lang.L("Sign in with: Valt {{.Valt}}, IBM client {{.IBM}}, Zoom key {{.Zoom}}, Huawei account {{.Huawei}} (secrets: see fetch/sim DefaultCredentials)",
		map[string]any{"Valt": cr.ValtUser, "IBM": cr.IBMClientID, "Zoom": cr.ZoomKey, "Huawei": cr.HuaweiAccount}))
	fmt.Fprintln(c.stdout, lang.N("{{.Count}} recordings per account; faults: {{.Faults}}", s.Config().Recordings,
		map[string]any{"Count": s.Config().Recordings, "Faults": faultsText(faults)}))
	<-ctx.Done()
	if err := s.Close(); err != nil {
		return c.fail(err)
	}
	return 0
}

// faultFlags adds a flag for every fault of fetch/sim to fs, named after
// its field (CutMidBody: -cut-mid-body), so that a fault added there has
// its flag at once. Its help comes from faultHelp.
func faultFlags(fs *flag.FlagSet, f *sim.FaultSet) {
	v := reflect.ValueOf(f).Elem()
	for i := range v.NumField() {
		field := v.Type().Field(i)
		if !field.IsExported() {
			continue
		}
		help, ok := faultHelp[field.Name]
		if !ok {
			help = "fault: see FaultSet." + field.Name + " in fetch/sim/faults.go"
		}
		name := flagName(field.Name)
		switch p := v.Field(i).Addr().Interface().(type) {
		case *bool:
			fs.BoolVar(p, name, false, help)
		case *int:
			fs.IntVar(p, name, 0, help)
		case *time.Duration:
			fs.DurationVar(p, name, 0, help)
		case *int64:
			fs.Int64Var(p, name, 0, help)
		case *string:
			fs.StringVar(p, name, "", help)
		}
	}
}

// faultHelp is the help of each fault's flag, by FaultSet field.
var faultHelp = map[string]string{
	"RateLimited":             "fault: the next N API calls answer 429 Too Many Requests",
	"RetryAfter":              "fault: the Retry-After those 429s send (default 1s)",
	"ServerErrors":            "fault: the next N API calls answer 503",
	"APILatency":              "fault: every API call waits this long before it is answered (e.g. 50ms)",
	"CutMidBody":              "fault: the next N file downloads are cut off halfway",
	"IgnoreRange":             "fault: file downloads ignore Range and always send the whole file",
	"ErrorBody200":            "fault: the next N file downloads are a small JSON error with status 200",
	"MediaErrors":             "fault: the next N file downloads answer 503",
	"HeadSpendsToken":         "fault: a HEAD request spends a one-time link (Huawei)",
	"LinkTTL":                 "fault: every download link lives this long (e.g. 2s)",
	"IBMPendingPolls":         "IBM: a file stays \"pending\" for N polls after it is requested",
	"ValtURLUnderData":        "Valt: the download answer is {\"data\":{\"url\"}} instead of {\"url\"}",
	"ValtVideoObjects":        "Valt: record details list videos as objects instead of bare ids",
	"ValtCameras":             "Valt: records name their videos as \"cameras\" (VALT 5) instead of \"videos\"",
	"ValtRecordsWithoutVideo": "Valt: the newest N records name no video at all",
	"HuaweiPageIndex":         "Huawei: offset is a page index and limit at most 100",
	"HuaweiRenewSameToken":    "Huawei: renewing the token extends it instead of handing out a new one",
	"HuaweiTranscoding":       "Huawei: the newest N meetings are still being transcoded (no files yet)",
	"ZoomMaxPageSize":         "Zoom: the largest page_size honoured (default 300)",
}

// faultsText lists the faults that are on, e.g. "cut-mid-body=2
// ignore-range", or "none".
func faultsText(f sim.FaultSet) string {
	v := reflect.ValueOf(f)
	var on []string
	for i := range v.NumField() {
		field := v.Field(i)
		if !v.Type().Field(i).IsExported() || field.IsZero() {
			continue
		}
		name := flagName(v.Type().Field(i).Name)
		if field.Kind() == reflect.Bool {
			on = append(on, name)
		} else {
			on = append(on, fmt.Sprintf("%s=%v", name, field.Interface()))
		}
	}
	if len(on) == 0 {
		return "none"
	}
	return strings.Join(on, " ")
}

// flagName turns a FaultSet field's name into its flag's: words in lower
// case joined by "-", an acronym one word (IBMPendingPolls:
// ibm-pending-polls), digits a word of their own (ErrorBody200:
// error-body-200).
func flagName(field string) string {
	r := []rune(field)
	var b strings.Builder
	kind := func(c rune) int {
		switch {
		case c >= 'A' && c <= 'Z':
			return 'A'
		case c >= '0' && c <= '9':
			return '0'
		}
		return 'a'
	}
	for i, c := range r {
		if i > 0 {
			prev, next := kind(r[i-1]), 'a'
			if i+1 < len(r) {
				next = rune(kind(r[i+1]))
			}
			k := kind(c)
			if (k == 'A' && prev != 'A') || (k == 'A' && prev == 'A' && next == 'a' && i+1 < len(r)) || (k == '0' && prev != '0') || (k != '0' && prev == '0') {
				b.WriteByte('-')
			}
		}
		b.WriteString(strings.ToLower(string(c)))
	}
	return b.String()
}

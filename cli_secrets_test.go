package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"cloudreel/fetch"
	"cloudreel/fetch/sim"
)

// TestKeyringNoSecretInAnyFile adds the four platforms' accounts with the
// real program and the real keyring, downloads a recording from each, and
// then reads every file Cloudreel wrote (its store, its log) for the
// secrets and for anything that looks like a token.
func TestKeyringNoSecretInAnyFile(t *testing.T) {
	if os.Getenv("CLOUDREEL_REAL_KEYRING") != "1" {
		t.Skip("needs a real keyring: run through make keyring-test")
	}
	bin := buildCloudreel(t)
	s := sim.New(sim.Config{Recordings: 6, MinSize: 64 << 10, MaxSize: 128 << 10})
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	s.SetURL(hs.URL)
	home, dest := t.TempDir(), t.TempDir()
	env := append(os.Environ(), "CLOUDREEL_HOME="+home)
	suffix := fmt.Sprint(time.Now().UnixNano())
	cr := s.Config().Credentials
	secrets := []string{cr.ValtPassword, cr.IBMSecret, cr.ZoomSecret, cr.HuaweiPwd}

	for _, d := range demoAccounts(s) {
		a := d.account
		name := a.Name + " " + suffix
		args := []string{"accounts", "add", "-platform", string(a.Platform), "-name", name, "-server", a.Server}
		switch a.Platform {
		case fetch.Valt:
			args = append(args, "-username", a.Username)
		case fetch.IBMVideo:
			args = append(args, "-client-id", a.ClientID)
		case fetch.ZoomSDK:
			args = append(args, "-api-key", a.APIKey)
		case fetch.Huawei:
			args = append(args, "-account", a.HuaweiAccount)
		}
		cmd := exec.Command(bin, args...)
		cmd.Env, cmd.Stdin = env, strings.NewReader(d.secret+"\n")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("accounts add %s: %v\n%s", a.Platform, err, out)
		}
		t.Cleanup(func() {
			rm := exec.Command(bin, "accounts", "remove", name)
			rm.Env = env
			_ = rm.Run()
		})
		rec := s.Recordings(a.Platform)[0]
		dl := exec.Command(bin, "download", "-account", name, "-id", rec.ID, "-dest", dest)
		dl.Env = env
		if out, err := dl.CombinedOutput(); err != nil {
			t.Fatalf("download from %s: %v\n%s", a.Platform, err, out)
		}
	}

	// Tokens as the platforms hand them out: JWTs (Zoom's, Valt's link
	// tokens), 32- and 64-hex access and link tokens.
	tokenLike := regexp.MustCompile(`eyJ[A-Za-z0-9_-]{10,}|\b[0-9a-f]{32}\b|\b[0-9a-f]{64}\b`)
	// Recording ids look like tokens too (Huawei's confUUID is 32 hex).
	ids := map[string]bool{}
	for _, p := range fetch.Platforms {
		for _, r := range s.Recordings(p) {
			ids[r.ID] = true
		}
	}
	// So do the SHA-256 digests of the downloaded files, which the store
	// keeps to verify them (and Huawei lists): digests of the videos, not
	// secrets.
	err := filepath.WalkDir(dest, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		ids[hex.EncodeToString(sum[:])] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	files := 0
	err = filepath.WalkDir(home, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files++
		for _, sec := range secrets {
			if bytes.Contains(data, []byte(sec)) {
				t.Errorf("%s contains a secret", p)
			}
		}
		for _, m := range tokenLike.FindAll(data, -1) {
			if !ids[string(m)] {
				t.Errorf("%s contains something like a token: %.12s…", p, m)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 2 {
		t.Fatalf("read %d files under the data folder, want at least the store and the log", files)
	}
	log, _ := os.ReadFile(filepath.Join(home, "cloudreel.log"))
	if len(log) == 0 {
		t.Fatal("the log is empty: the scan proved nothing")
	}
}

package main

import (
	"context"
	"errors"
	"testing"
	"time"

	"cloudreel/accounts"
	"cloudreel/fetch"
	"cloudreel/fetch/queue"
)

// allTime is a date range that holds every simulated recording.
var allTime = fetch.Query{From: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Now().UTC().AddDate(0, 0, 1)}

// An account added inside the demo keeps working when the demo starts
// again: the demo's secrets live in memory only, so each start gives every
// account that signs in as one of the simulator's users its secret again.
func TestDemoAccountsKeepTheirSecretsAcrossRestarts(t *testing.T) {
	dir := t.TempDir()
	b, err := openBackend(dir, sessionSecrets(), false)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	s, err := startDemo(ctx, b, demoOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c := s.Config().Credentials
	// As the add-account dialog saves it in the demo.
	mine, err := b.store.Add(ctx, accounts.Account{Platform: fetch.ZoomSDK, Name: "My Zoom Video SDK", Server: s.BaseURL(fetch.ZoomSDK), APIKey: c.ZoomKey}, c.ZoomSecret)
	if err != nil {
		t.Fatal(err)
	}
	other, err := b.store.Add(ctx, accounts.Account{Platform: fetch.ZoomSDK, Name: "Not the simulator's", Server: s.BaseURL(fetch.ZoomSDK), APIKey: "some-other-key"}, "some-other-secret")
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	b.closeAll()

	b, err = openBackend(dir, sessionSecrets(), false)
	if err != nil {
		t.Fatal(err)
	}
	defer b.closeAll()
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	s, err = startDemo(ctx, b, demoOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := b.store.Get(mine.ID)
	if err != nil {
		t.Fatal(err)
	}
	if a.Server != s.BaseURL(fetch.ZoomSDK) {
		t.Errorf("the account points at %s, the demo's simulator is at %s", a.Server, s.BaseURL(fetch.ZoomSDK))
	}
	if got, err := b.store.Secret(ctx, a.ID); err != nil || got != c.ZoomSecret {
		t.Fatalf("after a restart the account added in the demo has no secret (%v)", err)
	}
	conn, err := b.store.Connector(ctx, a)
	if err == nil {
		err = conn.Check(ctx)
	}
	if err != nil {
		t.Fatalf("the account added in the demo cannot sign in after a restart: %v", err)
	}
	// What the simulator does not know stays without a secret: the window
	// says "sign in again" of it.
	if _, err := b.store.Secret(ctx, other.ID); !errors.Is(err, accounts.ErrNotFound) {
		t.Errorf("an account that is not the simulator's got a secret (%v)", err)
	}
	list, err := b.store.List()
	if err != nil || len(list) != len(demoAccounts(s))+2 {
		t.Fatalf("%d accounts after a restart (%v), want the samples and the two added, once each", len(list), err)
	}
}

// IBM's "Preparing" (the platform making the MP4) is seen in the demo.
func TestTheDemoShowsIBMPreparing(t *testing.T) {
	b, err := openBackend(t.TempDir(), sessionSecrets(), false)
	if err != nil {
		t.Fatal(err)
	}
	defer b.closeAll()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := startDemo(ctx, b, demoOptions{}); err != nil {
		t.Fatal(err)
	}
	b.queue.Start(ctx)
	a, err := b.store.ByName("Lectures (IBM)")
	if err != nil {
		t.Fatal(err)
	}
	var rec fetch.Recording
	for r, err := range b.store.Recordings(ctx, a, allTime) {
		if err != nil {
			t.Fatal(err)
		}
		rec = r
		break
	}
	jobs, err := b.queue.Add(queue.AddRequest{AccountID: a.ID, AccountName: a.Name, Platform: a.Platform, Recording: rec, File: rec.Files[0], Folder: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		j, _ := b.queue.Job(jobs[0].ID)
		if j.State == queue.Preparing {
			break
		}
		if time.Now().After(deadline) || j.State == queue.Downloading || j.State == queue.Done {
			t.Fatalf("the demo's IBM video went %s without being prepared first", j.State)
		}
		time.Sleep(20 * time.Millisecond)
	}
	_ = b.queue.Cancel(jobs[0].ID)
}

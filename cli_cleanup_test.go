package main

import (
	"strings"
	"testing"
	"time"

	"cloudreel/fetch"
	"cloudreel/fetch/sim"
)

// downloadOne downloads every file of a platform's newest recording into
// a new folder, with extra flags, and returns that recording's id and
// the command's output.
func downloadOne(t *testing.T, s *sim.Server, p fetch.Platform, account string, extra ...string) (id, stdout string) {
	t.Helper()
	rec := s.Recordings(p)[0]
	day := rec.Start.UTC().Format(time.DateOnly)
	args := append([]string{"download", "-account", account, "-id", rec.ID, "-from", day, "-to", day, "-dest", t.TempDir()}, extra...)
	code, stdout, stderr := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("download: exit %d: %s\n%s", code, stderr, stdout)
	}
	return rec.ID, stdout
}

// Without the account's setting nothing is cleaned up, not by cleanup
// nor by download -cleanup.
func TestCleanupCommandKeepsWithoutTheSetting(t *testing.T) {
	s := newCLIHome(t, sim.Config{Recordings: 3, MinSize: 1000, MaxSize: 3000})
	const account = "Demo school (Zoom)"
	id, out := downloadOne(t, s, fetch.ZoomSDK, account, "-cleanup")
	if !strings.Contains(out, "recordings are kept on Zoom Video SDK") {
		t.Fatalf("download -cleanup without the setting says:\n%s", out)
	}
	code, stdout, stderr := runCLI(t, "cleanup")
	if code != 0 || !strings.Contains(stdout, "No account asks for a clean-up") {
		t.Fatalf("cleanup: exit %d: %s\n%s", code, stderr, stdout)
	}
	if got := s.FateOf(fetch.ZoomSDK, id); got != sim.Kept {
		t.Fatalf("the session was %s without the setting", got)
	}
	if n := s.Requests("DELETE /zoom/v2/videosdk/sessions/{sessionId}/recordings"); n != 0 {
		t.Fatalf("%d deletes reached Zoom", n)
	}
}

// With the setting "trash", download -cleanup moves the downloaded and
// verified session to Zoom's trash at once, and says so; the others stay.
func TestDownloadCleanupTrashesWhatWasVerified(t *testing.T) {
	s := newCLIHome(t, sim.Config{Recordings: 3, MinSize: 1000, MaxSize: 3000})
	const account = "Demo school (Zoom)"
	if code, stdout, stderr := runCLI(t, "cleanup", "-account", account, "-set", "trash"); code != 0 || !strings.Contains(stdout, "moves it to the platform's trash") {
		t.Fatalf("-set trash: exit %d: %s\n%s", code, stderr, stdout)
	}
	id, out := downloadOne(t, s, fetch.ZoomSDK, account, "-cleanup")
	if !strings.Contains(out, "Cleaning up: 1 recording, ") || !strings.Contains(out, "from Zoom Video SDK, to the trash, now") {
		t.Fatalf("download -cleanup says:\n%s", out)
	}
	if got := s.FateOf(fetch.ZoomSDK, id); got != sim.Trashed {
		t.Fatalf("the downloaded session is %s", got)
	}
	code, stdout, stderr := runCLI(t, "cleanup", "-log")
	if code != 0 || !strings.Contains(stdout, "Demo school (Zoom)") || !strings.Contains(stdout, "trashed; Size matches the one Zoom lists; Zoom Video SDK: done") {
		t.Fatalf("cleanup -log: exit %d: %s\n%s", code, stderr, stdout)
	}
	// One delete call, for the one session downloaded (the simulator's
	// list no longer shows a trashed session, so the calls are counted).
	if n := s.Requests("DELETE /zoom/v2/videosdk/sessions/{sessionId}/recordings"); n != 1 {
		t.Fatalf("%d deletes reached Zoom, want 1", n)
	}
}

// With "delete", -dry-run only says what would go; a run schedules the
// permanent delete and says when; -cancel keeps it for good.
func TestCleanupSchedulesAPermanentDeleteAndCancels(t *testing.T) {
	s := newCLIHome(t, sim.Config{Recordings: 3, MinSize: 1000, MaxSize: 3000})
	const account = "Lectures (IBM)"
	if code, _, stderr := runCLI(t, "cleanup", "-account", account, "-set", "trash"); code == 0 || !strings.Contains(stderr, "no trash") {
		t.Fatalf("IBM trash was accepted: %s", stderr)
	}
	if code, _, stderr := runCLI(t, "cleanup", "-account", account, "-set", "delete"); code != 0 {
		t.Fatalf("-set delete: %s", stderr)
	}
	id, _ := downloadOne(t, s, fetch.IBMVideo, account)
	due := time.Now().Add(7 * 24 * time.Hour)

	code, stdout, stderr := runCLI(t, "cleanup", "-account", account, "-dry-run")
	want := "Would be scheduled: 1 recording, "
	if code != 0 || !strings.Contains(stdout, want) || !strings.Contains(stdout, "from IBM Video Streaming, permanently, on "+due.Format("2 January")) {
		t.Fatalf("dry run: exit %d: %s\n%s", code, stderr, stdout)
	}
	code, stdout, stderr = runCLI(t, "cleanup", "-account", account)
	if code != 0 || !strings.Contains(stdout, "Scheduled: 1 recording, ") || !strings.Contains(stdout, "(in 7 days)") {
		t.Fatalf("cleanup: exit %d: %s\n%s", code, stderr, stdout)
	}
	if got := s.FateOf(fetch.IBMVideo, id); got != sim.Kept {
		t.Fatalf("a scheduled delete went at once: %s", got)
	}
	code, stdout, _ = runCLI(t, "cleanup", "-account", account)
	if code != 0 || !strings.Contains(stdout, "is deleted permanently on "+due.Format("2 January")) {
		t.Fatalf("a second run does not say the delete waits:\n%s", stdout)
	}
	if code, stdout, stderr = runCLI(t, "cleanup", "-account", account, "-cancel"); code != 0 || !strings.Contains(stdout, "is kept") {
		t.Fatalf("cancel: exit %d: %s\n%s", code, stderr, stdout)
	}
	code, stdout, _ = runCLI(t, "cleanup", "-account", account)
	if code != 0 || !strings.Contains(stdout, "its delete was cancelled") || s.FateOf(fetch.IBMVideo, id) != sim.Kept {
		t.Fatalf("after cancel:\n%s", stdout)
	}
}

// accounts add -after-download takes only what the platform offers, and
// says it in plain words.
func TestAccountsAddAfterDownload(t *testing.T) {
	s := newCLIHome(t, sim.Config{Recordings: 1})
	add := func(platform, name, setting string, extra ...string) (int, string, string) {
		args := append([]string{"accounts", "add", "-platform", platform, "-name", name, "-after-download", setting, "-no-check"}, extra...)
		// Not a word: an entered secret is masked in every later message of
		// the process, and other tests' messages say "secret".
		return runWithStdin("after-download-test-pw\n", args...)
	}
	if code, _, stderr := add("valt", "Valt trash", "trash", "-server", s.BaseURL(fetch.Valt), "-username", "u"); code == 0 || !strings.Contains(stderr, "Valt documents no way to delete") {
		t.Fatalf("Valt trash: exit %d: %s", code, stderr)
	}
	if code, _, stderr := add("huawei", "Huawei trash", "trash", "-account", "a@b"); code == 0 || !strings.Contains(stderr, "only delete") {
		t.Fatalf("Huawei trash: exit %d: %s", code, stderr)
	}
	if code, _, stderr := add("zoom", "Zoom shred", "shred", "-api-key", "k"); code == 0 || !strings.Contains(stderr, "use keep, trash or delete") {
		t.Fatalf("an unknown setting: exit %d: %s", code, stderr)
	}
	code, stdout, stderr := add("zoom", "Zoom trash", "Trash", "-api-key", "k")
	if code != 0 || !strings.Contains(stdout, "moves it to the platform's trash") {
		t.Fatalf("Zoom trash: exit %d: %s\n%s", code, stderr, stdout)
	}
	_, list, _ := runCLI(t, "accounts", "list", "-json")
	if !strings.Contains(list, `"cleanup": "trash"`) {
		t.Fatalf("accounts list -json:\n%s", list)
	}
}

// download -cleanup whose clean-up is refused still downloads, says why
// nothing was cleaned, exits 1, and leaves the files on disk.
func TestDownloadCleanupRefusedKeepsTheFiles(t *testing.T) {
	s := newCLIHome(t, sim.Config{Recordings: 3, MinSize: 1000, MaxSize: 3000})
	const account = "Demo school (Zoom)"
	if code, _, stderr := runCLI(t, "cleanup", "-account", account, "-set", "trash"); code != 0 {
		t.Fatalf("-set trash: %s", stderr)
	}
	s.RefuseDeletes(fetch.ZoomSDK, true)
	rec := s.Recordings(fetch.ZoomSDK)[0]
	day := rec.Start.UTC().Format(time.DateOnly)
	dest := t.TempDir()
	code, stdout, stderr := runCLI(t, "download", "-account", account, "-id", rec.ID, "-from", day, "-to", day, "-dest", dest, "-cleanup")
	if code != 1 || !strings.Contains(stdout, "was not cleaned up, and nothing was changed") || !strings.Contains(stderr, "were not cleaned up") {
		t.Fatalf("exit %d:\n%s\n%s", code, stdout, stderr)
	}
	if got := filesUnder(t, dest); len(got) != len(rec.Files) {
		t.Fatalf("files on disk after a refused clean-up: %v", got)
	}
	if s.FateOf(fetch.ZoomSDK, rec.ID) != sim.Kept {
		t.Fatal("a refused clean-up changed the session")
	}
}

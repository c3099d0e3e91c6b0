package messages

import (
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"cloudreel/fetch/locale"
)

// root is the repository, from this package's folder.
const root = "../.."

// translatedDirs are the folders whose Go source says its sentences
// through lang with these translations: the commands (the repository's
// top folder), the accounts, and fetch with its sub-packages but for the
// simulator (a platform's words, not Cloudreel's). The window (gui/) has
// its own set and its own test.
func translatedDirs(t *testing.T) []string {
	t.Helper()
	dirs := []string{root, filepath.Join(root, "accounts")}
	skip := map[string]bool{"sim": true, "testdata": true}
	err := filepath.WalkDir(filepath.Join(root, "fetch"), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if skip[d.Name()] {
				return filepath.SkipDir
			}
			dirs = append(dirs, path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}

// Every sentence the commands, the accounts and fetch say through lang is
// in each of the three files, in the form it is said (with a count or
// without, with every plural form the language has), with the same
// placeholders as the English; and every key of the files is said
// somewhere.
func TestEverySentenceIsTranslatedAndEveryTranslationUsed(t *testing.T) {
	keys, problems, err := locale.Keys(translatedDirs(t)...)
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) < 200 {
		t.Fatalf("only %d sentences found: is the scan looking in the right folders?", len(keys))
	}
	problems = append(problems, locale.Check(Files, "translations", keys)...)
	if len(problems) > 0 {
		t.Errorf("%d problems with the translations:\n%s", len(problems), strings.Join(problems, "\n"))
	}
}

// The test above must look at real code: a key it would miss is one
// sentence left in English.
func TestTheScanFindsTheCommandsSentences(t *testing.T) {
	keys, _, err := locale.Keys(translatedDirs(t)...)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Stopped; run the same command again to continue.", "say which account with -account NAME"} {
		if _, ok := keys[want]; !ok {
			t.Errorf("the scan did not find %q", want)
		}
	}
}

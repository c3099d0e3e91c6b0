package messages

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// root is the repository, from this package's folder.
const root = "../.."

// translatedDirs are the folders whose Go source says its sentences
// through lang with these translations: the commands (the repository's
// top folder), the accounts, and fetch with its sub-packages but for the
// simulator (a platform's words, not Cloudreel's) and fetch/locale (its
// own translations).
func translatedDirs(t *testing.T) []string {
	t.Helper()
	dirs := []string{root, filepath.Join(root, "accounts")}
	skip := map[string]bool{"sim": true, "locale": true}
	err := filepath.WalkDir(filepath.Join(root, "fetch"), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if skip[d.Name()] || d.Name() == "testdata" {
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

// use is a sentence the code says through lang, and where.
type use struct {
	plural bool
	at     string
}

// langFuncs are lang's functions, and whether each takes a count.
var langFuncs = map[string]bool{"L": false, "Localize": false, "X": false, "LocalizeKey": false,
	"N": true, "LocalizePlural": true, "XN": true, "LocalizePluralKey": true}

// usedKeys parses the Go files (not the tests) of dirs and returns every
// key passed to lang. A key that is not a string constant is an error:
// it could not be checked against the translations.
func usedKeys(t *testing.T, dirs []string) map[string]use {
	t.Helper()
	keys := map[string]use{}
	fset := token.NewFileSet()
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		var parsed []*ast.File
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			parsed = append(parsed, f)
		}
		// One folder is one package here (no _test packages are read).
		consts := stringConsts(parsed)
		for _, f := range parsed {
			name := langImport(f)
			if name == "" {
				continue
			}
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				sel, ok := call.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				if id, ok := sel.X.(*ast.Ident); !ok || id.Name != name {
					return true
				}
				plural, ok := langFuncs[sel.Sel.Name]
				at := fset.Position(call.Pos()).String()
				if !ok || len(call.Args) == 0 {
					return true // not a translation: AddTranslationsFS and the like
				}
				key, ok := constString(call.Args[0], consts)
				if !ok {
					t.Errorf("%s: the key of lang.%s is not a string constant, so no test can check it is translated", at, sel.Sel.Name)
					return true
				}
				if u, seen := keys[key]; seen && u.plural != plural {
					t.Errorf("%s: %q is said with and without a count (also at %s)", at, key, u.at)
				}
				keys[key] = use{plural: plural, at: at}
				return true
			})
		}
	}
	return keys
}

// langImport is the name fyne.io/fyne/v2/lang has in f, "" when f does
// not import it.
func langImport(f *ast.File) string {
	for _, imp := range f.Imports {
		if imp.Path.Value == `"fyne.io/fyne/v2/lang"` {
			if imp.Name != nil {
				return imp.Name.Name
			}
			return "lang"
		}
	}
	return ""
}

// stringConsts are the package's constants whose values are strings.
func stringConsts(files []*ast.File) map[string]string {
	out := map[string]string{}
	for _, f := range files {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if i < len(vs.Values) {
						if s, ok := constString(vs.Values[i], nil); ok {
							out[n.Name] = s
						}
					}
				}
			}
		}
	}
	return out
}

// constString evaluates a string literal, a constant of consts, or a sum
// of them.
func constString(e ast.Expr, consts map[string]string) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.Ident:
		s, ok := consts[e.Name]
		return s, ok
	case *ast.ParenExpr:
		return constString(e.X, consts)
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		a, ok1 := constString(e.X, consts)
		b, ok2 := constString(e.Y, consts)
		return a + b, ok1 && ok2
	}
	return "", false
}

// translations reads one language's file: each key and its value, a
// string or the plural forms.
func translations(t *testing.T, tag string) map[string]json.RawMessage {
	t.Helper()
	data, err := Files.ReadFile("translations/" + tag + ".json")
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]json.RawMessage
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("%s.json: %v", tag, err)
	}
	return out
}

// pluralForms are the forms each language needs (CLDR, as go-i18n has them).
var pluralForms = map[string][]string{"en": {"one", "other"}, "zh-Hans": {"other"}, "es": {"one", "many", "other"}}

var placeholder = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

// placeholders are the template fields a text uses, sorted.
func placeholders(s string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	slices.Sort(out)
	return out
}

// Every sentence the commands, the accounts and fetch say through lang is
// in each of the three files, in the form it is said (with a count or
// without), with the same placeholders as the English; and every key of
// the files is said somewhere.
func TestEverySentenceIsTranslatedAndEveryTranslationUsed(t *testing.T) {
	used := usedKeys(t, translatedDirs(t))
	if len(used) < 100 {
		t.Fatalf("only %d sentences found: is the scan looking in the right folders?", len(used))
	}
	for _, tag := range []string{"en", "zh-Hans", "es"} {
		file := translations(t, tag)
		for key, u := range used {
			raw, ok := file[key]
			if !ok {
				t.Errorf("%s.json has no %q (%s)", tag, key, u.at)
				continue
			}
			var texts []string
			if u.plural {
				var forms map[string]string
				if err := json.Unmarshal(raw, &forms); err != nil {
					t.Errorf("%s.json: %q is said with a count (%s) but its translation has no plural forms", tag, key, u.at)
					continue
				}
				for _, f := range pluralForms[tag] {
					if forms[f] == "" {
						t.Errorf("%s.json: %q has no %q form", tag, key, f)
					}
					texts = append(texts, forms[f])
				}
			} else {
				var s string
				if err := json.Unmarshal(raw, &s); err != nil || s == "" {
					t.Errorf("%s.json: %q is said without a count (%s): its translation must be one non-empty text", tag, key, u.at)
					continue
				}
				texts = append(texts, s)
			}
			want := placeholders(key)
			for _, s := range texts {
				got := placeholders(s)
				// A plural's "one" may leave out the count, as "1 file" may be "a file".
				if !slices.Equal(got, want) && !(u.plural && slices.Equal(got, slices.DeleteFunc(slices.Clone(want), func(p string) bool { return p == "Count" }))) {
					t.Errorf("%s.json: %q has the fields %v, the English %v: %q", tag, key, got, want, s)
				}
			}
		}
		for key := range file {
			if _, ok := used[key]; !ok {
				t.Errorf("%s.json has %q, which no code says", tag, key)
			}
		}
	}
}

// The test above must look at real code: a key it would miss is one
// sentence left in English.
func TestTheScanFindsTheCommandsSentences(t *testing.T) {
	used := usedKeys(t, translatedDirs(t))
	for _, want := range []string{"Stopped; run the same command again to continue.", "say which account with -account NAME"} {
		if _, ok := used[want]; !ok {
			t.Errorf("the scan did not find %q", want)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "main.go")); err != nil {
		t.Fatal(err)
	}
}

package locale

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Key is one translation key the code uses.
type Key struct {
	ID     string
	Plural bool   // passed to lang.N or lang.XN: the files give its forms
	Where  string // file:line of its first use
}

// Keys finds the translation keys used by the Go files of the packages in
// dirs (tests left out): the first argument of lang.L, lang.N,
// lang.Localize and lang.LocalizePlural, the key of lang.X, lang.XN and
// their long names. A key is a string literal, a constant of its package
// declared as one, or a sum of them; any other is reported as a problem:
// no file could be checked for it.
func Keys(dirs ...string) (map[string]Key, []string, error) {
	keys := map[string]Key{}
	var problems []string
	for _, dir := range dirs {
		p, err := keysIn(dir, keys)
		if err != nil {
			return nil, nil, err
		}
		problems = append(problems, p...)
	}
	return keys, problems, nil
}

// keysIn adds to keys those of the package in dir.
func keysIn(dir string, keys map[string]Key) ([]string, error) {
	fset := token.NewFileSet()
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	var problems []string
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", name, err)
		}
		files = append(files, f)
	}
	consts := stringConsts(files)
	for _, f := range files {
		alias := langImport(f)
		if alias == "" {
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
			if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != alias {
				return true
			}
			plural := false
			switch sel.Sel.Name {
			case "L", "X", "Localize", "LocalizeKey":
			case "N", "XN", "LocalizePlural", "LocalizePluralKey":
				plural = true
			default:
				return true
			}
			where := fset.Position(call.Pos())
			at := filepath.Join(dir, filepath.Base(where.Filename)) + ":" + strconv.Itoa(where.Line)
			if len(call.Args) == 0 {
				return true
			}
			id, ok := constString(call.Args[0], consts)
			if !ok {
				problems = append(problems, at+": the key of "+alias+"."+sel.Sel.Name+" is not a string literal or constant")
				return true
			}
			if k, seen := keys[id]; seen {
				if k.Plural != plural {
					problems = append(problems, fmt.Sprintf("%s: %q is used with and without plural forms (also at %s)", at, id, k.Where))
				}
				return true
			}
			keys[id] = Key{ID: id, Plural: plural, Where: at}
			return true
		})
	}
	return problems, nil
}

// stringConsts are the package's constants whose values are strings.
func stringConsts(files []*ast.File) map[string]string {
	out := map[string]string{}
	for _, f := range files {
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if i < len(vs.Values) {
						if s, ok := constString(vs.Values[i], out); ok {
							out[name.Name] = s
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

// langImport is the name the file imports fyne.io/fyne/v2/lang as, or "".
func langImport(f *ast.File) string {
	for _, imp := range f.Imports {
		if path, _ := strconv.Unquote(imp.Path.Value); path == "fyne.io/fyne/v2/lang" {
			if imp.Name != nil {
				return imp.Name.Name
			}
			return "lang"
		}
	}
	return ""
}

// pluralForms are the CLDR plural forms each language's files must give
// for a plural key, as go-i18n (v2.5) picks them: Chinese has one form,
// English two, Spanish three (its "many" is for round millions, "1 millón
// de grabaciones"; without it go-i18n fails and Fyne falls back to English).
var pluralForms = map[string][]string{
	"en":      {"one", "other"},
	"es":      {"one", "many", "other"},
	"zh-Hans": {"other"},
}

// reserved are the words go-i18n reads as parts of a message, never as
// keys of their own.
var reserved = []string{"id", "description", "hash", "leftdelim", "rightdelim", "zero", "one", "two", "few", "many", "other", "translation"}

var placeholder = regexp.MustCompile(`{{\s*\.(\w+)\s*}}`)

// Check compares the keys the code uses with the translation files in dir
// of fsys (one per language of Languages, named by its tag) and returns
// every problem: a key missing from a file, a key of a file that no code
// uses, a plural key without its forms, a translation that drops or adds a
// {{.Value}}, a translation left empty.
func Check(fsys fs.FS, dir string, keys map[string]Key) []string {
	var problems []string
	for _, l := range Languages[1:] {
		file := l.Tag + ".json"
		b, err := fs.ReadFile(fsys, dir+"/"+file)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		var entries map[string]json.RawMessage
		if err := json.Unmarshal(b, &entries); err != nil {
			problems = append(problems, file+": "+err.Error())
			continue
		}
		for _, id := range sortedKeys(keys) {
			k := keys[id]
			raw, ok := entries[id]
			if !ok {
				problems = append(problems, fmt.Sprintf("%s: no translation of %q (used at %s)", file, id, k.Where))
				continue
			}
			problems = append(problems, checkEntry(file, l.Tag, k, raw)...)
		}
		for id := range entries {
			if _, ok := keys[id]; !ok {
				problems = append(problems, fmt.Sprintf("%s: %q is used by no code", file, id))
			}
		}
	}
	for id, k := range keys {
		if slices.Contains(reserved, strings.ToLower(id)) {
			problems = append(problems, fmt.Sprintf("%s: %q is a word go-i18n reserves: give a longer key", k.Where, id))
		}
	}
	sort.Strings(problems)
	return problems
}

// checkEntry checks one translation of key k in the file of language tag.
func checkEntry(file, tag string, k Key, raw json.RawMessage) []string {
	var problems []string
	want := placeholders(k.ID)
	texts := map[string]string{}
	if k.Plural {
		if err := json.Unmarshal(raw, &texts); err != nil {
			return []string{fmt.Sprintf("%s: %q needs its plural forms (%s)", file, k.ID, strings.Join(pluralForms[tag], ", "))}
		}
		for _, form := range pluralForms[tag] {
			if _, ok := texts[form]; !ok {
				problems = append(problems, fmt.Sprintf("%s: %q lacks its %q form", file, k.ID, form))
			}
		}
	} else {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return []string{fmt.Sprintf("%s: %q should be a plain string", file, k.ID)}
		}
		texts["other"] = s
	}
	for form, text := range texts {
		if strings.TrimSpace(text) == "" {
			problems = append(problems, fmt.Sprintf("%s: %q has an empty %s", file, k.ID, form))
			continue
		}
		got := placeholders(text)
		// A "one" form may say "1" or "un" instead of {{.Count}}.
		if form == "one" {
			got = append(got, "Count")
			want := append(slices.Clone(want), "Count")
			if !sameSet(want, got) {
				problems = append(problems, fmt.Sprintf("%s: %q (%s) has the values %v, the key %v", file, k.ID, form, placeholders(text), placeholders(k.ID)))
			}
			continue
		}
		if !sameSet(want, got) {
			problems = append(problems, fmt.Sprintf("%s: %q (%s) has the values %v, the key %v", file, k.ID, form, got, want))
		}
	}
	return problems
}

func placeholders(s string) []string {
	var out []string
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

func sameSet(a, b []string) bool {
	a, b = slices.Compact(slices.Sorted(slices.Values(a))), slices.Compact(slices.Sorted(slices.Values(b)))
	return slices.Equal(a, b)
}

func sortedKeys(m map[string]Key) []string {
	out := make([]string, 0, len(m))
	for id := range m {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

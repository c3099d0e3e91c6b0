package doctor

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Shape is what a JSON value looks like with every value taken out: its
// JSON type, an object's field names, an array's length and the merged
// shape of its items. It is what the report shows of an answer.
type Shape struct {
	// Types are the JSON types seen here: "object", "array", "string",
	// "number", "true/false", "null". Items of an array that differ give
	// more than one.
	Types []string
	// Hint says what kind of string it is, never which: "empty",
	// "a number in quotes", "a date or time", "a web address".
	Hints []string
	// Fields of an object, by name (only names that look like field
	// names; see KeyedFields).
	Fields map[string]*Shape
	// Seen counts the objects this shape was merged from, and In, for
	// each field, how many of them had it.
	Seen int
	In   map[string]int
	// KeyedFields counts the keys of an object that are data rather than
	// field names (ids, names: Valt 5's cameras {id: name}); Keyed is the
	// merged shape of their values.
	KeyedFields int
	Keyed       *Shape
	// Lengths are the lengths of the arrays merged here; Items the
	// merged shape of their items.
	Lengths []int
	Items   *Shape
}

// fieldName is what a field name looks like; any other key is data and is
// never written into the report.
var fieldName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

// maxDepth stops describing past this nesting.
const maxDepth = 16

// ShapeOf describes a JSON document. ok is false when raw is not JSON.
func ShapeOf(raw []byte) (s *Shape, ok bool) {
	var v any
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	s = &Shape{}
	s.add(v, 0)
	return s, true
}

func (s *Shape) addType(t string) {
	if !slices.Contains(s.Types, t) {
		s.Types = append(s.Types, t)
	}
}

func (s *Shape) addHint(h string) {
	if h != "" && !slices.Contains(s.Hints, h) {
		s.Hints = append(s.Hints, h)
	}
}

// add merges value v into s.
func (s *Shape) add(v any, depth int) {
	switch x := v.(type) {
	case nil:
		s.addType("null")
	case bool:
		s.addType("true/false")
	case json.Number:
		s.addType("number")
	case string:
		s.addType("string")
		s.addHint(stringHint(x))
	case []any:
		s.addType("array")
		s.Lengths = append(s.Lengths, len(x))
		if depth >= maxDepth {
			return
		}
		for _, item := range x {
			if s.Items == nil {
				s.Items = &Shape{}
			}
			s.Items.add(item, depth+1)
		}
	case map[string]any:
		s.addType("object")
		s.Seen++
		if depth >= maxDepth {
			return
		}
		for k, fv := range x {
			if !fieldName.MatchString(k) || keyIsData(k) {
				s.KeyedFields++
				if s.Keyed == nil {
					s.Keyed = &Shape{}
				}
				s.Keyed.add(fv, depth+1)
				continue
			}
			if s.Fields == nil {
				s.Fields, s.In = map[string]*Shape{}, map[string]int{}
			}
			f := s.Fields[k]
			if f == nil {
				f = &Shape{}
				s.Fields[k] = f
			}
			s.In[k]++
			f.add(fv, depth+1)
		}
	}
}

// keyIsData tells a key that is an id (digits in it, or long) from a
// field name: a camera id must not reach the report.
func keyIsData(k string) bool {
	digits := 0
	for _, r := range k {
		if r >= '0' && r <= '9' {
			digits++
		}
	}
	return digits > 2 || digits == len(k) || len(k) > 40
}

var numberLike = regexp.MustCompile(`^\s*-?[0-9]+(\.[0-9]+)?\s*$`)

// stringHint says what kind of string s is without saying what it says.
func stringHint(s string) string {
	switch {
	case s == "":
		return "empty"
	case numberLike.MatchString(s):
		return "a number in quotes"
	case strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://"):
		return "a web address"
	case looksLikeTime(s):
		return "a date or time"
	}
	return ""
}

// timeLayouts are the date and time forms the platforms' documents show.
var timeLayouts = []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04", time.DateOnly, "01-02-2006"}

func looksLikeTime(s string) bool {
	for _, l := range timeLayouts {
		if _, err := time.Parse(l, s); err == nil {
			return true
		}
	}
	return false
}

// lengths writes array lengths as "3" or "2 to 40".
func lengths(ns []int) string {
	lo, hi := slices.Min(ns), slices.Max(ns)
	if lo == hi {
		return fmt.Sprint(lo)
	}
	return fmt.Sprintf("%d to %d", lo, hi)
}

// typeText is the one-line description of s, without its fields.
func (s *Shape) typeText() string {
	parts := make([]string, 0, len(s.Types))
	for _, t := range s.Types {
		switch t {
		case "array":
			n := "array of " + lengths(s.Lengths)
			if s.Items == nil {
				n += " (empty)"
			}
			parts = append(parts, n)
		case "string":
			if len(s.Hints) > 0 {
				t += " (" + strings.Join(s.Hints, ", ") + ")"
			}
			parts = append(parts, t)
		default:
			parts = append(parts, t)
		}
	}
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, " or ")
}

// write writes s as an indented outline, one field a line.
func (s *Shape) write(b *strings.Builder, indent string) {
	names := make([]string, 0, len(s.Fields))
	for k := range s.Fields {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		f := s.Fields[k]
		line := indent + k + ": " + f.typeText()
		if s.In[k] < s.Seen {
			line += fmt.Sprintf(" (in %d of %d)", s.In[k], s.Seen)
		}
		b.WriteString(line + "\n")
		f.writeInner(b, indent+"  ")
	}
	if s.KeyedFields > 0 {
		all := ""
		if s.Seen > 1 {
			all = " in all" // summed over the merged objects
		}
		if s.KeyedFields == 1 {
			fmt.Fprintf(b, "%s1 key that is not a field name (an id or a name, left out): %s\n", indent, s.Keyed.typeText())
		} else {
			fmt.Fprintf(b, "%s%d keys%s that are not field names (ids or names, left out), each: %s\n", indent, s.KeyedFields, all, s.Keyed.typeText())
		}
		s.Keyed.writeInner(b, indent+"  ")
	}
}

// writeInner writes what is inside s: an object's fields, or the items of
// an array.
func (s *Shape) writeInner(b *strings.Builder, indent string) {
	if len(s.Fields) > 0 || s.KeyedFields > 0 {
		s.write(b, indent)
	}
	if s.Items != nil {
		b.WriteString(indent + "each item: " + s.Items.typeText() + "\n")
		s.Items.writeInner(b, indent+"  ")
	}
}

// String is the outline of s.
func (s *Shape) String() string {
	var b strings.Builder
	b.WriteString(s.typeText() + "\n")
	s.writeInner(&b, "  ")
	return b.String()
}

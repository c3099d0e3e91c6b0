// Package syncer keeps accounts in sync: per account, "Keep in sync" says
// which folder new recordings go to, which kinds of files, how far back
// the first look reaches and how often to look. Each look lists only what
// is new since the last one (with an overlap for recordings that finish
// processing late) and hands the new files to the download queue. The
// settings and what each look found live in the shared store, in buckets
// of their own. It knows nothing of windows or of the command line.
//
// (It is not called sync: that would hide the standard library's.)
package syncer

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"cloudreel/fetch"
)

// Kind is a class of file a person chooses to keep in sync. The values
// are stored with the settings.
type Kind string

// The kinds of file, as the settings name them.
const (
	Video       Kind = "video"       // the recording itself (any quality, any camera)
	Audio       Kind = "audio"       // audio only
	Screen      Kind = "screen"      // the shared screen on its own
	Transcript  Kind = "transcript"  // transcripts, captions, chat and other text files
	Participant Kind = "participant" // one participant's own video, audio or screen (Zoom)
)

// Kinds lists every kind, in the order they are shown.
var Kinds = []Kind{Video, Audio, Screen, Transcript, Participant}

// KindOf classes a listed file by its connector's Kind word and its
// extension: Zoom's per-participant files are "video (Name)", "audio
// (Name)", "screen (Name)"; Zoom's "audio", "transcript", "captions",
// "chat", "timeline" and "screen"; Huawei's "Aux" (its shared screen,
// split meetings adding " part N"); everything else with a video
// extension (Valt's cameras, IBM's MP4, Huawei's Hd and Sd, Zoom's screen
// with speaker) is the video.
func KindOf(f fetch.File) Kind {
	k := strings.ToLower(strings.TrimSpace(f.Kind))
	for _, p := range []string{"video (", "audio (", "screen ("} {
		if strings.HasPrefix(k, p) {
			return Participant
		}
	}
	word, _, _ := strings.Cut(k, " part ")
	switch word {
	case "audio", "audio only":
		return Audio
	case "screen", "shared screen", "aux":
		return Screen
	case "transcript", "captions", "chat", "timeline", "summary":
		return Transcript
	}
	switch strings.ToLower(f.Ext) {
	case "m4a", "mp3", "wav", "aac", "ogg", "opus":
		return Audio
	case "vtt", "srt", "txt", "json":
		return Transcript
	}
	return Video
}

// ParseKinds reads a comma-separated list of kinds ("video,audio"); "all"
// or an empty list means every kind.
func ParseKinds(s string) ([]Kind, error) {
	var out []Kind
	for _, w := range strings.Split(s, ",") {
		w = strings.ToLower(strings.TrimSpace(w))
		switch {
		case w == "":
			continue
		case w == "all":
			return slices.Clone(Kinds), nil
		case w == "shared screen" || w == "shared-screen":
			w = string(Screen)
		case w == "participants":
			w = string(Participant)
		case w == "transcripts":
			w = string(Transcript)
		}
		if !slices.Contains(Kinds, Kind(w)) {
			return nil, fmt.Errorf("%q is not a kind of file: use %s", w, kindList())
		}
		if !slices.Contains(out, Kind(w)) {
			out = append(out, Kind(w))
		}
	}
	if len(out) == 0 {
		return slices.Clone(Kinds), nil
	}
	return out, nil
}

func kindList() string {
	words := make([]string, len(Kinds))
	for i, k := range Kinds {
		words[i] = string(k)
	}
	return strings.Join(words, ", ") + " (or all)"
}

// Settings are one account's "Keep in sync".
type Settings struct {
	// Folder is where the new recordings go.
	Folder string `json:"folder"`
	// Kinds are the kinds of file kept; empty means every kind.
	Kinds []Kind `json:"kinds,omitempty"`
	// Since is how far back before the first look it reaches (default
	// DefaultSince).
	Since time.Duration `json:"since"`
	// Every is how often the long-running sync looks (default
	// DefaultEvery).
	Every time.Duration `json:"every"`
}

// The defaults of Settings.
const (
	DefaultSince = 30 * 24 * time.Hour
	DefaultEvery = time.Hour
	// MinEvery keeps a mistyped interval ("1s") from hammering the
	// platform: the platforms' rate limits are per account.
	MinEvery = 5 * time.Minute
)

// withDefaults fills the zero fields.
func (s Settings) withDefaults() Settings {
	if s.Since <= 0 {
		s.Since = DefaultSince
	}
	if s.Every <= 0 {
		s.Every = DefaultEvery
	}
	if len(s.Kinds) == 0 {
		s.Kinds = slices.Clone(Kinds)
	}
	return s
}

// Validate says in plain words what is wrong with s, or nil.
func (s Settings) Validate() error {
	if strings.TrimSpace(s.Folder) == "" {
		return errors.New("say which folder the recordings go to")
	}
	if s.Every > 0 && s.Every < MinEvery {
		return fmt.Errorf("looking every %s is too often: look at most every %s", s.Every, MinEvery)
	}
	for _, k := range s.Kinds {
		if !slices.Contains(Kinds, k) {
			return fmt.Errorf("%q is not a kind of file: use %s", k, kindList())
		}
	}
	return nil
}

// Wants reports whether s keeps files of f's kind.
func (s Settings) Wants(f fetch.File) bool {
	return len(s.Kinds) == 0 || slices.Contains(s.Kinds, KindOf(f))
}

// ParseSpan reads a span of time as people type it: "30d", "2w", "12h",
// "90m", or anything time.ParseDuration takes ("1h30m").
func ParseSpan(s string) (time.Duration, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	for unit, size := range map[string]time.Duration{"d": 24 * time.Hour, "w": 7 * 24 * time.Hour} {
		if n, ok := strings.CutSuffix(t, unit); ok {
			v, err := strconv.Atoi(strings.TrimSpace(n))
			if err != nil || v <= 0 {
				break
			}
			return time.Duration(v) * size, nil
		}
	}
	d, err := time.ParseDuration(t)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q is not a span of time like 30d, 2w, 12h or 90m", s)
	}
	return d, nil
}

// FormatSpan writes a span as ParseSpan reads it, in whole days when it is.
func FormatSpan(d time.Duration) string {
	day := 24 * time.Hour
	if d >= day && d%day == 0 {
		return fmt.Sprintf("%dd", d/day)
	}
	s := d.String() // "1h30m0s"
	if t, ok := strings.CutSuffix(s, "m0s"); ok {
		s = t + "m"
	}
	if t, ok := strings.CutSuffix(s, "h0m"); ok {
		s = t + "h"
	}
	return s
}

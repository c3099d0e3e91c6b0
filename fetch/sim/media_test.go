package sim

import (
	"bytes"
	"io"
	"testing"

	"cloudreel/fetch"
	"cloudreel/fetch/verify"
)

// TestContentIsAPlayableShapedMP4 checks what the simulator serves passes
// the container check the length proof relies on, at every size (one
// under 4 GiB's 32-bit box sizes and one past it, which only a 64-bit
// mdat size describes).
func TestContentIsAPlayableShapedMP4(t *testing.T) {
	for _, size := range []int64{4 << 10, 300<<10 + 7, 5 << 30} {
		f := &File{ID: "media-test", Platform: fetch.ZoomSDK, Ext: "mp4", Size: size}
		if err := verify.CheckContainer(io.NewSectionReader(Content(f).(io.ReaderAt), 0, size), size); err != nil {
			t.Errorf("%d bytes: %v", size, err)
		}
	}
	// The same check refuses a body cut short, so it is no formality.
	f := &File{ID: "media-test", Platform: fetch.ZoomSDK, Ext: "mp4", Size: 64 << 10}
	var b bytes.Buffer
	_, _ = io.Copy(&b, Content(f))
	cut := b.Bytes()[:b.Len()-10]
	if err := verify.CheckContainer(bytes.NewReader(cut), int64(len(cut))); err == nil {
		t.Error("a cut MP4 passed")
	}
}

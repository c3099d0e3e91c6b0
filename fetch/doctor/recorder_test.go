package doctor

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The connector reads the whole answer through the recorder, however long;
// only what fits is described.
func TestRecorderPassesTheWholeAnswerOn(t *testing.T) {
	big := bytes.Repeat([]byte("x"), maxBody+1234)
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "video/mp4")
		_, _ = w.Write(big)
	}))
	defer hs.Close()
	rec := &Recorder{}
	c := &http.Client{Transport: rec.Wrap(http.DefaultTransport)}
	resp, err := c.Get(hs.URL + "/rec/download/8f9a2c41-77aa?access_token=a-secret-token&from=2026-01-01")
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || !bytes.Equal(got, big) {
		t.Fatalf("read %d bytes of %d (%v)", len(got), len(big), err)
	}
	ex := rec.Take()
	if len(ex) != 1 || ex[0].Path != "/rec/download/{id}" || strings.Join(ex[0].QueryKeys, ",") != "access_token,from" ||
		ex[0].Status != 200 || ex[0].Shape != nil || ex[0].ContentType != "video/mp4" || ex[0].Bytes != maxBody {
		t.Fatalf("exchange %+v", ex)
	}
	if len(rec.Take()) != 0 {
		t.Fatal("Take gave the same exchange twice")
	}
}

// Keys that are data (Valt 5's cameras {id: name}, a name used as a key)
// are counted, never written; field names are.
func TestShapeLeavesOutKeysThatAreData(t *testing.T) {
	s, ok := ShapeOf([]byte(`{"cameras":{"12":"Camera of Ana López","7":"Room 2"},"Ana López":{"x":1},
		"videos":[{"id":1,"size":"2048"},{"id":2,"url":"https://v.example/1"}],"when":"2019-12-19 02:07","empty":""}`))
	if !ok {
		t.Fatal("not read as JSON")
	}
	text := s.String()
	for _, want := range []string{
		"cameras: object\n",
		"2 keys that are not field names (ids or names, left out), each: string\n",
		"1 key that is not a field name (an id or a name, left out): object\n",
		"videos: array of 2\n",
		"size: string (a number in quotes) (in 1 of 2)\n",
		"url: string (a web address) (in 1 of 2)\n",
		"when: string (a date or time)\n",
		"empty: string (empty)\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the shape lacks %q:\n%s", want, text)
		}
	}
	for _, value := range []string{"Ana", "Room 2", "2048", "example", "2019", "12"} {
		if strings.Contains(text, value) {
			t.Errorf("the shape carries %q:\n%s", value, text)
		}
	}
	if _, ok := ShapeOf([]byte("<html>")); ok {
		t.Fatal("HTML read as JSON")
	}
}

package sim

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"cloudreel/fetch"
)

// Zoom Video SDK's clean-up calls, as its API reference ("Cloud
// Recording: Delete a session's recordings", "Recover session's
// recordings") and zoom/rivet-javascript's videosdk types describe them:
//
//	DELETE /videosdk/sessions/{sessionId}/recordings?action=trash|delete → 204
//	PUT    /videosdk/sessions/{sessionId}/recordings/status {"action":"recover"} → 204
//
// A session id that begins with "/" or holds "//" comes double-encoded.
// A session with no recording (never there, deleted, or, for trash and
// recover, not in the state asked for) answers 404 with code 3301; an
// account that may not delete answers 403, which Zoom's "Error Codes"
// page gives for "User does not have permission" (the body's code, 200
// "No permission.", is uncertain: the reference's table for these calls
// is not in the documents Cloudreel was built from).

// routeZoomDelete adds the delete and recover routes.
func (s *Server) routeZoomDelete() {
	s.handle(fetch.ZoomSDK, "DELETE /videosdk/sessions/{sessionId}/recordings", s.zoomAuthed(s.zoomDelete))
	s.handle(fetch.ZoomSDK, "PUT /videosdk/sessions/{sessionId}/recordings/status", s.zoomAuthed(s.zoomRecover))
}

// zoomSessionID reads the path's session id, undoing the second encoding
// of a double-encoded one.
func zoomSessionID(r *http.Request) string {
	id := r.PathValue("sessionId")
	if strings.Contains(id, "%") {
		if dec, err := url.PathUnescape(id); err == nil {
			id = dec
		}
	}
	return id
}

func (s *Server) zoomDelete(w http.ResponseWriter, r *http.Request) {
	id := zoomSessionID(r)
	action := r.URL.Query().Get("action")
	if action == "" {
		action = "trash" // the reference's default
	}
	if action != "trash" && action != "delete" {
		zoomError(w, http.StatusBadRequest, 300, "Invalid field: action.")
		return
	}
	if s.deletesRefused(fetch.ZoomSDK) {
		zoomError(w, http.StatusForbidden, 200, "No permission.")
		return
	}
	fate := s.FateOf(fetch.ZoomSDK, id)
	if s.recording(fetch.ZoomSDK, id) == nil || fate == Deleted || (fate == Trashed && action == "trash") {
		zoomError(w, http.StatusNotFound, 3301, "There is no recording for this session.")
		return
	}
	if action == "trash" {
		s.setFate(fetch.ZoomSDK, id, Trashed)
	} else {
		s.setFate(fetch.ZoomSDK, id, Deleted)
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) zoomRecover(w http.ResponseWriter, r *http.Request) {
	id := zoomSessionID(r)
	var body struct {
		Action string `json:"action"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<10)).Decode(&body); err != nil || body.Action != "recover" {
		zoomError(w, http.StatusBadRequest, 300, `Invalid field: action must be "recover".`)
		return
	}
	if s.deletesRefused(fetch.ZoomSDK) {
		zoomError(w, http.StatusForbidden, 200, "No permission.")
		return
	}
	if s.recording(fetch.ZoomSDK, id) == nil || s.FateOf(fetch.ZoomSDK, id) != Trashed {
		zoomError(w, http.StatusNotFound, 3301, "There is no recording for this session.")
		return
	}
	s.setFate(fetch.ZoomSDK, id, Kept)
	w.WriteHeader(http.StatusNoContent)
}

package sim

import (
	"net/http"
	"strings"

	"cloudreel/fetch"
)

// IBM Video Streaming's delete, as IBM/video-streaming-developer-docs
// "Basic video management" ("Delete a video") documents it:
//
//	DELETE /videos/{video_id}.json → 200, permanently; no trash
//
// with 401 invalid_token, 403 lack_of_ownership ("The API user is not
// allowed to manage the given channel"), 404 not_found and 503.

// routeIBMDelete adds the delete route.
func (s *Server) routeIBMDelete() {
	s.handle(fetch.IBMVideo, "DELETE /videos/{file}", s.ibmAuthed(s.ibmDelete))
}

func (s *Server) ibmDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := strings.CutSuffix(r.PathValue("file"), ".json")
	if !ok || s.recording(fetch.IBMVideo, id) == nil || s.FateOf(fetch.IBMVideo, id) == Deleted {
		writeJSON(w, http.StatusNotFound, map[string]any{"error": "not_found", "error_description": "Video was not found."})
		return
	}
	if s.deletesRefused(fetch.IBMVideo) {
		writeJSON(w, http.StatusForbidden, map[string]any{"error": "lack_of_ownership", "error_description": "The API user is not allowed to manage the given channel."})
		return
	}
	s.setFate(fetch.IBMVideo, id, Deleted)
	writeJSON(w, http.StatusOK, map[string]any{})
}

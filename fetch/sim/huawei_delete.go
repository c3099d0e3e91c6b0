package sim

import (
	"net/http"
	"strings"

	"cloudreel/fetch"
)

// Huawei Cloud Meeting's delete, as "Deleting Recording Files in Batches"
// (DeleteRecordings, support.huaweicloud.com api-meeting/meeting_21_0050)
// and the Go SDK's DeleteRecordingsRequest describe it:
//
//	DELETE /v1/mmc/management/record/files?confUUIDs=a,b → 200, no body
//
// with 400 (invalid parameters), 401, 403 (insufficient permissions:
// enterprise administrators only) and 500. The page does not say what a
// confUUID that is already gone gets; the simulator answers 200 for it,
// as a batch delete that finds nothing to do (uncertain).

// routeHuaweiDelete adds the delete route.
func (s *Server) routeHuaweiDelete() {
	s.handle(fetch.Huawei, "DELETE /v1/mmc/management/record/files", s.huaweiAuthed(s.huaweiDelete))
}

func (s *Server) huaweiDelete(w http.ResponseWriter, r *http.Request, sess huaweiSession) {
	st := s.huawei()
	st.mu.Lock()
	notAdmin := st.notAdmin
	st.mu.Unlock()
	if notAdmin || !sess.admin || s.deletesRefused(fetch.Huawei) {
		huaweiError(w, http.StatusForbidden, "MMC.111071003", "Insufficient permissions.")
		return
	}
	raw := r.URL.Query().Get("confUUIDs")
	if strings.TrimSpace(raw) == "" {
		huaweiError(w, http.StatusBadRequest, "MMC.111070001", "confUUIDs is mandatory.")
		return
	}
	for _, id := range strings.Split(raw, ",") {
		if id = strings.TrimSpace(id); s.recording(fetch.Huawei, id) != nil {
			s.setFate(fetch.Huawei, id, Deleted)
		}
	}
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(http.StatusOK)
}

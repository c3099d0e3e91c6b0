package accounts

import (
	"context"
	"iter"

	"cloudreel/fetch"
)

// Recordings lists an account's recordings in q: it signs in with the
// secret from the keyring and walks every page. The window and the
// `recordings` and `download` commands list through here, so none touches
// a connector. A server that stays silent for the store's Timeouts ends
// the listing with a plain KindUnreachable error.
func (s *Store) Recordings(ctx context.Context, a Account, q fetch.Query) iter.Seq2[fetch.Recording, error] {
	return func(yield func(fetch.Recording, error) bool) {
		c, err := s.Connector(ctx, a)
		if err != nil {
			yield(fetch.Recording{}, err)
			return
		}
		wctx, w, stop := s.watch(ctx, a)
		defer stop()
		for rec, err := range c.List(wctx, q) {
			err = w.explain(wctx, err)
			w.pause()
			if !yield(rec, err) || err != nil {
				return
			}
			w.resume()
		}
	}
}

package accounts

import (
	"context"
	"iter"

	"cloudreel/fetch"
)

// Recordings lists an account's recordings in q: it signs in with the
// secret from the keyring and walks every page. The window and the
// `recordings` command list through here, so neither touches a connector.
func (s *Store) Recordings(ctx context.Context, a Account, q fetch.Query) iter.Seq2[fetch.Recording, error] {
	return func(yield func(fetch.Recording, error) bool) {
		c, err := s.Connector(ctx, a)
		if err != nil {
			yield(fetch.Recording{}, err)
			return
		}
		for rec, err := range c.List(ctx, q) {
			if !yield(rec, err) || err != nil {
				return
			}
		}
	}
}

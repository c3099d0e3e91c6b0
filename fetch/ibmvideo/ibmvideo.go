// Package ibmvideo is the connector for IBM Video Streaming: OAuth2 client
// credentials, the user's video list, and MP4 downloads that the platform
// has to prepare first.
package ibmvideo

import (
	"errors"
	"net/http"
)

// Config is what an IBM Video Streaming account needs to connect.
type Config struct {
	Server       string // API base, default https://api.video.ibm.com
	TokenURL     string // default https://video.ibm.com/oauth2/token, or <Server>/oauth2/token when Server is set
	ClientID     string // not secret
	ClientSecret string // secret
	HTTP         *http.Client
}

// Connector talks to one IBM Video Streaming account.
type Connector struct{ cfg Config }

// New returns a connector for cfg. It does not sign in: Check does.
func New(cfg Config) (*Connector, error) { return nil, errors.New("ibmvideo: not built yet") }

// Package huawei is the connector for Huawei Cloud Meeting: account or App
// ID sign-in, meetings listed by date, and one-time download tokens.
package huawei

import (
	"errors"
	"net/http"
)

// Config is what a Huawei Cloud Meeting account needs to connect: either
// Account and Password, or AppID, AppKey, UserID and CorpID.
type Config struct {
	Server   string // API base, default https://api.meeting.huaweicloud.com
	Account  string // account sign-in: not secret
	Password string // account sign-in: secret
	AppID    string // App ID sign-in: not secret
	AppKey   string // App ID sign-in: secret
	UserID   string
	CorpID   string
	HTTP     *http.Client
}

// Connector talks to one Huawei Cloud Meeting account.
type Connector struct{ cfg Config }

// New returns a connector for cfg.
func New(cfg Config) (*Connector, error) { return nil, errors.New("huawei: not built yet") }

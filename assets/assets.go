// Package assets holds Cloudreel's icons, embedded in the binary and
// exposed as fyne.Resource values.
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

var (
	//go:embed icon.png
	iconPNG []byte
	//go:embed platform-valt.svg
	valtSVG []byte
	//go:embed platform-ibm.svg
	ibmSVG []byte
	//go:embed platform-zoom.svg
	zoomSVG []byte
	//go:embed platform-huawei.svg
	huaweiSVG []byte
)

// Icon is the application icon.
var Icon = fyne.NewStaticResource("icon.png", iconPNG)

// PlatformIcons maps a platform's stable name ("valt", "ibm", "zoom",
// "huawei") to its small icon in the accounts list.
var PlatformIcons = map[string]fyne.Resource{
	"valt":   fyne.NewStaticResource("platform-valt.svg", valtSVG),
	"ibm":    fyne.NewStaticResource("platform-ibm.svg", ibmSVG),
	"zoom":   fyne.NewStaticResource("platform-zoom.svg", zoomSVG),
	"huawei": fyne.NewStaticResource("platform-huawei.svg", huaweiSVG),
}

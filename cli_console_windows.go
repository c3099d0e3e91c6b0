//go:build windows

package main

import (
	"os"
	"syscall"
)

// The .exe is linked as a GUI program (-H=windowsgui) so that no console
// window opens behind Cloudreel's own. Windows then gives it no standard
// output at all, and `cloudreel -version` or `cloudreel download ...`
// typed in cmd or PowerShell would print nothing. When there are
// arguments and no output was redirected, attach to the console of the
// shell that started us and write there.
func init() {
	if len(os.Args) < 2 {
		return // the window: nothing to print
	}
	if h, err := syscall.GetStdHandle(syscall.STD_OUTPUT_HANDLE); err == nil && h != 0 && h != syscall.InvalidHandle {
		return // redirected to a file or a pipe: keep it
	}
	const attachParentProcess = ^uintptr(0) // ATTACH_PARENT_PROCESS, (DWORD)-1
	attach := syscall.NewLazyDLL("kernel32.dll").NewProc("AttachConsole")
	if ok, _, _ := attach.Call(attachParentProcess); ok == 0 {
		return // started from Explorer: there is no console to write to
	}
	if out, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0); err == nil {
		os.Stdout, os.Stderr = out, out
	}
	if in, err := os.OpenFile("CONIN$", os.O_RDONLY, 0); err == nil {
		os.Stdin = in
	}
}

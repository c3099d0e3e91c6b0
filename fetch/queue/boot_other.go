//go:build !linux && !darwin

package queue

// bootID cannot tell restarts apart here: after any restart of the
// program only the bytes known to be flushed to the disk are trusted.
func bootID() string { return "" }

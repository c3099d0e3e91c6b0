// Package buckets prepares the buckets of Cloudreel's shared bbolt store
// (accounts.OpenDB) for the packages that keep their data in it.
package buckets

import bolt "go.etcd.io/bbolt"

// Ensure creates the buckets named that db lacks. It only reads when
// they all exist, as they do after the first run: opening a package's
// store must not write to the file, so that a sync that finds nothing new
// or a command that only lists leaves it as it was.
func Ensure(db *bolt.DB, names ...[]byte) error {
	missing := false
	err := db.View(func(tx *bolt.Tx) error {
		for _, name := range names {
			missing = missing || tx.Bucket(name) == nil
		}
		return nil
	})
	if err != nil || !missing {
		return err
	}
	return db.Update(func(tx *bolt.Tx) error {
		for _, name := range names {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	})
}

package upload

import (
	"errors"
	"time"

	"go.etcd.io/bbolt"
)

// Job returns a copy of one job.
func (u *Uploader) Job(id string) (Job, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	j, ok := u.jobs[id]
	if !ok {
		return Job{}, false
	}
	return *j, true
}

// Retry queues a failed job again; it keeps its Valt record, so the next
// Run fills that record rather than making another.
func (u *Uploader) Retry(id string) error {
	u.mu.Lock()
	j, ok := u.jobs[id]
	if !ok {
		u.mu.Unlock()
		return errNoJob
	}
	if j.State == Failed {
		j.State, j.Err, j.Sent = Queued, "", 0
		j.Updated = time.Now().UTC()
	}
	c := *j
	u.mu.Unlock()
	return u.store.put(c)
}

// Remove forgets a job that is not being sent (the caller stops its Run
// first) and returns it as it was: a record it made and did not fill is
// named by its EmptyRecord, for the person to remove in Valt.
func (u *Uploader) Remove(id string) (Job, error) {
	u.mu.Lock()
	j, ok := u.jobs[id]
	if !ok {
		u.mu.Unlock()
		return Job{}, errNoJob
	}
	if j.State == Creating || j.State == Uploading {
		u.mu.Unlock()
		return Job{}, errors.New("this file is being sent to Valt: stop it first")
	}
	c := *j
	delete(u.jobs, id)
	u.mu.Unlock()
	err := u.db().Update(func(tx *bbolt.Tx) error { return tx.Bucket(jobsBucket).Delete([]byte(id)) })
	if err != nil {
		return c, errors.Join(errors.New("uploads: forgetting the upload of "+c.Path), err)
	}
	return c, nil
}

func (u *Uploader) db() *bbolt.DB { return u.store.db }

var errNoJob = errors.New("that upload is no longer in the list")

package gui

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"cloudreel/accounts"
	"cloudreel/fetch"
	"cloudreel/fetch/queue"
	"cloudreel/fetch/upload"
)

// copyRecordings sends the videos of ticked recordings of the account
// from to the Valt account to: each is downloaded first with the queue
// (its row shows in the downloads), or taken from the disk when it was
// downloaded and verified before, then sent as one upload job, named by
// the recording's title, date and source.
func (p *uploadsPanel) copyRecordings(from, to accounts.Account, recs []fetch.Recording) {
	var reqs []queue.AddRequest
	for _, r := range recs {
		for _, f := range r.Files {
			if upload.IsVideo(f.Ext) {
				reqs = append(reqs, queue.AddRequest{AccountID: from.ID, AccountName: from.Name, Platform: from.Platform,
					Recording: r, File: f, Folder: p.w.settings.Folder})
			}
		}
	}
	if len(reqs) == 0 {
		p.w.notice(lang.L("The ticked recordings have no video file, so there is nothing to send to Valt."))
		return
	}
	rv := p.w.recordings
	rv.model.TickAll(false)
	rv.table.Refresh()
	rv.updateSummary()
	p.setWaiting(len(reqs))
	go func() {
		jobs, err := p.w.deps.Queue.Add(reqs...)
		if err != nil {
			p.setWaiting(-len(reqs))
			fyne.Do(func() { p.w.showError(lang.L("The recordings could not be queued"), err) })
			return
		}
		p.setWaiting(len(jobs) - len(reqs))
		upload.PrepareDownloads(p.w.deps.Queue, jobs)
		var problems []string
		for _, j := range jobs {
			j = p.awaitDownload(j.ID)
			p.setWaiting(-1)
			if why := upload.NotSent(j); why != "" {
				problems = append(problems, filepath.Base(j.Path)+": "+why)
				continue
			}
			if err := p.add([]upload.Request{upload.DownloadRequest(valtDest(to), j)}); err != nil {
				problems = append(problems, filepath.Base(j.Path)+": "+fetch.Plain(err))
			}
		}
		if len(problems) > 0 {
			fyne.Do(func() {
				p.w.notice(fmt.Sprintf(lang.L("%d files were not sent to Valt:"), len(problems)) + "\n\n" + strings.Join(problems, "\n"))
			})
		}
	}()
}

// awaitDownload waits until a download job has ended (done, failed,
// paused or canceled) or the window closes, and returns it.
func (p *uploadsPanel) awaitDownload(id string) queue.Job {
	for {
		j, ok := p.w.deps.Queue.Job(id)
		if !ok || !j.State.Active() || p.w.ctx.Err() != nil {
			return j
		}
		select {
		case <-p.w.ctx.Done():
		case <-time.After(200 * time.Millisecond):
		}
	}
}

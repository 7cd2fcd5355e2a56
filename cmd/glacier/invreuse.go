package main

import (
	"github.com/aws/aws-sdk-go-v2/service/glacier"

	"github.com/glacierd/glacierd/cmd/glacier/internal/invjob"
)

// reusableInventory returns a whole-vault inventory job to reuse instead of
// starting one (the newest that succeeded and is still retained, else one
// still running), saying which and how old; or "" when there is none.
func (a *app) reusableInventory(gl *glacier.Client, vault string) (string, error) {
	j, err := invjob.Find(a.ctx, gl, a.cli.AccountID, vault)
	if err != nil || j == nil {
		return "", err
	}
	if j.Running {
		a.notice("waiting for inventory job %s, started %s ago (--new starts another)", short(j.JobID), invjob.Age(a.now(), j.Created))
	} else {
		a.notice("using inventory job %s, completed %s ago (--new starts a new one)", short(j.JobID), invjob.Age(a.now(), j.Completed))
	}
	return j.JobID, nil
}

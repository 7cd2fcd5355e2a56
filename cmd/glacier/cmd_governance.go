package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"
)

// tagsCmd groups the vault tag commands.
type tagsCmd struct {
	Add    tagsAddCmd    `cmd:"" help:"Add or overwrite tags: glacier tags add VAULT key=value..."`
	Remove tagsRemoveCmd `cmd:"" help:"Remove tags by key: glacier tags remove VAULT key..."`
	List   tagsListCmd   `cmd:"" help:"List a vault's tags."`
}

// parseTags turns KEY=VALUE arguments into a map. The value may be empty or
// contain "="; the key may not be empty, nor given twice.
func parseTags(args []string) (map[string]string, error) {
	tags := make(map[string]string, len(args))
	for _, kv := range args {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("invalid tag %q: want KEY=VALUE", kv)
		}
		if _, dup := tags[k]; dup {
			return nil, fmt.Errorf("tag %q given twice", k)
		}
		tags[k] = v
	}
	return tags, nil
}

type tagsAddCmd struct {
	Vault string   `arg:"" help:"Vault name."`
	Tags  []string `arg:"" help:"Tags as KEY=VALUE."`
}

// Validate checks the tags before anything is sent.
func (c *tagsAddCmd) Validate() error { _, err := parseTags(c.Tags); return err }

// Run adds the tags.
func (c *tagsAddCmd) Run(a *app) error {
	gl, err := a.client(1)
	if err != nil {
		return err
	}
	tags, _ := parseTags(c.Tags)
	_, err = gl.AddTagsToVault(a.ctx, &glacier.AddTagsToVaultInput{AccountId: a.account(), VaultName: &c.Vault, Tags: tags})
	return err
}

type tagsRemoveCmd struct {
	Vault string   `arg:"" help:"Vault name."`
	Keys  []string `arg:"" help:"Tag keys."`
}

// Run removes the tags.
func (c *tagsRemoveCmd) Run(a *app) error {
	gl, err := a.client(1)
	if err != nil {
		return err
	}
	_, err = gl.RemoveTagsFromVault(a.ctx, &glacier.RemoveTagsFromVaultInput{AccountId: a.account(), VaultName: &c.Vault, TagKeys: c.Keys})
	return err
}

type tagsListCmd struct {
	Vault string `arg:"" help:"Vault name."`
}

// Run prints the tags as KEY=VALUE lines.
func (c *tagsListCmd) Run(a *app) error {
	gl, err := a.client(1)
	if err != nil {
		return err
	}
	out, err := gl.ListTagsForVault(a.ctx, &glacier.ListTagsForVaultInput{AccountId: a.account(), VaultName: &c.Vault})
	if err != nil {
		return err
	}
	if a.jsonOut() {
		if out.Tags == nil {
			out.Tags = map[string]string{}
		}
		return a.printJSON(map[string]any{"Tags": out.Tags}) // ListTagsForVault's shape
	}
	keys := make([]string, 0, len(out.Tags))
	for k := range out.Tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		a.printf("%s=%s\n", k, out.Tags[k])
	}
	return nil
}

// policyCmd groups the vault access policy commands.
type policyCmd struct {
	Get    policyGetCmd    `cmd:"" help:"Print a vault's access policy (JSON)."`
	Set    policySetCmd    `cmd:"" help:"Set a vault's access policy from a file or standard input."`
	Delete policyDeleteCmd `cmd:"" help:"Delete a vault's access policy."`
}

type policyGetCmd struct {
	Vault string `arg:"" help:"Vault name."`
}

// Run prints the access policy document.
func (c *policyGetCmd) Run(a *app) error {
	gl, err := a.client(1)
	if err != nil {
		return err
	}
	out, err := gl.GetVaultAccessPolicy(a.ctx, &glacier.GetVaultAccessPolicyInput{AccountId: a.account(), VaultName: &c.Vault})
	if err != nil {
		return err
	}
	doc := ""
	if out.Policy != nil {
		doc = aws.ToString(out.Policy.Policy)
	}
	a.printf("%s\n", strings.TrimRight(doc, "\n"))
	return nil
}

type policySetCmd struct {
	Vault string `arg:"" help:"Vault name."`
	File  string `arg:"" help:"Policy document (JSON); - reads standard input."`
}

// Run sets the access policy.
func (c *policySetCmd) Run(a *app) error {
	doc, err := a.readInput(c.File)
	if err != nil {
		return err
	}
	gl, err := a.client(1)
	if err != nil {
		return err
	}
	_, err = gl.SetVaultAccessPolicy(a.ctx, &glacier.SetVaultAccessPolicyInput{AccountId: a.account(), VaultName: &c.Vault,
		Policy: &types.VaultAccessPolicy{Policy: aws.String(string(doc))}})
	return err
}

type policyDeleteCmd struct {
	Vault string `arg:"" help:"Vault name."`
}

// Run deletes the access policy.
func (c *policyDeleteCmd) Run(a *app) error {
	gl, err := a.client(1)
	if err != nil {
		return err
	}
	_, err = gl.DeleteVaultAccessPolicy(a.ctx, &glacier.DeleteVaultAccessPolicyInput{AccountId: a.account(), VaultName: &c.Vault})
	return err
}

// lockCmd groups the Vault Lock commands.
type lockCmd struct {
	Initiate lockInitiateCmd `cmd:"" help:"Attach a lock policy in the InProgress state; prints the lock ID."`
	Complete lockCompleteCmd `cmd:"" help:"Make an InProgress lock policy permanent (irreversible)."`
	Abort    lockAbortCmd    `cmd:"" help:"Remove an InProgress lock policy."`
	Get      lockGetCmd      `cmd:"" help:"Show a vault's lock policy and state."`
}

type lockInitiateCmd struct {
	Vault string `arg:"" help:"Vault name."`
	File  string `arg:"" help:"Lock policy document (JSON); - reads standard input."`
}

// Run initiates the vault lock and prints the lock ID.
func (c *lockInitiateCmd) Run(a *app) error {
	doc, err := a.readInput(c.File)
	if err != nil {
		return err
	}
	gl, err := a.client(1)
	if err != nil {
		return err
	}
	out, err := gl.InitiateVaultLock(a.ctx, &glacier.InitiateVaultLockInput{AccountId: a.account(), VaultName: &c.Vault,
		Policy: &types.VaultLockPolicy{Policy: aws.String(string(doc))}})
	if err != nil {
		return err
	}
	id := aws.ToString(out.LockId)
	if a.jsonOut() {
		return a.printJSON(map[string]string{"LockId": id})
	}
	a.printf("%s\n", id)
	a.notice("Test the policy, then within 24 hours run: glacier lock complete %s %s", c.Vault, id)
	return nil
}

type lockCompleteCmd struct {
	Vault  string `arg:"" help:"Vault name."`
	LockID string `arg:"" name:"lock-id" help:"Lock ID from lock initiate."`
	Yes    bool   `short:"y" help:"Do not ask for confirmation."`
}

// Run completes the vault lock.
func (c *lockCompleteCmd) Run(a *app) error {
	q := fmt.Sprintf("Completing the lock makes vault %s's lock policy permanent: it can never be changed or removed.\nComplete it? [y/N] ", c.Vault)
	if err := a.confirm(c.Yes, q, "yes"); err != nil {
		return err
	}
	gl, err := a.client(1)
	if err != nil {
		return err
	}
	_, err = gl.CompleteVaultLock(a.ctx, &glacier.CompleteVaultLockInput{AccountId: a.account(), VaultName: &c.Vault, LockId: &c.LockID})
	return err
}

type lockAbortCmd struct {
	Vault string `arg:"" help:"Vault name."`
}

// Run aborts the vault lock.
func (c *lockAbortCmd) Run(a *app) error {
	gl, err := a.client(1)
	if err != nil {
		return err
	}
	_, err = gl.AbortVaultLock(a.ctx, &glacier.AbortVaultLockInput{AccountId: a.account(), VaultName: &c.Vault})
	return err
}

type lockGetCmd struct {
	Vault string `arg:"" help:"Vault name."`
}

// Run shows the vault lock.
func (c *lockGetCmd) Run(a *app) error {
	gl, err := a.client(1)
	if err != nil {
		return err
	}
	out, err := gl.GetVaultLock(a.ctx, &glacier.GetVaultLockInput{AccountId: a.account(), VaultName: &c.Vault})
	if err != nil {
		return err
	}
	v := map[string]string{"State": aws.ToString(out.State), "CreationDate": aws.ToString(out.CreationDate),
		"ExpirationDate": aws.ToString(out.ExpirationDate), "Policy": aws.ToString(out.Policy)}
	if a.jsonOut() {
		return a.printJSON(v)
	}
	t := a.table()
	fmt.Fprintf(t, "State:\t%s\nCreated:\t%s\nExpires:\t%s\n", v["State"], v["CreationDate"], orDash(v["ExpirationDate"]))
	if err := t.Flush(); err != nil {
		return err
	}
	a.printf("Policy:\n%s\n", v["Policy"])
	return nil
}

// notificationsCmd groups the vault notification commands.
type notificationsCmd struct {
	Get    notificationsGetCmd    `cmd:"" help:"Show where a vault sends job-completion notifications."`
	Set    notificationsSetCmd    `cmd:"" help:"Send a vault's job-completion notifications to an SNS topic."`
	Delete notificationsDeleteCmd `cmd:"" help:"Stop a vault's notifications."`
}

type notificationsGetCmd struct {
	Vault string `arg:"" help:"Vault name."`
}

// Run shows the notification configuration.
func (c *notificationsGetCmd) Run(a *app) error {
	gl, err := a.client(1)
	if err != nil {
		return err
	}
	out, err := gl.GetVaultNotifications(a.ctx, &glacier.GetVaultNotificationsInput{AccountId: a.account(), VaultName: &c.Vault})
	if err != nil {
		return err
	}
	cfg := out.VaultNotificationConfig
	if cfg == nil {
		cfg = &types.VaultNotificationConfig{}
	}
	if a.jsonOut() {
		return a.printJSON(map[string]any{"SNSTopic": aws.ToString(cfg.SNSTopic), "Events": append([]string{}, cfg.Events...)})
	}
	a.printf("Topic:  %s\nEvents: %s\n", orDash(aws.ToString(cfg.SNSTopic)), orDash(strings.Join(cfg.Events, ",")))
	return nil
}

type notificationsSetCmd struct {
	Vault  string   `arg:"" help:"Vault name."`
	Topic  string   `required:"" help:"SNS topic ARN." placeholder:"ARN"`
	Events []string `default:"ArchiveRetrievalCompleted,InventoryRetrievalCompleted" enum:"ArchiveRetrievalCompleted,InventoryRetrievalCompleted" help:"Events to notify, comma-separated: ArchiveRetrievalCompleted, InventoryRetrievalCompleted."`
}

// Run sets the notification configuration.
func (c *notificationsSetCmd) Run(a *app) error {
	gl, err := a.client(1)
	if err != nil {
		return err
	}
	_, err = gl.SetVaultNotifications(a.ctx, &glacier.SetVaultNotificationsInput{AccountId: a.account(), VaultName: &c.Vault,
		VaultNotificationConfig: &types.VaultNotificationConfig{SNSTopic: &c.Topic, Events: c.Events}})
	return err
}

type notificationsDeleteCmd struct {
	Vault string `arg:"" help:"Vault name."`
}

// Run deletes the notification configuration.
func (c *notificationsDeleteCmd) Run(a *app) error {
	gl, err := a.client(1)
	if err != nil {
		return err
	}
	_, err = gl.DeleteVaultNotifications(a.ctx, &glacier.DeleteVaultNotificationsInput{AccountId: a.account(), VaultName: &c.Vault})
	return err
}

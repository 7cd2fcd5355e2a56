package service

import (
	"fmt"
	"strconv"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/policy"
)

// authorize decides whether caller may perform action on vault ref, whose
// governance is cfg; a, when not nil, is the archive the action is about.
//
// The vault lock policy (while in progress or locked) and the access policy
// are evaluated together, for every caller including the owner: an explicit
// Deny in either refuses the request. Otherwise the vault's own account may
// act, and another account only where a policy allows it.
func (s *Service) authorize(c glacier.Caller, action string, ref glacier.VaultRef, cfg glacier.VaultConfig, a *glacier.Archive) error {
	arn := s.VaultARN(ref)
	var docs []string
	if s.lockActive(cfg) {
		docs = append(docs, cfg.LockPolicy)
	}
	if cfg.AccessPolicy != "" {
		docs = append(docs, cfg.AccessPolicy)
	}
	allowed := c.Account == ref.Account
	if len(docs) > 0 {
		req := s.policyRequest(c, action, arn, cfg, a)
		for _, doc := range docs {
			p, err := policy.Parse(doc)
			if err != nil {
				return fmt.Errorf("stored policy of %s does not parse: %w", arn, err)
			}
			switch p.Evaluate(req) {
			case policy.Deny:
				return s.denied(c, action, arn)
			case policy.Allow:
				allowed = true
			}
		}
	}
	if !allowed {
		return s.denied(c, action, arn)
	}
	return nil
}

// policyRequest builds the evaluation context of a request: the condition
// keys Glacier policies use.
func (s *Service) policyRequest(c glacier.Caller, action, arn string, cfg glacier.VaultConfig, a *glacier.Archive) policy.Request {
	now := s.now()
	ctx := map[string][]string{
		"aws:CurrentTime":            {now.Format(time.RFC3339)},
		"aws:EpochTime":              {strconv.FormatInt(now.Unix(), 10)},
		"aws:PrincipalAccount":       {c.Account},
		"aws:SecureTransport":        {strconv.FormatBool(c.Secure)},
		"aws:MultiFactorAuthPresent": {"false"},
		"aws:PrincipalType":          {principalType(c)},
	}
	if c.User != "" {
		ctx["aws:username"] = []string{c.User}
	}
	for k, v := range cfg.Tags {
		ctx["glacier:ResourceTag/"+k] = []string{v}
	}
	if a != nil {
		days := int64(s.scale.age(now.Sub(a.CreatedAt)) / (24 * time.Hour))
		ctx["glacier:ArchiveAgeInDays"] = []string{strconv.FormatInt(days, 10)}
	}
	return policy.Request{
		Principal: policy.Principal{Account: c.Account, User: c.User},
		Action:    "glacier:" + action,
		Resource:  arn,
		Context:   ctx,
	}
}

func principalType(c glacier.Caller) string {
	if c.User == "" {
		return "Account"
	}
	return "User"
}

// denied is the AccessDeniedException for caller doing action on resource.
func (s *Service) denied(c glacier.Caller, action, resource string) error {
	return glacier.Errorf(glacier.KindAccessDenied,
		"User: %s is not authorized to perform: glacier:%s on resource: %s", callerARN(c), action, resource)
}

// authorizeAccount decides whether caller may act on account-level settings
// (vault listing, provisioned capacity, the data retrieval policy): only the
// account itself may.
func (s *Service) authorizeAccount(c glacier.Caller, action, account string) error {
	if c.Account == account {
		return nil
	}
	return s.denied(c, action, fmt.Sprintf("arn:aws:glacier:%s:%s:*", s.region, account))
}

func callerARN(c glacier.Caller) string {
	if c.User == "" {
		return "arn:aws:iam::" + c.Account + ":root"
	}
	return "arn:aws:iam::" + c.Account + ":user/" + c.User
}

// vaultConfig loads the vault's governance record; a vault without one has
// the zero configuration.
func (s *Service) vaultConfig(tx glacier.Tx, ref glacier.VaultRef) (glacier.VaultConfig, error) {
	cfg, err := tx.VaultConfig(ref.Account, ref.Name)
	if glacier.IsKind(err, glacier.KindNotFound) {
		return glacier.VaultConfig{Account: ref.Account, Vault: ref.Name}, nil
	}
	return cfg, err
}

// lockActive reports whether the vault lock policy is in force: locked, or
// in progress and not yet lapsed.
func (s *Service) lockActive(cfg glacier.VaultConfig) bool {
	switch cfg.LockState {
	case glacier.LockLocked:
		return true
	case glacier.LockInProgress:
		return s.now().Before(cfg.LockExpiresAt)
	}
	return false
}

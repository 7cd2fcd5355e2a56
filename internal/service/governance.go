package service

import (
	"context"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/policy"
)

// Limits of vault governance (glacier-facts §2 items 17–19).
const (
	maxTags         = 50
	maxTagKeyLen    = 128
	maxTagValueLen  = 256
	maxPolicyLength = 20 * 1024
)

// configure runs change on the vault's configuration inside an Update, after
// checking the caller may perform action, and stores the result.
func (s *Service) configure(ctx context.Context, c glacier.Caller, action string, ref glacier.VaultRef, change func(*glacier.VaultConfig) error) error {
	return s.meta.Update(ctx, func(tx glacier.Tx) error {
		_, cfg, err := s.vaultAndConfig(tx, c, action, ref)
		if err != nil {
			return err
		}
		if err := change(&cfg); err != nil {
			return err
		}
		return tx.PutVaultConfig(cfg)
	})
}

// readConfig returns the vault's configuration after checking the caller may
// perform action.
func (s *Service) readConfig(ctx context.Context, c glacier.Caller, action string, ref glacier.VaultRef) (glacier.VaultConfig, error) {
	var cfg glacier.VaultConfig
	err := s.meta.View(ctx, func(tx glacier.Tx) (err error) {
		_, cfg, err = s.vaultAndConfig(tx, c, action, ref)
		return err
	})
	return cfg, err
}

// AddTagsToVault adds tags to the vault, replacing the values of keys it
// already has. A vault holds at most 50 tags.
func (s *Service) AddTagsToVault(ctx context.Context, c glacier.Caller, ref glacier.VaultRef, tags map[string]string) error {
	for k, v := range tags {
		if err := checkTag(k, v); err != nil {
			return err
		}
	}
	return s.configure(ctx, c, "AddTagsToVault", ref, func(cfg *glacier.VaultConfig) error {
		merged := make(map[string]string, len(cfg.Tags)+len(tags))
		for k, v := range cfg.Tags {
			merged[k] = v
		}
		for k, v := range tags {
			merged[k] = v
		}
		if len(merged) > maxTags {
			return glacier.Errorf(glacier.KindLimitExceeded,
				"The vault would have %d tags; a vault may have at most %d", len(merged), maxTags)
		}
		cfg.Tags = merged
		return nil
	})
}

// checkTag validates a tag key and value: keys of 1–128 characters, values
// of at most 256, made of letters, digits, spaces and _ . : / = + - @, and
// keys not starting with "aws:".
func checkTag(k, v string) error {
	if n := utf8.RuneCountInString(k); n < 1 || n > maxTagKeyLen {
		return glacier.Errorf(glacier.KindInvalidParameter, "Invalid tag key %q: a key must have 1 to %d characters", k, maxTagKeyLen)
	}
	if utf8.RuneCountInString(v) > maxTagValueLen {
		return glacier.Errorf(glacier.KindInvalidParameter, "Invalid value for tag %q: a value may have at most %d characters", k, maxTagValueLen)
	}
	if strings.HasPrefix(strings.ToLower(k), "aws:") {
		return glacier.Errorf(glacier.KindInvalidParameter, "Invalid tag key %q: the aws: prefix is reserved", k)
	}
	for _, s := range []string{k, v} {
		for _, r := range s {
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune(" _.:/=+-@", r) {
				return glacier.Errorf(glacier.KindInvalidParameter,
					"Invalid tag %q=%q: tags may contain only letters, digits, spaces and _ . : / = + - @", k, v)
			}
		}
	}
	return nil
}

// RemoveTagsFromVault removes the given tag keys; keys the vault does not
// have are ignored.
func (s *Service) RemoveTagsFromVault(ctx context.Context, c glacier.Caller, ref glacier.VaultRef, keys []string) error {
	return s.configure(ctx, c, "RemoveTagsFromVault", ref, func(cfg *glacier.VaultConfig) error {
		for _, k := range keys {
			delete(cfg.Tags, k)
		}
		return nil
	})
}

// ListTagsForVault returns the vault's tags (an empty map when it has none).
func (s *Service) ListTagsForVault(ctx context.Context, c glacier.Caller, ref glacier.VaultRef) (map[string]string, error) {
	cfg, err := s.readConfig(ctx, c, "ListTagsForVault", ref)
	if cfg.Tags == nil {
		cfg.Tags = map[string]string{}
	}
	return cfg.Tags, err
}

// checkPolicy validates a vault access or lock policy document.
func checkPolicy(kind, doc string) error {
	if doc == "" {
		return glacier.Errorf(glacier.KindMissingParameter, "Required parameter missing: policy")
	}
	if len(doc) > maxPolicyLength {
		return glacier.Errorf(glacier.KindInvalidParameter,
			"The specified %s is invalid: it has %d bytes; at most %d are allowed", kind, len(doc), maxPolicyLength)
	}
	if err := policy.ValidateGlacierPolicy(doc); err != nil {
		return glacier.Errorf(glacier.KindInvalidParameter, "The specified %s is invalid: %v", kind, err)
	}
	return nil
}

// SetVaultAccessPolicy sets (replaces) the vault's access policy.
func (s *Service) SetVaultAccessPolicy(ctx context.Context, c glacier.Caller, ref glacier.VaultRef, doc string) error {
	if err := checkPolicy("vault access policy", doc); err != nil {
		return err
	}
	return s.configure(ctx, c, "SetVaultAccessPolicy", ref, func(cfg *glacier.VaultConfig) error {
		cfg.AccessPolicy = doc
		return nil
	})
}

// GetVaultAccessPolicy returns the vault's access policy.
func (s *Service) GetVaultAccessPolicy(ctx context.Context, c glacier.Caller, ref glacier.VaultRef) (string, error) {
	cfg, err := s.readConfig(ctx, c, "GetVaultAccessPolicy", ref)
	if err == nil && cfg.AccessPolicy == "" {
		err = glacier.Errorf(glacier.KindNotFound, "No vault access policy is set for: %s", s.VaultARN(ref))
	}
	return cfg.AccessPolicy, err
}

// DeleteVaultAccessPolicy removes the vault's access policy, if any.
func (s *Service) DeleteVaultAccessPolicy(ctx context.Context, c glacier.Caller, ref glacier.VaultRef) error {
	return s.configure(ctx, c, "DeleteVaultAccessPolicy", ref, func(cfg *glacier.VaultConfig) error {
		cfg.AccessPolicy = ""
		return nil
	})
}

// SetVaultNotifications sets the vault's notification configuration.
func (s *Service) SetVaultNotifications(ctx context.Context, c glacier.Caller, ref glacier.VaultRef, topic string, events []string) error {
	if topic == "" {
		return glacier.Errorf(glacier.KindMissingParameter, "Required parameter missing: SNSTopic")
	}
	if !validTopicARN(topic) {
		return glacier.Errorf(glacier.KindInvalidParameter, "Invalid SNS topic ARN: %s", topic)
	}
	if len(events) == 0 {
		return glacier.Errorf(glacier.KindMissingParameter, "Required parameter missing: Events")
	}
	for _, e := range events {
		if e != glacier.EventArchiveRetrievalCompleted && e != glacier.EventInventoryRetrievalCompleted {
			return glacier.Errorf(glacier.KindInvalidParameter,
				"Invalid event: %s. Valid events are: ArchiveRetrievalCompleted, InventoryRetrievalCompleted", e)
		}
	}
	events = slices.Compact(slices.Sorted(slices.Values(events)))
	return s.configure(ctx, c, "SetVaultNotifications", ref, func(cfg *glacier.VaultConfig) error {
		cfg.NotifyTopic, cfg.NotifyEvents = topic, events
		return nil
	})
}

// GetVaultNotifications returns the vault's notification configuration.
func (s *Service) GetVaultNotifications(ctx context.Context, c glacier.Caller, ref glacier.VaultRef) (string, []string, error) {
	cfg, err := s.readConfig(ctx, c, "GetVaultNotifications", ref)
	if err == nil && cfg.NotifyTopic == "" {
		err = glacier.Errorf(glacier.KindNotFound, "No notification configuration is set for vault: %s", s.VaultARN(ref))
	}
	return cfg.NotifyTopic, cfg.NotifyEvents, err
}

// DeleteVaultNotifications removes the vault's notification configuration.
func (s *Service) DeleteVaultNotifications(ctx context.Context, c glacier.Caller, ref glacier.VaultRef) error {
	return s.configure(ctx, c, "DeleteVaultNotifications", ref, func(cfg *glacier.VaultConfig) error {
		cfg.NotifyTopic, cfg.NotifyEvents = "", nil
		return nil
	})
}

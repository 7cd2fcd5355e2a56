package app

import (
	"context"

	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/notify"
)

// newNotifier builds the job-notification publisher c asks for: SNS (an
// SNS-compatible endpoint or AWS itself) and/or a webhook. It returns nil
// when none is configured.
func newNotifier(ctx context.Context, c Config) (glacier.Notifier, error) {
	var pubs []notify.Publisher
	if c.SNSEndpoint != "" || c.SNSUseAWS {
		sns, err := notify.NewSNS(ctx, notify.SNSConfig{
			Endpoint:  c.SNSEndpoint,
			Region:    c.SNSRegion,
			AccessKey: c.SNSAccessKey,
			SecretKey: c.SNSSecretKey,
		})
		if err != nil {
			return nil, err
		}
		pubs = append(pubs, sns)
	}
	if c.NotifyURL != "" {
		wh, err := notify.NewWebhook(c.NotifyURL, nil)
		if err != nil {
			return nil, err
		}
		pubs = append(pubs, wh)
	}
	switch len(pubs) {
	case 0:
		return nil, nil
	case 1:
		return pubs[0], nil
	}
	// Multi tries every publisher; if one fails, the outbox retries the
	// message for all of them, so the others may see it again.
	return notify.Multi(pubs), nil
}

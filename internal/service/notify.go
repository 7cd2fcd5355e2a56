package service

import (
	"context"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/jobdoc"
)

// notificationSubject is the subject of job-completion messages.
const notificationSubject = "Notification From Amazon Glacier"

// Outbox delivery: a claimed notification is hidden from other deliverers
// for claimLease; a failed attempt waits retryBase·2^attempts, at most
// retryMax.
const (
	claimLease = time.Minute
	retryBase  = time.Second
	retryMax   = 10 * time.Minute
)

// enqueueNotifications puts the messages announcing job j's completion in
// the outbox, inside the transaction that finalizes j: one to the job's own
// topic and one to the vault's topic if it subscribes to the job's event (one
// message per distinct topic).
func (s *Service) enqueueNotifications(tx glacier.Tx, j glacier.Job) error {
	if s.notifier == nil {
		return nil
	}
	var topics []string
	if j.SNSTopic != "" {
		topics = append(topics, j.SNSTopic)
	}
	cfg, err := s.vaultConfig(tx, glacier.VaultRef{Account: j.Account, Name: j.Vault})
	if err != nil {
		return err
	}
	event := glacier.EventArchiveRetrievalCompleted
	if j.Action == glacier.ActionInventoryRetrieval {
		event = glacier.EventInventoryRetrievalCompleted
	}
	for _, e := range cfg.NotifyEvents {
		if e == event && cfg.NotifyTopic != "" && cfg.NotifyTopic != j.SNSTopic {
			topics = append(topics, cfg.NotifyTopic)
		}
	}
	if len(topics) == 0 {
		return nil
	}
	msg, err := jobdoc.Marshal(s.jobInfo(j, j.CompleteAt))
	if err != nil {
		return err
	}
	now := s.now()
	for _, t := range topics {
		if err := tx.PutNotification(glacier.Notification{
			ID: newID(jobIDLen), Topic: t, Subject: notificationSubject, Message: string(msg),
			CreatedAt: now, NotBefore: now,
		}); err != nil {
			return err
		}
	}
	return nil
}

// deliverNotifications publishes due notifications from the outbox. Each is
// first claimed (hidden from other processes for a lease), then published,
// then deleted; a failure schedules a retry with exponential backoff. A
// crash after publishing and before deleting repeats the message, so
// delivery is at least once.
func (s *Service) deliverNotifications(ctx context.Context) (int, error) {
	if s.notifier == nil {
		return 0, nil
	}
	total := 0
	for {
		var due []glacier.Notification
		if err := s.meta.Update(ctx, func(tx glacier.Tx) error {
			now := s.now()
			var err error
			if due, err = tx.DueNotifications(now, batch); err != nil {
				return err
			}
			for _, n := range due {
				n.NotBefore = now.Add(claimLease)
				if err := tx.PutNotification(n); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return total, err
		}
		for _, n := range due {
			delivered, err := s.deliver(ctx, n)
			if err != nil {
				return total, err
			}
			if delivered {
				total++
			}
		}
		if len(due) < batch {
			return total, nil
		}
	}
}

// deliver publishes one claimed notification and records the outcome:
// delivered or undeliverable ones leave the outbox, others wait for a retry.
func (s *Service) deliver(ctx context.Context, n glacier.Notification) (bool, error) {
	perr := s.notifier.Publish(ctx, n.Topic, n.Subject, n.Message)
	done := perr == nil
	switch {
	case done:
	case s.undeliverable != nil && s.undeliverable(perr):
		s.log.Error("notification can never be delivered; dropping it", "topic", n.Topic, "err", perr)
		done = true
	default:
		n.Attempts++
		n.NotBefore = s.now().Add(min(retryMax, retryBase<<min(n.Attempts, 20)))
		s.log.Warn("notification not delivered; will retry", "topic", n.Topic, "attempts", n.Attempts, "err", perr)
	}
	err := s.meta.Update(context.WithoutCancel(ctx), func(tx glacier.Tx) error {
		if done {
			return tx.DeleteNotification(n.ID)
		}
		return tx.PutNotification(n)
	})
	return perr == nil, err
}

package service

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
	"github.com/glacierd/glacierd/internal/treehash"
)

// JobParams is an InitiateJob request's job parameters, as the client sent
// them (strings are validated here, not by the caller).
type JobParams struct {
	Type               string
	ArchiveID          string
	Description        string
	SNSTopic           string
	RetrievalByteRange string
	Tier               string
	Format             string
	Inventory          *InventoryParams
	// Select marks a request carrying SelectParameters or OutputLocation.
	Select bool
	// A select job's parameters, as the client sent them (nil: absent).
	SelectParameters *glacier.SelectParameters
	OutputLocation   *glacier.S3Location
}

// InventoryParams are an inventory job's InventoryRetrievalParameters.
type InventoryParams struct {
	StartDate, EndDate, Limit, Marker string
}

// Retrieval-rate windows, in Glacier time (the server scales them like every
// other Glacier period, so they stay within the job retention that keeps the
// jobs they count).
const (
	capacityWindow         = 5 * time.Minute
	retrievalsPerUnit      = 3
	policyWindow           = 4 * time.Hour // a Standard retrieval's bytes spread over 4 hours
	freeTierWindow         = 24 * time.Hour
	freeTierBytesPerMonth  = 10 << 30
	jobNotFoundMessage     = "The job ID was not found: "
	archiveNotFoundMessage = "The archive ID was not found: "
)

// InitiateJob validates p and starts an archive or inventory retrieval job.
func (s *Service) InitiateJob(ctx context.Context, c glacier.Caller, ref glacier.VaultRef, p JobParams) (glacier.Job, error) {
	j, err := s.newJob(ref, p)
	if err != nil {
		return j, err
	}
	var rng *byteRange
	if j.Action == glacier.ActionArchiveRetrieval && p.RetrievalByteRange != "" {
		r, err := parseByteRange(p.RetrievalByteRange)
		if err != nil {
			return j, err
		}
		rng = &r
	}
	now := s.now()
	prepare := func(tx glacier.Tx) error {
		v, cfg, err := s.vaultAndConfig(tx, c, "InitiateJob", ref)
		if err != nil {
			return err
		}
		j.CreatedAt = now
		var size int64
		switch j.Action {
		case glacier.ActionArchiveRetrieval, glacier.ActionSelect:
			a, err := tx.Archive(j.ArchiveID)
			if err != nil && !glacier.IsKind(err, glacier.KindNotFound) {
				return err
			}
			if err != nil || !a.DeletedAt.IsZero() || a.Account != ref.Account || a.Vault != ref.Name {
				return glacier.Errorf(glacier.KindNotFound, "%s%s", archiveNotFoundMessage, j.ArchiveID)
			}
			// Again with the archive, for conditions such as glacier:ArchiveAgeInDays.
			if err := s.authorize(c, "InitiateJob", ref, cfg, &a); err != nil {
				return err
			}
			if err := setRange(&j, a, rng); err != nil {
				return err
			}
			if err := s.checkRetrieval(tx, j, now); err != nil {
				return err
			}
			size = a.Size
		case glacier.ActionInventoryRetrieval:
			j.InventoryAt = now
			if s.inventoryEvery > 0 {
				if v.InventoryAt.IsZero() {
					return glacier.Errorf(glacier.KindNotFound,
						"There is no inventory for this vault yet; the first is taken about %s after its creation: %s",
						s.inventoryEvery, s.VaultARN(ref))
				}
				j.InventoryAt = v.InventoryAt
			}
		}
		j.CompleteAt = now.Add(s.scale.job(jobSpan(j.Action, j.Tier, size).draw(s.jobDuration))).Truncate(time.Microsecond)
		return nil
	}
	if j.Action == glacier.ActionSelect {
		// A select job's job.txt is written before the job exists, once
		// the request is known to be good: if S3 refuses it, there is no job.
		if err := s.meta.View(ctx, prepare); err != nil {
			return j, err
		}
		if err := s.writeJobTxt(ctx, j); err != nil {
			return j, err
		}
	}
	err = s.meta.Update(ctx, func(tx glacier.Tx) error {
		if err := prepare(tx); err != nil {
			return err
		}
		return tx.PutJob(j)
	})
	return j, err
}

// newJob builds a job from the parameters that need no stored state.
func (s *Service) newJob(ref glacier.VaultRef, p JobParams) (glacier.Job, error) {
	j := glacier.Job{
		ID:          newID(jobIDLen),
		Account:     ref.Account,
		Vault:       ref.Name,
		Description: p.Description,
		SNSTopic:    p.SNSTopic,
		Tier:        glacier.TierStandard,
		Status:      glacier.StatusSucceeded,
		StatusMsg:   glacier.StatusSucceeded,
	}
	if p.Type == "select" && s.selectOut == nil {
		return j, invalidParam("Select jobs are not supported by this server: it has no S3 endpoint for their output (--select-s3)")
	}
	if err := setAction(&j, p); err != nil {
		return j, err
	}
	if j.Action == glacier.ActionSelect {
		if err := s.setSelect(&j, p); err != nil {
			return j, err
		}
	}
	switch p.Tier {
	case "":
	case glacier.TierExpedited, glacier.TierStandard, glacier.TierBulk:
		j.Tier = p.Tier
	default:
		return j, invalidParam("Invalid tier: %s. Valid values are: Expedited, Standard, Bulk", p.Tier)
	}
	if err := checkDescription(p.Description); err != nil {
		return j, err
	}
	if p.SNSTopic != "" && !validTopicARN(p.SNSTopic) {
		return j, invalidParam("Invalid SNS topic ARN: %s", p.SNSTopic)
	}
	return j, nil
}

// invalidParam returns an InvalidParameterValue error.
func invalidParam(format string, args ...any) error {
	return glacier.Errorf(glacier.KindInvalidParameter, format, args...)
}

// setAction validates the job type and the parameters that belong to it
// into j.
func setAction(j *glacier.Job, p JobParams) error {
	switch p.Type {
	case "":
		return glacier.Errorf(glacier.KindMissingParameter, "Required parameter missing: type")
	case "archive-retrieval":
		j.Action = glacier.ActionArchiveRetrieval
		switch {
		case p.ArchiveID == "":
			return glacier.Errorf(glacier.KindMissingParameter, "Required parameter missing: archiveId")
		case p.Format != "":
			return invalidParam("Format is only valid for an inventory-retrieval job")
		case p.Inventory != nil:
			return invalidParam("InventoryRetrievalParameters is only valid for an inventory-retrieval job")
		}
		j.ArchiveID = p.ArchiveID
	case "inventory-retrieval":
		j.Action = glacier.ActionInventoryRetrieval
		if err := setInventory(j, p); err != nil {
			return err
		}
	case "select":
		j.Action = glacier.ActionSelect
		return checkSelectShape(j, p)
	default:
		return invalidParam("Invalid job type: %s. Valid values are: archive-retrieval, inventory-retrieval, select", p.Type)
	}
	if p.Select {
		return invalidParam("SelectParameters and OutputLocation are only valid for a select job")
	}
	return nil
}

// setInventory validates an inventory-retrieval job's parameters into j.
func setInventory(j *glacier.Job, p JobParams) error {
	switch {
	case p.ArchiveID != "":
		return invalidParam("ArchiveId is not valid for an inventory-retrieval job")
	case p.RetrievalByteRange != "":
		return invalidParam("RetrievalByteRange is not valid for an inventory-retrieval job")
	}
	j.Format = "JSON"
	switch p.Format {
	case "", "JSON":
	case "CSV":
		j.Format = "CSV"
	default:
		return invalidParam("Invalid format: %s. Valid values are: JSON, CSV", p.Format)
	}
	return setInventoryParams(j, p.Inventory)
}

// validTopicARN reports whether a looks like an SNS topic ARN,
// arn:PARTITION:sns:REGION:ACCOUNT:NAME.
func validTopicARN(a string) bool {
	f := strings.Split(a, ":")
	return len(f) == 6 && f[0] == "arn" && f[1] != "" && f[2] == "sns" && f[3] != "" && f[4] != "" && f[5] != ""
}

// setInventoryParams validates InventoryRetrievalParameters into j.
func setInventoryParams(j *glacier.Job, p *InventoryParams) error {
	if p == nil {
		return nil
	}
	var err error
	if p.StartDate != "" {
		if j.InventoryStart, err = parseDate("StartDate", p.StartDate); err != nil {
			return err
		}
	}
	if p.EndDate != "" {
		if j.InventoryEnd, err = parseDate("EndDate", p.EndDate); err != nil {
			return err
		}
	}
	if !j.InventoryStart.IsZero() && !j.InventoryEnd.IsZero() && !j.InventoryStart.Before(j.InventoryEnd) {
		return glacier.Errorf(glacier.KindInvalidParameter, "The StartDate %s must be before the EndDate %s", p.StartDate, p.EndDate)
	}
	if p.Limit != "" {
		n, err := strconv.Atoi(p.Limit)
		if err != nil || n < 1 {
			return glacier.Errorf(glacier.KindInvalidParameter, "Invalid limit: %s. The limit must be a positive integer.", p.Limit)
		}
		j.InventoryLimit = n
	}
	if p.Marker != "" {
		if _, _, err := decodeCursor(p.Marker); err != nil {
			return glacier.Errorf(glacier.KindInvalidParameter, "Invalid marker: %s", p.Marker)
		}
		j.InventoryMarker = p.Marker
	}
	return nil
}

// parseDate parses an ISO 8601 date-time such as 2013-03-20T17:03:43Z (a
// fraction of a second and a numeric zone are allowed).
func parseDate(name, v string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return t, glacier.Errorf(glacier.KindInvalidParameter, "Invalid %s: %s. Dates must be in ISO 8601 format, e.g. 2013-03-20T17:03:43Z", name, v)
	}
	return t.UTC().Truncate(time.Microsecond), nil
}

// byteRange is an inclusive RetrievalByteRange.
type byteRange struct{ start, end int64 }

func parseByteRange(v string) (byteRange, error) {
	a, b, ok := strings.Cut(v, "-")
	s, err1 := strconv.ParseInt(a, 10, 64)
	e, err2 := strconv.ParseInt(b, 10, 64)
	if !ok || err1 != nil || err2 != nil || s < 0 || e < s {
		return byteRange{}, glacier.Errorf(glacier.KindInvalidParameter, "Invalid RetrievalByteRange: %s. The range must be StartByteValue-EndByteValue", v)
	}
	return byteRange{s, e}, nil
}

// setRange sets j's archive fields and retrieval range, checking the range's
// megabyte alignment against the archive.
func setRange(j *glacier.Job, a glacier.Archive, r *byteRange) error {
	j.ArchiveSize, j.ArchiveTreeHash = a.Size, a.TreeHash
	j.RangeStart, j.RangeEnd, j.RangeTreeHash = 0, a.Size-1, a.TreeHash
	if r == nil {
		return nil
	}
	switch {
	case r.end >= a.Size:
		return glacier.Errorf(glacier.KindInvalidParameter,
			"Invalid RetrievalByteRange: %d-%d. The range ends past the archive's last byte, %d", r.start, r.end, a.Size-1)
	case r.start%treehash.LeafSize != 0 || ((r.end+1)%treehash.LeafSize != 0 && r.end != a.Size-1):
		return glacier.Errorf(glacier.KindInvalidParameter,
			"Invalid RetrievalByteRange: %d-%d. The range must be megabyte (1048576-byte) aligned: it must start at a multiple of 1048576 and end one byte before a multiple of 1048576 or at the end of the archive", r.start, r.end)
	}
	j.RangeStart, j.RangeEnd = r.start, r.end
	if r.start != 0 || r.end != a.Size-1 {
		j.RangeTreeHash = "" // computed when the job completes, if the range is tree-hash aligned
	}
	return nil
}

// checkRetrieval applies provisioned capacity to Expedited retrievals and the
// account's data retrieval policy to Standard ones, inside tx.
func (s *Service) checkRetrieval(tx glacier.Tx, j glacier.Job, now time.Time) error {
	switch j.Tier {
	case glacier.TierExpedited:
		n, _, err := tx.RetrievalStats(j.Account, glacier.TierExpedited, now.Add(-s.scale.period(capacityWindow)))
		if err != nil {
			return err
		}
		units, err := tx.Capacities(j.Account, now)
		if err != nil {
			return err
		}
		if n >= retrievalsPerUnit*len(units)+s.expeditedOnDemand {
			return glacier.Errorf(glacier.KindInsufficientCapacity,
				"There is not enough capacity to process this Expedited retrieval right now (%d in the last 5 minutes; %d provisioned capacity units)", n, len(units))
		}
	case glacier.TierStandard:
		p, err := tx.RetrievalPolicy(j.Account)
		if glacier.IsKind(err, glacier.KindNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		var window time.Duration
		var allowed float64
		switch p.Strategy {
		case glacier.StrategyBytesPerHour:
			window, allowed = policyWindow, float64(p.BytesPerHour)*policyWindow.Hours()
		case glacier.StrategyFreeTier:
			window, allowed = freeTierWindow, freeTierBytesPerMonth/30.0
		default:
			return nil
		}
		_, used, err := tx.RetrievalStats(j.Account, glacier.TierStandard, now.Add(-s.scale.period(window)))
		if err != nil {
			return err
		}
		if float64(used+j.RangeSize()) > allowed {
			return glacier.Errorf(glacier.KindPolicyEnforced, "InitiateJob request denied by current data retrieval policy.")
		}
	}
	return nil
}

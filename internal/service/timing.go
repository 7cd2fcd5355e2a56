package service

import (
	"math/rand/v2"
	"time"

	"github.com/glacierd/glacierd/internal/glacier"
)

// span is a range of durations a job may take.
type span struct{ min, max time.Duration }

// expeditedFastLimit is the archive size up to which Expedited retrievals
// take 1–5 minutes; larger archives take that long per started 250 MB.
const expeditedFastLimit = 250 * 1000 * 1000

// jobSpan returns how long a job of the given action and tier takes for
// size bytes, at AWS's pace (developer guide, downloading-an-archive-two-steps
// and api-initiate-job-post): Expedited 1–5 minutes, Standard 3–5 hours,
// Bulk 5–12 hours, inventories 2–4 hours.
func jobSpan(action, tier string, size int64) span {
	if action == glacier.ActionInventoryRetrieval {
		return span{2 * time.Hour, 4 * time.Hour}
	}
	switch tier {
	case glacier.TierExpedited:
		f := time.Duration(max(1, (size+expeditedFastLimit-1)/expeditedFastLimit))
		return span{1 * time.Minute * f, 5 * time.Minute * f}
	case glacier.TierBulk:
		return span{5 * time.Hour, 12 * time.Hour}
	}
	return span{3 * time.Hour, 5 * time.Hour}
}

// draw picks a duration within sp with pick (a Config.JobDuration).
func (sp span) draw(pick func(min, max time.Duration) time.Duration) time.Duration {
	return min(max(pick(sp.min, sp.max), sp.min), sp.max)
}

// uniformDuration picks a duration uniformly at random from [lo, hi].
func uniformDuration(lo, hi time.Duration) time.Duration {
	return lo + rand.N(hi-lo+1)
}

// scale is the server's time scale: Glacier's durations divided by factor.
// A factor of 0 makes jobs complete at once and leaves other durations at
// their real length.
type scale struct{ factor float64 }

// job returns how long a job of AWS duration d takes on this server.
func (s scale) job(d time.Duration) time.Duration {
	if s.factor == 0 {
		return 0
	}
	return s.period(d)
}

// period returns a Glacier period d (job retention, lock expiry, inventory
// cadence) on this server.
func (s scale) period(d time.Duration) time.Duration {
	if s.factor == 0 || s.factor == 1 {
		return d
	}
	return time.Duration(float64(d) / s.factor)
}

// age returns how much Glacier time has passed in real elapsed time d (for
// conditions such as glacier:ArchiveAgeInDays).
func (s scale) age(d time.Duration) time.Duration {
	if s.factor == 0 || s.factor == 1 {
		return d
	}
	return time.Duration(float64(d) * s.factor)
}

package plan

import (
	"fmt"
	"strings"
	"time"
)

// Tier is a Glacier retrieval tier.
type Tier string

// The retrieval tiers, cheapest first.
const (
	Bulk      Tier = "Bulk"
	Standard  Tier = "Standard"
	Expedited Tier = "Expedited"
)

// Tiers lists the tiers in the order plans show them.
var Tiers = [...]Tier{Bulk, Standard, Expedited}

// ParseTier accepts a tier name in any case.
func ParseTier(s string) (Tier, error) {
	for _, t := range Tiers {
		if strings.EqualFold(s, string(t)) {
			return t, nil
		}
	}
	return "", fmt.Errorf("unknown tier %q (Bulk, Standard or Expedited)", s)
}

// Price is what one tier costs and how long its jobs take.
type Price struct {
	PerGiB          float64       // US dollars per GB retrieved (AWS bills binary GB)
	Per1000Requests float64       // US dollars per 1,000 retrieval requests
	MinWait         time.Duration // a job's typical shortest time to complete
	MaxWait         time.Duration // and longest
}

// Prices is a price table, one Price per tier.
type Prices map[Tier]Price

// USEast1 is the Amazon Glacier (vault API) retrieval price table for
// us-east-1 as published on aws.amazon.com/s3/glacier/pricing (vault
// section; the figures as of 2024, unchanged since the 2016 tier launch as
// far as we know — the Standard and Expedited figures were cross-checked
// against AWS re:Post "s3-manage-data-retrieval", read 2026-12):
//
//	Expedited $0.03/GB + $10.00 per 1,000 requests, 1–5 minutes
//	Standard  $0.01/GB + $0.05  per 1,000 requests, 3–5 hours
//	Bulk      $0.0025/GB + $0.025 per 1,000 requests, 5–12 hours
//
// The times are the Developer Guide's (Expedited archives over 250 MB may
// take longer). Provisioned capacity, data transfer out of AWS and S3's own
// request and storage prices are not included. Pass another table for
// other regions or newer prices.
func USEast1() Prices {
	return Prices{
		Expedited: {PerGiB: 0.03, Per1000Requests: 10.00, MinWait: time.Minute, MaxWait: 5 * time.Minute},
		Standard:  {PerGiB: 0.01, Per1000Requests: 0.05, MinWait: 3 * time.Hour, MaxWait: 5 * time.Hour},
		Bulk:      {PerGiB: 0.0025, Per1000Requests: 0.025, MinWait: 5 * time.Hour, MaxWait: 12 * time.Hour},
	}
}

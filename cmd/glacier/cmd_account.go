package main

import (
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glacier"
	"github.com/aws/aws-sdk-go-v2/service/glacier/types"

	"github.com/glacierd/glacierd/internal/units"
)

// capacityCmd groups the provisioned capacity commands.
type capacityCmd struct {
	Buy  capacityBuyCmd  `cmd:"" help:"Buy one provisioned capacity unit (three Expedited retrievals per 5 minutes, for a month)."`
	List capacityListCmd `cmd:"" help:"List the account's provisioned capacity units."`
}

type capacityBuyCmd struct {
	Yes bool `short:"y" help:"Do not ask for confirmation."`
}

// Run buys a provisioned capacity unit and prints its ID.
func (c *capacityBuyCmd) Run(a *app) error {
	if err := a.confirm(c.Yes, "On AWS a provisioned capacity unit is billed for a month at once and cannot be cancelled.\nBuy one? [y/N] ", "yes"); err != nil {
		return err
	}
	gl, err := a.client(1)
	if err != nil {
		return err
	}
	out, err := gl.PurchaseProvisionedCapacity(a.ctx, &glacier.PurchaseProvisionedCapacityInput{AccountId: a.account()})
	if err != nil {
		return err
	}
	if a.jsonOut() {
		return a.printJSON(map[string]string{"CapacityId": aws.ToString(out.CapacityId)})
	}
	a.printf("%s\n", aws.ToString(out.CapacityId))
	return nil
}

type capacityListCmd struct{}

// capacityJSON is a capacity unit as --output json prints it.
type capacityJSON struct {
	CapacityId     string // Glacier's spelling, kept for JSON
	StartDate      string
	ExpirationDate string
}

// Run lists the provisioned capacity units.
func (c *capacityListCmd) Run(a *app) error {
	gl, err := a.client(1)
	if err != nil {
		return err
	}
	out, err := gl.ListProvisionedCapacity(a.ctx, &glacier.ListProvisionedCapacityInput{AccountId: a.account()})
	if err != nil {
		return err
	}
	list := make([]capacityJSON, 0, len(out.ProvisionedCapacityList))
	for _, p := range out.ProvisionedCapacityList {
		list = append(list, capacityJSON{aws.ToString(p.CapacityId), aws.ToString(p.StartDate), aws.ToString(p.ExpirationDate)})
	}
	if a.jsonOut() {
		return a.printJSON(list)
	}
	t := a.table()
	fmt.Fprintln(t, "CAPACITY ID\tSTART\tEXPIRES")
	for _, p := range list {
		fmt.Fprintf(t, "%s\t%s\t%s\n", p.CapacityId, p.StartDate, p.ExpirationDate)
	}
	return t.Flush()
}

// retrievalPolicyCmd groups the data retrieval policy commands.
type retrievalPolicyCmd struct {
	Get retrievalPolicyGetCmd `cmd:"" help:"Show the account's data retrieval policy."`
	Set retrievalPolicySetCmd `cmd:"" help:"Set the account's data retrieval policy."`
}

// ruleJSON is a data retrieval rule as --output json prints it.
type ruleJSON struct {
	Strategy     string
	BytesPerHour *int64 `json:",omitempty"`
}

type retrievalPolicyGetCmd struct{}

// Run shows the data retrieval policy.
func (c *retrievalPolicyGetCmd) Run(a *app) error {
	gl, err := a.client(1)
	if err != nil {
		return err
	}
	out, err := gl.GetDataRetrievalPolicy(a.ctx, &glacier.GetDataRetrievalPolicyInput{AccountId: a.account()})
	if err != nil {
		return err
	}
	rules := []ruleJSON{}
	if out.Policy != nil {
		for _, r := range out.Policy.Rules {
			rules = append(rules, ruleJSON{Strategy: aws.ToString(r.Strategy), BytesPerHour: r.BytesPerHour})
		}
	}
	if a.jsonOut() {
		return a.printJSON(map[string]any{"Rules": rules})
	}
	if len(rules) == 0 {
		a.printf("Strategy: None (no policy)\n")
	}
	for _, r := range rules {
		a.printf("Strategy: %s\n", r.Strategy)
		if r.BytesPerHour != nil {
			a.printf("Bytes per hour: %d (%s)\n", *r.BytesPerHour, units.Format(*r.BytesPerHour))
		}
	}
	return nil
}

type retrievalPolicySetCmd struct {
	Strategy     string      `required:"" enum:"BytesPerHour,FreeTier,None" help:"BytesPerHour (needs --bytes-per-hour), FreeTier or None."`
	BytesPerHour units.Bytes `name:"bytes-per-hour" help:"Retrieval rate limit for BytesPerHour, e.g. 10GiB." placeholder:"SIZE"`
}

// Validate checks that --bytes-per-hour goes with BytesPerHour alone.
func (c *retrievalPolicySetCmd) Validate() error {
	switch {
	case c.Strategy == "BytesPerHour" && c.BytesPerHour <= 0:
		return errors.New("--strategy BytesPerHour needs --bytes-per-hour")
	case c.Strategy != "BytesPerHour" && c.BytesPerHour != 0:
		return errors.New("--bytes-per-hour goes only with --strategy BytesPerHour")
	}
	return nil
}

// Run sets the data retrieval policy.
func (c *retrievalPolicySetCmd) Run(a *app) error {
	gl, err := a.client(1)
	if err != nil {
		return err
	}
	rule := types.DataRetrievalRule{Strategy: aws.String(c.Strategy)}
	if c.Strategy == "BytesPerHour" {
		rule.BytesPerHour = aws.Int64(int64(c.BytesPerHour))
	}
	_, err = gl.SetDataRetrievalPolicy(a.ctx, &glacier.SetDataRetrievalPolicyInput{AccountId: a.account(),
		Policy: &types.DataRetrievalPolicy{Rules: []types.DataRetrievalRule{rule}}})
	return err
}

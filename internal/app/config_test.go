package app

import (
	"testing"
	"time"
)

// TestTimeoutFlags checks the connection-timeout flags' documented defaults
// (README, "Configuration"), their environment variables, and that
// negative values are refused.
func TestTimeoutFlags(t *testing.T) {
	c, err := ParseFlags("glacierd", nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.ReadHeaderTimeout != 30*time.Second || c.BodyIdleTimeout != time.Minute || c.BodyMinRate != 1024 || c.IdleTimeout != 2*time.Minute {
		t.Errorf("defaults: header %v, body idle %v, min rate %d, idle %v", c.ReadHeaderTimeout, c.BodyIdleTimeout, c.BodyMinRate, c.IdleTimeout)
	}
	t.Setenv("GLACIERD_BODY_MIN_RATE", "4096")
	c, err = ParseFlags("glacierd", []string{"--read-header-timeout", "5s", "--body-idle-timeout", "0", "--idle-timeout", "90s"})
	if err != nil {
		t.Fatal(err)
	}
	if c.ReadHeaderTimeout != 5*time.Second || c.BodyIdleTimeout != 0 || c.BodyMinRate != 4096 || c.IdleTimeout != 90*time.Second {
		t.Errorf("set: header %v, body idle %v, min rate %d, idle %v", c.ReadHeaderTimeout, c.BodyIdleTimeout, c.BodyMinRate, c.IdleTimeout)
	}
	c.BodyMinRate = -1
	if err := c.validate(); err == nil {
		t.Errorf("a negative --body-min-rate is accepted")
	}
}

package e2e

import (
	"bufio"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// loopRounds returns how many rounds the background loop (tick or upkeep)
// of the glacierd at url has finished, from its /metrics.
func loopRounds(url, loop string) (int, error) {
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	series := `glacierd_background_rounds_total{loop="` + loop + `"} `
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), series); ok {
			f, err := strconv.ParseFloat(v, 64)
			return int(f), err
		}
	}
	return 0, sc.Err() // no round yet
}

// awaitRounds waits until the loop of every glacierd at urls has finished k
// more rounds than it had when awaitRounds was called, for at most within.
// Rounds of one loop run one after the other, so with k ≥ 2 a whole round
// began after the call: whatever that round would do is done.
func awaitRounds(t testing.TB, urls []string, loop string, k int, within time.Duration) {
	t.Helper()
	want := make([]int, len(urls))
	for i, u := range urls {
		n, err := loopRounds(u, loop)
		if err != nil {
			t.Fatalf("rounds of %s at %s: %v", loop, u, err)
		}
		want[i] = n + k
	}
	deadline := time.Now().Add(within)
	for i, u := range urls {
		for {
			n, err := loopRounds(u, loop)
			if err != nil {
				t.Fatalf("rounds of %s at %s: %v", loop, u, err)
			}
			if n >= want[i] {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the %s loop of %s finished %d rounds in %v, want %d", loop, u, n-want[i]+k, within, k)
			}
			time.Sleep(10 * time.Millisecond) // polling another process's counter
		}
	}
}

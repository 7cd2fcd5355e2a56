package glacier

import "testing"

func TestIsAccountID(t *testing.T) {
	for in, want := range map[string]bool{"123456789012": true, "12345678901": false, "1234567890123": false, "abcmnoxyz": false, "-": false, "12345678901a": false, "": false} {
		if got := IsAccountID(in); got != want {
			t.Errorf("IsAccountID(%q) = %v, want %v", in, got, want)
		}
	}
}

package units

import "testing"

func TestParse(t *testing.T) {
	good := map[string]int64{
		"0": 0, "1048576": MiB, "16MiB": 16 * MiB, "16M": 16 * MiB, "16mb": 16 * MiB,
		"1GiB": GiB, "4 GiB": 4 * GiB, "1.5GiB": GiB + GiB/2, "2KiB": 2048, "7b": 7, "1T": TiB,
	}
	for in, want := range good {
		got, err := Parse(in)
		if err != nil || got != want {
			t.Errorf("Parse(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "MiB", "-1", "12XB", "1.2.3M", "99999999999999999999", "9000000000TiB"} {
		if got, err := Parse(in); err == nil {
			t.Errorf("Parse(%q) = %d, want an error", in, got)
		}
	}
}

func TestFormat(t *testing.T) {
	cases := map[int64]string{
		0: "0 B", 1023: "1023 B", 1024: "1.00 KiB", 50 * MiB: "50.0 MiB", GiB: "1.00 GiB", 300 * GiB: "300 GiB",
	}
	for in, want := range cases {
		if got := Format(in); got != want {
			t.Errorf("Format(%d) = %q, want %q", in, got, want)
		}
	}
}

func TestBytesFlag(t *testing.T) {
	var b Bytes
	if err := b.UnmarshalText([]byte("64MiB")); err != nil || int64(b) != 64*MiB {
		t.Fatalf("got %d, %v", b, err)
	}
	if b.String() != "64.0 MiB" {
		t.Errorf("String() = %q", b.String())
	}
	if err := b.UnmarshalText([]byte("lots")); err == nil {
		t.Error("want an error for a non-size")
	}
}

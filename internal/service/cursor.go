package service

import (
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"
)

// encodeCursor makes an opaque pagination marker from a (time, ID) position.
func encodeCursor(t time.Time, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(t.UnixMicro(), 10) + "." + id))
}

// decodeCursor reverses encodeCursor.
func decodeCursor(m string) (time.Time, string, error) {
	b, err := base64.RawURLEncoding.DecodeString(m)
	if err != nil {
		return time.Time{}, "", err
	}
	us, id, ok := strings.Cut(string(b), ".")
	n, err := strconv.ParseInt(us, 10, 64)
	if !ok || err != nil || id == "" {
		return time.Time{}, "", errors.New("malformed marker")
	}
	return time.UnixMicro(n).UTC(), id, nil
}

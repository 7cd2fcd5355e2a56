package policy

import (
	"encoding/json"
	"errors"
	"io"
	"strings"
)

// maxDepth bounds JSON nesting. The policy grammar never nests deeper than
// five levels (document, Statement list, statement, Condition, operator
// block, value list), so anything far deeper is rejected rather than walked.
const maxDepth = 32

// jkind is the JSON type of a jvalue.
type jkind uint8

const (
	jString jkind = iota
	jNumber
	jBool
	jNull
	jArray
	jObject
)

// jvalue is a decoded JSON value that, unlike map[string]any, keeps object
// members in document order (so error messages are deterministic) and lets
// the decoder refuse duplicate member names.
type jvalue struct {
	kind jkind
	str  string // jString: the text; jNumber: the literal as written
	b    bool   // jBool
	arr  []jvalue
	obj  []jmember
}

// jmember is one name/value pair of a JSON object.
type jmember struct {
	key string
	val jvalue
}

// decodeJSON decodes doc as exactly one JSON value.
func decodeJSON(doc string) (jvalue, error) {
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	v, err := readValue(dec, 0)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return jvalue{}, errorf("policy document is empty")
		}
		var pe *ParseError
		if errors.As(err, &pe) {
			return jvalue{}, err
		}
		return jvalue{}, errorf("policy document is not valid JSON: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return jvalue{}, errorf("policy document has data after the top-level JSON value")
	}
	return v, nil
}

// readValue reads the next complete JSON value from dec.
func readValue(dec *json.Decoder, depth int) (jvalue, error) {
	if depth > maxDepth {
		return jvalue{}, errorf("policy document is nested too deeply")
	}
	tok, err := dec.Token()
	if err != nil {
		return jvalue{}, err
	}
	switch t := tok.(type) {
	case string:
		return jvalue{kind: jString, str: t}, nil
	case json.Number:
		return jvalue{kind: jNumber, str: string(t)}, nil
	case bool:
		return jvalue{kind: jBool, b: t}, nil
	case nil:
		return jvalue{kind: jNull}, nil
	case json.Delim:
		switch t {
		case '[':
			v := jvalue{kind: jArray, arr: []jvalue{}}
			for dec.More() {
				e, err := readValue(dec, depth+1)
				if err != nil {
					return jvalue{}, unexpectedEOF(err)
				}
				v.arr = append(v.arr, e)
			}
			if _, err := dec.Token(); err != nil {
				return jvalue{}, unexpectedEOF(err)
			}
			return v, nil
		case '{':
			v := jvalue{kind: jObject, obj: []jmember{}}
			seen := make(map[string]bool)
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return jvalue{}, unexpectedEOF(err)
				}
				key, ok := kt.(string)
				if !ok { // unreachable: the decoder only yields strings here
					return jvalue{}, errorf("policy document is not valid JSON: object key is not a string")
				}
				if seen[key] {
					return jvalue{}, errorf("policy document has duplicate JSON member %q", key)
				}
				seen[key] = true
				e, err := readValue(dec, depth+1)
				if err != nil {
					return jvalue{}, unexpectedEOF(err)
				}
				v.obj = append(v.obj, jmember{key: key, val: e})
			}
			if _, err := dec.Token(); err != nil {
				return jvalue{}, unexpectedEOF(err)
			}
			return v, nil
		}
	}
	// Token yields only the types above, and only '[' or '{' as the
	// opening delimiter of a value.
	return jvalue{}, errorf("policy document is not valid JSON: unexpected %v", tok)
}

// unexpectedEOF turns an io.EOF met inside a value into io.ErrUnexpectedEOF,
// so that a truncated document is reported as invalid rather than empty.
func unexpectedEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// typeName names v's JSON type for error messages.
func (v jvalue) typeName() string {
	switch v.kind {
	case jString:
		return "a string"
	case jNumber:
		return "a number"
	case jBool:
		return "a boolean"
	case jNull:
		return "null"
	case jArray:
		return "a list"
	default:
		return "an object"
	}
}

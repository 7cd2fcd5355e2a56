package e2e

import (
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"
)

// The Glacier service model is test data: botocore's service-2.json for
// 2012-06-01 (Apache-2.0; testdata/botocore-LICENSE and botocore-NOTICE),
// as Debian's python3-botocore 1.29.27 ships it.
const modelFile = "testdata/glacier-2012-06-01.service-2.json"

// svcModel is the part of the service model the conformance suite reads.
type svcModel struct {
	Ops    map[string]*modelOp
	Errors map[string]int      // error shape → HTTP status the model declares
	Enums  map[string][]string // enum shape → its values
}

// modelOp is one operation: its route, its input members and its errors.
type modelOp struct {
	Name     string
	Method   string
	Path     string // the requestUri without its query ("?operation=add")
	Query    string // the requestUri's fixed query, if any
	Status   int    // the success status (200 when the model says none)
	Members  []modelMember
	Payload  string // the member that is the whole body, if any
	Errors   []string
	required map[string]bool
}

// modelMember is one input member and where it travels.
type modelMember struct {
	Name     string // the member name
	Location string // uri, header, querystring, or "" (the JSON body)
	Wire     string // locationName: the URI label, header or query name
	Type     string // the shape's type
	Required bool
}

// declares reports whether the operation lists the error code.
func (o *modelOp) declares(code string) bool {
	for _, e := range o.Errors {
		if e == code {
			return true
		}
	}
	return false
}

// loadModel reads the service model.
func loadModel(t *testing.T) *svcModel {
	t.Helper()
	b, err := os.ReadFile(modelFile)
	if err != nil {
		t.Fatal(err)
	}
	type ref struct {
		Shape        string `json:"shape"`
		Location     string `json:"location"`
		LocationName string `json:"locationName"`
	}
	var raw struct {
		Operations map[string]struct {
			HTTP struct {
				Method       string `json:"method"`
				RequestURI   string `json:"requestUri"`
				ResponseCode int    `json:"responseCode"`
			} `json:"http"`
			Input  *ref  `json:"input"`
			Errors []ref `json:"errors"`
		} `json:"operations"`
		Shapes map[string]struct {
			Type     string         `json:"type"`
			Required []string       `json:"required"`
			Members  map[string]ref `json:"members"`
			Payload  string         `json:"payload"`
			Enum     []string       `json:"enum"`
			Error    *struct {
				HTTPStatusCode int `json:"httpStatusCode"`
			} `json:"error"`
		} `json:"shapes"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatalf("%s: %v", modelFile, err)
	}
	m := &svcModel{Ops: map[string]*modelOp{}, Errors: map[string]int{}, Enums: map[string][]string{}}
	for name, s := range raw.Shapes {
		if len(s.Enum) > 0 {
			m.Enums[name] = s.Enum
		}
		if s.Error != nil {
			m.Errors[name] = s.Error.HTTPStatusCode
		}
	}
	for name, o := range raw.Operations {
		op := &modelOp{Name: name, Method: o.HTTP.Method, Status: o.HTTP.ResponseCode, required: map[string]bool{}}
		op.Path, op.Query, _ = strings.Cut(o.HTTP.RequestURI, "?")
		if op.Status == 0 {
			op.Status = 200
		}
		for _, e := range o.Errors {
			op.Errors = append(op.Errors, e.Shape)
		}
		if o.Input != nil {
			in := raw.Shapes[o.Input.Shape]
			op.Payload = in.Payload
			for _, r := range in.Required {
				op.required[r] = true
			}
			for mn, r := range in.Members {
				op.Members = append(op.Members, modelMember{Name: mn, Location: r.Location, Wire: r.LocationName,
					Type: raw.Shapes[r.Shape].Type, Required: op.required[mn]})
			}
			sort.Slice(op.Members, func(i, j int) bool { return op.Members[i].Name < op.Members[j].Name })
		}
		m.Ops[name] = op
	}
	return m
}

// names returns the operation names in order.
func (m *svcModel) names() []string {
	var out []string
	for n := range m.Ops {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

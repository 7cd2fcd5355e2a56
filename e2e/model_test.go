package e2e

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/glacierd/glacierd/internal/app"
)

// modelWorkers is how many operations run at once.
const modelWorkers = 4

// TestModel is the model-driven conformance suite: for each of the
// model's operations it sends every generated variant as raw signed HTTP
// and asserts the exact answer and, for errors, that the stored state is
// unchanged; valid variants are sent through aws-sdk-go-v2 as well.
func TestModel(t *testing.T) {
	began := time.Now()
	m := loadModel(t)
	for name := range opSpecs {
		if m.Ops[name] == nil {
			t.Errorf("opSpecs has %s, which the model does not", name)
		}
	}
	// The one input enum the model spells out (ListJobs' statuscode is a
	// plain string there, but takes the StatusCode shape's values).
	if got, want := enums["ListJobs"][0].values, m.Enums["StatusCode"]; strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("ListJobs statuscode values %v, the model's StatusCode enum %v", got, want)
	}
	rep := modelReport{}
	// Operations run on servers of their own, a few at a time: most of a
	// variant's time is waiting on the stores.
	var wg sync.WaitGroup
	sem := make(chan struct{}, modelWorkers)
	for _, name := range m.names() {
		op := m.Ops[name]
		spec, ok := opSpecs[name]
		if !ok {
			t.Errorf("no opSpec for the model's %s", name)
			continue
		}
		c := rep.op(name)
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			t.Run(name, func(t *testing.T) { runOp(t, m, op, spec, c) })
		}()
	}
	wg.Wait()
	rep.print(t, time.Since(began))
}

// runOp runs op's variants: errors on one shared server and fixture,
// valid ones each on fresh fixtures of that server, and those that need a
// prepared state each on a server of their own.
func runOp(t *testing.T, m *svcModel, op *modelOp, spec opSpec, c *opCount) {
	e := start(t)
	fx := e.newFixture(0, spec.needs)
	before := e.modelSnapshot()
	slot := 1
	vs := variants(op)
	for _, v := range vs {
		if !v.want.ok() && !op.declares(v.want.code) {
			c.undeclared[v.want.code] = true
		}
	}
	// Errors first, while the shared fixture is as built.
	sort.SliceStable(vs, func(i, j int) bool { return !vs[i].want.ok() && vs[j].want.ok() })
	for _, v := range vs {
		c.run(t, op.Name+"/"+v.name, func(st *testing.T) {
			switch {
			case v.setup != nil || v.config != nil:
				runIsolated(st, m, op, spec, v)
			case v.want.ok() && op.Method == "GET":
				// A read changes nothing: it runs on the shared fixture,
				// which must stay as it was.
				defer e.use(st)()
				checkAnswer(st, m, op, v.want, e.send(op, build(spec, fx, v)))
				if err := e.sendSDK(op, build(spec, fx, v)); err != nil {
					st.Errorf("through aws-sdk-go-v2: %v", err)
				}
				before = e.assertState(st, before)
			case v.want.ok():
				defer e.use(st)()
				a := e.send(op, build(spec, e.newFixture(slot, spec.needs), v))
				checkAnswer(st, m, op, v.want, a)
				if err := e.sendSDK(op, build(spec, e.newFixture(slot+1, spec.needs), v)); err != nil {
					st.Errorf("through aws-sdk-go-v2: %v", err)
				}
				slot += 2
			default:
				defer e.use(st)()
				checkAnswer(st, m, op, v.want, e.send(op, build(spec, fx, v)))
				before = e.assertState(st, before)
			}
		})
	}
}

// runIsolated runs a variant that needs a prepared state on a server of its own.
func runIsolated(t *testing.T, m *svcModel, op *modelOp, spec opSpec, v variant) {
	var cfg []func(*app.Config)
	if v.config != nil {
		cfg = append(cfg, v.config)
	}
	e := start(t, cfg...)
	fx := e.newFixture(0, spec.needs)
	v.setup(e, fx)
	before := e.modelSnapshot()
	checkAnswer(t, m, op, v.want, e.send(op, build(spec, fx, v)))
	if !v.want.ok() {
		e.assertState(t, before)
	}
}

// assertState fails t if the stored state differs from before, and returns
// the state now (so that one change is reported once).
func (e *env) assertState(t *testing.T, before modelState) modelState {
	t.Helper()
	after := e.modelSnapshot()
	if d := before.diff(after); len(d) > 0 {
		t.Errorf("stored state changed:\n%s", strings.Join(d, "\n"))
	}
	return after
}

// use points e's helpers at a subtest and returns the undo.
func (e *env) use(t *testing.T) func() {
	prev := e.t
	e.t = t
	return func() { e.t = prev }
}

// build makes the variant's request on fx.
func build(spec opSpec, fx *fixture, v variant) modelReq {
	r := spec.base(fx).clone()
	if v.mutate != nil {
		v.mutate(fx, &r)
	}
	return r
}

// checkAnswer asserts the exact answer: the success status, or the error's
// status (from the model's error shape), code, type "Client", the
// X-Amzn-ErrorType header and the start of the message.
func checkAnswer(t *testing.T, m *svcModel, op *modelOp, w want, a answer) {
	t.Helper()
	if w.ok() {
		status := w.status
		if status == 0 {
			status = op.Status
		}
		if a.status != status {
			t.Errorf("got %s %s, want %d", a, a.body, status)
		}
		return
	}
	status, declared := m.Errors[w.code]
	if !declared {
		status = undeclaredStatus[w.code]
	}
	if a.status != status || a.code != w.code || a.typ != "Client" || a.errorTypeHeader != w.code || a.malformedErrorDoc {
		t.Errorf("got %s (X-Amzn-ErrorType %q) %s, want %d %s/Client", a, a.errorTypeHeader, a.body, status, w.code)
	}
	if strings.Contains(a.msg, "Go struct") || strings.Contains(a.msg, "Go value") {
		t.Errorf("message %q names the server's Go types", a.msg)
	}
	if w.msg != "" && !strings.HasPrefix(a.msg, w.msg) {
		t.Errorf("message %q does not start with %q", a.msg, w.msg)
	}
}

// modelReport counts variants per operation.
type modelReport map[string]*opCount

type opCount struct {
	passed, failed, skipped int
	undeclared              map[string]bool // expected codes the model does not list for the operation
}

func (r modelReport) op(name string) *opCount {
	if r[name] == nil {
		r[name] = &opCount{undeclared: map[string]bool{}}
	}
	return r[name]
}

// run runs one variant as a subtest named after it, counting its outcome.
func (c *opCount) run(t *testing.T, full string, f func(*testing.T)) {
	_, name, _ := strings.Cut(full, "/")
	t.Run(name, func(st *testing.T) {
		defer func() {
			switch {
			case st.Skipped():
				c.skipped++
			case st.Failed():
				c.failed++
			default:
				c.passed++
			}
		}()
		f(st)
	})
}

// print logs the counts and writes them to $GLACIERD_MODEL_REPORT if set
// (scripts/test prints that file).
func (r modelReport) print(t *testing.T, took time.Duration) {
	var b strings.Builder
	var names []string
	for n := range r {
		names = append(names, n)
	}
	sort.Strings(names)
	var tot opCount
	ops := 0
	for _, n := range names {
		c := r[n]
		if c.passed+c.failed+c.skipped == 0 {
			continue // not selected by -run
		}
		var und []string
		for code := range c.undeclared {
			und = append(und, strings.TrimSuffix(code, "Exception"))
		}
		sort.Strings(und)
		fmt.Fprintf(&b, "  %-28s %3d variants: %3d passed, %d failed, %d skipped; codes the model does not list: %s\n",
			n, c.passed+c.failed+c.skipped, c.passed, c.failed, c.skipped, strings.Join(und, ", "))
		ops++
		tot.passed, tot.failed, tot.skipped = tot.passed+c.passed, tot.failed+c.failed, tot.skipped+c.skipped
	}
	backend := os.Getenv(backendEnv)
	if backend == "" {
		backend = "embedded"
	}
	fmt.Fprintf(&b, "model conformance (%s): %d operations, %d variants: %d passed, %d failed, %d skipped; %s\n",
		backend, ops, tot.passed+tot.failed+tot.skipped, tot.passed, tot.failed, tot.skipped, took.Round(time.Second/10))
	t.Log("\n" + b.String())
	if p := os.Getenv("GLACIERD_MODEL_REPORT"); p != "" {
		f, err := os.OpenFile(p, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.WriteString(b.String()); err != nil {
			t.Error(err)
		}
	}
}

package ui

import (
	"context"
	"sync"
	"time"

	"slateo-s3/awsops"
	"slateo-s3/model"
)

// fakeBackend answers Inspect with a fixed state and preflights from a table, and counts
// the calls.
type fakeBackend struct {
	mu        sync.Mutex
	state     model.State
	preflight map[string]awsops.Preflight // by origin
	inspects  int
	probes    int
	// block, when set, makes Inspect wait for ctx to end.
	block bool
}

func (f *fakeBackend) Inspect(ctx context.Context, s model.Settings) model.State {
	f.mu.Lock()
	f.inspects++
	block := f.block
	st := f.state
	f.mu.Unlock()
	if block {
		<-ctx.Done()
	}
	st.Settings = s
	return st
}

func (f *fakeBackend) PreflightCORS(ctx context.Context, bucket, region, origin,
	method string) (awsops.Preflight, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.probes++
	if p, ok := f.preflight[origin]; ok {
		return p, nil
	}
	return awsops.Preflight{Status: 403, ErrorCode: "AccessForbidden",
		ErrorMessage: "CORSResponse: CORS is not enabled for this bucket."}, nil
}

func (f *fakeBackend) connector() Connector {
	return func(context.Context, model.Settings) (Backend, error) { return f, nil }
}

// fixedClock is a clock tests move by hand.
var testTime = time.Date(2026, 12, 4, 15, 0, 0, 0, time.UTC)

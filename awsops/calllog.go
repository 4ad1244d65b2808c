package awsops

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"sync"
	"time"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
)

// Call is one AWS call as the command log shows it.
type Call struct {
	Time      time.Time `json:"time"`
	Service   string    `json:"service"`
	Operation string    `json:"operation"`
	// Target is the bucket, key or trail the call was about, when the input names one.
	Target string `json:"target,omitempty"`
	// Result is "OK" or the error code AWS (or the network) gave.
	Result   string        `json:"result"`
	Duration time.Duration `json:"duration_ns"`
	// Input is the call's input parameters, for showing the AWS CLI equivalent.
	Input any `json:"-"`
}

// CallLog records the calls that the clients of a Session make. It is safe for concurrent
// use; the zero value is ready.
type CallLog struct {
	mu    sync.Mutex
	calls []Call
	// Sink, when set, receives each call as one JSON line (--log-file).
	Sink io.Writer
	// Max bounds how many calls are kept in memory; 0 means 1000.
	Max int
}

// Calls returns a copy of the recorded calls, oldest first.
func (l *CallLog) Calls() []Call {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Call(nil), l.calls...)
}

func (l *CallLog) add(c Call) {
	l.mu.Lock()
	defer l.mu.Unlock()
	limit := l.Max
	if limit == 0 {
		limit = 1000
	}
	l.calls = append(l.calls, c)
	if len(l.calls) > limit {
		l.calls = l.calls[len(l.calls)-limit:]
	}
	if l.Sink != nil {
		line, err := json.Marshal(c)
		if err == nil {
			_, _ = l.Sink.Write(append(line, '\n'))
		}
	}
}

func (l *CallLog) apiOptions() []func(*middleware.Stack) error {
	return []func(*middleware.Stack) error{func(st *middleware.Stack) error {
		return st.Initialize.Add(middleware.InitializeMiddlewareFunc("slateoCallLog",
			l.record), middleware.Before)
	}}
}

func (l *CallLog) record(ctx context.Context, in middleware.InitializeInput,
	next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
	start := time.Now()
	out, md, err := next.HandleInitialize(ctx, in)
	l.add(Call{
		Time:      start,
		Service:   serviceOf(ctx),
		Operation: middleware.GetOperationName(ctx),
		Target:    targetOf(in.Parameters),
		Result:    resultOf(err),
		Duration:  time.Since(start),
		Input:     in.Parameters,
	})
	return out, md, err
}

// targetOf finds the resource a call's input names, by the SDK's field names.
func targetOf(params any) string {
	v := reflect.ValueOf(params)
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return ""
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return ""
	}
	for _, name := range []string{"Bucket", "KeyId", "TrailName", "Name"} {
		if target, ok := stringField(v, name); ok {
			if key, ok := stringField(v, "Key"); ok {
				target += "/" + key
			}
			return target
		}
	}
	return ""
}

// resultOf names an error by its AWS error code, or the context error, or "error".
func resultOf(err error) string {
	if err == nil {
		return "OK"
	}
	var apiErr smithy.APIError
	switch {
	case errors.As(err, &apiErr):
		return apiErr.ErrorCode()
	case errors.Is(err, context.DeadlineExceeded):
		return "Timeout"
	case errors.Is(err, context.Canceled):
		return "Canceled"
	}
	return "NetworkError"
}

// stringField returns the value of a *string field of a struct, when it is set.
func stringField(v reflect.Value, name string) (string, bool) {
	f := v.FieldByName(name)
	if !f.IsValid() || f.Kind() != reflect.Pointer || f.IsNil() ||
		f.Elem().Kind() != reflect.String {
		return "", false
	}
	return f.Elem().String(), true
}

// serviceOf names the service of a call. The per-operation metadata may not be registered
// yet when the log's middleware runs first, so the client's own service id is the fallback.
func serviceOf(ctx context.Context) string {
	if id := awsmiddleware.GetServiceID(ctx); id != "" {
		return id
	}
	return middleware.GetServiceID(ctx)
}

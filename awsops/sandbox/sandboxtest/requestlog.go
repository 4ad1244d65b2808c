package sandboxtest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strings"
	"sync"
	"testing"
)

// Request is one line of the sandbox's request log.
type Request struct {
	Time      string `json:"time"`
	Service   string `json:"service"`
	Operation string `json:"operation"`
	Bucket    string `json:"bucket"`
	Status    int    `json:"status"`
}

// IsWrite reports whether the request called an operation that changes the account.
func (r Request) IsWrite() bool {
	for _, verb := range writeVerbs {
		if strings.HasPrefix(r.Operation, verb) {
			return true
		}
	}
	return false
}

var writeVerbs = []string{"Put", "Create", "Delete", "Update", "Start", "Stop", "Schedule",
	"Cancel", "Enable", "Disable", "Tag", "Untag", "Upload", "Complete", "Abort", "Copy",
	"Restore", "Import", "Add", "Remove"}

// RequestLog is a sandbox request log (sandbox.Options.Log) that tests can read while the
// sandbox writes it. The zero value is ready to use.
type RequestLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write appends log lines; the sandbox calls it.
func (l *RequestLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// Requests returns every request logged so far, in order.
func (l *RequestLog) Requests(t testing.TB) []Request {
	t.Helper()
	l.mu.Lock()
	data := append([]byte(nil), l.buf.Bytes()...)
	l.mu.Unlock()
	var out []Request
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		var r Request
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("reading request log line %q: %v", sc.Text(), err)
		}
		out = append(out, r)
	}
	return out
}

// Writes returns the logged requests that called a write operation (including those that
// failed), in order. A test proves that a command sent no write with len(Writes(t)) == 0.
func (l *RequestLog) Writes(t testing.TB) []Request {
	t.Helper()
	var out []Request
	for _, r := range l.Requests(t) {
		if r.IsWrite() {
			out = append(out, r)
		}
	}
	return out
}

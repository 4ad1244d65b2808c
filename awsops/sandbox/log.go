package sandbox

import (
	"encoding/json"
	"io"
	"sync"
	"time"
)

// requestLog writes one JSON line per request; a nil writer logs nothing.
type requestLog struct {
	mu sync.Mutex
	w  io.Writer
}

func newRequestLog(w io.Writer) *requestLog {
	return &requestLog{w: w}
}

// logLine is one line of the request log (--log). Other engineers' tests read it to prove
// what a command sent, so its field names are a contract.
type logLine struct {
	Time      string `json:"time"`
	Service   string `json:"service"`
	Operation string `json:"operation"`
	Bucket    string `json:"bucket"`
	Status    int    `json:"status"`
}

func (l *requestLog) write(now time.Time, service, operation, bucket string, status int) {
	if l.w == nil {
		return
	}
	line, err := json.Marshal(logLine{Time: now.UTC().Format(time.RFC3339Nano),
		Service: service, Operation: operation, Bucket: bucket, Status: status})
	if err != nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	_, _ = l.w.Write(append(line, '\n'))
}

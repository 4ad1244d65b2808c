package sandbox

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"

	"slateo-s3/awsops/sandbox/simcore"
)

// savedState is the --state file: the account and each service's own state.
type savedState struct {
	Account    string           `json:"account"`
	S3         json.RawMessage  `json:"s3,omitempty"`
	KMS        json.RawMessage  `json:"kms,omitempty"`
	CloudTrail json.RawMessage  `json:"cloudtrail,omitempty"`
	Journal    []simcore.Record `json:"journal"`
}

// stateFile saves the account after every change, once the sandbox is built.
type stateFile struct {
	path    string
	mu      sync.Mutex
	isReady bool
	lastErr error
}

func (f *stateFile) ready() {
	f.mu.Lock()
	f.isReady = true
	f.mu.Unlock()
}

// readState loads a state file; a file that does not exist gives nil.
func readState(path string) (*savedState, error) {
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading state file %s: %w", path, err)
	}
	var st savedState
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("reading state file %s: %w", path, err)
	}
	if st.Account != "" && !isAccountID(st.Account) {
		return nil, fmt.Errorf("reading state file %s: account %q is not 12 digits",
			path, st.Account)
	}
	return &st, nil
}

func (s *Server) loadState(st *savedState) error {
	parts := []struct {
		name string
		raw  json.RawMessage
		svc  simcore.Service
	}{{"s3", st.S3, s.s3}, {"kms", st.KMS, s.kms}, {"cloudtrail", st.CloudTrail, s.trail}}
	for _, p := range parts {
		if len(p.raw) == 0 {
			continue
		}
		if err := p.svc.LoadState(p.raw); err != nil {
			return fmt.Errorf("loading %s state from %s: %w", p.name, s.state.path, err)
		}
	}
	s.env.Journal.Add(st.Journal...)
	return nil
}

// changed is the services' Changed callback: it saves the state file.
func (s *Server) changed() {
	_ = s.save()
}

// save writes the whole account to the state file atomically: a temporary file in the same
// directory, renamed over the old one.
func (s *Server) save() error {
	f := s.state
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.path == "" || !f.isReady {
		return nil
	}
	data, err := s.marshalState()
	if err == nil {
		err = writeAtomic(f.path, data)
	}
	if err != nil {
		err = fmt.Errorf("saving state file %s: %w", f.path, err)
	}
	f.lastErr = err
	return err
}

func (s *Server) marshalState() ([]byte, error) {
	st := savedState{Account: s.env.Account, Journal: oldestFirst(s.env.Journal)}
	var err error
	if st.S3, err = s.s3.MarshalState(); err != nil {
		return nil, err
	}
	if st.KMS, err = s.kms.MarshalState(); err != nil {
		return nil, err
	}
	if st.CloudTrail, err = s.trail.MarshalState(); err != nil {
		return nil, err
	}
	return json.MarshalIndent(st, "", "  ")
}

// oldestFirst returns the journal in an order that, added back, gives the same NewestFirst:
// by time, records of the same second in the order they were added.
func oldestFirst(j *simcore.Journal) []simcore.Record {
	records := j.NewestFirst()
	sort.SliceStable(records, func(a, b int) bool {
		return records[a].Time().Before(records[b].Time())
	})
	return records
}

func writeAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+"-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// SaveError returns the error of the last state file save, or nil.
func (s *Server) SaveError() error {
	s.state.mu.Lock()
	defer s.state.mu.Unlock()
	return s.state.lastErr
}

// addEvents adds the CloudTrail records of an --events file (one JSON record a line) to the
// journal, skipping records whose eventID it already holds.
func (s *Server) addEvents(path string) error {
	if path == "" {
		return nil
	}
	file, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("reading events file %s: %w", path, err)
	}
	defer file.Close()
	seen := map[string]bool{}
	for _, r := range s.env.Journal.NewestFirst() {
		seen[r.EventID] = true
	}
	sc := bufio.NewScanner(file)
	sc.Buffer(make([]byte, 64*1024), 4<<20)
	for n := 1; sc.Scan(); n++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var r simcore.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return fmt.Errorf("reading events file %s line %d: %w", path, n, err)
		}
		if r.EventID != "" && seen[r.EventID] {
			continue
		}
		seen[r.EventID] = true
		s.env.Journal.Add(r)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading events file %s: %w", path, err)
	}
	return nil
}

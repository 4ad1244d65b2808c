package awsops

import (
	"context"
	"sort"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"

	"slateo-s3/model"
)

// keyBook reads each KMS key of an inspection once, however many buckets name it.
type keyBook struct {
	in    *inspector
	mu    sync.Mutex
	byRef map[string]*keyEntry
}

type keyEntry struct {
	// done is closed once state is set.
	done  chan struct{}
	state model.KeyState
	rank  int
}

func newKeyBook(in *inspector) *keyBook {
	return &keyBook{in: in, byRef: map[string]*keyEntry{}}
}

// claim registers ref with its rank (0 for the configured key, then the buckets in order)
// and returns its entry; fresh is true for the caller that must read it.
func (k *keyBook) claim(ref string, rank int) (e *keyEntry, fresh bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if e, ok := k.byRef[ref]; ok {
		return e, false
	}
	e = &keyEntry{done: make(chan struct{}), rank: rank}
	k.byRef[ref] = e
	return e, true
}

// resolve reads the key that ref names (DescribeKey in region unless ref is an ARN, then
// GetKeyPolicy) unless it was read already; a ref that is the ARN or id of a key named with a
// lower rank reuses that key's answers.
func (k *keyBook) resolve(ctx context.Context, ref, region string, rank int) {
	e, fresh := k.claim(ref, rank)
	if !fresh {
		wait(ctx, e.done)
		return
	}
	k.fill(ctx, e, ref, region)
}

// fill reads the key of a fresh entry, or copies a twin's answers.
func (k *keyBook) fill(ctx context.Context, e *keyEntry, ref, region string) {
	defer close(e.done)

	// A key named with a lower rank (the configured one, usually) may be this very key under
	// another name. It was named at least one call sooner, so waiting for it costs no round
	// trip; only lower ranks are awaited, so two keys never wait for each other.
	for _, other := range k.lowerRanks(e.rank) {
		wait(ctx, other.done)
	}
	k.mu.Lock()
	twin := k.twinLocked(ref)
	k.mu.Unlock()
	if twin != nil {
		e.state = model.KeyState{Ref: ref, Metadata: twin.Metadata, Policy: twin.Policy}
		return
	}
	e.state = k.in.key(ctx, ref, region)
}

func (k *keyBook) lowerRanks(rank int) []*keyEntry {
	k.mu.Lock()
	defer k.mu.Unlock()
	var out []*keyEntry
	for _, e := range k.byRef {
		if e.rank < rank {
			out = append(out, e)
		}
	}
	return out
}

// wait returns when done is closed or ctx ends.
func wait(ctx context.Context, done <-chan struct{}) {
	select {
	case <-done:
	case <-ctx.Done():
	}
}

// twinLocked returns a key already read whose ARN or id is ref.
func (k *keyBook) twinLocked(ref string) *model.KeyState {
	for _, e := range k.byRef {
		select {
		case <-e.done:
		default:
			continue
		}
		m := e.state.Metadata
		if m.IsPresent() && (m.Value.ARN == ref || m.Value.KeyID == ref) {
			return &e.state
		}
	}
	return nil
}

// states returns the keys read: the configured key first, then the buckets' keys in the
// order of the buckets. It must be called only
// after every resolve has returned.
func (k *keyBook) states() []model.KeyState {
	k.mu.Lock()
	defer k.mu.Unlock()

	entries := make([]*keyEntry, 0, len(k.byRef))
	for _, e := range k.byRef {
		entries = append(entries, e)
	}
	sort.Slice(entries, func(i, j int) bool {
		if entries[i].rank != entries[j].rank {
			return entries[i].rank < entries[j].rank
		}
		return entries[i].state.Ref < entries[j].state.Ref
	})
	out := make([]model.KeyState, 0, len(entries))
	for _, e := range entries {
		out = append(out, e.state)
	}
	return out
}

// key describes one key and reads its policy when the caller may: only a customer-managed
// key of the caller's own account, by key id or ARN, in the key's region. A ref that is a
// key id or key ARN is all GetKeyPolicy needs, so then both calls go out at once and the
// policy is dropped if DescribeKey shows a key whose policy is not the caller's to read;
// an alias must be described first.
func (in *inspector) key(ctx context.Context, ref, region string) model.KeyState {
	ks := model.KeyState{Ref: ref}
	if r := arnRegion(ref); r != "" {
		region = r
	}
	if !namesKeyDirectly(ref) {
		ks.Metadata = in.describeKey(ctx, ref, region)
		ks.Policy = in.keyPolicy(ctx, ks.Metadata)
		return ks
	}

	var wg sync.WaitGroup
	wg.Go(func() { ks.Metadata = in.describeKey(ctx, ref, region) })
	ks.Policy = in.keyPolicyByRef(ctx, ref, region)
	wg.Wait()

	if ks.Metadata.IsPresent() {
		if why := policyNotRead(ks.Metadata.Value, in.account(ctx)); why != "" {
			ks.Policy = model.Unreadable[string](why, "")
		}
	}
	return ks
}

// namesKeyDirectly reports whether ref is a key id or key ARN rather than an alias.
func namesKeyDirectly(ref string) bool {
	if strings.HasPrefix(ref, "alias/") {
		return false
	}
	if arnRegion(ref) != "" {
		return strings.HasPrefix(arnResource(ref), "key/")
	}
	return true
}

// keyPolicyByRef reads the policy of a key named by id or ARN before it is described, unless
// the ARN names another account than the caller's.
func (in *inspector) keyPolicyByRef(ctx context.Context, ref, region string) model.Fact[string] {
	account := in.account(ctx)
	if owner := arnAccount(ref); owner != "" && owner != account {
		return model.Unreadable[string]("not read: the key belongs to account "+owner+
			"; only that account can read its policy", "")
	}
	return in.getKeyPolicy(ctx, ref, region)
}

// describeKey reads a key's metadata. A key that does not exist cannot be read, and the
// reason says so: it is a fact about the key, not a setting AWS reports as unset.
func (in *inspector) describeKey(ctx context.Context, ref, region string) (
	m model.Fact[model.KeyMetadata]) {
	var out *kms.DescribeKeyOutput
	err := in.do(ctx, func(ctx context.Context) (err error) {
		out, err = in.api.KMS.DescribeKey(ctx, &kms.DescribeKeyInput{KeyId: aws.String(ref)},
			kmsInRegion(region))
		return err
	})
	switch {
	case ErrorCode(err) == "NotFoundException":
		return model.Unreadable[model.KeyMetadata]("the key does not exist ("+Reason(err)+")", "")
	case err != nil:
		return FactFromError[model.KeyMetadata](err, "kms:DescribeKey")
	}
	return model.Known(keyMetadata(out.KeyMetadata))
}

// keyPolicy reads the policy of a described key, or says why it is not read.
func (in *inspector) keyPolicy(
	ctx context.Context, meta model.Fact[model.KeyMetadata],
) model.Fact[string] {
	if !meta.IsPresent() {
		return model.Unreadable[string]("not read: the key could not be described", "")
	}
	if why := policyNotRead(meta.Value, in.account(ctx)); why != "" {
		return model.Unreadable[string](why, "")
	}
	return in.getKeyPolicy(ctx, meta.Value.ARN, meta.Value.Region)
}

// policyNotRead says why the caller may not read a key's policy, or "" when it may.
func policyNotRead(m model.KeyMetadata, account string) string {
	switch {
	case m.Manager != string(types.KeyManagerTypeCustomer):
		return "not read: AWS manages this key and its policy"
	case account == "":
		return "not read: the caller's account is unknown"
	case m.Account != account:
		return "not read: the key belongs to account " + m.Account +
			"; only that account can read its policy"
	}
	return ""
}

func (in *inspector) getKeyPolicy(ctx context.Context, keyID, region string) model.Fact[string] {
	return read(ctx, in, "kms:GetKeyPolicy",
		func(ctx context.Context) (*kms.GetKeyPolicyOutput, error) {
			return in.api.KMS.GetKeyPolicy(ctx, &kms.GetKeyPolicyInput{
				KeyId:      aws.String(keyID),
				PolicyName: aws.String("default"),
			}, kmsInRegion(region))
		},
		func(out *kms.GetKeyPolicyOutput) string { return aws.ToString(out.Policy) })
}

func keyMetadata(m *types.KeyMetadata) model.KeyMetadata {
	if m == nil {
		return model.KeyMetadata{}
	}
	arn := aws.ToString(m.Arn)
	return model.KeyMetadata{
		KeyID:        aws.ToString(m.KeyId),
		ARN:          arn,
		Account:      aws.ToString(m.AWSAccountId),
		Region:       arnRegion(arn),
		State:        string(m.KeyState),
		Enabled:      m.Enabled,
		Manager:      string(m.KeyManager),
		DeletionDate: m.DeletionDate,
	}
}

// arnRegion returns the region part of an ARN, or "" when s is not an ARN.
func arnRegion(s string) string {
	return arnPart(s, 3)
}

// arnAccount returns the account part of an ARN, or "" when s is not an ARN.
func arnAccount(s string) string {
	return arnPart(s, 4)
}

// arnResource returns the resource part of an ARN, or "" when s is not an ARN.
func arnResource(s string) string {
	return arnPart(s, 5)
}

func arnPart(s string, i int) string {
	parts := strings.SplitN(s, ":", 6)
	if len(parts) < 6 || parts[0] != "arn" {
		return ""
	}
	return parts[i]
}

// kmsInRegion sends one KMS call to a key's region.
func kmsInRegion(region string) func(*kms.Options) {
	return func(o *kms.Options) {
		if region != "" {
			o.Region = region
		}
	}
}

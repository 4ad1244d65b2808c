// Package s3sim is the sandbox's simulated Amazon S3: path-style REST-XML buckets with their
// configuration (public access block, policy, CORS, encryption, ownership, versioning,
// logging) and plain objects, answering with the status codes, error codes and body shapes
// that S3 uses. It also offers a Go API that scenarios use to build an account without going
// through HTTP; that API validates like the wire but records no CloudTrail event.
package s3sim

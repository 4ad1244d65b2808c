package model

import (
	"fmt"
	"strings"
)

// Command is one action of the setup guide for the user's values: an AWS CLI v2 command, the
// document it reads (shown beside it), or, for step 5, what to type into Slateo.
type Command struct {
	// Step is the setup guide's step, 1 to 5.
	Step  int
	Title string
	// CLI is the shell command to run; empty when the step is done by hand (step 5, or step
	// 4 without a KMS key).
	CLI string
	// File is the name the CLI command reads Document from (file://File); empty when the
	// command reads no file or Document is only a part to merge into it (step 4).
	File string
	// Document is the JSON the command reads, the statement to merge, or the values to enter.
	Document string
}

// The labels of Slateo's storage form, exactly as Slateo shows them.
const (
	SlateoUploadField = "S3 Upload Bucket"
	SlateoCacheField  = "S3 Cache Bucket"
	SlateoRegionField = "AWS Region"
)

// SlateoStoragePath is where in Slateo the storage provider is configured.
const SlateoStoragePath = "Admin → Databases → the gear icon on the database connection → " +
	"storage provider S3"

// SetupCommands returns the setup guide's five steps as commands for the settings, in order.
// Every value is shell-quoted. It expects valid settings (see Validate).
func SetupCommands(s Settings) []Command {
	var cmds []Command
	cmds = append(cmds, createBucketCommands(s)...)
	cmds = append(cmds, publicAccessCommands(s)...)
	cmds = append(cmds, policyCommands(s)...)
	cmds = append(cmds, corsCommand(s))
	cmds = append(cmds, kmsCommand(s))
	return append(cmds, slateoCommand(s))
}

func createBucketCommands(s Settings) []Command {
	region := s.EffectiveRegion()
	var cmds []Command
	for _, b := range s.BucketNames() {
		cli := "aws s3api create-bucket --bucket " + ShellQuote(b) +
			" --region " + ShellQuote(region)
		// us-east-1 is S3's default location and refuses it as a LocationConstraint.
		if region != "us-east-1" {
			cli += " --create-bucket-configuration LocationConstraint=" + ShellQuote(region)
		}
		cmds = append(cmds, Command{Step: 1, Title: "Create bucket " + b, CLI: cli})
	}
	return cmds
}

func publicAccessCommands(s Settings) []Command {
	const flags = "BlockPublicAcls=true,IgnorePublicAcls=true," +
		"BlockPublicPolicy=true,RestrictPublicBuckets=true"
	var cmds []Command
	for _, b := range s.BucketNames() {
		cmds = append(cmds, Command{Step: 1, Title: "Block all public access on " + b,
			CLI: "aws s3api put-public-access-block --bucket " + ShellQuote(b) +
				" --region " + ShellQuote(s.EffectiveRegion()) +
				" --public-access-block-configuration " + flags})
	}
	return cmds
}

func policyCommands(s Settings) []Command {
	var cmds []Command
	for _, b := range s.BucketNames() {
		file := b + "-policy.json"
		cmds = append(cmds, Command{Step: 2, Title: "Bucket policy on " + b,
			CLI: "aws s3api put-bucket-policy --bucket " + ShellQuote(b) +
				" --region " + ShellQuote(s.EffectiveRegion()) +
				" --policy " + ShellQuote("file://"+file),
			File: file, Document: BucketPolicy(b, s.OrgSlug).JSON()})
	}
	return cmds
}

func corsCommand(s Settings) Command {
	b := s.CacheBucketName()
	file := b + "-cors.json"
	return Command{Step: 3, Title: "CORS on the cache bucket " + b,
		CLI: "aws s3api put-bucket-cors --bucket " + ShellQuote(b) +
			" --region " + ShellQuote(s.EffectiveRegion()) +
			" --cors-configuration " + ShellQuote("file://"+file),
		File: file, Document: CORSDocument(DesiredCORSRule())}
}

// kmsCommand reads the key policy, leaves the merge of the statement to the user (a key
// policy holds the key administrators' statements too) and writes it back.
func kmsCommand(s Settings) Command {
	stmt := KMSStatement(s.OrgSlug).JSON()
	if s.KMSKey == "" {
		return Command{Step: 4, Title: "Optional: only if the buckets use SSE-KMS with a " +
			"customer-managed key, add this statement to that key's policy", Document: stmt}
	}
	region := ShellQuote(s.EffectiveRegion())
	lines := []string{
		"KEY_ARN=$(aws kms describe-key --key-id " + ShellQuote(s.KMSKey) +
			" --region " + region + " --query KeyMetadata.Arn --output text)",
		`aws kms get-key-policy --key-id "$KEY_ARN" --policy-name default --region ` +
			region + " --query Policy --output text > key-policy.json",
		"# add the statement to the Statement list of key-policy.json, then:",
		`aws kms put-key-policy --key-id "$KEY_ARN" --policy-name default --region ` +
			region + " --policy file://key-policy.json",
	}
	return Command{Step: 4, Title: "Let the org role use the KMS key " + s.KMSKey,
		CLI: strings.Join(lines, "\n"), Document: stmt}
}

func slateoCommand(s Settings) Command {
	doc := fmt.Sprintf("%s: %s\n%s: %s\n%s: %s\n",
		SlateoUploadField, s.UploadsBucketName(),
		SlateoCacheField, s.CacheBucketName(),
		SlateoRegionField, s.EffectiveRegion())
	return Command{Step: 5,
		Title:    "In Slateo: " + SlateoStoragePath + ", enter these values, then Save",
		Document: doc}
}

// ShellQuote quotes s for a POSIX shell: unchanged when it holds only characters no shell
// treats specially, otherwise in single quotes, each inner quote closing, escaping and
// reopening the quotes.
func ShellQuote(s string) string {
	if s != "" && strings.Trim(s, shellSafe) == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

const shellSafe = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" +
	"@%+=:,./_-"

package sandbox_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const module = "slateo-s3/"

// TestImportsStayIndependent proves the sandbox (with every package it pulls in from this
// module) imports neither the console's model nor its diagnostics nor the AWS SDK, so a
// checker test against it is not the checker testing itself.
func TestImportsStayIndependent(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	forbidden := []string{module + "model", module + "diagnostics",
		"github.com/aws/aws-sdk-go-v2"}
	for _, start := range []string{"awsops/sandbox", "awsops/sandbox/s3sim",
		"awsops/sandbox/sandboxtest"} {
		t.Run(start, func(t *testing.T) {
			for imp, from := range importsOf(t, root, start) {
				for _, f := range forbidden {
					if imp == f || strings.HasPrefix(imp, f+"/") {
						t.Errorf("%s imports %s", from, imp)
					}
				}
			}
		})
	}
}

// importsOf returns every import reachable from the non-test files of a package directory
// of the module, following the module's own packages, each with the package importing it.
func importsOf(t *testing.T, root, dir string) map[string]string {
	t.Helper()
	seen := map[string]string{}
	queue := []string{dir}
	for len(queue) > 0 {
		d := queue[0]
		queue = queue[1:]
		for _, imp := range dirImports(t, filepath.Join(root, d)) {
			if _, ok := seen[imp]; ok {
				continue
			}
			seen[imp] = d
			if rest, ok := strings.CutPrefix(imp, module); ok {
				queue = append(queue, rest)
			}
		}
	}
	return seen
}

func dirImports(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("reading package %s: %v", dir, err)
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(dir, name), nil,
			parser.ImportsOnly)
		if err != nil {
			t.Fatalf("parsing %s: %v", name, err)
		}
		for _, imp := range f.Imports {
			out = append(out, strings.Trim(imp.Path.Value, `"`))
		}
	}
	return out
}

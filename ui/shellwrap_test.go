package ui

import (
	"bytes"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"

	"slateo-s3/model"
)

// shellArgs runs script's words through /bin/sh and returns the arguments it reads.
func shellArgs(t *testing.T, script string) string {
	t.Helper()
	out, err := exec.Command("/bin/sh", "-c", "printf '[%s]\\n' "+script).CombinedOutput()
	if err != nil {
		t.Fatalf("sh: %v: %s", err, out)
	}
	return string(out)
}

func TestShellLinesFitAndRunTheSameCommand(t *testing.T) {
	if _, err := exec.LookPath("/bin/sh"); err != nil {
		t.Skip("no /bin/sh to parse the wrapped commands")
	}
	s := acme
	s.KMSKey = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	cmds := []string{
		"aws s3api put-public-access-block --bucket acme-slateo-uploads --region us-west-2 " +
			"--public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true," +
			"BlockPublicPolicy=true,RestrictPublicBuckets=true",
		"aws s3api x --query 'Rules[?ID==`a b c d e f g h i j k l m n o p q r s t u`]' " +
			"--value \"double quoted, with spaces and a \\\" quote inside it, long enough\"",
		"aws s3api put-bucket-cors --bucket acme-slateo-cache --cors-configuration " +
			`'{"CORSRules":[{"AllowedHeaders":["*"],"AllowedMethods":["GET","HEAD"],` +
			`"AllowedOrigins":["https://*.slateo.ai"],"MaxAgeSeconds":3600}]}' --region x`,
		"aws kms get-key-policy --key-id " + s.KMSKey + " --policy-name default --output text",
	}
	for _, c := range model.SetupCommands(s) {
		if c.CLI != "" && !strings.Contains(c.CLI, "\n") {
			cmds = append(cmds, c.CLI)
		}
	}
	for _, width := range []int{78, 60, 40} {
		for _, cmd := range cmds {
			got := shellLines(cmd, width)
			for _, l := range strings.Split(got, "\n") {
				if lipgloss.Width(l) > width {
					t.Errorf("width %d: line %q is %d wide:\n%s", width, l, lipgloss.Width(l),
						got)
				}
			}
			if want := shellArgs(t, cmd); shellArgs(t, got) != want {
				t.Errorf("width %d: the wrapped command reads differently:\n%s\nwant\n%s",
					width, got, want)
			}
		}
	}
}

func TestShellLinesBreakALongValueAfterAComma(t *testing.T) {
	got := shellLines("aws s3api put-public-access-block --public-access-block-configuration "+
		"BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,"+
		"RestrictPublicBuckets=true", 78)
	want := "  aws s3api put-public-access-block --public-access-block-configuration \\\n" +
		"    BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,\\\n" +
		"RestrictPublicBuckets=true"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestWizardShowsWholeCommandsAndCopiesThemUnbroken(t *testing.T) {
	var clip bytes.Buffer
	fb := &fakeBackend{}
	m := manual(t, Options{Settings: acme, Connect: fb.connector(), Now: fixedNow,
		Clipboard: &clip}, 80, 24)
	m = withChecks(t, m, fb, handChecks())
	m = drive(t, m, keys("2")...)
	view := m.View()
	assertScreen(t, view, 80, 24)
	if !strings.Contains(view, "BlockPublicPolicy=true,\\\nRestrictPublicBuckets=true\n") {
		t.Errorf("the public access block command is not shown whole:\n%s", view)
	}

	m = drive(t, m, keys("c")...)
	script := decodeOSC52(t, clip.String())
	want := "\naws s3api put-public-access-block --bucket acme-slateo-uploads " +
		"--region us-west-2 --public-access-block-configuration BlockPublicAcls=true," +
		"IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true\n"
	if !strings.Contains(script, want) {
		t.Errorf("the copied step lacks the command on one line:\n%s", script)
	}
}

func TestWizardStepIndicatorShowsEveryStep(t *testing.T) {
	fb := &fakeBackend{}
	for _, width := range []int{60, 80, 120} {
		m := manual(t, Options{Settings: acme, Connect: fb.connector(), Now: fixedNow},
			width, 24)
		m = withChecks(t, m, fb, handChecks())
		m = drive(t, m, keys("2")...)
		for step := 1; step <= len(wizardSteps); step++ {
			t.Run(fmt.Sprintf("%d/step %d", width, step), func(t *testing.T) {
				view := m.View()
				assertScreen(t, view, width, 24)
				head := strings.Split(view, "\n")[3]
				progress := strings.Replace(" 1  2  3  4  5 ",
					fmt.Sprintf(" %d ", step), fmt.Sprintf("[%d]", step), 1)
				if !strings.HasSuffix(strings.TrimRight(head, " "),
					strings.TrimRight(progress, " ")) ||
					!strings.Contains(head, fmt.Sprintf("Step %d ", step)) {
					t.Errorf("the step line lacks its number or a step:\n%q", head)
				}
			})
			m = drive(t, m, keys("n")...)
		}
	}
}

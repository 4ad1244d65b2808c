package ui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

func TestFullHelpListsEachKeyOnce(t *testing.T) {
	fb := &fakeBackend{}
	for s := screen(1); s < screenCount; s++ {
		t.Run(screenNames[s], func(t *testing.T) {
			m := manual(t, Options{Settings: acme, Connect: fb.connector(), Now: fixedNow},
				200, 50)
			m = withChecks(t, m, fb, handChecks())
			m = drive(t, m, keys(fmt.Sprint(int(s)+1), "?")...)
			view := m.View()
			help := view[strings.Index(view, "auto-refresh every"):]
			for _, entry := range []string{`\br +refresh\b`, `\bp +pause auto-refresh\b`,
				`\bq +quit\b`} {
				if n := len(regexp.MustCompile(entry).FindAllString(help, -1)); n != 1 {
					t.Errorf("%s is listed %d times in the full help:\n%s", entry, n, help)
				}
			}
		})
	}
}

package main

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestAttackRun runs a short attack and reads its report: every call has a
// line, the legitimate calls all succeeded, and the attacker had no more
// passwords checked than its address's limit.
func TestAttackRun(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-duration", "2s", "-clients", "2", "-attackers", "4", "-baseline", "2"}, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	report := out.String()
	failed := regexp.MustCompile(`\b[345]\d\d: \d`)
	for _, c := range []call{signIn, permissions, artikels, klanten, guess} {
		line := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(string(c)) + `\s+(\d+)\s.*$`).FindString(report)
		if line == "" {
			t.Errorf("no line for %s:\n%s", c, report)
			continue
		}
		if c != guess && (failed.MatchString(line) || strings.Contains(line, "error")) {
			t.Errorf("a legitimate call failed: %s", line)
		}
	}
	m := regexp.MustCompile(`had checked \(401s\): (\d+); its address's limit is (\d+)`).FindStringSubmatch(report)
	if m == nil {
		t.Fatalf("no count of the attacker's password checks:\n%s", report)
	}
	checked, _ := strconv.Atoi(m[1])
	limit, _ := strconv.Atoi(m[2])
	if checked > limit {
		t.Errorf("the attacker had %d passwords checked, over its address's limit of %d", checked, limit)
	}
	if !strings.Contains(report, "unloaded baseline p50") {
		t.Errorf("no baseline:\n%s", report)
	}
}

func TestAttackIsBounded(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"-duration", "6m"}, {"-duration", "0s"}, {"-clients", "0"}, {"-attackers", "1000"}} {
		if err := run(context.Background(), args, io.Discard, io.Discard); err == nil {
			t.Errorf("%v: accepted", args)
		}
	}
}

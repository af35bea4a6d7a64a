package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// auditFlags are serve's flags for what the audit log keeps.
type auditFlags struct {
	retention time.Duration
	budget    int
}

func addAuditFlags(c *cobra.Command) *auditFlags {
	a := &auditFlags{}
	c.Flags().DurationVar(&a.retention, "audit-retention", erp.DefaultAuditRetention, "how long audit entries are kept before they are deleted")
	c.Flags().IntVar(&a.budget, "audit-budget", erp.DefaultAuditBudget, "entries about failed and refused sign-ins the audit log takes a minute (each counts one username's attempts in that minute); past it one entry a minute counts the rest")
	return a
}

// check refuses values that would keep nothing.
func (a *auditFlags) check() error {
	if a.retention < 24*time.Hour {
		return fmt.Errorf("--audit-retention %s: keep audit entries at least a day (such as 2160h for 90 days)", a.retention)
	}
	if a.budget < 1 {
		return fmt.Errorf("--audit-budget %d: at least one entry a minute", a.budget)
	}
	return nil
}

// config sets the audit fields of an erp.Config.
func (a *auditFlags) config(c *erp.Config) {
	c.AuditRetention, c.AuditBudget = a.retention, a.budget
}

package demo

import (
	"context"
	"fmt"
	"strings"

	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// PublicCredentials lists the demo's published credentials that still work
// in svc's database: the users that accept the demo password and the demo
// company token. Anyone who read the README can use them, so a server
// holding any must not be reachable from elsewhere, whether or not it was
// started with --demo.
func PublicCredentials(ctx context.Context, svc *erp.Service) ([]string, error) {
	var found []string
	for _, u := range []string{Username, Viewer} {
		ok, err := svc.PasswordMatches(ctx, u, Password)
		if err != nil {
			return nil, err
		}
		if ok {
			found = append(found, fmt.Sprintf("user %s accepts the demo password", u))
		}
	}
	ok, err := svc.CompanyTokenLive(ctx, CompanyToken)
	if err != nil {
		return nil, err
	}
	if ok {
		found = append(found, "the demo company token is live")
	}
	return found, nil
}

// Remove deletes the demo company with its users, tokens and catalogue,
// then checks that no published credential works any more (a user "demo"
// given the demo password elsewhere would); what still does is an error
// that names it. The app timeapp and its permission tree stay: they hold no
// credential and real users may have been granted them.
func Remove(ctx context.Context, svc *erp.Service) (removed bool, err error) {
	switch err := svc.DeleteCompany(ctx, Company); erp.ErrorCode(err) {
	case "":
		removed = true
	case erp.ENotFound:
	default:
		return false, err
	}
	left, err := PublicCredentials(ctx, svc)
	if err != nil {
		return removed, err
	}
	if len(left) > 0 {
		return removed, fmt.Errorf("still in the database outside the demo company: %s; change that password or revoke that token", strings.Join(left, ", "))
	}
	return removed, nil
}

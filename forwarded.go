package cloudspot

import (
	"context"
	"net/netip"
)

// forwardedForKey is the context key under which ForwardedFor keeps an
// address.
type forwardedForKey struct{}

// ForwardedFor returns a copy of ctx under which every call sends client as
// X-Forwarded-For: the address of the person a web app signs in, when the
// app calls the ERP on their behalf. Every sign-in through an app otherwise
// reaches the ERP from the app's one address, so that the ERP's limit of
// failed sign-ins per address counts all of the app's users together.
//
// The ERP believes the header only from an address it trusts as a proxy
// (cloudspot-server: --trusted-proxies with the app's address) and ignores
// it from anyone else, so sending it never lets a caller choose the address
// it is counted under. An invalid client (the zero netip.Addr) sends
// nothing.
func ForwardedFor(ctx context.Context, client netip.Addr) context.Context {
	return context.WithValue(ctx, forwardedForKey{}, client.Unmap().WithZone(""))
}

// forwardedFor is the address ForwardedFor put in ctx, if any.
func forwardedFor(ctx context.Context) (netip.Addr, bool) {
	a, ok := ctx.Value(forwardedForKey{}).(netip.Addr)
	return a, ok && a.IsValid()
}

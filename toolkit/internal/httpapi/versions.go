package httpapi

import (
	"net/http"
	"strings"

	"github.com/cloudspot-toolkit/cloudspot"
	"github.com/cloudspot-toolkit/cloudspot/toolkit/internal/erp"
)

// HeaderAPIVersion is the header of our own with which a client asks for
// the bodies of one version of the API ("0.4", "0.5", "0.6", or "latest"
// for the newest this server speaks). Without it an answer is in the version set
// for the app (user calls), which is 0.4 unless an administrator chose
// otherwise. The reference clients never send it.
const HeaderAPIVersion = "X-Cloudspot-API-Version"

// askedVersion returns the version a request asks for, "" when it asks for
// none. ServeHTTP has refused a request whose header names no version.
func askedVersion(r *http.Request) (erp.APIVersion, error) {
	vs := r.Header.Values(HeaderAPIVersion)
	switch len(vs) {
	case 0:
		return "", nil
	case 1:
		v, err := erp.ParseAPIVersion(vs[0])
		switch {
		case err != nil:
			// What the client sent is not repeated: it may be anything.
			return "", erp.Errorf(erp.EInvalid, "The %s header names no version this server speaks: %s.", HeaderAPIVersion, versionNames())
		case v == "":
			return "", erp.Errorf(erp.EInvalid, "The %s header is empty: leave it out, or name a version.", HeaderAPIVersion)
		}
		return v, nil
	}
	return "", erp.Errorf(erp.EInvalid, "The %s header is sent more than once.", HeaderAPIVersion)
}

// versionNames lists what the header may say.
func versionNames() string {
	var b strings.Builder
	for _, v := range erp.APIVersions() {
		b.WriteString(string(v) + ", ")
	}
	return b.String() + "or latest"
}

// The bodies of version 0.5 where they differ from the protocol's. Every
// key is always present, unset ones as null, because the 0.5 reference
// client reads each one.
type (
	signInResponse05 struct {
		Token       string                `json:"token"`
		Permissions cloudspot.Permissions `json:"permissions"`
		Company     *string               `json:"company"`
	}
	userResponse05 struct {
		FirstName string  `json:"first_name"`
		LastName  string  `json:"last_name"`
		Email     string  `json:"email"`
		Company   *string `json:"company"`
		Pin       *string `json:"pin"`
	}
)

// nullable is s, or null when s is unset.
func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// signInBody is the sign-in answer in version v.
func signInBody(v erp.APIVersion, res *erp.SignIn) any {
	if v.AtLeast(erp.APIVersion05) {
		return signInResponse05{Token: res.Token, Permissions: res.Permissions, Company: nullable(res.CompanyUID)}
	}
	return signInResponse{Token: res.Token, Permissions: res.Permissions}
}

// user05Body is the get-user answer of version 0.5.
func user05Body(p *erp.Profile) userResponse05 {
	return userResponse05{FirstName: p.FirstName, LastName: p.LastName, Email: p.Email,
		Company: nullable(p.CompanyUID), Pin: nullable(p.Pin)}
}

package erp

import "context"

// Profile is a user as get-user shows them in one version of the API.
type Profile struct {
	User
	// CompanyUID is the uid of the user's company; set only when
	// APIVersion shows it.
	CompanyUID string
	// APIVersion is the version to answer in.
	APIVersion APIVersion
}

// ProfileForToken returns the user behind a token issued to the requesting
// app. The answer's version is asked when the client asked for one, and
// otherwise the setting of the app the token was issued to.
func (s *Service) ProfileForToken(ctx context.Context, requestor, token string, asked APIVersion) (*Profile, error) {
	e, err := s.userForToken(ctx, requestor, token)
	if err != nil {
		return nil, err
	}
	p := &Profile{User: e.user, APIVersion: asked}
	if asked == "" {
		p.APIVersion = e.apiVersion
	}
	p.APIVersion = p.APIVersion.OrDefault()
	if p.APIVersion.AtLeast(APIVersion05) {
		p.CompanyUID = e.companyUID
	}
	return p, nil
}

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
// otherwise the setting of the app the token was issued to; the company's
// uid is looked up only for a version that shows it.
func (s *Service) ProfileForToken(ctx context.Context, requestor, token string, asked APIVersion) (*Profile, error) {
	u, t, err := s.userForToken(ctx, requestor, token)
	if err != nil {
		return nil, err
	}
	p := &Profile{User: *u, APIVersion: asked}
	if asked == "" {
		app, err := s.store.AppBySlug(ctx, t.AppSlug)
		switch {
		case ErrorCode(err) == ENotFound:
		case err != nil:
			return nil, err
		default:
			p.APIVersion = app.APIVersion
		}
	}
	p.APIVersion = p.APIVersion.OrDefault()
	if p.APIVersion.AtLeast(APIVersion05) {
		c, err := s.store.CompanyByID(ctx, u.CompanyID)
		if err != nil {
			return nil, err
		}
		p.CompanyUID = c.UID
	}
	return p, nil
}

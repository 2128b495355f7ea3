package server

// OIDCConfig enables sign-in through an OpenID Connect provider.
type OIDCConfig struct{}

// oidcRoutes registers the OIDC sign-in endpoints.
func (s *Server) oidcRoutes() {}

package server

// webhookRoutes registers the webhook endpoints (see webhooks.go).
func (s *Server) webhookRoutes() {}

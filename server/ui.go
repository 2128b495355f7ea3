package server

func (s *Server) uiRoutes() {}

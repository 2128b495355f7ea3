-- Version 3: a project's revision — its newest audit entry — is read on
-- every cached read, so it must be one index lookup.
CREATE INDEX audit_project_id ON audit(project_id, id);

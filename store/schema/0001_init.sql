-- Ward's server schema, version 1. One file serves SQLite and PostgreSQL:
-- {{ID}}, {{BLOB}} and {{BIGINT}} are replaced with each dialect's type.
-- Times are Unix milliseconds (UTC) so both dialects sort and compare alike.

CREATE TABLE users (
	id            {{ID}},
	email         TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL,
	password_hash TEXT NOT NULL,
	site_admin    INTEGER NOT NULL DEFAULT 0,
	created_at    {{BIGINT}} NOT NULL
);

CREATE TABLE sessions (
	token_hash TEXT PRIMARY KEY,
	user_id    {{BIGINT}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	csrf       TEXT NOT NULL,
	created_at {{BIGINT}} NOT NULL,
	expires_at {{BIGINT}} NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE projects (
	id         {{ID}},
	slug       TEXT NOT NULL UNIQUE,
	name       TEXT NOT NULL,
	created_at {{BIGINT}} NOT NULL
);

CREATE TABLE members (
	project_id {{BIGINT}} NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	user_id    {{BIGINT}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	role       TEXT NOT NULL,
	PRIMARY KEY (project_id, user_id)
);
CREATE INDEX members_user ON members(user_id);

CREATE TABLE tokens (
	id           {{ID}},
	token_hash   TEXT NOT NULL UNIQUE,
	name         TEXT NOT NULL,
	project_id   {{BIGINT}} NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	role         TEXT NOT NULL,
	created_by   TEXT NOT NULL,
	created_at   {{BIGINT}} NOT NULL,
	expires_at   {{BIGINT}} NOT NULL DEFAULT 0
);

CREATE TABLE versions (
	id         {{ID}},
	project_id {{BIGINT}} NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	seq        INTEGER NOT NULL,
	label      TEXT NOT NULL,
	root       TEXT NOT NULL,
	archive    {{BLOB}} NOT NULL,
	summary    TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at {{BIGINT}} NOT NULL,
	UNIQUE (project_id, seq)
);

CREATE TABLE findings (
	version_id  {{BIGINT}} NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
	threat_id   TEXT NOT NULL,
	rule_id     TEXT NOT NULL,
	title       TEXT NOT NULL,
	severity    TEXT NOT NULL,
	rank        INTEGER NOT NULL,
	stride      TEXT NOT NULL,
	target      TEXT NOT NULL,
	target_name TEXT NOT NULL,
	target_kind TEXT NOT NULL,
	features    TEXT NOT NULL,
	status      TEXT NOT NULL,
	PRIMARY KEY (version_id, threat_id)
);

CREATE TABLE triage (
	project_id     {{BIGINT}} NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	threat_id      TEXT NOT NULL,
	status         TEXT NOT NULL,
	owner          TEXT NOT NULL,
	ticket         TEXT NOT NULL,
	accepted_until TEXT NOT NULL,
	updated_by     TEXT NOT NULL,
	updated_at     {{BIGINT}} NOT NULL,
	PRIMARY KEY (project_id, threat_id)
);

CREATE TABLE comments (
	id         {{ID}},
	project_id {{BIGINT}} NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	threat_id  TEXT NOT NULL,
	author     TEXT NOT NULL,
	body       TEXT NOT NULL,
	created_at {{BIGINT}} NOT NULL
);
CREATE INDEX comments_threat ON comments(project_id, threat_id);

CREATE TABLE webhooks (
	id           {{ID}},
	project_id   {{BIGINT}} NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
	url          TEXT NOT NULL,
	secret       TEXT NOT NULL,
	min_severity TEXT NOT NULL,
	created_at   {{BIGINT}} NOT NULL
);

CREATE TABLE deliveries (
	id         {{ID}},
	webhook_id {{BIGINT}} NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
	payload    TEXT NOT NULL,
	attempts   INTEGER NOT NULL DEFAULT 0,
	next_at    {{BIGINT}} NOT NULL,
	state      TEXT NOT NULL,
	last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX deliveries_due ON deliveries(state, next_at);

-- The audit log is append-only and hash-chained: each row's hash covers the
-- previous row's hash and its own content, so an edited or deleted row
-- breaks the chain from there on.
CREATE TABLE audit (
	id         {{BIGINT}} PRIMARY KEY,
	at         {{BIGINT}} NOT NULL,
	actor      TEXT NOT NULL,
	action     TEXT NOT NULL,
	project_id {{BIGINT}} NOT NULL,
	object     TEXT NOT NULL,
	before     TEXT NOT NULL,
	after      TEXT NOT NULL,
	prev_hash  TEXT NOT NULL,
	hash       TEXT NOT NULL
);
CREATE INDEX audit_object ON audit(project_id, object);

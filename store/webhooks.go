package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Webhook is a URL told about a project's new threats. Secret signs each
// delivery; it is shown once, when the webhook is made, and never listed.
type Webhook struct {
	ID          int64     `json:"id"`
	ProjectID   int64     `json:"project_id"`
	URL         string    `json:"url"`
	MinSeverity string    `json:"min_severity"`
	CreatedBy   string    `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`
	Secret      string    `json:"-"`
}

// record is what the audit log keeps of a webhook: never the secret.
func (h Webhook) record() map[string]any {
	return map[string]any{"url": h.URL, "min_severity": h.MinSeverity}
}

// DeliveryState is where a delivery stands.
type DeliveryState string

// The states a delivery moves through.
const (
	Pending   DeliveryState = "pending"   // waiting for its next attempt
	Delivered DeliveryState = "delivered" // the receiver answered 2xx
	Failed    DeliveryState = "failed"    // out of attempts
)

// Valid says whether d is a known state.
func (d DeliveryState) Valid() bool { return d == Pending || d == Delivered || d == Failed }

// Delivery is one notification queued for one webhook. Attempts counts the
// attempts started, including one in flight.
type Delivery struct {
	ID           int64           `json:"id"`
	WebhookID    int64           `json:"webhook_id"`
	State        DeliveryState   `json:"state"`
	Attempts     int             `json:"attempts"`
	NextAt       time.Time       `json:"next_attempt_at,omitzero"`
	LastError    string          `json:"last_error"`
	ResponseCode int             `json:"response_code"`
	CreatedAt    time.Time       `json:"created_at"`
	UpdatedAt    time.Time       `json:"updated_at,omitzero"`
	Payload      json.RawMessage `json:"payload"`
}

// CreateWebhook adds a webhook to a project.
func (s *Store) CreateWebhook(ctx context.Context, actor string, h Webhook) (Webhook, error) {
	h.CreatedAt = time.UnixMilli(s.millis()).UTC()
	h.CreatedBy = actor
	err := s.tx(ctx, func(t *sql.Tx) error {
		var err error
		h.ID, err = s.insertID(ctx, t, "INSERT INTO webhooks (project_id, url, secret, min_severity, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
			h.ProjectID, h.URL, h.Secret, h.MinSeverity, h.CreatedBy, h.CreatedAt.UnixMilli())
		if err != nil {
			return err
		}
		return s.audit(ctx, t, actor, "webhook.create", h.ProjectID, fmt.Sprintf("webhook:%d", h.ID), nil, h.record())
	})
	return h, err
}

// Webhooks lists a project's webhooks, oldest first, with their secrets.
func (s *Store) Webhooks(ctx context.Context, project int64) ([]Webhook, error) {
	return s.webhooks(ctx, s.db, project)
}

func (s *Store) webhooks(ctx context.Context, q querier, project int64) ([]Webhook, error) {
	rows, err := q.QueryContext(ctx, s.rebind("SELECT id, project_id, url, secret, min_severity, created_by, created_at FROM webhooks WHERE project_id = ? ORDER BY id"), project)
	if err != nil {
		return nil, err
	}
	defer rows.Close() //nolint:errcheck // rows.Err reports a failed read; closing after it loses nothing
	var out []Webhook
	for rows.Next() {
		var h Webhook
		var created int64
		if err := rows.Scan(&h.ID, &h.ProjectID, &h.URL, &h.Secret, &h.MinSeverity, &h.CreatedBy, &created); err != nil {
			return nil, err
		}
		h.CreatedAt = time.UnixMilli(created).UTC()
		out = append(out, h)
	}
	return out, rows.Err()
}

// DeleteWebhook removes a project's webhook and its deliveries, sent or
// not; ErrNotFound if the project has no such webhook.
func (s *Store) DeleteWebhook(ctx context.Context, actor string, project, id int64) error {
	return s.tx(ctx, func(t *sql.Tx) error {
		var h Webhook
		err := t.QueryRowContext(ctx, s.rebind("SELECT url, min_severity FROM webhooks WHERE id = ? AND project_id = ?"), id, project).Scan(&h.URL, &h.MinSeverity)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("webhook %d: %w", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		// Deleted explicitly: SQLite enforces ON DELETE CASCADE only when
		// foreign keys are on, and a backup restored elsewhere may not be.
		if _, err := t.ExecContext(ctx, s.rebind("DELETE FROM deliveries WHERE webhook_id = ?"), id); err != nil {
			return err
		}
		if _, err := t.ExecContext(ctx, s.rebind("DELETE FROM webhooks WHERE id = ?"), id); err != nil {
			return err
		}
		return s.audit(ctx, t, actor, "webhook.delete", project, fmt.Sprintf("webhook:%d", id), h.record(), nil)
	})
}

// Notify plans a new version's deliveries. It is given the version, the
// ids of the previous version's threats (empty for a project's first
// version) and the project's webhooks, and returns each delivery's JSON
// payload by webhook id; a webhook missing from the map gets nothing.
type Notify func(v Version, previous map[string]bool, hooks []Webhook) (map[int64][]byte, error)

// AddVersionNotify is AddVersion that also queues the deliveries notify
// plans in the same transaction: a stored version's notifications are never
// lost, and none are sent for a version that was not stored. notify is not
// called when the project has no webhooks.
func (s *Store) AddVersionNotify(ctx context.Context, actor string, v Version, findings []Finding, notify Notify) (Version, error) {
	err := s.tx(ctx, func(t *sql.Tx) error {
		if err := s.addVersion(ctx, t, actor, &v, findings); err != nil {
			return err
		}
		hooks, err := s.webhooks(ctx, t, v.ProjectID)
		if err != nil || len(hooks) == 0 {
			return err
		}
		// addVersion holds the project's write lock, so the previous
		// number is settled.
		previous, err := s.threatIDs(ctx, t, v.ProjectID, v.Seq-1)
		if err != nil {
			return err
		}
		payloads, err := notify(v, previous, hooks)
		if err != nil {
			return err
		}
		now := s.millis()
		for _, h := range hooks {
			p, ok := payloads[h.ID]
			if !ok {
				continue
			}
			if _, err := t.ExecContext(ctx, s.rebind("INSERT INTO deliveries (webhook_id, payload, attempts, next_at, state, last_error, created_at, updated_at) VALUES (?, ?, 0, ?, ?, '', ?, 0)"),
				h.ID, string(p), now, string(Pending), now); err != nil {
				return err
			}
		}
		return nil
	})
	return v, err
}

// threatIDs is the set of threat ids of a project's version seq; empty when
// there is no such version.
func (s *Store) threatIDs(ctx context.Context, q querier, project int64, seq int) (map[string]bool, error) {
	out := map[string]bool{}
	rows, err := q.QueryContext(ctx, s.rebind("SELECT f.threat_id FROM findings f JOIN versions v ON v.id = f.version_id WHERE v.project_id = ? AND v.seq = ?"), project, seq)
	if err != nil {
		return nil, err
	}
	defer rows.Close() //nolint:errcheck // rows.Err reports a failed read; closing after it loses nothing
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

const deliveryColumns = "d.id, d.webhook_id, d.state, d.attempts, d.next_at, d.last_error, d.response_code, d.created_at, d.updated_at, d.payload"

func scanDelivery(sc interface{ Scan(...any) error }, more ...any) (Delivery, error) {
	var d Delivery
	var state, payload string
	var next, created, updated int64
	err := sc.Scan(append([]any{&d.ID, &d.WebhookID, &state, &d.Attempts, &next, &d.LastError, &d.ResponseCode, &created, &updated, &payload}, more...)...)
	d.State, d.Payload = DeliveryState(state), json.RawMessage(payload)
	d.CreatedAt = time.UnixMilli(created).UTC()
	if d.State == Pending {
		d.NextAt = time.UnixMilli(next).UTC()
	}
	if updated != 0 {
		d.UpdatedAt = time.UnixMilli(updated).UTC()
	}
	return d, err
}

// Deliveries lists a project's webhook's deliveries, newest first; limit 0
// means 100. ErrNotFound if the project has no such webhook.
func (s *Store) Deliveries(ctx context.Context, project, webhook int64, limit int) ([]Delivery, error) {
	if limit <= 0 {
		limit = 100
	}
	var n int
	if err := s.db.QueryRowContext(ctx, s.rebind("SELECT COUNT(*) FROM webhooks WHERE id = ? AND project_id = ?"), webhook, project).Scan(&n); err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, fmt.Errorf("webhook %d: %w", webhook, ErrNotFound)
	}
	rows, err := s.db.QueryContext(ctx, s.rebind("SELECT "+deliveryColumns+" FROM deliveries d WHERE d.webhook_id = ? ORDER BY d.id DESC LIMIT ?"), webhook, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close() //nolint:errcheck // rows.Err reports a failed read; closing after it loses nothing
	var out []Delivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Claim is a delivery one worker has taken for one attempt, with where to
// send it. Delivery.Attempts is this attempt's number.
type Claim struct {
	Delivery
	URL    string
	Secret string
}

// ClaimDeliveries takes up to limit pending deliveries that are due, oldest
// due first, and starts an attempt on each: it counts the attempt and
// hides the delivery from other workers for lease, after which a worker
// that died mid-attempt is presumed gone and the delivery is due again.
// Servers sharing a PostgreSQL database never claim the same attempt:
// rows are locked with SKIP LOCKED, and SQLite has one writer at a time.
func (s *Store) ClaimDeliveries(ctx context.Context, limit int, lease time.Duration) ([]Claim, error) {
	var out []Claim
	err := s.tx(ctx, func(t *sql.Tx) error {
		now := s.millis()
		q := "SELECT id FROM deliveries WHERE state = ? AND next_at <= ? ORDER BY next_at, id LIMIT ?"
		if s.dialect == Postgres {
			q += " FOR UPDATE SKIP LOCKED"
		}
		rows, err := t.QueryContext(ctx, s.rebind(q), string(Pending), now, limit)
		if err != nil {
			return err
		}
		var ids []any
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				_ = rows.Close() // the scan error is the one to report
				return err
			}
			ids = append(ids, id)
		}
		_ = rows.Close() // rows.Err below reports a failed read
		if err := rows.Err(); err != nil || len(ids) == 0 {
			return err
		}
		in := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ") + ")"
		if _, err := t.ExecContext(ctx, s.rebind("UPDATE deliveries SET attempts = attempts + 1, next_at = ?, updated_at = ? WHERE id IN "+in),
			append([]any{now + lease.Milliseconds(), now}, ids...)...); err != nil {
			return err
		}
		rows, err = t.QueryContext(ctx, s.rebind("SELECT "+deliveryColumns+", w.url, w.secret FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id IN "+in+" ORDER BY d.next_at, d.id"), ids...)
		if err != nil {
			return err
		}
		defer rows.Close() //nolint:errcheck // rows.Err reports a failed read; closing after it loses nothing
		for rows.Next() {
			var c Claim
			d, err := scanDelivery(rows, &c.URL, &c.Secret)
			if err != nil {
				return err
			}
			c.Delivery = d
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}

// Outcome is how an attempt ended.
type Outcome struct {
	Delivered    bool
	ResponseCode int    // 0 when no response came
	Error        string // why it was not delivered
	// RetryIn is the wait before the next attempt; ignored when Delivered
	// or GiveUp.
	RetryIn time.Duration
	GiveUp  bool // mark the delivery failed
}

// FinishDelivery records a claimed attempt's outcome. ErrNotFound when the
// claim is stale: its lease ran out and another attempt started, or the
// webhook was deleted.
func (s *Store) FinishDelivery(ctx context.Context, c Claim, o Outcome) error {
	now := s.millis()
	state, next := Pending, now+o.RetryIn.Milliseconds()
	switch {
	case o.Delivered:
		state, next = Delivered, 0
	case o.GiveUp:
		state, next = Failed, 0
	}
	res, err := s.db.ExecContext(ctx, s.rebind("UPDATE deliveries SET state = ?, next_at = ?, last_error = ?, response_code = ?, updated_at = ? WHERE id = ? AND attempts = ? AND state = ?"),
		string(state), next, o.Error, o.ResponseCode, now, c.ID, c.Attempts, string(Pending))
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("delivery %d attempt %d is no longer claimed: %w", c.ID, c.Attempts, ErrNotFound)
	}
	return nil
}

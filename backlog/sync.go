package backlog

import (
	"context"
	"fmt"
)

// Tracker is an issue tracker holding the backlog.
type Tracker interface {
	// Existing returns the ids of the threats that already have an issue,
	// open or closed, read from the markers in the issues labelled Label.
	Existing(ctx context.Context) (map[string]bool, error)
	// Create opens an issue for the item and returns its web address.
	Create(ctx context.Context, it Item) (string, error)
}

// Created is an item now in the tracker.
type Created struct {
	Item Item
	URL  string
}

// Outcome is what Sync did, or under a dry run would do.
type Outcome struct {
	Created []Created
	// Skipped already had an issue.
	Skipped []Item
	// Pending would be created; only a dry run leaves items here.
	Pending []Item
}

// Sync creates an issue for every item the tracker does not hold yet and
// skips the others. With dryRun it only sorts the items into Skipped and
// Pending. On an error it stops, returning what it did so far: the
// Created issues exist.
func Sync(ctx context.Context, tr Tracker, items []Item, dryRun bool) (Outcome, error) {
	var out Outcome
	have, err := tr.Existing(ctx)
	if err != nil {
		return out, fmt.Errorf("list existing issues: %w", err)
	}
	if have == nil {
		have = map[string]bool{}
	}
	for _, it := range items {
		if have[it.ThreatID] {
			out.Skipped = append(out.Skipped, it)
			continue
		}
		if dryRun {
			out.Pending = append(out.Pending, it)
			continue
		}
		url, err := tr.Create(ctx, it)
		if err != nil {
			return out, fmt.Errorf("create issue for %s: %w", it.ThreatID, err)
		}
		out.Created = append(out.Created, Created{Item: it, URL: url})
		// A threat listed twice still gets one issue.
		have[it.ThreatID] = true
	}
	return out, nil
}

// markedIn adds the threat ids marked in body to have.
func markedIn(have map[string]bool, body string) {
	for _, id := range MarkedIDs(body) {
		have[id] = true
	}
}

package modelfile

import (
	"bytes"
	"fmt"
	"strings"
)

// diffContext is how many unchanged lines a hunk shows around a change.
const diffContext = 3

type diffOp struct {
	kind byte // ' ', '-' or '+'
	line string
}

// unifiedDiff returns the unified diff turning a into b, both the text of
// file, or "" when they are equal.
func unifiedDiff(file string, a, b []byte) string {
	if bytes.Equal(a, b) {
		return ""
	}
	ops := diffLines(splitLines(a), splitLines(b))
	var out strings.Builder
	fmt.Fprintf(&out, "--- a/%s\n+++ b/%s\n", file, file)
	// Each op's line number in a and in b (the next line's, for an op
	// that is not in that side).
	aPos, bPos := make([]int, len(ops)), make([]int, len(ops))
	aLine, bLine := 1, 1
	for i, op := range ops {
		aPos[i], bPos[i] = aLine, bLine
		if op.kind != '+' {
			aLine++
		}
		if op.kind != '-' {
			bLine++
		}
	}
	// Changes less than two contexts apart share a hunk.
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		start, end := max(0, i-diffContext), i
		for {
			for end < len(ops) && ops[end].kind != ' ' {
				end++
			}
			run := end
			for run < len(ops) && ops[run].kind == ' ' {
				run++
			}
			if run == len(ops) || run-end > 2*diffContext {
				end = min(len(ops), end+diffContext)
				break
			}
			end = run
		}
		var aCount, bCount int
		for _, op := range ops[start:end] {
			if op.kind != '+' {
				aCount++
			}
			if op.kind != '-' {
				bCount++
			}
		}
		fmt.Fprintf(&out, "@@ -%s +%s @@\n", hunkRange(aPos[start], aCount), hunkRange(bPos[start], bCount))
		for _, op := range ops[start:end] {
			out.WriteByte(op.kind)
			out.WriteString(strings.TrimSuffix(op.line, "\n"))
			out.WriteByte('\n')
			if !strings.HasSuffix(op.line, "\n") {
				out.WriteString("\\ No newline at end of file\n")
			}
		}
		i = end
	}
	return out.String()
}

func hunkRange(start, count int) string {
	if count == 0 {
		start-- // an empty range names the line before it
	}
	if count == 1 {
		return fmt.Sprint(start)
	}
	return fmt.Sprintf("%d,%d", start, count)
}

// splitLines splits text after each "\n", keeping the line endings.
func splitLines(text []byte) []string {
	var lines []string
	for len(text) > 0 {
		i := bytes.IndexByte(text, '\n') + 1
		if i == 0 {
			i = len(text)
		}
		lines = append(lines, string(text[:i]))
		text = text[i:]
	}
	return lines
}

// diffLines returns an edit script turning a into b. Edits touch a few
// lines of a long file, so the common head is matched first and the
// shortest script for the rest is found by Myers' algorithm, whose cost
// grows with the number of changed lines. Runs of added or removed lines
// then slide down as far as they can, so a run ends where a block does.
func diffLines(a, b []string) []diffOp {
	head := 0
	for head < len(a) && head < len(b) && a[head] == b[head] {
		head++
	}
	ops := make([]diffOp, 0, max(len(a), len(b)))
	for _, l := range a[:head] {
		ops = append(ops, diffOp{' ', l})
	}
	ops = append(ops, myers(a[head:], b[head:])...)
	slideDown(ops)
	return ops
}

// slideDown moves each run of insertions (or deletions) down past an
// unchanged line equal to the run's first: the same change, shown later.
func slideDown(ops []diffOp) {
	for i := 0; i < len(ops); {
		if ops[i].kind == ' ' {
			i++
			continue
		}
		j := i
		for j < len(ops) && ops[j].kind == ops[i].kind {
			j++
		}
		for j < len(ops) && ops[j].kind == ' ' && ops[j].line == ops[i].line {
			ops[i].kind, ops[j].kind = ' ', ops[i].kind
			i, j = i+1, j+1
		}
		i = j
	}
}

// myers returns a shortest edit script turning a into b. It keeps the
// frontier of each round, 2d+1 values, to walk back along.
func myers(a, b []string) []diffOp {
	n, m := len(a), len(b)
	var trace [][]int // trace[d][k+d] is the furthest x on diagonal k after round d
	for d := 0; d <= n+m; d++ {
		v := make([]int, 2*d+1)
		at := func(k int) int { return trace[d-1][k+d-1] }
		for k := -d; k <= d; k += 2 {
			var x int
			switch {
			case d == 0:
				x = 0
			case k == -d || (k != d && at(k-1) < at(k+1)):
				x = at(k + 1) // down: take a line of b
			default:
				x = at(k-1) + 1 // right: drop a line of a
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			v[k+d] = x
			if x >= n && y >= m {
				trace = append(trace, v)
				return backtrack(a, b, trace, k)
			}
		}
		trace = append(trace, v)
	}
	return nil
}

// backtrack walks Myers' frontiers back from the end to the start.
func backtrack(a, b []string, trace [][]int, k int) []diffOp {
	var rev []diffOp
	x, y := len(a), len(b)
	for d := len(trace) - 1; d > 0; d-- {
		prev := trace[d-1]
		at := func(k int) int { return prev[k+d-1] }
		prevK := k - 1
		if k == -d || (k != d && at(k-1) < at(k+1)) {
			prevK = k + 1
		}
		prevX := at(prevK)
		prevY := prevX - prevK
		for x > prevX && y > prevY {
			x, y = x-1, y-1
			rev = append(rev, diffOp{' ', a[x]})
		}
		if x == prevX {
			y--
			rev = append(rev, diffOp{'+', b[y]})
		} else {
			x--
			rev = append(rev, diffOp{'-', a[x]})
		}
		k = prevK
	}
	for x > 0 && y > 0 {
		x, y = x-1, y-1
		rev = append(rev, diffOp{' ', a[x]})
	}
	ops := make([]diffOp, len(rev))
	for i, op := range rev {
		ops[len(rev)-1-i] = op
	}
	return ops
}

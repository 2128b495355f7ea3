package terraform

import (
	"bytes"
	"encoding/json"
)

// addressLines finds where each resource's "address" is written, so
// components point at a line of the JSON. The first mention wins:
// planned values come before resource changes and prior state.
func addressLines(data []byte) map[string][2]int {
	dec := json.NewDecoder(bytes.NewReader(data))
	type frame struct{ object, wantKey bool }
	var stack []frame
	lines := map[string][2]int{}
	line, lineStart, scanned := 1, 0, 0
	isAddress := false // the last key read was "address"
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return lines
		}
		// Inside an object, tokens alternate key and value.
		top := len(stack) - 1
		key := top >= 0 && stack[top].object && stack[top].wantKey
		if top >= 0 && stack[top].object {
			stack[top].wantKey = !key
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, frame{object: true, wantKey: true})
			case '[':
				stack = append(stack, frame{})
			default:
				stack = stack[:top]
			}
		case string:
			if key {
				isAddress = t == "address"
				continue
			}
			if isAddress {
				if _, seen := lines[t]; !seen {
					// Count lines only up to here: linear over the file.
					off := int(start)
					if i := bytes.IndexByte(data[off:], '"'); i >= 0 {
						off += i
					}
					for i := bytes.IndexByte(data[scanned:off], '\n'); i >= 0; i = bytes.IndexByte(data[scanned:off], '\n') {
						scanned += i + 1
						line++
						lineStart = scanned
					}
					scanned = off
					lines[t] = [2]int{line, off - lineStart + 1}
				}
			}
		}
		isAddress = false
	}
}

package importer

import (
	"fmt"
	"io"
	"os"

	"github.com/wardsec/ward/model"
)

// ReadLimited reads the file at path, refusing one larger than limit bytes
// before it costs memory. source names the importer in the problem's
// position.
func ReadLimited(path string, limit int64, source string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", model.ErrInvalid, err)
	}
	defer f.Close() //nolint:errcheck // read-only file; a close error loses nothing
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, model.Diagnostics{{Pos: model.Pos{File: path, Source: source}, Message: fmt.Sprintf("file is larger than the limit of %d bytes", limit)}}
	}
	return data, nil
}

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/wardsec/ward/importer/terraform"
	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/risk"
	"github.com/wardsec/ward/server"
)

type pushFlags struct {
	server, project, label, tokenFile string
	format, output, failOn            string
	// from imports PATH with a source first (terraform, cloudformation…).
	from      string
	overlay   string
	terraform terraform.Source
}

func newPush() *cobra.Command {
	var f pushFlags
	cmd := &cobra.Command{
		Use:   "push PATH",
		Short: "Upload the model at PATH to a Ward server as a new version of a project",
		Long: `Push loads the model at PATH (a file or a directory of *.ward.yaml
files, with the models it imports), checks it, and uploads it to a Ward
server as the project's next version. The server analyzes it and keeps it;
push prints the version number and its unresolved threats by severity.

The API token comes from WARD_TOKEN or --token-file (never from the
command line, where other users of the machine could read it). Make one in
the project's settings, or with the API, with the editor role.

With --from SOURCE, push imports PATH first (as 'ward import' does, with
--var-file, --var and --overlay) and uploads the imported model: CI can
keep the server's model in step with the infrastructure code.

With --fail-on, push exits 1 when the new version has an unresolved threat
at or above that severity, after the upload, so CI both records the version
and gates on it.`,
		Example: `  WARD_TOKEN=ward_… ward push examples/ecommerce --server https://ward.example.com --project shop
  ward push . --server $WARD_SERVER --project shop --label "$GIT_COMMIT" --fail-on high
  ward push infra/ --from terraform --var-file prod.tfvars --overlay ward.overlay.yaml --server $WARD_SERVER --project infra`,
		Args: exactArgs("PATH"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := envDefaults(cmd.Flags()); err != nil {
				return err
			}
			return push(cmd, args[0], f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.server, "server", "", "the Ward server's base `URL` (or WARD_SERVER)")
	fl.StringVar(&f.project, "project", "", "the project's `SLUG` (or WARD_PROJECT)")
	fl.StringVar(&f.label, "label", "", "a `LABEL` for the version, e.g. a commit id or release")
	fl.StringVar(&f.tokenFile, "token-file", "", "read the API token from `FILE` (default: WARD_TOKEN)")
	fl.StringVarP(&f.format, "format", "f", "", "output `FORMAT`: table or json (default: from -o's extension, else table)")
	fl.StringVarP(&f.output, "output", "o", "", "write the result to `FILE` instead of stdout")
	fl.StringVar(&f.failOn, "fail-on", "", "exit 1 if the version has an unresolved threat at or above `SEVERITY`")
	fl.StringVar(&f.from, "from", "", "import PATH with `SOURCE` (e.g. terraform) and push the imported model")
	fl.StringVar(&f.overlay, "overlay", "", "with --from: merge the hand-written overlay `FILE` onto the import")
	varFlags(fl, &f.terraform)
	return cmd
}

// pushed is the server's answer to an upload.
type pushed struct {
	Number  int            `json:"number"`
	Label   string         `json:"label"`
	Open    map[string]int `json:"open_by_severity"`
	Summary struct {
		Title    string   `json:"title"`
		Threats  int      `json:"threats"`
		Warnings []string `json:"warnings"`
	} `json:"summary"`
}

func push(cmd *cobra.Command, path string, f pushFlags) error {
	format, err := tableOrJSON(f.format, f.output)
	if err != nil {
		return err
	}
	var floor risk.Severity
	if f.failOn != "" {
		if floor, err = risk.ParseSeverity(f.failOn); err != nil {
			return usagef("--fail-on: %v", err)
		}
	}
	base, token, err := f.target()
	if err != nil {
		return err
	}
	archive, q, err := f.pack(cmd, path)
	if err != nil {
		return err
	}
	q.Set("label", f.label)
	endpoint := base.JoinPath("api", "projects", f.project, "versions").String() + "?" + q.Encode()
	body, err := upload(cmd.Context(), endpoint, token, archive, f.project)
	if err != nil {
		return err
	}
	var v pushed
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Errorf("push: the server's answer: %w", err)
	}
	out, err := openOutput(f.output, cmd.OutOrStdout())
	if err != nil {
		return err
	}
	if format == "json" {
		var pretty bytes.Buffer
		_ = json.Indent(&pretty, body, "", "  ") // body decoded above, so it is valid JSON
		pretty.WriteByte('\n')
		_, err = out.w.Write(pretty.Bytes())
	} else {
		_, err = fmt.Fprintf(out.w, "%s: version %d of %s (%d threats; unresolved: %s)\n", path, v.Number, f.project, v.Summary.Threats, openLine(v.Open))
	}
	if err != nil {
		out.abort()
		return err
	}
	if err := out.commit(); err != nil {
		return err
	}
	for _, w := range v.Summary.Warnings {
		fmt.Fprintln(cmd.ErrOrStderr(), "warning:", w)
	}
	return pushGate(cmd, v.Open, floor)
}

// pack is what push uploads: the model at path with the files it imports,
// or, with --from, the model imported from path (one file).
func (f pushFlags) pack(cmd *cobra.Command, path string) ([]byte, url.Values, error) {
	if f.from == "" {
		if f.overlay != "" || len(f.terraform.VarFiles) > 0 || len(f.terraform.Vars) > 0 {
			return nil, nil, usagef("--overlay, --var-file and --var need --from SOURCE")
		}
		archive, root, err := server.PackModel(path)
		return archive, url.Values{"root": {root}}, err
	}
	if _, err := findSource(f.from, importSources()); err != nil {
		return nil, nil, err
	}
	data, _, err := importedYAML(f.from, path, f.terraform, f.overlay, cmd.ErrOrStderr())
	if err != nil {
		return nil, nil, err
	}
	return data, url.Values{"name": {f.from + model.FileSuffix}}, nil
}

// target checks where to push and with which token.
func (f pushFlags) target() (*url.URL, string, error) {
	if f.server == "" || f.project == "" {
		return nil, "", usagef("name the server and project: --server URL --project SLUG (or WARD_SERVER, WARD_PROJECT)")
	}
	base, err := url.Parse(strings.TrimRight(f.server, "/"))
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return nil, "", usagef("--server %q: give the server's http(s) URL", f.server)
	}
	token := os.Getenv("WARD_TOKEN")
	if f.tokenFile != "" {
		b, err := os.ReadFile(f.tokenFile)
		if err != nil {
			return nil, "", usagef("--token-file: %v", err)
		}
		token = strings.TrimSpace(string(b))
	}
	if token == "" {
		return nil, "", usagef("no API token: set WARD_TOKEN or pass --token-file FILE")
	}
	return base, token, nil
}

// upload sends the archive and returns the server's answer to a created
// version; a refusal (4xx) is a usage error carrying the server's message.
func upload(ctx context.Context, endpoint, token string, archive []byte, project string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(archive))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/gzip")
	resp, err := (&http.Client{Timeout: 5 * time.Minute}).Do(req)
	if err != nil {
		return nil, fmt.Errorf("push: %w", err)
	}
	defer resp.Body.Close() //nolint:errcheck // read-only body; its close error says nothing useful
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return nil, fmt.Errorf("push: reading the answer: %w", err)
	}
	if resp.StatusCode == http.StatusCreated {
		return body, nil
	}
	var e struct {
		Error string `json:"error"`
	}
	_ = json.Unmarshal(body, &e) // not JSON: fall back to the raw text below
	if e.Error == "" {
		e.Error = strings.TrimSpace(string(body))
	}
	msg := fmt.Sprintf("push to %s: %s: %s", project, resp.Status, e.Error)
	if resp.StatusCode >= 400 && resp.StatusCode < 500 {
		return nil, usageError{msg}
	}
	return nil, fmt.Errorf("%s", msg)
}

// pushGate trips when the version has unresolved threats at or above floor.
func pushGate(cmd *cobra.Command, open map[string]int, floor risk.Severity) error {
	if floor == "" {
		return nil
	}
	n := 0
	for sev, c := range open {
		if risk.Severity(sev).AtLeast(floor) {
			n += c
		}
	}
	if n == 0 {
		return nil
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "ward: %d unresolved threats at or above %s\n", n, floor)
	return gateError{n}
}

func openLine(open map[string]int) string {
	var parts []string
	for _, sev := range slices.Backward(risk.Severities) {
		if n := open[string(sev)]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, sev))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

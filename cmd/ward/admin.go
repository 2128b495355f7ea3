package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/wardsec/ward/server"
	"github.com/wardsec/ward/store"
)

func newAdmin() *cobra.Command {
	cmd := groupCommand(&cobra.Command{
		Use:   "admin",
		Short: "Administer a Ward server's database: accounts, projects, backups, the audit log",
		Long: `Admin works on the server's database directly (the same --data or
--database as 'ward serve'), for the first account, backups and audits.
Every change is written to the audit log as "admin-cli".`,
	})
	cmd.AddCommand(newAdminCreateUser(), newAdminCreateProject(), newAdminBackup(), newAdminAudit())
	return cmd
}

// adminStore opens the database of an admin subcommand.
func adminStore(cmd *cobra.Command, db *dbFlags) (*store.Store, error) {
	if err := envDefaults(cmd.Flags()); err != nil {
		return nil, err
	}
	return db.open(cmd.Context())
}

const adminActor = "admin-cli"

func newAdminCreateUser() *cobra.Command {
	var db dbFlags
	var name string
	var siteAdmin, passwordStdin bool
	cmd := &cobra.Command{
		Use:   "create-user EMAIL",
		Short: "Create a local account",
		Long: `Create-user adds an account that signs in with EMAIL and a password of
at least 12 characters, asked for on the terminal, or read from stdin with
--password-stdin (for scripts). --site-admin lets it create projects and
accounts and act as admin in every project.`,
		Example: `  ward admin create-user ana@example.com --site-admin --data /var/lib/ward
  printf '%s' "$PASSWORD" | ward admin create-user ci@example.com --password-stdin`,
		Args: exactArgs("EMAIL"),
		RunE: func(cmd *cobra.Command, args []string) error {
			password, err := readPassword(cmd, passwordStdin)
			if err != nil {
				return err
			}
			st, err := adminStore(cmd, &db)
			if err != nil {
				return err
			}
			defer st.Close() //nolint:errcheck // every change has committed by now; closing loses nothing
			srv, err := server.New(server.Config{Store: st})
			if err != nil {
				return err
			}
			u, err := srv.CreateUser(cmd.Context(), adminActor, server.NewUser{Email: args[0], Name: name, Password: password, SiteAdmin: siteAdmin})
			if errors.Is(err, store.ErrConflict) {
				return usagef("an account with email %s already exists", args[0])
			}
			if err != nil {
				return usagef("%v", strings.TrimPrefix(err.Error(), "bad request: "))
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "ward: created %s (id %d)\n", u.Email, u.ID)
			return nil
		},
	}
	db.register(cmd.Flags())
	cmd.Flags().StringVar(&name, "name", "", "the person's `NAME` (default: the email's local part)")
	cmd.Flags().BoolVar(&siteAdmin, "site-admin", false, "may manage accounts and projects, and is admin in every project")
	cmd.Flags().BoolVar(&passwordStdin, "password-stdin", false, "read the password from stdin instead of asking")
	return cmd
}

// readPassword asks on the terminal without echo, twice, or reads one line
// from stdin.
func readPassword(cmd *cobra.Command, fromStdin bool) (string, error) {
	in := cmd.InOrStdin()
	if f, ok := in.(*os.File); ok && !fromStdin && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(cmd.ErrOrStderr(), "Password: ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(cmd.ErrOrStderr())
		if err != nil {
			return "", err
		}
		fmt.Fprint(cmd.ErrOrStderr(), "Again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(cmd.ErrOrStderr())
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", usagef("the passwords differ")
		}
		return string(a), nil
	}
	if !fromStdin {
		return "", usagef("stdin is not a terminal: pass --password-stdin to read the password from it")
	}
	line, err := bufio.NewReader(io.LimitReader(in, 4096)).ReadString('\n')
	if err != nil && err != io.EOF {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func newAdminCreateProject() *cobra.Command {
	var db dbFlags
	var name, owner string
	cmd := &cobra.Command{
		Use:     "create-project SLUG",
		Short:   "Create a project, optionally with an owner who becomes its admin",
		Example: `  ward admin create-project shop --name "Web shop" --owner ana@example.com`,
		Args:    exactArgs("SLUG"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := server.CheckSlug(args[0]); err != nil {
				return usagef("%s", strings.TrimPrefix(err.Error(), "bad request: "))
			}
			st, err := adminStore(cmd, &db)
			if err != nil {
				return err
			}
			defer st.Close() //nolint:errcheck // every change has committed by now; closing loses nothing
			var ownerID int64
			if owner != "" {
				u, err := st.UserByEmail(cmd.Context(), strings.ToLower(owner))
				if err != nil {
					return usagef("--owner %s: no such account", owner)
				}
				ownerID = u.ID
			}
			if name == "" {
				name = args[0]
			}
			p, err := st.CreateProject(cmd.Context(), adminActor, store.Project{Slug: args[0], Name: name}, ownerID)
			if errors.Is(err, store.ErrConflict) {
				return usagef("project %s already exists", args[0])
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "ward: created project %s (id %d)\n", p.Slug, p.ID)
			return nil
		},
	}
	db.register(cmd.Flags())
	cmd.Flags().StringVar(&name, "name", "", "the project's display `NAME`")
	cmd.Flags().StringVar(&owner, "owner", "", "make the account with this `EMAIL` the project's admin")
	return cmd
}

func newAdminBackup() *cobra.Command {
	var db dbFlags
	cmd := &cobra.Command{
		Use:   "backup FILE",
		Short: "Write a consistent copy of the SQLite database to FILE while the server runs",
		Long: `Backup copies the embedded SQLite database to FILE (which must not exist)
in one consistent snapshot, safe while the server is running. Restore by
starting a server with --database FILE. A PostgreSQL database is backed up
with pg_dump.`,
		Example: `  ward admin backup --data /var/lib/ward /backups/ward-$(date +%F).db`,
		Args:    exactArgs("FILE"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := os.Stat(args[0]); err == nil {
				return usagef("%s exists; backups never overwrite", args[0])
			}
			st, err := adminStore(cmd, &db)
			if err != nil {
				return err
			}
			defer st.Close() //nolint:errcheck // every change has committed by now; closing loses nothing
			if err := st.Backup(cmd.Context(), args[0]); err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "ward: backed up to %s\n", args[0])
			return nil
		},
	}
	db.register(cmd.Flags())
	return cmd
}

func newAdminAudit() *cobra.Command {
	cmd := groupCommand(&cobra.Command{Use: "audit", Short: "Check the audit log"})
	var db dbFlags
	verify := &cobra.Command{
		Use:   "verify",
		Short: "Check the audit log's hash chain; exit 1 if an entry was altered, inserted or removed",
		Long: `Verify recomputes every audit entry's hash from its content and the
previous entry's hash. It prints the number of entries and the hash of the
last one: record that hash somewhere else (a ticket, a commit) to detect
later that entries were cut from the end. Exit 0 when the chain holds, 1
when it breaks (naming the first bad entry).`,
		Args: exactArgs(),
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := adminStore(cmd, &db)
			if err != nil {
				return err
			}
			defer st.Close() //nolint:errcheck // every change has committed by now; closing loses nothing
			n, head, err := st.VerifyAuditHead(cmd.Context())
			var ce *store.ChainError
			if errors.As(err, &ce) {
				fmt.Fprintf(cmd.OutOrStdout(), "BROKEN at %v\n", ce)
				return gateError{1}
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "ok: %d entries, last hash %s\n", n, head)
			return nil
		},
	}
	db.register(verify.Flags())
	cmd.AddCommand(verify)
	return cmd
}

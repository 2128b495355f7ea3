package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/wardsec/ward/model"
)

func newInit() *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "init [FILE]",
		Short: "Write a commented starter model",
		Long: `Init writes a starter model to FILE (default threat-model.ward.yaml), with a
comment on every section, ready to edit. It refuses to overwrite an existing
file unless --force is given.`,
		Args: maxArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := "threat-model" + model.FileSuffix
			if len(args) == 1 {
				path = args[0]
			}
			if _, err := os.Stat(path); err == nil && !force {
				return usagef("%s exists; pass --force to overwrite it", path)
			} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return fmt.Errorf("init: %w", err)
			}
			out, err := openOutput(path, nil)
			if err != nil {
				return err
			}
			if _, err := out.w.Write(model.Starter); err != nil {
				out.abort()
				return fmt.Errorf("write %s: %w", path, err)
			}
			if err := out.commit(); err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "wrote %s; next: ward analyze %s\n", path, filepath.ToSlash(path))
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing file")
	return cmd
}

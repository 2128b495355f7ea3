package model

import _ "embed"

// Starter is a commented model to begin from, written by `ward init`.
//
//go:embed starter.ward.yaml
var Starter []byte

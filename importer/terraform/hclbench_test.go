package terraform_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wardsec/ward/importer/terraform"
)

// BenchmarkImportHCL10k imports a directory of 10,000 resources written
// as .tf and .tf.json, with dynamic blocks, value files and an override.
func BenchmarkImportHCL10k(b *testing.B) {
	dir := b.TempDir()
	const files, perFile = 20, 500 // 250 groups of 4 resources per file kind
	writeB(b, filepath.Join(dir, "variables.tf"), "variable \"ports\" {}\nvariable \"env\" {\n  default = \"dev\"\n}\n")
	writeB(b, filepath.Join(dir, "terraform.tfvars"), "ports = [443, 80]\nenv = \"prod\"\n")
	for f := range files {
		var sb strings.Builder
		if f%2 == 1 {
			writeB(b, filepath.Join(dir, fmt.Sprintf("gen%02d.tf.json", f)), jsonResources(b, f, perFile))
			continue
		}
		// One network and group per file: what a group guards is found
		// by a scan, as groups are few in real configurations.
		fmt.Fprintf(&sb, `resource "aws_vpc" "f%[1]d" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_security_group" "f%[1]d" {
  name   = "${var.env}-f%[1]d"
  vpc_id = aws_vpc.f%[1]d.id
  dynamic "ingress" {
    for_each = var.ports
    content {
      protocol    = "tcp"
      from_port   = ingress.value
      to_port     = ingress.value
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}
`, f)
		for i := range perFile / 4 {
			n := fmt.Sprintf("f%d_%d", f, i)
			fmt.Fprintf(&sb, `resource "aws_subnet" "%[1]s" {
  vpc_id     = aws_vpc.f%[2]d.id
  cidr_block = "10.0.1.0/24"
}
resource "aws_instance" "%[1]s" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.%[1]s.id
  vpc_security_group_ids = [aws_security_group.f%[2]d.id]
}
resource "aws_s3_bucket" "%[1]s" {
  bucket = "${var.env}-%[1]s"
}
resource "aws_sqs_queue" "%[1]s" {
  name = "%[1]s"
}
`, n, f)
		}
		writeB(b, filepath.Join(dir, fmt.Sprintf("gen%02d.tf", f)), sb.String())
	}
	writeB(b, filepath.Join(dir, "override.tf"), "resource \"aws_instance\" \"f0_0\" {\n  instance_type = \"t3.large\"\n}\n")
	b.ResetTimer()
	for b.Loop() {
		res, err := terraform.New().Import(dir)
		if err != nil {
			b.Fatal(err)
		}
		// VPCs and subnets are zones, mappings flows; the internet joins.
		if n := len(res.Model.Components); n != 7511 {
			b.Fatalf("%d components, want 7511", n)
		}
	}
}

func jsonResources(b *testing.B, f, n int) string {
	resources := map[string]map[string]any{"aws_s3_bucket": {}, "aws_sqs_queue": {}, "aws_lambda_function": {}, "aws_lambda_event_source_mapping": {}}
	for i := range n / 4 {
		name := fmt.Sprintf("f%d_%d", f, i)
		resources["aws_s3_bucket"][name] = map[string]any{"bucket": "${var.env}-" + name}
		resources["aws_sqs_queue"][name] = map[string]any{"name": name}
		resources["aws_lambda_function"][name] = map[string]any{"function_name": name, "role": "arn:aws:iam::1:role/r", "runtime": "python3.12", "handler": "a.h"}
		resources["aws_lambda_event_source_mapping"][name] = map[string]any{
			"event_source_arn": "${aws_sqs_queue." + name + ".arn}",
			"function_name":    "${aws_lambda_function." + name + ".arn}",
		}
	}
	data, err := json.MarshalIndent(map[string]any{"resource": resources}, "", "  ")
	if err != nil {
		b.Fatal(err)
	}
	return string(data)
}

func writeB(b *testing.B, path, body string) {
	b.Helper()
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		b.Fatal(err)
	}
}

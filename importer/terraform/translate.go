package terraform

import (
	"fmt"
	"strings"

	"github.com/wardsec/ward/importer"
	"github.com/wardsec/ward/model"
)

// conversion turns a Terraform resource's arguments into CloudFormation
// properties.
type conversion func(tf map[string]any) map[string]any

// kind is what a Terraform type becomes: a CloudFormation type and its
// property conversion.
type kind struct {
	cfn  string
	conv conversion
}

// folder merges a split resource (a bucket's versioning, a group's rule)
// into the resource it configures, reporting whether it found it.
type folder func(tf map[string]any, byID map[string]*importer.Resource) bool

// translate turns Terraform resources into CloudFormation-shaped ones.
// Split resources are folded into what they configure; types without a
// translation keep their Terraform type, which the mapping reports.
func translate(in []importer.Resource, warn func(model.Pos, string)) []importer.Resource {
	out := make([]importer.Resource, 0, len(in))
	var folds []importer.Resource
	for _, r := range in {
		if _, ok := awsFolder(r.Type); ok {
			folds = append(folds, r)
			continue
		}
		out = append(out, convert(r))
		out = append(out, inlineRoutes(r)...)
	}
	byID := make(map[string]*importer.Resource, len(out))
	for i := range out {
		byID[out[i].ID] = &out[i]
	}
	for _, r := range folds {
		if fold, _ := awsFolder(r.Type); fold(r.Props, byID) {
			continue
		}
		if _, ok := kinds[r.Type]; ok {
			out = append(out, convert(r))
			continue
		}
		warn(r.Pos, r.ID+": the resource it configures is not in this configuration; its settings are not applied")
		out = append(out, r)
	}
	return out
}

func convert(r importer.Resource) importer.Resource {
	k, ok := kinds[r.Type]
	if !ok {
		return r
	}
	r.Type = k.cfn
	if t, _ := r.Props["type"].(string); t == "egress" && r.Type == "AWS::EC2::SecurityGroupIngress" {
		r.Type = "AWS::EC2::SecurityGroupEgress"
	}
	r.Props = k.conv(r.Props)
	if name, ok := r.Props["__name"].(string); ok {
		r.Name = name
	}
	delete(r.Props, "__name")
	return r
}

// rename copies Terraform arguments to CloudFormation properties: pairs of
// terraform name, CloudFormation name.
func rename(tf map[string]any, pairs ...string) map[string]any {
	out := map[string]any{}
	for i := 0; i+1 < len(pairs); i += 2 {
		if v, ok := tf[pairs[i]]; ok && v != nil {
			out[pairs[i+1]] = v
		}
	}
	return out
}

// block is the first of a nested block's instances.
func block(tf map[string]any, name string) map[string]any {
	switch v := tf[name].(type) {
	case []any:
		if len(v) > 0 {
			m, _ := v[0].(map[string]any)
			return m
		}
	case map[string]any:
		return v
	}
	return nil
}

func blocks(tf map[string]any, name string) []map[string]any {
	var out []map[string]any
	switch v := tf[name].(type) {
	case []any:
		for _, e := range v {
			if m, ok := e.(map[string]any); ok {
				out = append(out, m)
			}
		}
	case map[string]any:
		out = append(out, v)
	}
	return out
}

// document reads a policy: a JSON string or a jsonencode'd object.
func document(v any) any {
	if s, ok := v.(string); ok {
		return decodeJSON(strings.TrimSpace(s))
	}
	return v
}

// setIf sets key when v is not nil.
func setIf(m map[string]any, key string, v any) {
	if v != nil {
		m[key] = v
	}
}

// setList sets key to l when l has elements: a nil slice in an interface
// is not nil.
func setList(m map[string]any, key string, l []any) {
	if len(l) > 0 {
		m[key] = l
	}
}

// refID is the resource id a reference names.
func refID(v any) (string, bool) {
	ref, ok := v.(importer.ResourceRef)
	return ref.ID, ok
}

// onOff maps a boolean to two words, keeping unknowns.
func onOff(v any, on, off string) any {
	switch b := v.(type) {
	case bool:
		if b {
			return on
		}
		return off
	case importer.Unknown:
		return b
	}
	return nil
}

// inlineRoutes makes a route table's route blocks routes of their own,
// as the mapping reads them to tell public subnets.
func inlineRoutes(r importer.Resource) []importer.Resource {
	if r.Type != "aws_route_table" {
		return nil
	}
	var out []importer.Resource
	for i, rt := range blocks(r.Props, "route") {
		props := rename(rt, "gateway_id", "GatewayId", "nat_gateway_id", "NatGatewayId", "cidr_block", "DestinationCidrBlock")
		props["RouteTableId"] = importer.ResourceRef{ID: r.ID}
		out = append(out, importer.Resource{Type: "AWS::EC2::Route", ID: fmt.Sprintf("%s.route[%d]", r.ID, i), Props: props, Pos: r.Pos})
	}
	return out
}

// Package synth writes synthetic but realistic Ward models of any size, for
// benchmarks, load tests and demos of large systems. The same options and
// seed always give the same bytes.
package synth

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

// Options size and seed a synthetic model.
type Options struct {
	// Components is how many components the model holds; at least 1.
	Components int
	// FlowsPerComponent is how many flows leave each component on average;
	// zero means 3. A small model may hold fewer when there are not enough
	// distinct destinations.
	FlowsPerComponent int
	// Seed picks the model: the same seed gives the same model.
	Seed uint64
}

// Rule ids the generated mitigations and acceptances name. They come from
// Ward's built-in library, which must keep them (threat ids are never
// reused).
const (
	rulePasswordBruteForce = "password-brute-force"
	ruleIncorrectRestore   = "datastore-incorrect-restore"
	ruleMessageTampering   = "queue-message-tampering"
)

// Model writes opt's model as one YAML file to w.
func Model(w io.Writer, opt Options) error {
	p, err := newPlan(opt)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	p.header(bw)
	for s := range numSections {
		if p.empty(s) {
			continue
		}
		writeString(bw, sectionKeys[s]+":\n")
		for g := range p.groups {
			writeBytes(bw, p.groups[g].sections[s].Bytes())
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write model: %w", err)
	}
	return nil
}

// Dir writes opt's model into dir (created if missing) as several
// *.ward.yaml files: one with the header, assets, actors and the internet
// side, and one per VPC with its zones, components and the flows, threats,
// mitigations and acceptances that start there. Loaded as a directory, the
// files make the same model as Model's single file.
func Dir(dir string, opt Options) error {
	p, err := newPlan(opt)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write model: %w", err)
	}
	for g := range p.groups {
		name := "00-system.ward.yaml"
		if g > 0 {
			name = fmt.Sprintf("%02d-vpc-%02d.ward.yaml", g, g)
		}
		if err := p.writeGroupFile(filepath.Join(dir, name), g); err != nil {
			return err
		}
	}
	return nil
}

func (p *plan) writeGroupFile(path string, g int) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write model: %w", err)
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	if g == 0 {
		p.header(bw)
	} else {
		fmt.Fprintf(bw, "# VPC %d of the synthetic model: its zones, components and the flows leaving them.\n", g)
	}
	for s, buf := range p.groups[g].sections {
		if buf.Len() > 0 {
			writeString(bw, sectionKeys[s]+":\n")
			writeBytes(bw, buf.Bytes())
		}
	}
	if err := bw.Flush(); err != nil {
		_ = f.Close() // the write error is the one worth reporting
		return fmt.Errorf("write model %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write model %s: %w", path, err)
	}
	return nil
}

// bufio.Writer keeps its first error and returns it from Flush, which the
// callers check; these helpers only drop the duplicate reports.
func writeString(w *bufio.Writer, s string) { _, _ = w.WriteString(s) }
func writeBytes(w *bufio.Writer, b []byte)  { _, _ = w.Write(b) }

// Sections of the model that groups (files) hold items of, in the order
// they are written.
const (
	secZones = iota
	secComponents
	secFlows
	secThreats
	secMitigations
	secAccepted
	numSections
)

var sectionKeys = [numSections]string{"zones", "components", "flows", "threats", "mitigations", "accepted"}

// group is what one file of Dir holds: group 0 the internet side, each
// other group one VPC. Items are rendered as they are planned so memory
// stays proportional to the output.
type group struct {
	sections [numSections]bytes.Buffer
	subnets  []string
}

type component struct {
	id    string
	kind  string
	group int
}

type plan struct {
	opt    Options
	rng    *rand.Rand
	groups []group
	comps  []component
	assets int
	// assetText is the rendered assets section, planned before components.
	assetText bytes.Buffer
	hand      []string // hand-written threat ids
}

func (p *plan) empty(s int) bool {
	for g := range p.groups {
		if p.groups[g].sections[s].Len() > 0 {
			return false
		}
	}
	return true
}

func newPlan(opt Options) (*plan, error) {
	if opt.Components < 1 {
		return nil, fmt.Errorf("synthetic model needs at least 1 component, not %d", opt.Components)
	}
	if opt.FlowsPerComponent < 0 {
		return nil, fmt.Errorf("synthetic model needs a positive number of flows per component, not %d", opt.FlowsPerComponent)
	}
	if opt.FlowsPerComponent == 0 {
		opt.FlowsPerComponent = 3
	}
	n := opt.Components
	p := &plan{opt: opt, rng: rand.New(rand.NewPCG(opt.Seed, 0x7761726473796e74))}
	p.assets = max(4, n/25)
	p.assetItems()
	p.zones()
	p.components()
	p.flows()
	p.extras()
	return p, nil
}

// zones plans about one zone per 50 components: internet ⊃ account ⊃
// VPCs ⊃ subnets, with at most 10 VPCs (and so 11 files).
func (p *plan) zones() {
	total := max(4, p.opt.Components/50)
	vpcs := min(10, max(1, total/5))
	subnets := max(vpcs, total-2-vpcs)
	p.groups = make([]group, 1+vpcs)
	z := &p.groups[0].sections[secZones]
	z.WriteString("  - id: internet\n    name: Internet\n    trust: untrusted\n")
	z.WriteString("  - id: account\n    name: Production cloud account\n    trust: medium\n    parent: internet\n")
	for v := 1; v <= vpcs; v++ {
		b := &p.groups[v].sections[secZones]
		fmt.Fprintf(b, "  - id: vpc-%d\n    name: VPC %d\n    trust: high\n    parent: account\n", v, v)
	}
	for s := range subnets {
		v := 1 + s%vpcs
		g := &p.groups[v]
		id := fmt.Sprintf("vpc-%d-subnet-%d", v, len(g.subnets)+1)
		trust, kind := "high", "private"
		if len(g.subnets)%3 == 0 {
			trust, kind = "medium", "public"
		}
		fmt.Fprintf(&g.sections[secZones], "  - id: %s\n    name: VPC %d %s subnet %d\n    trust: %s\n    parent: vpc-%d\n",
			id, v, kind, len(g.subnets)+1, trust, v)
		g.subnets = append(g.subnets, id)
	}
}

// kindMix is the share of each kind among components, as weights.
var kindMix = []struct {
	kind   string
	weight int
	// cat is the DFD category, which decides properties and zone.
	cat string
}{
	{"aws.lambda", 18, "process"},
	{"aws.api-gateway", 6, "process"},
	{"aws.ecs", 6, "process"},
	{"aws.alb", 3, "process"},
	{"aws.sns", 2, "queue"},
	{"process", 9, "process"},
	{"web-app", 4, "process"},
	{"api", 4, "process"},
	{"aws.rds", 6, "datastore"},
	{"aws.s3", 8, "datastore"},
	{"aws.dynamodb", 4, "datastore"},
	{"aws.elasticache", 2, "datastore"},
	{"aws.secrets-manager", 2, "datastore"},
	{"datastore", 4, "datastore"},
	{"aws.sqs", 6, "queue"},
	{"queue", 2, "queue"},
	{"external-entity", 4, "external"},
	{"browser", 4, "external"},
	{"third-party-service", 2, "external"},
	{"mobile-app", 1, "external"},
}

var kindTotal = func() int {
	t := 0
	for _, k := range kindMix {
		t += k.weight
	}
	return t
}()

var kindWords = map[string]string{
	"aws.lambda": "function", "aws.api-gateway": "API gateway", "aws.ecs": "ECS service", "aws.alb": "load balancer",
	"aws.sns": "topic", "process": "service", "web-app": "web app", "api": "API", "aws.rds": "database",
	"aws.s3": "bucket", "aws.dynamodb": "table", "aws.elasticache": "cache", "aws.secrets-manager": "secret",
	"datastore": "store", "aws.sqs": "queue", "queue": "queue", "external-entity": "partner system",
	"browser": "customer browser", "third-party-service": "payment provider", "mobile-app": "mobile app",
}

var domains = []string{"order", "billing", "catalog", "shipping", "identity", "search", "review", "inventory", "report", "notify"}

// Property names by category, with the share (in percent) of components
// that state each. The rest rely on the catalog's unsafe defaults.
var (
	commonProps = []string{"logging", "monitoring", "least_privilege", "managed", "redundancy"}
	catProps    = map[string][]string{
		"process":   {"authorization", "input_validation", "rate_limiting", "waf", "public", "encrypted_in_transit", "secrets_management", "patching", "mfa", "iam_wildcards"},
		"datastore": {"encrypted_at_rest", "encrypted_in_transit", "backups", "restore_tested", "versioning", "deletion_protection", "network_restricted", "customer_managed_keys"},
		"queue":     {"encrypted_at_rest", "encrypted_in_transit", "message_signing", "dead_letter_queue", "network_restricted"},
		"external":  {"third_party"},
	}
	auths     = []string{"none", "password", "api-key", "token", "oauth", "saml", "mtls", "iam", "certificate"}
	classes   = []string{"public", "internal", "confidential", "restricted"}
	levels    = []string{"low", "medium", "high"}
	assetTags = []string{"pii", "pci", "credentials", "phi", "financial"}
	regions   = []string{"eu-west-1", "eu-central-1", "us-east-1"}
	strides   = []string{"spoofing", "tampering", "repudiation", "information-disclosure", "denial-of-service", "elevation-of-privilege"}
)

func (p *plan) pick(list []string) string { return list[p.rng.IntN(len(list))] }

func (p *plan) chance(percent int) bool { return p.rng.IntN(100) < percent }

func (p *plan) components() {
	n := p.opt.Components
	vpcs := len(p.groups) - 1
	p.comps = make([]component, n)
	for i := range n {
		w := p.rng.IntN(kindTotal)
		k := 0
		for w >= kindMix[k].weight {
			w -= kindMix[k].weight
			k++
		}
		kind, cat := kindMix[k].kind, kindMix[k].cat
		c := component{id: "c" + strconv.Itoa(i), kind: kind, group: 1 + i*vpcs/n}
		zone := p.pick(p.groups[c.group].subnets)
		switch {
		case cat == "external":
			c.group, zone = 0, "internet"
		case kind == "aws.api-gateway" || kind == "aws.s3" || kind == "aws.sns" || (kind == "aws.sqs" && p.chance(50)):
			// Regional services live in the account, outside any VPC.
			zone = "account"
		}
		p.comps[i] = c
		b := &p.groups[c.group].sections[secComponents]
		fmt.Fprintf(b, "  - id: %s\n    name: %s %s %d\n    kind: %s\n    zone: %s\n",
			c.id, domains[i%len(domains)], kindWords[kind], i, kind, zone)
		if p.chance(20) {
			fmt.Fprintf(b, "    description: Synthetic %s of the %s domain.\n", kindWords[kind], domains[i%len(domains)])
		}
		switch cat {
		case "datastore", "queue":
			p.assetList(b, "stores", 1+p.rng.IntN(2))
		case "process":
			if p.chance(70) {
				p.assetList(b, "processes", 1+p.rng.IntN(3))
			}
		}
		if p.chance(30) {
			fmt.Fprintf(b, "    tags: [%s, tier-%d]\n", domains[i%len(domains)], 1+p.rng.IntN(3))
		}
		p.properties(b, cat)
	}
}

// assetList writes up to count distinct asset references under key.
func (p *plan) assetList(b *bytes.Buffer, key string, count int) {
	fmt.Fprintf(b, "    %s: [", key)
	first := p.rng.IntN(p.assets)
	for j := range min(count, p.assets) {
		if j > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(b, "a%d", (first+j*7)%p.assets)
	}
	b.WriteString("]\n")
}

func (p *plan) properties(b *bytes.Buffer, cat string) {
	// The key goes first and comes off again when nothing is stated: an
	// empty properties key is not a mapping.
	mark := b.Len()
	b.WriteString("    properties:\n")
	head := b.Len()
	if cat != "external" {
		for _, name := range commonProps {
			if p.chance(50) {
				fmt.Fprintf(b, "      %s: %t\n", name, p.chance(60))
			}
		}
	}
	for _, name := range catProps[cat] {
		if p.chance(60) {
			fmt.Fprintf(b, "      %s: %t\n", name, p.chance(55))
		}
	}
	if cat != "external" && p.chance(70) {
		fmt.Fprintf(b, "      authentication: %s\n", p.pick(auths))
	}
	if cat == "datastore" && p.chance(30) {
		fmt.Fprintf(b, "      data_residency: %s\n", p.pick(regions))
	}
	if p.chance(25) {
		fmt.Fprintf(b, "      x-owner: team-%d\n", p.rng.IntN(40))
	}
	if b.Len() == head {
		b.Truncate(mark)
	}
}

var protocols = map[string]string{
	"aws.rds": "PostgreSQL/TLS", "aws.s3": "HTTPS (S3 API)", "aws.sqs": "HTTPS (SQS SendMessage)",
	"aws.sns": "HTTPS (SNS Publish)", "aws.dynamodb": "HTTPS (DynamoDB API)", "aws.elasticache": "Redis/TLS",
	"aws.lambda": "AWS invoke", "queue": "AMQP", "datastore": "TCP",
}

// flows plans FlowsPerComponent flows leaving each component, mostly to
// near neighbours (the same VPC), some anywhere. Destinations of one
// source are distinct, so default flow ids never clash.
func (p *plan) flows() {
	n := p.opt.Components
	per := min(p.opt.FlowsPerComponent, n-1)
	seen := make([]int, 0, per)
	for i, c := range p.comps {
		seen = seen[:0]
		for try := 0; len(seen) < per && try < 4*per+8; try++ {
			j := (i + 1 + p.rng.IntN(min(n-1, 24))) % n
			if p.chance(10) {
				j = p.rng.IntN(n)
			}
			if j == i || contains(seen, j) {
				continue
			}
			seen = append(seen, j)
			p.flow(c, p.comps[j])
		}
	}
}

func contains(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func (p *plan) flow(from, to component) {
	b := &p.groups[from.group].sections[secFlows]
	proto, ok := protocols[to.kind]
	if !ok {
		proto = p.pick([]string{"HTTPS", "gRPC", "HTTP"})
	}
	fmt.Fprintf(b, "  - from: %s\n    to: %s\n    protocol: %s\n", from.id, to.id, proto)
	if p.chance(80) {
		p.assetList(b, "data", 1+p.rng.IntN(2))
	}
	fmt.Fprintf(b, "    authentication: %s\n    encrypted: %t\n", p.pick(auths), p.chance(80))
	if from.kind == "aws.sqs" || from.kind == "queue" {
		b.WriteString("    initiator: destination\n")
	}
	if p.chance(15) {
		fmt.Fprintf(b, "    properties:\n      rate_limiting: %t\n      input_validation: %t\n", p.chance(50), p.chance(50))
	}
}

// extras plans hand-written threats, mitigations and acceptances near the
// components they are about.
func (p *plan) extras() {
	for i, c := range p.comps {
		b := &p.groups[c.group].sections[secThreats]
		if i%200 == 7 {
			id := "t" + strconv.Itoa(i)
			p.hand = append(p.hand, id)
			fmt.Fprintf(b, "  - id: %s\n    title: Abuse of %s\n    target: %s\n    stride: [%s]\n    actor: %s\n    likelihood: %s\n    impact: %s\n",
				id, c.id, c.id, p.pick(strides), p.pick(actorIDs), p.pick([]string{"difficult", "moderate", "easy"}), p.pick([]string{"inconvenient", "problematic", "severe"}))
		}
	}
	for i, c := range p.comps {
		m := &p.groups[c.group].sections[secMitigations]
		a := &p.groups[c.group].sections[secAccepted]
		status := p.pick([]string{"proposed", "planned", "implemented", "verified"})
		kind := p.pick([]string{"fix", "workaround", "monitoring"})
		switch {
		case i%50 == 3 && (c.kind == "aws.api-gateway" || c.kind == "web-app" || c.kind == "api"):
			fmt.Fprintf(m, "  - id: m%d\n    title: Rate-limit sign-in on %s\n    kind: %s\n    status: %s\n    threats: [%s@%s]\n",
				i, c.id, kind, status, rulePasswordBruteForce, c.id)
		case i%50 == 11 && (c.kind == "aws.rds" || c.kind == "datastore" || c.kind == "aws.dynamodb"):
			fmt.Fprintf(m, "  - id: m%d\n    title: Rehearse restores of %s\n    kind: %s\n    status: %s\n    ticket: SEC-%d\n    owner: team-%d\n    due: 2026-0%d-15\n    rules: [%s]\n    targets: [%s]\n",
				i, c.id, kind, status, i, i%40, 1+i%9, ruleIncorrectRestore, c.id)
		case i%100 == 17 && len(p.hand) > 0:
			fmt.Fprintf(m, "  - id: m%d\n    title: Review abuse cases near %s\n    kind: %s\n    status: %s\n    threats: [%s]\n",
				i, c.id, kind, status, p.hand[p.rng.IntN(len(p.hand))])
		}
		if i%40 == 23 && (c.kind == "aws.sqs" || c.kind == "queue" || c.kind == "aws.sns") {
			fmt.Fprintf(a, "  - threat: %s@%s\n    owner: team-%d\n    reason: Producers and consumers share one account.\n    until: 20%d-12-31\n",
				ruleMessageTampering, c.id, i%40, 24+i%4)
		}
	}
}

func (p *plan) assetItems() {
	for i := range p.assets {
		class := p.pick(classes)
		fmt.Fprintf(&p.assetText, "  - id: a%d\n    name: %s record %d\n    classification: %s\n    confidentiality: %s\n    integrity: %s\n    availability: %s\n",
			i, domains[i%len(domains)], i, class, p.pick(levels), p.pick(levels), p.pick(levels))
		if class == "confidential" || class == "restricted" {
			fmt.Fprintf(&p.assetText, "    tags: [%s]\n", p.pick(assetTags))
		}
	}
}

var actorIDs = []string{"customer", "apt", "external-adversary", "malicious-insider", "accidental-insider"}

// header writes what only the first file holds: title, scope, dates,
// assets, actors and doomsday scenarios.
func (p *plan) header(w *bufio.Writer) {
	fmt.Fprintf(w, `# Synthetic Ward model: %d components, seed %d.
title: Synthetic system %d
scope:
  statement: A synthetic system of %d components on AWS, written by Ward's generator.
  covers: both
authors: [Ward synth]
created: 2024-01-15
updated: 2025-06-01
review_every: 90d
assets:
`, p.opt.Components, p.opt.Seed, p.opt.Seed, p.opt.Components)
	writeBytes(w, p.assetText.Bytes())
	writeString(w, `actors:
  - id: customer
    name: Customer
    kind: user
  - id: apt
    name: State-sponsored adversary (APT)
    kind: apt
    capability: high
  - id: external-adversary
    name: External adversary
    kind: external
    capability: medium
  - id: malicious-insider
    name: Malicious insider
    kind: malicious-insider
    capability: medium
  - id: accidental-insider
    name: Accidental insider
    kind: accidental-insider
    capability: low
doomsday:
  - id: customer-data-leak
    title: Customers' personal data is leaked
    assets: [a0, a1]
    loss: [confidentiality]
  - id: order-loss
    title: Orders are lost or altered
    assets: [a2]
    loss: [integrity, availability]
`)
}

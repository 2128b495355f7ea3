package terraform

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// override merges an override file's blocks over the module's other
// files, as Terraform does: each argument set in an override block
// replaces the base block's, nested blocks of a type replace all of the
// base's blocks of that type (dynamic ones included), and each local
// replaces the local of its name. An override with no base is reported
// and ignored.
func (l *loader) override(bases []*hclsyntax.Body, over *hclsyntax.Body) {
	for _, ob := range over.Blocks {
		switch ob.Type {
		case "locals":
			for name, a := range ob.Body.Attributes {
				if !overrideLocal(bases, name, a) {
					l.warn(posOf(a.NameRange), fmt.Sprintf("override of local.%s: no local of that name to override; ignored", name))
				}
			}
		case "resource", "data", "module", "variable", "output":
			base := findBlock(bases, ob)
			if base == nil {
				l.warn(posOf(ob.DefRange()), fmt.Sprintf("override of %s %s: no such block to override; ignored", ob.Type, strings.Join(ob.Labels, ".")))
				continue
			}
			mergeBlock(base, ob)
		}
	}
}

func overrideLocal(bases []*hclsyntax.Body, name string, a *hclsyntax.Attribute) bool {
	for _, body := range bases {
		for _, b := range body.Blocks {
			if b.Type != "locals" {
				continue
			}
			if _, ok := b.Body.Attributes[name]; ok {
				b.Body.Attributes[name] = a
				return true
			}
		}
	}
	return false
}

func findBlock(bases []*hclsyntax.Body, ob *hclsyntax.Block) *hclsyntax.Block {
	for _, body := range bases {
		for _, b := range body.Blocks {
			if b.Type == ob.Type && slices.Equal(b.Labels, ob.Labels) {
				return b
			}
		}
	}
	return nil
}

// mergeBlock applies one override block to its base. An argument and a
// nested block of one name replace each other, as a JSON file writes
// nested blocks as arguments.
func mergeBlock(base, ob *hclsyntax.Block) {
	attrs := make(hclsyntax.Attributes, len(base.Body.Attributes)+len(ob.Body.Attributes))
	for name, a := range base.Body.Attributes {
		attrs[name] = a
	}
	replaced := map[string]bool{}
	for _, nb := range ob.Body.Blocks {
		replaced[blockName(nb)] = true
	}
	for name, a := range ob.Body.Attributes {
		attrs[name] = a
		replaced[name] = true
	}
	// count and for_each exclude each other.
	if _, ok := ob.Body.Attributes["count"]; ok {
		delete(attrs, "for_each")
	}
	if _, ok := ob.Body.Attributes["for_each"]; ok {
		delete(attrs, "count")
	}
	var blocks hclsyntax.Blocks
	for _, nb := range base.Body.Blocks {
		if !replaced[blockName(nb)] {
			blocks = append(blocks, nb)
		}
	}
	for name := range replaced {
		if _, isAttr := ob.Body.Attributes[name]; !isAttr {
			delete(attrs, name)
		}
	}
	blocks = append(blocks, ob.Body.Blocks...)
	body := *base.Body
	body.Attributes, body.Blocks = attrs, blocks
	base.Body = &body
}

// blockName is the type a nested block makes: its label when dynamic.
func blockName(b *hclsyntax.Block) string {
	if b.Type == "dynamic" && len(b.Labels) == 1 {
		return b.Labels[0]
	}
	return b.Type
}

package terraform

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/wardsec/ward/model"
)

// maxNesting bounds how deep configuration nests: brackets, braces,
// parentheses, templates, and the conditionals and unary operators of one
// statement. The parser recurses once per level, and a goroutine's stack
// overflowing is fatal, so text nested deeper is refused before parsing.
const maxNesting = 2 * maxDepth

// checkNesting refuses native text nested deeper than maxNesting, at the
// position of the first level too deep. Syntax errors are left to the
// parser, which reports them with their position.
func checkNesting(file string, data []byte) error {
	tokens, _ := hclsyntax.LexConfig(data, file, hcl.InitialPos)
	depth, chain, run := 0, 0, 0
	for _, tok := range tokens {
		level := depth + chain + run
		switch tok.Type {
		case hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenOParen,
			hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl,
			hclsyntax.TokenOQuote, hclsyntax.TokenOHeredoc:
			depth++
			level++
		case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen,
			hclsyntax.TokenTemplateSeqEnd, hclsyntax.TokenCQuote, hclsyntax.TokenCHeredoc:
			depth--
		case hclsyntax.TokenQuestion:
			chain++ // each conditional of a statement nests its else
			level++
		case hclsyntax.TokenBang, hclsyntax.TokenMinus:
			level++
		case hclsyntax.TokenNewline:
			if depth <= 0 {
				chain = 0
			}
		}
		// A run of unary operators nests each in the next; any other
		// token ends the run.
		if tok.Type == hclsyntax.TokenBang || tok.Type == hclsyntax.TokenMinus {
			run++
		} else {
			run = 0
		}
		if level > maxNesting {
			return fmt.Errorf("%w: %s:%d:%d: nested more than %d levels deep", model.ErrInvalid, file, tok.Range.Start.Line, tok.Range.Start.Column, maxNesting)
		}
	}
	return nil
}

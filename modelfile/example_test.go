package modelfile_test

import (
	"fmt"

	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/modelfile"
)

func ExampleFile_AddMitigation() {
	text := `title: Shop
# Countermeasures, newest last.
mitigations:
  - id: waf
    title: WAF in front of the API   # since 2024
    kind: fix
    status: implemented
    threats: [password-brute-force@api]
`
	f, err := modelfile.New("shop.ward.yaml", []byte(text))
	if err != nil {
		panic(err)
	}
	line, err := f.AddMitigation(modelfile.Mitigation{
		ID: "mfa", Title: "Require MFA for every login", Kind: model.Fix, Status: model.Planned,
		Threats: []string{"password-brute-force@api"},
	})
	if err != nil {
		panic(err)
	}
	if _, err := f.UpdateMitigation("waf", modelfile.MitigationUpdate{Status: model.Verified}); err != nil {
		panic(err)
	}
	fmt.Println("added at line", line)
	fmt.Print(f.Diff())
	// f.Commit() would now write the file atomically.

	// Output:
	// added at line 9
	// --- a/shop.ward.yaml
	// +++ b/shop.ward.yaml
	// @@ -4,5 +4,10 @@
	//    - id: waf
	//      title: WAF in front of the API   # since 2024
	//      kind: fix
	// -    status: implemented
	// +    status: verified
	//      threats: [password-brute-force@api]
	// +  - id: mfa
	// +    title: Require MFA for every login
	// +    kind: fix
	// +    status: planned
	// +    threats: [password-brute-force@api]
}

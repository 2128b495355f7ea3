package modelfile_test

import (
	"fmt"

	"github.com/wardsec/ward/model"
	"github.com/wardsec/ward/modelfile"
	"github.com/wardsec/ward/risk"
)

func ExampleFile_AddThreats() {
	text := `title: Shop
components:
  - {id: api, kind: process}   # the public API
`
	f, err := modelfile.New("shop.ward.yaml", []byte(text))
	if err != nil {
		panic(err)
	}
	line, err := f.AddThreats([]*model.Threat{{
		ID: "replayed-orders", Title: "Replayed orders", Target: model.Ref{ID: "api"},
		Stride: []model.Stride{model.Tampering}, Likelihood: risk.Easy,
	}})
	if err != nil {
		panic(err)
	}
	fmt.Println("added at line", line)
	fmt.Print(f.Diff())
	// f.Commit() would now write the file atomically.

	// Output:
	// added at line 6
	// --- a/shop.ward.yaml
	// +++ b/shop.ward.yaml
	// @@ -1,3 +1,10 @@
	//  title: Shop
	//  components:
	//    - {id: api, kind: process}   # the public API
	// +
	// +threats:
	// +  - id: replayed-orders
	// +    title: Replayed orders
	// +    target: api
	// +    stride: [tampering]
	// +    likelihood: easy
}

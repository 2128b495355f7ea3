package cloudformation

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/wardsec/ward/importer"
)

func TestResolve(t *testing.T) {
	tmpl, err := parseTemplate("t.yaml", []byte(`
Parameters:
  Env: {Type: String, Default: prod}
  Name: {Type: String}
  Loop: {Type: String, Default: !Ref Loop}
Mappings:
  Sizes:
    prod: {Instance: m5.large}
Resources:
  Queue: {Type: AWS::SQS::Queue}
  Subject:
    Type: Test::Values
    Properties:
      Param: !Ref Env
      NoDefault: !Ref Name
      SelfDefault: !Ref Loop
      Resource: !Ref Queue
      Attr: !GetAtt Queue.Arn
      AttrLong: {"Fn::GetAtt": [Queue, QueueName]}
      Sub: !Sub "app-${Env}"
      SubResource: !Sub "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${Queue.QueueName}"
      SubVars: !Sub ["${A}-${B}", {A: x, B: !Ref Env}]
      SubEscape: !Sub "${!Literal}"
      SubUnknown: !Sub "${AWS::Region}-x"
      Join: !Join ["-", [a, !Ref Env, c]]
      JoinRef: !Join ["", [!GetAtt Queue.Arn, "/x"]]
      Select: !Select [1, [a, b, c]]
      FindInMap: !FindInMap [Sizes, !Ref Env, Instance]
      If: !If [IsProd, a, b]
      Import: !ImportValue shared-vpc
      NoValue: !Ref AWS::NoValue
      Nested: {List: [!Ref Env, 3, true]}
`))
	if err != nil {
		t.Fatal(err)
	}
	r := newResolver(tmpl, nil, "")
	got := r.resolve(tmpl.resources[1].props, 0).(map[string]any)
	want := map[string]any{
		"Param":       "prod",
		"NoDefault":   importer.Unknown{Why: "parameter Name has no default"},
		"SelfDefault": importer.Unknown{Why: "parameter Loop refers to itself"},
		"Resource":    importer.ResourceRef{ID: "Queue"},
		"Attr":        importer.ResourceRef{ID: "Queue", Attr: "Arn"},
		"AttrLong":    importer.ResourceRef{ID: "Queue", Attr: "QueueName"},
		"Sub":         "app-prod",
		"SubResource": importer.ResourceRef{ID: "Queue", Attr: "QueueName"},
		"SubVars":     "x-prod",
		"SubEscape":   "${Literal}",
		"SubUnknown":  importer.Unknown{Why: "AWS::Region is known at deployment"},
		"Join":        "a-prod-c",
		"JoinRef":     importer.ResourceRef{ID: "Queue", Attr: "Arn"},
		"Select":      "b",
		"FindInMap":   "m5.large",
		"If":          importer.Unknown{Why: "depends on condition IsProd"},
		"Import":      importer.Unknown{Why: "imported from another stack"},
		"NoValue":     nil,
		"Nested":      map[string]any{"List": []any{"prod", 3, true}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("resolved values (-want +got):\n%s", diff)
	}
}

func TestJSONAndYAMLAgree(t *testing.T) {
	y, err := parseTemplate("t.yaml", []byte("Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      Name: !Sub \"${AWS::StackName}\"\n      Tags: [{Key: a, Value: 1}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	j, err := parseTemplate("t.json", []byte("{\n\t\"Resources\": {\n\t\t\"B\": {\"Type\": \"AWS::S3::Bucket\", \"Properties\": {\"Name\": {\"Fn::Sub\": \"${AWS::StackName}\"}, \"Tags\": [{\"Key\": \"a\", \"Value\": 1}]}}\n\t}\n}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(y.resources[0].props, j.resources[0].props); diff != "" {
		t.Errorf("YAML and JSON differ (-yaml +json):\n%s", diff)
	}
	if j.resources[0].pos.Line != 3 || j.resources[0].pos.Col != 3 {
		t.Errorf("JSON resource at %v, want line 3 col 3", j.resources[0].pos)
	}
}

package cloudformation

import (
	"maps"
	"slices"
	"strings"

	"github.com/wardsec/ward/importer"
)

// SAMTransform is the Transform value of serverless templates.
const SAMTransform = "AWS::Serverless-2016-10-31"

// Logical ids of the APIs SAM creates for events that name none.
const (
	implicitRestAPI = "ServerlessRestApi"
	implicitHTTPAPI = "ServerlessHttpApi"
)

// expandSAM rewrites serverless resources as the plain ones the transform
// deploys, so the AWS mapping sees one vocabulary.
type samExpander struct {
	globals map[string]any
	out     []importer.Resource
	byID    map[string]int // index in out
	warn    func(importer.Resource, string)
}

func expandSAM(resources []importer.Resource, globals map[string]any, warn func(importer.Resource, string)) []importer.Resource {
	e := &samExpander{globals: globals, byID: map[string]int{}, warn: warn}
	// Explicit serverless APIs first keep their ids; their auth settings
	// decide how events' methods authenticate.
	for _, r := range resources {
		e.add(e.plain(r))
	}
	for _, r := range resources {
		if r.Type == "AWS::Serverless::Function" {
			e.functionEvents(r)
		}
	}
	return e.out
}

func (e *samExpander) add(r importer.Resource) {
	if i, ok := e.byID[r.ID]; ok {
		e.out[i] = r
		return
	}
	e.byID[r.ID] = len(e.out)
	e.out = append(e.out, r)
}

// plain maps a serverless resource type to its plain counterpart.
func (e *samExpander) plain(r importer.Resource) importer.Resource {
	props := maps.Clone(r.Props)
	if props == nil {
		props = map[string]any{}
	}
	switch r.Type {
	case "AWS::Serverless::Function":
		for k, v := range asMap(e.globals["Function"]) {
			if _, set := props[k]; !set {
				props[k] = v
			}
		}
		r.Type = "AWS::Lambda::Function"
		if props["Role"] == nil {
			role := importer.Resource{Type: "AWS::IAM::Role", ID: r.ID + "Role", Pos: r.Pos,
				Props: map[string]any{"Policies": samPolicies(props["Policies"])}}
			if arns := managedPolicies(props["Policies"]); len(arns) > 0 {
				role.Props["ManagedPolicyArns"] = arns
			}
			e.add(role)
			props["Role"] = importer.ResourceRef{ID: role.ID, Attr: "Arn"}
		}
		if url := asMap(props["FunctionUrlConfig"]); url != nil {
			e.add(importer.Resource{Type: "AWS::Lambda::Url", ID: r.ID + "Url", Pos: r.Pos,
				Props: map[string]any{"TargetFunctionArn": importer.ResourceRef{ID: r.ID}, "AuthType": url["AuthType"]}})
		}
	case "AWS::Serverless::Api":
		r.Type = "AWS::ApiGateway::RestApi"
		if props["Body"] == nil {
			props["Body"] = props["DefinitionBody"]
		}
		e.stage(r, "AWS::ApiGateway::Stage", "RestApiId", props)
	case "AWS::Serverless::HttpApi":
		r.Type = "AWS::ApiGatewayV2::Api"
		e.stage(r, "AWS::ApiGatewayV2::Stage", "ApiId", props)
	case "AWS::Serverless::SimpleTable":
		r.Type = "AWS::DynamoDB::Table"
	case "AWS::Serverless::StateMachine":
		r.Type = "AWS::StepFunctions::StateMachine"
		if props["Role"] != nil {
			props["RoleArn"] = props["Role"]
		}
		if props["Policies"] != nil {
			role := importer.Resource{Type: "AWS::IAM::Role", ID: r.ID + "Role", Pos: r.Pos,
				Props: map[string]any{"Policies": samPolicies(props["Policies"])}}
			e.add(role)
			props["RoleArn"] = importer.ResourceRef{ID: role.ID, Attr: "Arn"}
		}
	case "AWS::Serverless::LayerVersion":
		r.Type = "AWS::Lambda::LayerVersion"
	}
	r.Props = props
	return r
}

// stage makes the stage of a serverless API, which holds its logging and
// throttling settings.
func (e *samExpander) stage(api importer.Resource, typ, key string, props map[string]any) {
	st := map[string]any{key: importer.ResourceRef{ID: api.ID}}
	for _, k := range []string{"AccessLogSetting", "AccessLogSettings", "MethodSettings", "DefaultRouteSettings"} {
		if v, ok := props[k]; ok {
			st[k] = v
		}
	}
	e.add(importer.Resource{Type: typ, ID: api.ID + "Stage", Pos: api.Pos, Props: st})
}

// functionEvents turns a function's Events into the resources that
// connect its triggers.
func (e *samExpander) functionEvents(fn importer.Resource) {
	self := importer.ResourceRef{ID: fn.ID}
	for _, name := range slices.Sorted(maps.Keys(asMap(fn.Props["Events"]))) {
		ev := asMap(asMap(fn.Props["Events"])[name])
		typ, _ := ev["Type"].(string)
		p := asMap(ev["Properties"])
		id := fn.ID + name
		switch typ {
		case "Api":
			api := p["RestApiId"]
			if api == nil {
				api = e.implicit(implicitRestAPI, "AWS::ApiGateway::RestApi", fn)
			}
			e.add(importer.Resource{Type: "AWS::ApiGateway::Method", ID: id, Pos: fn.Pos, Props: map[string]any{
				"RestApiId":         api,
				"HttpMethod":        p["Method"],
				"AuthorizationType": e.authOf(api, p),
				"ApiKeyRequired":    asMap(p["Auth"])["ApiKeyRequired"],
				"Integration":       map[string]any{"Type": "AWS_PROXY", "Uri": self},
			}})
		case "HttpApi":
			api := p["ApiId"]
			if api == nil {
				api = e.implicit(implicitHTTPAPI, "AWS::ApiGatewayV2::Api", fn)
			}
			e.add(importer.Resource{Type: "AWS::ApiGatewayV2::Integration", ID: id, Pos: fn.Pos, Props: map[string]any{
				"ApiId": api, "IntegrationType": "AWS_PROXY", "IntegrationUri": self,
			}})
		case "SQS", "Kinesis", "DynamoDB", "MQ", "MSK", "SelfManagedKafka", "DocumentDB":
			source := p["Queue"]
			for _, k := range []string{"Stream", "Broker", "Cluster"} {
				if source == nil {
					source = p[k]
				}
			}
			e.add(importer.Resource{Type: "AWS::Lambda::EventSourceMapping", ID: id, Pos: fn.Pos, Props: map[string]any{
				"EventSourceArn": source, "FunctionName": self,
			}})
		case "SNS":
			e.add(importer.Resource{Type: "AWS::SNS::Subscription", ID: id, Pos: fn.Pos, Props: map[string]any{
				"TopicArn": p["Topic"], "Endpoint": importer.ResourceRef{ID: fn.ID, Attr: "Arn"}, "Protocol": "lambda",
			}})
		case "S3":
			bucket, ok := p["Bucket"].(importer.ResourceRef)
			i, found := e.byID[bucket.ID]
			if !ok || !found {
				e.warn(fn, "event "+name+": Bucket names no bucket of this template; no flow made")
				continue
			}
			b := e.out[i]
			notif := maps.Clone(asMap(b.Props["NotificationConfiguration"]))
			if notif == nil {
				notif = map[string]any{}
			}
			notif["LambdaConfigurations"] = append(asList(notif["LambdaConfigurations"]), map[string]any{"Function": self, "Event": p["Events"]})
			b.Props = maps.Clone(b.Props)
			b.Props["NotificationConfiguration"] = notif
			e.out[i] = b
		case "Schedule", "ScheduleV2", "EventBridgeRule", "CloudWatchEvent":
			e.add(importer.Resource{Type: "AWS::Events::Rule", ID: id, Pos: fn.Pos, Props: map[string]any{
				"EventBusName": p["EventBusName"], "Targets": []any{map[string]any{"Arn": self, "Id": name}},
			}})
		default:
			e.warn(fn, "event "+name+" of type "+typ+" is not mapped; no flow made")
		}
	}
}

// implicit returns a reference to the API SAM creates, making it once.
func (e *samExpander) implicit(id, typ string, fn importer.Resource) importer.ResourceRef {
	if _, ok := e.byID[id]; !ok {
		e.add(importer.Resource{Type: typ, ID: id, Pos: fn.Pos, Props: map[string]any{}})
	}
	return importer.ResourceRef{ID: id}
}

// authOf is how an Api event's method authenticates: its own Auth, else
// its API's default authorizer, else none.
func (e *samExpander) authOf(api any, p map[string]any) string {
	name, _ := asMap(p["Auth"])["Authorizer"].(string)
	if name == "" {
		if ref, ok := api.(importer.ResourceRef); ok {
			if i, found := e.byID[ref.ID]; found {
				name, _ = asMap(e.out[i].Props["Auth"])["DefaultAuthorizer"].(string)
			}
		}
	}
	switch name {
	case "":
		return "NONE"
	case "NONE", "AWS_IAM":
		return name
	}
	return "CUSTOM"
}

// samPolicyActions are the actions of common policy templates; others are
// kept by name, so no wildcard is invented.
var samPolicyActions = map[string][]any{
	"DynamoDBCrudPolicy":                    {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query", "dynamodb:Scan"},
	"DynamoDBReadPolicy":                    {"dynamodb:GetItem", "dynamodb:Query", "dynamodb:Scan"},
	"DynamoDBWritePolicy":                   {"dynamodb:PutItem", "dynamodb:UpdateItem"},
	"SQSSendMessagePolicy":                  {"sqs:SendMessage"},
	"SQSPollerPolicy":                       {"sqs:ReceiveMessage", "sqs:DeleteMessage"},
	"SNSPublishMessagePolicy":               {"sns:Publish"},
	"S3ReadPolicy":                          {"s3:GetObject", "s3:ListBucket"},
	"S3WritePolicy":                         {"s3:PutObject"},
	"S3CrudPolicy":                          {"s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"},
	"LambdaInvokePolicy":                    {"lambda:InvokeFunction"},
	"KMSDecryptPolicy":                      {"kms:Decrypt"},
	"AWSSecretsManagerGetSecretValuePolicy": {"secretsmanager:GetSecretValue"},
}

// samPolicies turns a function's Policies into inline role policies.
func samPolicies(v any) []any {
	var out []any
	for _, p := range asList(v) {
		m := asMap(p)
		if m == nil {
			continue // a managed policy name or ARN
		}
		if m["Statement"] != nil {
			out = append(out, map[string]any{"PolicyName": "inline", "PolicyDocument": m})
			continue
		}
		for _, name := range slices.Sorted(maps.Keys(m)) {
			actions := samPolicyActions[name]
			if actions == nil {
				actions = []any{"sam:" + name}
			}
			var resources []any
			for _, arg := range asMap(m[name]) {
				resources = append(resources, arg)
			}
			if len(resources) == 0 {
				resources = []any{importer.Unknown{Why: name + " has no arguments"}}
			}
			out = append(out, map[string]any{"PolicyName": name, "PolicyDocument": map[string]any{
				"Statement": []any{map[string]any{"Effect": "Allow", "Action": actions, "Resource": resources}},
			}})
		}
	}
	return out
}

func managedPolicies(v any) []any {
	var out []any
	for _, p := range asList(v) {
		if s, ok := p.(string); ok {
			if !strings.HasPrefix(s, "arn:") {
				s = "arn:aws:iam::aws:policy/" + s
			}
			out = append(out, s)
		}
	}
	return out
}

package terraform

import (
	"github.com/wardsec/ward/importer"
)

// folders are the split resources folded into what they configure.
var folders = map[string]folder{
	"aws_s3_bucket_public_access_block": foldBucket(func(tf map[string]any, p map[string]any) {
		p["PublicAccessBlockConfiguration"] = rename(tf, "block_public_acls", "BlockPublicAcls", "block_public_policy", "BlockPublicPolicy",
			"ignore_public_acls", "IgnorePublicAcls", "restrict_public_buckets", "RestrictPublicBuckets")
	}),
	"aws_s3_bucket_server_side_encryption_configuration": foldBucket(func(tf map[string]any, p map[string]any) {
		p["BucketEncryption"] = bucketEncryption(tf)
	}),
	"aws_s3_bucket_versioning": foldBucket(func(tf map[string]any, p map[string]any) {
		if b := block(tf, "versioning_configuration"); b != nil {
			p["VersioningConfiguration"] = rename(b, "status", "Status")
		}
	}),
	"aws_s3_bucket_logging": foldBucket(func(tf map[string]any, p map[string]any) {
		p["LoggingConfiguration"] = rename(tf, "target_bucket", "DestinationBucketName", "target_prefix", "LogFilePrefix")
	}),
	"aws_s3_bucket_acl": foldBucket(func(tf map[string]any, p map[string]any) {
		setIf(p, "AccessControl", s3ACL(tf["acl"]))
	}),
	"aws_s3_bucket_website_configuration": foldBucket(func(_ map[string]any, p map[string]any) {
		p["WebsiteConfiguration"] = map[string]any{}
	}),
	"aws_security_group_rule":             foldRule(func(tf map[string]any) []any { return ruleEntries(tf) }),
	"aws_vpc_security_group_ingress_rule": foldRule(func(tf map[string]any) []any { return []any{vpcRule(tf)} }),
	"aws_vpc_security_group_egress_rule": func(tf map[string]any, byID map[string]*importer.Resource) bool {
		return foldInto(tf["security_group_id"], "AWS::EC2::SecurityGroup", byID, func(p map[string]any) {
			p["SecurityGroupEgress"] = append(asList(p["SecurityGroupEgress"]), vpcRule(tf))
		})
	},
	"aws_iam_role_policy_attachment": func(tf map[string]any, byID map[string]*importer.Resource) bool {
		if id, ok := refID(tf["policy_arn"]); ok && byID[id] != nil {
			// A managed policy of this configuration names its roles.
			p := byID[id].Props
			p["Roles"] = append(asList(p["Roles"]), tf["role"])
			return true
		}
		return foldInto(tf["role"], "AWS::IAM::Role", byID, func(p map[string]any) {
			p["ManagedPolicyArns"] = append(asList(p["ManagedPolicyArns"]), tf["policy_arn"])
		})
	},
	"aws_api_gateway_integration": func(tf map[string]any, byID map[string]*importer.Resource) bool {
		// The method with the same API, resource and verb carries it.
		for _, r := range byID {
			p := r.Props
			if r.Type == "AWS::ApiGateway::Method" && same(p["RestApiId"], tf["rest_api_id"]) &&
				same(p["ResourceId"], tf["resource_id"]) && same(p["HttpMethod"], tf["http_method"]) {
				p["Integration"] = rename(tf, "type", "Type", "uri", "Uri", "integration_http_method", "IntegrationHttpMethod")
				return true
			}
		}
		return false
	},
	"aws_lb_target_group_attachment": func(tf map[string]any, byID map[string]*importer.Resource) bool {
		return foldInto(tf["target_group_arn"], "AWS::ElasticLoadBalancingV2::TargetGroup", byID, func(p map[string]any) {
			p["Targets"] = append(asList(p["Targets"]), map[string]any{"Id": tf["target_id"]})
		})
	},
}

// foldInto applies set to the properties of the resource of type typ
// (any type when "") that ref names.
func foldInto(ref any, typ string, byID map[string]*importer.Resource, set func(map[string]any)) bool {
	id, ok := refID(ref)
	if !ok || byID[id] == nil || (typ != "" && byID[id].Type != typ) {
		return false
	}
	if byID[id].Props == nil {
		byID[id].Props = map[string]any{}
	}
	set(byID[id].Props)
	return true
}

func foldBucket(set func(tf, props map[string]any)) folder {
	return func(tf map[string]any, byID map[string]*importer.Resource) bool {
		return foldInto(tf["bucket"], "AWS::S3::Bucket", byID, func(p map[string]any) { set(tf, p) })
	}
}

// foldRule adds a rule resource's entries to its group's ingress or
// egress list.
func foldRule(entries func(map[string]any) []any) folder {
	return func(tf map[string]any, byID map[string]*importer.Resource) bool {
		key := "SecurityGroupIngress"
		if t, _ := tf["type"].(string); t == "egress" {
			key = "SecurityGroupEgress"
		}
		return foldInto(tf["security_group_id"], "AWS::EC2::SecurityGroup", byID, func(p map[string]any) {
			p[key] = append(asList(p[key]), entries(tf)...)
		})
	}
}

// same tells whether two values are the same string or reference.
func same(a, b any) bool {
	switch a := a.(type) {
	case string:
		return a == b
	case importer.ResourceRef:
		return a == b
	}
	return false
}

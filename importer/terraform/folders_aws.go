package terraform

import (
	"github.com/wardsec/ward/importer"
)

// awsFolders are more aws_* split resources folded into what they
// configure; translate reads them with folders.
var awsFolders = map[string]folder{
	"aws_iam_user_policy_attachment":  attachPolicy("user", "Users", "AWS::IAM::User"),
	"aws_iam_group_policy_attachment": attachPolicy("group", "Groups", "AWS::IAM::Group"),
	"aws_iam_policy_attachment": func(tf map[string]any, byID map[string]*importer.Resource) bool {
		found := false
		for _, k := range []struct{ tf, cfn, typ string }{{"roles", "Roles", "AWS::IAM::Role"},
			{"users", "Users", "AWS::IAM::User"}, {"groups", "Groups", "AWS::IAM::Group"}} {
			for _, who := range asList(tf[k.tf]) {
				one := map[string]any{"policy_arn": tf["policy_arn"], k.tf: who}
				found = attachPolicy(k.tf, k.cfn, k.typ)(one, byID) || found
			}
		}
		return found
	},
	"aws_iam_user_group_membership": func(tf map[string]any, byID map[string]*importer.Resource) bool {
		return foldInto(tf["user"], "AWS::IAM::User", byID, func(p map[string]any) {
			p["Groups"] = append(asList(p["Groups"]), asList(tf["groups"])...)
		})
	},
	"aws_iam_user_login_profile": func(tf map[string]any, byID map[string]*importer.Resource) bool {
		return foldInto(tf["user"], "AWS::IAM::User", byID, func(p map[string]any) {
			p["LoginProfile"] = rename(tf, "password_reset_required", "PasswordResetRequired")
		})
	},
	"aws_s3_bucket_notification": foldBucket(func(tf, p map[string]any) {
		notif := map[string]any{}
		for _, n := range []struct{ block, arn, cfn, key string }{
			{"lambda_function", "lambda_function_arn", "LambdaConfigurations", "Function"},
			{"queue", "queue_arn", "QueueConfigurations", "Queue"},
			{"topic", "topic_arn", "TopicConfigurations", "Topic"},
		} {
			var list []any
			for _, b := range blocks(tf, n.block) {
				list = append(list, map[string]any{n.key: b[n.arn], "Event": b["events"]})
			}
			setList(notif, n.cfn, list)
		}
		p["NotificationConfiguration"] = notif
	}),
	"aws_s3_bucket_ownership_controls": foldBucket(func(tf, p map[string]any) {
		if b := block(tf, "rule"); b != nil {
			p["OwnershipControls"] = map[string]any{"Rules": []any{rename(b, "object_ownership", "ObjectOwnership")}}
		}
	}),
	// Lifecycle and CORS rules say nothing the rules read.
	"aws_s3_bucket_lifecycle_configuration": foldBucket(func(map[string]any, map[string]any) {}),
	"aws_s3_bucket_cors_configuration":      foldBucket(func(map[string]any, map[string]any) {}),
	"aws_secretsmanager_secret_version": func(tf map[string]any, byID map[string]*importer.Resource) bool {
		// The value is never copied.
		return foldInto(tf["secret_id"], "AWS::SecretsManager::Secret", byID, func(map[string]any) {})
	},
	"aws_ecr_repository_policy": func(tf map[string]any, byID map[string]*importer.Resource) bool {
		return foldInto(tf["repository"], "AWS::ECR::Repository", byID, func(p map[string]any) {
			setIf(p, "RepositoryPolicyText", document(tf["policy"]))
		})
	},
	"aws_ecr_lifecycle_policy": func(tf map[string]any, byID map[string]*importer.Resource) bool {
		return foldInto(tf["repository"], "AWS::ECR::Repository", byID, func(map[string]any) {})
	},
	"aws_opensearch_domain_policy": func(tf map[string]any, byID map[string]*importer.Resource) bool {
		return foldInto(tf["domain_name"], "AWS::OpenSearchService::Domain", byID, func(p map[string]any) {
			setIf(p, "AccessPolicies", document(tf["access_policies"]))
		})
	},
	"aws_cloudwatch_event_target": func(tf map[string]any, byID map[string]*importer.Resource) bool {
		return foldInto(tf["rule"], "AWS::Events::Rule", byID, func(p map[string]any) {
			target := rename(tf, "arn", "Arn", "target_id", "Id", "role_arn", "RoleArn")
			if b := block(tf, "dead_letter_config"); b != nil {
				target["DeadLetterConfig"] = rename(b, "arn", "Arn")
			}
			p["Targets"] = append(asList(p["Targets"]), target)
		})
	},
	"aws_api_gateway_method_settings": func(tf map[string]any, byID map[string]*importer.Resource) bool {
		set := func(p map[string]any) {
			s := block(tf, "settings")
			entry := rename(s, "throttling_rate_limit", "ThrottlingRateLimit", "throttling_burst_limit", "ThrottlingBurstLimit",
				"logging_level", "LoggingLevel", "metrics_enabled", "MetricsEnabled")
			setIf(entry, "ResourcePath", tf["method_path"])
			p["MethodSettings"] = append(asList(p["MethodSettings"]), entry)
		}
		if foldInto(tf["stage_name"], "AWS::ApiGateway::Stage", byID, set) {
			return true
		}
		// A stage named by its literal name: the one of the same API.
		for _, r := range byID {
			if r.Type == "AWS::ApiGateway::Stage" && same(r.Props["RestApiId"], tf["rest_api_id"]) && same(r.Props["StageName"], tf["stage_name"]) {
				set(r.Props)
				return true
			}
		}
		return false
	},
	"aws_autoscaling_attachment": func(tf map[string]any, byID map[string]*importer.Resource) bool {
		return foldInto(tf["autoscaling_group_name"], "AWS::AutoScaling::AutoScalingGroup", byID, func(p map[string]any) {
			if arn := tf["lb_target_group_arn"]; arn != nil {
				p["TargetGroupARNs"] = append(asList(p["TargetGroupARNs"]), arn)
			}
			if elb := tf["elb"]; elb != nil {
				p["LoadBalancerNames"] = append(asList(p["LoadBalancerNames"]), elb)
			}
		})
	},
}

// attachPolicy folds a managed-policy attachment: a policy of this
// configuration names the identity; any other (AWS-managed) policy is
// added to the identity's ManagedPolicyArns.
func attachPolicy(tfKey, cfnKey, typ string) folder {
	return func(tf map[string]any, byID map[string]*importer.Resource) bool {
		if id, ok := refID(tf["policy_arn"]); ok && byID[id] != nil && byID[id].Type == "AWS::IAM::ManagedPolicy" {
			p := byID[id].Props
			p[cfnKey] = append(asList(p[cfnKey]), tf[tfKey])
			return true
		}
		return foldInto(tf[tfKey], typ, byID, func(p map[string]any) {
			p["ManagedPolicyArns"] = append(asList(p["ManagedPolicyArns"]), tf["policy_arn"])
		})
	}
}

// awsFolder is the folder of a split aws_* type, from either table.
func awsFolder(typ string) (folder, bool) {
	if f, ok := folders[typ]; ok {
		return f, true
	}
	f, ok := awsFolders[typ]
	return f, ok
}

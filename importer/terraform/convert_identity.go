package terraform

// Conversions of IAM, Cognito and event-bus permissions.

// inlinePolicy is an aws_iam_{role,user,group}_policy: a policy of its
// own naming the identity it belongs to under key.
func inlinePolicy(tfKey, cfnKey string) conversion {
	return func(tf map[string]any) map[string]any {
		out := rename(tf, "name", "__name")
		if tf["name"] != nil {
			out["PolicyName"] = tf["name"]
		}
		setIf(out, "PolicyDocument", document(tf["policy"]))
		if tf[tfKey] != nil {
			out[cfnKey] = []any{tf[tfKey]}
		}
		return out
	}
}

func userPool(tf map[string]any) map[string]any {
	out := rename(tf, "name", "__name", "mfa_configuration", "MfaConfiguration")
	if tf["name"] != nil {
		out["UserPoolName"] = tf["name"]
	}
	if b := block(tf, "admin_create_user_config"); b != nil {
		out["AdminCreateUserConfig"] = rename(b, "allow_admin_create_user_only", "AllowAdminCreateUserOnly")
	}
	if b := block(tf, "password_policy"); b != nil {
		out["Policies"] = map[string]any{"PasswordPolicy": rename(b, "minimum_length", "MinimumLength")}
	}
	return out
}

// eventBusPolicy keeps the statements of the bus's policy document.
func eventBusPolicy(tf map[string]any) map[string]any {
	out := rename(tf, "event_bus_name", "EventBusName")
	doc := document(tf["policy"])
	if m, ok := doc.(map[string]any); ok {
		setIf(out, "Statement", m["Statement"])
	} else {
		setIf(out, "Statement", doc)
	}
	return out
}

func eventPermission(tf map[string]any) map[string]any {
	out := rename(tf, "principal", "Principal", "action", "Action", "event_bus_name", "EventBusName", "statement_id", "StatementId")
	if b := block(tf, "condition"); b != nil {
		out["Condition"] = rename(b, "key", "Key", "type", "Type", "value", "Value")
	}
	return out
}

func eventRule(tf map[string]any) map[string]any {
	out := rename(tf, "name", "__name", "event_bus_name", "EventBusName", "schedule_expression", "ScheduleExpression", "state", "State")
	if tf["name"] != nil {
		out["Name"] = tf["name"]
	}
	setIf(out, "EventPattern", document(tf["event_pattern"]))
	return out
}
